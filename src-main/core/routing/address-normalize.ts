/**
 * Normalisation of Chinese addresses before matching (docs/routing.md):
 * - Unicode NFKC: full-width letters, digits and punctuation become half-width (１２号 → 12号);
 * - lower case, whitespace and punctuation removed (a grid id such as 330106-003-012 is taken out first);
 * - Chinese numerals in front of a unit become Arabic (二百六十八号 → 268号, 十二幢 → 12幢); names that
 *   contain numerals (文三路, 九堡, 三墩镇) are left alone because no unit follows them.
 */

const UNITS = '号|幢|栋|弄|室|单元|层|楼|组|排|支弄';
const NUMERAL = /([零〇一二两三四五六七八九十百千]+)(?=(?:号|幢|栋|弄|室|单元|层|楼|组|排|支弄))/g;
const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SCALE: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A Chinese numeral up to 9999 as a number: positional (二百六十八, 十二, 一千零五) or digit by digit
 * (二六八, 一〇五). Null when it is neither.
 */
export function chineseNumber(text: string): number | null {
  if (text === '') return null;
  if (![...text].some((ch) => ch in SCALE)) {
    // Digit by digit: 二六八 → 268.
    let n = 0;
    for (const ch of text) {
      const d = DIGIT[ch];
      if (d === undefined) return null;
      n = n * 10 + d;
    }
    return n;
  }
  let total = 0;
  let digit = -1;
  let lastScale = 10_000;
  for (const ch of text) {
    if (ch in DIGIT) {
      if (digit > 0) return null; // two digits in a row inside a positional form (零 may precede one)
      digit = DIGIT[ch]!;
    } else {
      const scale = SCALE[ch];
      if (scale === undefined || scale >= lastScale) return null;
      total += (digit < 0 ? 1 : digit) * scale; // 十二: a leading 十 means 1×10
      digit = -1;
      lastScale = scale;
    }
  }
  if (digit > 0) total += digit;
  return total;
}

export const GRID_ID_PATTERN = /\b(\d{6}-\d{3}-\d{3})\b/;

export interface NormalizedAddress {
  /** Matching text: half-width, lower case, no spaces or punctuation, Arabic house numbers. */
  text: string;
  /** A grid id written in the address, if any. */
  gridId: string | null;
}

export function normalizeAddress(raw: string): NormalizedAddress {
  let s = raw.normalize('NFKC').toLowerCase();
  const grid = GRID_ID_PATTERN.exec(s);
  if (grid) s = s.replace(grid[0], ' ');
  s = s.replace(/[\s\p{P}\p{S}]+/gu, '');
  s = s.replace(NUMERAL, (m) => {
    const n = chineseNumber(m);
    return n === null ? m : String(n);
  });
  return { text: s, gridId: grid ? grid[1]! : null };
}

/** Words that describe where at a place, not which place: they do not count against coverage. */
const FILLER =
  /附近|交叉口|路口|旁边|对面|门口|东侧|西侧|南侧|北侧|东面|西面|南面|北面|周边|一带|这边|那边|楼下|楼上|里面|边上|小区门口|旁/g;
const HOUSE_NUMBER = new RegExp(`\\d+(?:${UNITS})?|[a-z]+`, 'g');

/** The characters of an address that name places (house numbers and filler words taken out). */
export function placeChars(normalized: string): number {
  return normalized
    .replace(HOUSE_NUMBER, '')
    .replace(FILLER, '')
    .replace(/[与和及]/g, '').length;
}

export function hasChinese(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/** Provinces and province-level cities other than Zhejiang: an address starting with one is elsewhere. */
const OTHER_PROVINCES = [
  '北京',
  '天津',
  '上海',
  '重庆',
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
  '内蒙古',
  '广西',
  '西藏',
  '宁夏',
  '新疆',
  '香港',
  '澳门',
];

/** Leading country / province / city words, removed before matching. */
const LEADING = /^(?:中华人民共和国|中国)?(?:浙江省|浙江)?(?:杭州市)?/;

export interface PrefixInfo {
  /** The text with 中国 / 浙江省 / 杭州市 removed from its start. */
  rest: string;
  /** A province or city outside the demo city named at the start, e.g. 北京市 or 宁波市. */
  elsewhere: string | null;
  /** `province`: a province other than Zhejiang; `city`: another city, written as 宁波市江北区…. */
  elsewhereKind: 'province' | 'city' | null;
}

/**
 * Splits the administrative prefix off. `cityLike` tells whether a word followed by 市 is a place of
 * the demo city (建德市, or a former county-level city such as 萧山市); anything else followed by 市
 * at the start (宁波市) is reported as elsewhere, as is a province other than Zhejiang.
 */
export function stripPrefix(text: string, cityLike: (stem: string) => boolean): PrefixInfo {
  const noCountry = text.replace(/^(?:中华人民共和国|中国)/, '');
  for (const p of OTHER_PROVINCES)
    if (noCountry.startsWith(p)) {
      const m = new RegExp(`^${p}(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?`).exec(
        noCountry,
      );
      return { rest: noCountry, elsewhere: m![0], elsewhereKind: 'province' };
    }
  const rest = text.replace(LEADING, '');
  // Another city only when an administrative unit or a road follows (宁波市江北区), so that a place
  // that merely starts with such a word (农贸市场) is not sent away.
  const city =
    /^(?:浙江省|浙江)?([\u4e00-\u9fff]{2,3}?)市[\u4e00-\u9fff]{1,5}?(?:区|县|市|镇|乡|街道|路|大道|街)/.exec(
      noCountry,
    );
  if (city && city[1] !== '杭州' && !cityLike(city[1]!) && !noCountry.startsWith('杭州'))
    return { rest, elsewhere: `${city[1]}市`, elsewhereKind: 'city' };
  return { rest, elsewhere: null, elsewhereKind: null };
}
