import type { ClassifySuggestion } from '@shared/contract/hotline';

/**
 * Messages between the hotline store and the classify Web Worker. The worker builds the shipped seed
 * classifier once when it starts (1–2 s of CPU, off the UI thread), says `ready` (or `failed`), and
 * then answers `classify` requests with the same suggestion `hotline/classify` returns.
 *
 * When the hub uses a classifier trained from the organisation's closed tickets, the store sends its
 * JSON (`hotline/classifierModel`) in a `useModel` request so the worker and the hub agree; `model: null`
 * goes back to the seed classifier. Requests are answered in order: a `classify` sent after a
 * `useModel` is answered by the new model.
 */
export type ClassifyRequest = {
  type: 'classify';
  id: number;
  text: string;
  /** The matrix's double-dispatch threshold, measured on the level-1 probability. */
  doubleDispatchBelow: number;
};

export type UseModelRequest = {
  type: 'useModel';
  id: number;
  /** The trained model's JSON (`watchfloor-text-classifier`); null: the seed classifier. */
  model: unknown;
};

export type ClassifyWorkerRequest = ClassifyRequest | UseModelRequest;

export type ClassifyResponse =
  | { type: 'modelLoaded'; id: number; kind: 'seed' | 'trained' }
  | { type: 'modelFailed'; id: number; message: string }
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
