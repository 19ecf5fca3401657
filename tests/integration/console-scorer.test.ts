import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PredictStatus } from '@shared/contract';
import { loadModel, type LoadedModel } from '../../src-main/core/predict/manifest';
import { createNodeScorer, type WindowScorer } from '../../src-main/core/predict/scorer';
import { ScoringCoordinator } from '../../src-main/core/predict/scoring-coordinator';
import { flatInputs, pvMetricKeys, readReference, TINY_LSTM_DIR } from '../fixtures/models/fixture';
import { handleScorerRequest, ScorerEngine } from '../../src-renderer/src/workers/scorer-engine';
import type { ScorerRequest } from '../../src-renderer/src/workers/scorer-protocol';
import { createFakeTransport } from '../../src-renderer/src/stores/testing/fake-transport';
import { createRpcClient } from '../../src-renderer/src/rpc/client';
import {
  createConsoleScorerStore,
  type WorkerLike,
} from '../../src-renderer/src/stores/scoring/scoring-store';

const ref = readReference(TINY_LSTM_DIR);
const K = ref.inputs.length;

let model: LoadedModel;
let node: WindowScorer;
beforeAll(async () => {
  model = await loadModel(TINY_LSTM_DIR, pvMetricKeys);
  node = await createNodeScorer(model);
});

/** The real worker code (engine + request handler) in this process, with the worker's message semantics. */
function inProcessWorker(spoil?: (req: ScorerRequest) => ScorerRequest): WorkerLike & { requests: string[] } {
  const engine = new ScorerEngine();
  const w: WorkerLike & { requests: string[] } = {
    requests: [],
    onmessage: null,
    onerror: null,
    postMessage(req) {
      w.requests.push(req.type);
      const sent = spoil ? spoil(req) : req;
      void handleScorerRequest(engine, structuredClone(sent)).then((res) => w.onmessage?.({ data: res }));
    },
    terminate() {},
  };
  return w;
}

function status(version = model.manifest.version): PredictStatus {
  return {
    models: [
      {
        id: 'tiny-lstm',
        version,
        deviceKind: 'pv-inverter',
        state: 'ready',
        error: null,
        scoredBy: null,
        lastCycleAt: null,
        lastCycleMs: null,
        scored: 0,
        insufficient: 0,
        silent: 0,
        refused: 0,
      },
    ],
    rulesOnlyKinds: [],
    cycles: 0,
    telemetryTime: null,
    openPreventive: 0,
  };
}

/** A hub as far as scoring goes: a real coordinator behind the fake transport. */
function hub(options: { modelBytes?: Buffer } = {}) {
  const transport = createFakeTransport();
  const client = createRpcClient(transport);
  const coordinator = new ScoringCoordinator({
    manifest: model.manifest,
    node: async () => node,
    onJob: (cycle) => transport.emit('predict/cycle', cycle),
    deadlineMs: 5_000,
  });
  const bytes = options.modelBytes ?? readFileSync(join(TINY_LSTM_DIR, 'model.onnx'));
  transport.handle('predict/status', () => status());
  transport.handle('predict/model', () => ({ manifest: model.manifest, model: bytes.toString('base64') }));
  transport.handle('predict/scoringJob', (p) => {
    const { modelId } = p as { modelId?: string };
    return modelId === undefined || modelId === model.manifest.id ? coordinator.job() : null;
  });
  transport.handle('predict/submitScores', (p) =>
    coordinator.submit(p as Parameters<ScoringCoordinator['submit']>[0]),
  );
  return { transport, client, coordinator };
}

