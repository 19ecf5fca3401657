import * as ort from 'onnxruntime-web/wasm';
import type { ModelManifest } from '@shared/contract/model-manifest';
import {
  scoreInChunks,
  sessionProblems,
  type ScoreOutputs,
  type SessionShape,
} from '@shared/domain/model-math';
import { ModelLoadError, type LoadedModel } from './manifest';

export { interpretRow, normalise, type InterpretedRow, type ScoreOutputs } from '@shared/domain/model-math';

/**
 * Scores feature windows with a health model. The same onnxruntime-web (wasm) build and the same
 * normalisation run here, in the hub, and in a console's Web Worker, so a prediction never depends
 * on a window being open and the two paths give the same numbers.
 */

export interface ScoreResult {
  /** By output name, row-major `[count][width]`; NaN rows for refused windows. */
  outputs: ScoreOutputs;
  /** 1 = the window held NaN or ±Infinity and was not scored. */
  refused: Uint8Array;
}

export interface WindowScorer {
  readonly manifest: ModelManifest;
  /** Raw (unnormalised) windows `[count][steps][features]`. */
  score(windows: Float32Array, count: number): Promise<ScoreResult>;
  close(): Promise<void>;
}

export interface NodeScorerOptions {
  /**
   * Windows per ONNX run. Smaller runs stay in cache (256 LSTM windows score faster per window than
   * 1024 on the machines measured) and give the hub's event loop a turn between runs.
   */
  chunk?: number;
}

export const MAX_CHUNK = 1024;
const DEFAULT_CHUNK = 256;

let envReady = false;
function configureOrt(): void {
  if (envReady) return;
  // One thread: the hub's event loop shares the cores with ingest, and 2-core machines gain little.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  envReady = true;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Checks a session's input and outputs against the manifest; throws `mismatch` with every problem. */
export function checkSessionAgainstManifest(m: ModelManifest, file: string, session: SessionShape): void {
  const problems = sessionProblems(m, session);
  if (problems.length)
    throw new ModelLoadError(
      'mismatch',
      file,
      `the model does not match its manifest: ${problems.join('; ')}`,
    );
}

/** Creates an onnxruntime-web session; bytes that are not a loadable ONNX model → `corrupt`. */
export async function createSession(bytes: Uint8Array, file: string): Promise<ort.InferenceSession> {
  configureOrt();
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new ModelLoadError('corrupt', file, `onnxruntime cannot load the model: ${describe(err)}`);
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Runs `count` raw windows through a session in chunks (shared loop: {@link scoreInChunks}). */
export function scoreWithSession(
  session: ort.InferenceSession,
  m: ModelManifest,
  windows: Float32Array,
  count: number,
  chunk: number,
  between: () => Promise<void> = yieldToEventLoop,
): Promise<ScoreResult> {
  const shape = [m.window.steps, m.features.length];
  return scoreInChunks(
    m,
    windows,
    count,
    chunk,
    // The wasm backend copies outputs into plain typed arrays: nothing to release but garbage.
    (input, n) => session.run({ [m.input.name]: new ort.Tensor('float32', input, [n, ...shape]) }),
    between,
  );
}

/**
 * The hub's scorer: onnxruntime-web's single-threaded wasm build in this Node process. Rejects with
 * a {@link ModelLoadError} when the file is not loadable ONNX (`corrupt`) or its inputs and outputs
 * differ from the manifest (`mismatch`).
 */
export async function createNodeScorer(
  model: LoadedModel,
  options: NodeScorerOptions = {},
): Promise<WindowScorer> {
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > MAX_CHUNK)
    throw new RangeError(`chunk must be 1…${MAX_CHUNK}, got ${chunk}`);
  const m = model.manifest;
  const file = `${model.dir}/${m.file}`;
  const session = await createSession(model.bytes, file);
  try {
    checkSessionAgainstManifest(m, file, session);
  } catch (err) {
    await session.release();
    throw err;
  }
  let closed = false;
  // onnxruntime-web runs one inference per session at a time; callers queue behind each other.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    manifest: m,
    score(windows, count) {
      if (closed) return Promise.reject(new Error(`the scorer of model ${m.id} is closed`));
      const run = queue.then(() => scoreWithSession(session, m, windows, count, chunk));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await session.release();
    },
  };
}
