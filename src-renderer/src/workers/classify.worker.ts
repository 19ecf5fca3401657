import { ClassifyEngine } from './classify-engine';
import type { ClassifyResponse, ClassifyWorkerRequest } from './classify-protocol';

/**
 * The console's classify Web Worker: the shipped seed classifier, built once when the worker starts
 * (1–2 s, off the UI thread), answering the triage card's as-you-type `classify` requests; `useModel`
 * swaps in the model the hub trained from closed tickets.
 */

interface WorkerScope {
  onmessage: ((ev: MessageEvent<ClassifyWorkerRequest>) => void) | null;
  postMessage(message: ClassifyResponse): void;
}
const scope = self as unknown as WorkerScope;
const now = (): number => performance.now();

// Requests sent before the build ends wait for it (the build runs right after this module loads).
const pending: ClassifyWorkerRequest[] = [];
let engine: ClassifyEngine | null = null;
let failure: string | null = null;

const answer = (req: ClassifyWorkerRequest): void => {
  const message = `the classifier is not available: ${failure ?? 'not built'}`;
  if (req.type === 'useModel')
    scope.postMessage(engine ? engine.useModel(req) : { type: 'modelFailed', id: req.id, message });
  else if (engine) scope.postMessage(engine.handle(req, now));
  else scope.postMessage({ type: 'error', id: req.id, kind: 'internal', message });
};

scope.onmessage = (ev) => {
  if (engine || failure !== null) answer(ev.data);
  else pending.push(ev.data);
};

setTimeout(() => {
  const built = ClassifyEngine.build(now);
  engine = built.engine;
  if (built.message.type === 'failed') failure = built.message.message;
  scope.postMessage(built.message);
  for (const req of pending.splice(0)) answer(req);
}, 0);