describe('console scorer store', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const s of stops.splice(0)) s();
  });

  it('loads the model, holds the lease, scores a cycle in the worker and the hub accepts it', async () => {
    const { client, coordinator } = hub();
    const worker = inProcessWorker();
    const store = createConsoleScorerStore(client, { createWorker: () => worker, heartbeatMs: 50 });
    stops.push(() => store.getState().stop());
    store.getState().start();
    await vi.waitFor(() => expect(store.getState().status).toBe('ready'));
    expect(store.getState().models).toEqual([{ id: 'tiny-lstm', version: '0.0.1' }]);
    await vi.waitFor(() => expect(coordinator.attached()).toBe(true));

    const result = await coordinator.score(11, flatInputs(ref), K);
    expect(result.scoredBy).toBe('renderer');
    // The console's numbers are the hub's numbers: same wasm runtime, same normalisation, same loop.
    const own = await node.score(flatInputs(ref), K);
    for (const name of Object.keys(own.outputs))
      expect([...result.outputs[name]!]).toEqual([...own.outputs[name]!]);
    await vi.waitFor(() => expect(store.getState().lastAccepted).toBe(true));
    expect(store.getState()).toMatchObject({ lastCycleId: 11, lastCount: K, accepted: 1, rejected: 0 });
    expect(store.getState().lastCycleMs).toBeGreaterThan(0);
  });

  it('a worker that answers with the wrong data is rejected by the hub, which scores itself', async () => {
    const { client, coordinator } = hub();
    // Corrupts the job on its way into the worker: the windows of another count.
    const worker = inProcessWorker((req) =>
      req.type === 'score' ? { ...req, count: req.count - 1, windows: req.windows.slice(0, -2304) } : req,
    );
    const store = createConsoleScorerStore(client, { createWorker: () => worker, heartbeatMs: 50 });
    stops.push(() => store.getState().stop());
    store.getState().start();
    await vi.waitFor(() => expect(coordinator.attached()).toBe(true));
    const result = await coordinator.score(12, flatInputs(ref), K);
    expect(result.scoredBy).toBe('node');
    expect(result.fallback).toMatch(
      /rejected: output "p_fail" is 112 base64 characters, expected 128 for 8 × 3 float32/,
    );
    await vi.waitFor(() => expect(store.getState().rejected).toBe(1));
    expect(store.getState().lastAccepted).toBe(false);
  });

  it('model bytes that do not match the manifest: error state, no lease, the hub scores alone', async () => {
    const bytes = Buffer.from(readFileSync(join(TINY_LSTM_DIR, 'model.onnx')));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    const { client, coordinator } = hub({ modelBytes: bytes });
    const store = createConsoleScorerStore(client, {
      createWorker: () => inProcessWorker(),
      heartbeatMs: 50,
    });
    stops.push(() => store.getState().stop());
    store.getState().start();
    await vi.waitFor(() => expect(store.getState().status).toBe('error'));
    expect(store.getState().error).toMatch(
      /cannot load a model: model tiny-lstm: sha256 [0-9a-f]+ differs from the manifest's/,
    );
    await new Promise((r) => setTimeout(r, 120));
    expect(coordinator.attached()).toBe(false);
  });

  it('without Web Workers the console says so and never asks for jobs', () => {
    const { client, transport } = hub();
    const store = createConsoleScorerStore(client, { createWorker: () => null });
    store.getState().start();
    expect(store.getState().status).toBe('unsupported');
    expect(transport.callsOf('predict/scoringJob')).toEqual([]);
  });

  it('stop terminates the worker and releases nothing more to the hub', async () => {
    const { client, transport } = hub();
    const worker = inProcessWorker();
    const terminate = vi.spyOn(worker, 'terminate');
    const store = createConsoleScorerStore(client, { createWorker: () => worker, heartbeatMs: 20 });
    store.getState().start();
    await vi.waitFor(() => expect(store.getState().status).toBe('ready'));
    store.getState().stop();
    expect(terminate).toHaveBeenCalled();
    expect(store.getState().status).toBe('off');
    const asked = transport.callsOf('predict/scoringJob').length;
    await new Promise((r) => setTimeout(r, 80));
    expect(transport.callsOf('predict/scoringJob').length).toBe(asked);
  });
});

describe('scorer engine', () => {
  it('refuses a job for another model version and windows of the wrong size', async () => {
    const engine = new ScorerEngine();
    await engine.load(model.manifest, new Uint8Array(readFileSync(join(TINY_LSTM_DIR, 'model.onnx'))));
    await expect(engine.score('tiny-lstm', '2.0.0', 1, '')).rejects.toThrow(
      /the job is for tiny-lstm 2\.0\.0, the console has 0\.0\.1/,
    );
    await expect(
      engine.score('tiny-lstm', '0.0.1', 2, Buffer.from(new Float32Array(432).buffer).toString('base64')),
    ).rejects.toThrow(/holds 432 floats, 2 windows of 432 need 864/);
    await expect(engine.score('other', '1', 1, '')).rejects.toThrow(/not loaded/);
  });

  it('refuses an invalid manifest and bytes that are no ONNX model', async () => {
    const engine = new ScorerEngine();
    await expect(engine.load({ ...model.manifest, features: [] }, new Uint8Array(10))).rejects.toThrow(
      /manifest is invalid/,
    );
    const junk = new Uint8Array(model.manifest.bytes).fill(8);
    const sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', junk))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    await expect(engine.load({ ...model.manifest, sha256: sha }, junk)).rejects.toThrow(
      /onnxruntime cannot load it/,
    );
  });
});
