import * as ort from 'onnxruntime-web/wasm';
import { ModelManifest } from '@shared/contract/model-manifest';
import { outputSpecs, scoreInChunks, sessionProblems } from '@shared/domain/model-math';
import { base64ToBytes, base64ToFloat32, float32ToBase64 } from './base64';
import type { ScorerRequest, ScorerResponse } from './scorer-protocol';

/**
 * The console's scorer: what the Web Worker runs, kept apart from the worker's message plumbing so
 * tests can drive it in Node with the same onnxruntime-web build. The scoring loop itself is the
 * shared one (`scoreInChunks`), so a console's scores equal the hub's for the same windows.
 */

/** Windows per ONNX run: small runs stay in cache and keep each wasm call short. */
const CHUNK = 256;

interface Loaded {
  manifest: ModelManifest;
  session: ort.InferenceSession;
}

export interface EngineScore {
  outputs: Record<string, string>;
  refused: number;
  ms: number;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  // Pages served over plain http on a LAN address have no SubtleCrypto; the size check still runs.
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ScorerEngine {
  private readonly models = new Map<string, Loaded>();

  constructor() {
    // One thread: the console's UI thread needs the other core.
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
  }

  version(modelId: string): string | null {
    return this.models.get(modelId)?.manifest.version ?? null;
  }

  /** Checks the manifest and the bytes against it, creates the session and checks its names. */
  async load(rawManifest: unknown, bytes: Uint8Array): Promise<ModelManifest> {
    const parsed = ModelManifest.safeParse(rawManifest);
    if (!parsed.success)
      throw new Error(
        `the model manifest is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    const m = parsed.data;
    if (bytes.length !== m.bytes)
      throw new Error(`model ${m.id}: got ${bytes.length} bytes, the manifest says ${m.bytes}`);
    const sha = await sha256Hex(bytes);
    if (sha !== null && sha !== m.sha256)
      throw new Error(`model ${m.id}: sha256 ${sha} differs from the manifest's ${m.sha256}`);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new Error(
        `model ${m.id}: onnxruntime cannot load it: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const problems = sessionProblems(m, session);
    if (problems.length) {
      await session.release();
      throw new Error(`model ${m.id} does not match its manifest: ${problems.join('; ')}`);
    }
    await this.unload(m.id);
    this.models.set(m.id, { manifest: m, session });
    return m;
  }

  async unload(modelId: string): Promise<void> {
    const old = this.models.get(modelId);
    if (!old) return;
    this.models.delete(modelId);
    await old.session.release();
  }

  /** Decodes a job's windows, scores them and returns the outputs as `predict/submitScores` wants them. */
  async score(
    modelId: string,
    modelVersion: string,
    count: number,
    windowsB64: string,
  ): Promise<EngineScore> {
    const started = performance.now();
    const loaded = this.models.get(modelId);
    if (!loaded) throw new Error(`model ${modelId} is not loaded in the console's scorer`);
    const m = loaded.manifest;
    if (m.version !== modelVersion)
      throw new Error(`the job is for ${modelId} ${modelVersion}, the console has ${m.version}`);
    const windows = base64ToFloat32(windowsB64);
    const size = m.window.steps * m.features.length;
    if (windows.length !== count * size)
      throw new Error(
        `the job holds ${windows.length} floats, ${count} windows of ${size} need ${count * size}`,
      );
    const shape = [m.window.steps, m.features.length];
    const { outputs, refused } = await scoreInChunks(m, windows, count, CHUNK, (input, n) =>
      loaded.session.run({ [m.input.name]: new ort.Tensor('float32', input, [n, ...shape]) }),
    );
    const encoded: Record<string, string> = {};
    for (const s of outputSpecs(m)) encoded[s.name] = float32ToBase64(outputs[s.name]!);
    return { outputs: encoded, refused: refused.reduce((a, b) => a + b, 0), ms: performance.now() - started };
  }
}

/** Answers one worker request; every failure becomes an `error` reply with its message. */
export async function handleScorerRequest(engine: ScorerEngine, req: ScorerRequest): Promise<ScorerResponse> {
  try {
    switch (req.type) {
      case 'load': {
        const started = performance.now();
        const m = await engine.load(req.manifest, base64ToBytes(req.model));
        return {
          type: 'loaded',
          id: req.id,
          modelId: m.id,
          modelVersion: m.version,
          ms: performance.now() - started,
        };
      }
      case 'score': {
        const r = await engine.score(req.modelId, req.modelVersion, req.count, req.windows);
        return { type: 'scored', id: req.id, outputs: r.outputs, refused: r.refused, ms: r.ms };
      }
      case 'unload':
        await engine.unload(req.modelId);
        return { type: 'unloaded', id: req.id };
    }
  } catch (err) {
    return { type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) };
  }
}
