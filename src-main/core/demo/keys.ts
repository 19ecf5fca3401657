import type { Rng } from './prng';

/** Business keys and personal details in the shapes the integrating systems use. */

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_VALUE: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** World manufacturer identifiers in the style of Chinese-built vehicles (first letter L). */
const WMIS = ['LGX', 'LFV', 'LSV', 'LVG', 'LNB', 'LRW', 'LB3', 'LJ1', 'LC0', 'LS6'];
/** Model-year codes 2020–2026. */
const YEARS = ['L', 'M', 'N', 'P', 'R', 'S', 'T'];

function vinValue(c: string): number {
  return c >= '0' && c <= '9' ? Number(c) : VIN_VALUE[c]!;
}

/** The ISO 3779 check digit (position 9). */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += vinValue(vin[i]!) * VIN_WEIGHTS[i]!;
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export function isValidVin(vin: string): boolean {
  return /^[A-HJ-NPR-Z0-9]{17}$/.test(vin) && vinCheckDigit(vin) === vin[8];
}

/** A 17-character VIN with a correct check digit. */
export function vin(rng: Rng): string {
  let s = rng.pick(WMIS);
  for (let i = 0; i < 5; i++) s += VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)];
  s += '0';
  s += rng.pick(YEARS.slice(2));
  s += rng.pick(['A', 'B', 'C', 'H', 'S', 'Z', '1', '2']);
  s += rng.digits(6);
  return s.slice(0, 8) + vinCheckDigit(s) + s.slice(9);
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤楼俞应';
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '199',
];

/** `王先生`, `陈女士`: callers give only a surname. */
export function callerName(rng: Rng): string {
  return SURNAMES[rng.int(0, SURNAMES.length - 1)]! + (rng.chance(0.52) ? '先生' : '女士');
}

/** `138****1234`: masked before it reaches the ticket. */
export function maskedPhone(rng: Rng): string {
  return rng.chance(0.93) ? `${rng.pick(MOBILE_PREFIXES)}****${rng.digits(4)}` : `0571-****${rng.digits(4)}`;
}

/** Hotline call id: `HZ12345-20260114-083512-0042`. */
export function callId(rng: Rng, date: string, time: string): string {
  return `HZ12345-${date}-${time}-${rng.digits(4)}`;
}

/** Online session ids by channel: 浙里办 App, WeChat, the 12345 web portal. */
export function sessionId(rng: Rng, channel: 'web' | 'app' | 'wechat'): string {
  const prefix = channel === 'app' ? 'zlb' : channel === 'wechat' ? 'wx' : 'web';
  return `${prefix}-${rng.hex(16)}`;
}

/** After-sales service order: `AS20260114003127`. */
export function orderNo(rng: Rng, date: string): string {
  return `AS${date}${rng.digits(6)}`;
}

/** Production batch: `QJC2-260114-B03` (plant + line, yymmdd, shift and sequence). */
export function batchNo(rng: Rng, plantLine: string, date: string): string {
  return `${plantLine}-${date.slice(2)}-${rng.pick(['A', 'B', 'C'])}${String(rng.int(1, 12)).padStart(2, '0')}`;
}
