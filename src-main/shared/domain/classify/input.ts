import { scriptProfile } from './tokenizer';

/**
 * What the classifier accepts. Bad text is not guessed at: `classify` throws a ClassifyInputError with
 * one of these codes, and `checkClassifyInput` returns the same verdict without throwing (for a view
 * that re-classifies as the agent types).
 */

/** Longest text accepted (characters). A long hotline record is a few hundred; 5,000 leaves room. */
export const MAX_TEXT_CHARS = 5_000;
/** Fewest Han characters a text needs to be read as Chinese. */
export const MIN_HAN_CHARS = 2;
/** Share of Han characters among all letters (of any script) below which the text is not Chinese. */
export const MIN_HAN_SHARE = 0.3;

export type ClassifyInputCode = 'empty' | 'too-long' | 'unsupported-language';

export class ClassifyInputError extends Error {
  constructor(
    readonly code: ClassifyInputCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClassifyInputError';
  }
}

export interface ClassifyInputProblem {
  code: ClassifyInputCode;
  message: string;
}

export function checkClassifyInput(text: unknown): ClassifyInputProblem | null {
  if (typeof text !== 'string' || text.trim() === '')
    return { code: 'empty', message: 'the text is empty; type or dictate what the caller reports' };
  const length = Array.from(text).length;
  if (length > MAX_TEXT_CHARS)
    return {
      code: 'too-long',
      message: `the text has ${length} characters; at most ${MAX_TEXT_CHARS} are classified — shorten it to the request itself`,
    };
  const { han, letters } = scriptProfile(text);
  if (han < MIN_HAN_CHARS || han / Math.max(1, letters) < MIN_HAN_SHARE)
    return {
      code: 'unsupported-language',
      message:
        'the text is not Chinese (too few Chinese characters); the classifier reads Chinese only — choose the category by hand',
    };
  return null;
}

/** Throws ClassifyInputError when the text cannot be classified. */
export function assertClassifyInput(text: unknown): asserts text is string {
  const problem = checkClassifyInput(text);
  if (problem) throw new ClassifyInputError(problem.code, problem.message);
}
