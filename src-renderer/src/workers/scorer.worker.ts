import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { handleScorerRequest, ScorerEngine } from './scorer-engine';
import type { ScorerRequest, ScorerResponse } from './scorer-protocol';

/**
 * The console's scoring Web Worker: onnxruntime-web (wasm, one thread) off the UI thread. The wasm
 * pair is emitted by the build as app assets and loaded from the app's own origin (no CDN; the CSP
 * allows 'wasm-unsafe-eval').
 */

ort.env.wasm.wasmPaths = {
  wasm: new URL(wasmUrl, self.location.href).href,
  mjs: new URL(mjsUrl, self.location.href).href,
};

interface WorkerScope {
  onmessage: ((ev: MessageEvent<ScorerRequest>) => void) | null;
  postMessage(message: ScorerResponse): void;
}
const scope = self as unknown as WorkerScope;
const engine = new ScorerEngine();

// One request at a time: a session runs one inference at once, and order keeps replies simple.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (ev) => {
  const req = ev.data;
  queue = queue.then(async () => scope.postMessage(await handleScorerRequest(engine, req)));
};
