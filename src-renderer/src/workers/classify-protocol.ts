import type { ClassifySuggestion } from '@shared/contract/hotline';

/**
 * Messages between the hotline store and the classify Web Worker. The worker builds the shipped seed
 * classifier once when it starts (1–2 s of CPU, off the UI thread), says `ready` (or `failed`), and
 * then answers `classify` requests with the same suggestion `hotline/classify` returns.
 */
export type ClassifyRequest = {
  type: 'classify';
  id: number;
  text: string;
  /** The matrix's double-dispatch threshold, measured on the level-1 probability. */
  doubleDispatchBelow: number;
};

export type ClassifyResponse =
  | { type: 'ready'; /** Milliseconds building the classifier. */ ms: number }
  | { type: 'failed'; message: string }
  | { type: 'classified'; id: number; suggestion: ClassifySuggestion; /** Worker-side ms. */ ms: number }
  | {
      type: 'error';
      id: number;
      /** `input`: the text cannot be classified (the core says the same); `internal`: the worker failed. */
      kind: 'input' | 'internal';
      message: string;
    };
