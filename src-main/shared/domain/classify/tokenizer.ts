/**
 * Chinese text → features without a word segmenter: character uni-, bi- and tri-grams inside each run
 * of Han characters, plus lower-cased ASCII words (2+ letters). Punctuation, digits and whitespace
 * break runs. Pure code: runs in Node and in a browser Web Worker.
 */

/** Function characters that carry no topic on their own (dropped as uni-grams only). */
const STOP_CHARS = new Set(
  Array.from(
    '的了是在我你他她它们和与及就都也还又被把这那有个一不吗呢吧啊呀哦嗯之其而或且但从对给向让使很太更最么什怎样该将已经才请',
  ),
);
/** Bi-grams that are function words. */
const STOP_BIGRAMS = new Set([
  '我们',
  '你们',
  '他们',
  '这个',
  '那个',
  '一个',
  '什么',
  '怎么',
  '因为',
  '所以',
  '但是',
  '而且',
  '如果',
  '已经',
  '还是',
  '就是',
  '可以',
  '没有',
  '这样',
  '那样',
  '自己',
  '现在',
  '请问',
  '您好',
  '你好',
]);

const HAN = /\p{Script=Han}/u;
const LETTER = /\p{L}/u;

export interface TokenizerOptions {
  /** Longest character n-gram (1–3). Default 3. */
  maxN?: number;
}

/** NFKC folds full-width letters, digits and punctuation to their ASCII forms. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** All features of a text, with repetition (the caller counts them). */
export function tokenize(text: string, options: TokenizerOptions = {}): string[] {
  const maxN = Math.min(3, Math.max(1, options.maxN ?? 3));
  const out: string[] = [];
  const chars = Array.from(normaliseText(text));
  let run: string[] = [];
  let word = '';
  const flushRun = (): void => {
    for (let i = 0; i < run.length; i++) {
      const c = run[i]!;
      if (!STOP_CHARS.has(c)) out.push(c);
      if (maxN >= 2 && i + 1 < run.length) {
        const bi = c + run[i + 1]!;
        if (!STOP_BIGRAMS.has(bi) && !(STOP_CHARS.has(c) && STOP_CHARS.has(run[i + 1]!))) out.push(bi);
      }
      if (maxN >= 3 && i + 2 < run.length) out.push(c + run[i + 1]! + run[i + 2]!);
    }
    run = [];
  };
  const flushWord = (): void => {
    if (word.length >= 2) out.push(word);
    word = '';
  };
  for (const c of chars) {
    if (HAN.test(c)) {
      flushWord();
      run.push(c);
    } else if (c >= 'a' && c <= 'z') {
      flushRun();
      word += c;
    } else {
      flushRun();
      flushWord();
    }
  }
  flushRun();
  flushWord();
  return out;
}

export interface ScriptProfile {
  /** Han characters. */
  han: number;
  /** Letters of any script (Han included). */
  letters: number;
}

export function scriptProfile(text: string): ScriptProfile {
  let han = 0;
  let letters = 0;
  for (const c of text) {
    if (HAN.test(c)) {
      han++;
      letters++;
    } else if (LETTER.test(c)) letters++;
  }
  return { han, letters };
}
