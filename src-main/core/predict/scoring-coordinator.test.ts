import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ModelManifest } from '@shared/contract/model-manifest';
import { outputSpecs, windowSize } from '@shared/domain/model-math';
import {
  flatInputs,
  pvMetricKeys,
  readReference,
  TINY_LSTM_DIR,
} from '../../../tests/fixtures/models/fixture';
import { loadModel } from './manifest';
import type { ScoreResult, WindowScorer } from './scorer';
import { maxWindowsPerSubmit, ScoringCoordinator, type CycleAnnouncement } from './scoring-coordinator';

let manifest: ModelManifest;
beforeAll(async () => {
  manifest = (await loadModel(TINY_LSTM_DIR, pvMetricKeys)).manifest;
});

const ref = readReference(TINY_LSTM_DIR);
const K = ref.inputs.length;

/** A Node scorer that answers 0.5 / 10 h / uniform modes and counts its calls. */
function fakeNode(): WindowScorer & { calls: number } {
  const s = {
    calls: 0,
    get manifest() {
      return manifest;
    },
    async score(_w: Float32Array, count: number): Promise<ScoreResult> {
      s.calls++;
      const outputs: Record<string, Float32Array> = {};
      for (const spec of outputSpecs(manifest))
        outputs[spec.name] = new Float32Array(count * spec.width).fill(
          spec.role === 'timeToFailure' ? 10 : 0.25,
        );
      return { outputs, refused: new Uint8Array(count) };
    },
    async close() {},
  };
  return s;
}

function b64(values: number[]): string {
  return Buffer.from(Float32Array.from(values).buffer).toString('base64');
}

/** What a well-behaved console would send back for `count` windows. */
function consoleOutputs(count: number, p = 0.75): Record<string, string> {
  return {
    p_fail: b64(new Array(count * 3).fill(p)),
    ttf_hours: b64(new Array(count).fill(6)),
    mode_prob: b64(new Array(count * 3).fill(1 / 3)),
  };
}

function setup(opts: { deadlineMs?: number; backoffCycles?: number } = {}) {
  let now = 1_700_000_000_000;
  const clock = { now: () => now };
  const node = fakeNode();
  const published: CycleAnnouncement[] = [];
  const coordinator = new ScoringCoordinator({
    manifest,
    node: async () => node,
    onJob: (a) => published.push(a),
    clock,
    deadlineMs: opts.deadlineMs ?? 200,
    leaseMs: 15_000,
    backoffCycles: opts.backoffCycles ?? 0,
  });
  return { coordinator, node, published, advance: (ms: number) => (now += ms) };
}

/** Waits until the coordinator has published the job (score() runs up to its await). */
async function published(list: CycleAnnouncement[], n = 1): Promise<void> {
  await vi.waitFor(() => expect(list.length).toBeGreaterThanOrEqual(n));
}

describe('ScoringCoordinator', () => {
  afterEach(() => vi.useRealTimers());

  it('scores in Node when no console is attached, without publishing', async () => {
    const { coordinator, node, published: pub } = setup();
    const r = await coordinator.score(1, flatInputs(ref), K);
    expect(r.scoredBy).toBe('node');
    expect(r.fallback).toBeNull();
    expect(node.calls).toBe(1);
    expect(pub).toEqual([]);
  });

  it('hands the cycle to an attached console and takes its valid scores', async () => {
    const { coordinator, node, published: pub } = setup();
    expect(coordinator.job()).toBeNull();
    const windows = flatInputs(ref);
    const scoring = coordinator.score(7, windows, K);
    await published(pub);
    expect(pub[0]).toEqual({ cycleId: 7, modelId: 'tiny-lstm', count: K });
    const job = coordinator.job()!;
    expect(job).toMatchObject({
      cycleId: 7,
      modelId: 'tiny-lstm',
      modelVersion: '0.0.1',
      count: K,
      steps: 48,
      width: 9,
    });
    const sent = new Float32Array(Buffer.from(job.windows, 'base64').buffer.slice(0));
    expect(sent.length).toBe(K * windowSize(manifest));
    expect(sent[123]).toBe(windows[123]);
    expect(
      coordinator.submit({
        cycleId: 7,
        modelId: 'tiny-lstm',
        modelVersion: '0.0.1',
        outputs: consoleOutputs(K),
      }),
    ).toEqual({
      accepted: true,
      reason: null,
    });
    const r = await scoring;
    expect(r.scoredBy).toBe('renderer');
    expect(r.outputs.p_fail![0]).toBe(0.75);
    expect(r.outputs.ttf_hours!.length).toBe(K);
    expect(node.calls).toBe(0);
    expect(coordinator.job()).toBeNull();
  });

  it('attach() alone holds the lease; warmUp creates the Node scorer up front', async () => {
    const { coordinator, published: pub } = setup();
    coordinator.attach();
    expect(coordinator.attached()).toBe(true);
    const scoring = coordinator.score(1, flatInputs(ref), K);
    await published(pub);
    expect(coordinator.job()!.cycleId).toBe(1);
    coordinator.submit({
      cycleId: 1,
      modelId: 'tiny-lstm',
      modelVersion: '0.0.1',
      outputs: consoleOutputs(K),
    });
    expect((await scoring).scoredBy).toBe('renderer');
    let created = 0;
    const failing = new ScoringCoordinator({
      manifest,
      node: () => {
        created++;
        return Promise.reject(new Error('corrupt model'));
      },
      onJob: () => undefined,
    });
    await expect(failing.warmUp()).rejects.toThrow(/corrupt model/);
    expect(created).toBe(1);
  });

  it('rejects outputs of the wrong length and falls back to Node at once', async () => {
    const { coordinator, node, published: pub } = setup({ deadlineMs: 60_000 });
    coordinator.job();
    const scoring = coordinator.score(2, flatInputs(ref), K);
    await published(pub);
    const outputs = { ...consoleOutputs(K), ttf_hours: b64(new Array(K - 1).fill(6)) };
    const res = coordinator.submit({ cycleId: 2, modelId: 'tiny-lstm', modelVersion: '0.0.1', outputs });
    expect(res.accepted).toBe(false);
    expect(res.reason).toMatch(/output "ttf_hours" is 40 base64 characters, expected 44 for 8 × 1 float32/);
    const r = await scoring;
    expect(r.scoredBy).toBe('node');
    expect(r.fallback).toMatch(/rejected: output "ttf_hours"/);
    expect(node.calls).toBe(1);
  });

  it('rejects NaN and out-of-range values', async () => {
    for (const [outputs, why] of [
      [{ ...consoleOutputs(K), p_fail: b64([NaN, ...new Array(K * 3 - 1).fill(0.1)]) }, /row 0 holds NaN/],
      [{ ...consoleOutputs(K), ttf_hours: b64(new Array(K).fill(500)) }, /holds 500, outside 0…72/],
      [{ ...consoleOutputs(K), extra: b64([1]) }, /unknown output "extra"/],
      [{ ...consoleOutputs(K), p_fail: '!'.repeat(Math.ceil((K * 12) / 3) * 4) }, /base64/],
    ] as const) {
      const { coordinator, published: pub } = setup({ deadlineMs: 60_000 });
      coordinator.job();
      const scoring = coordinator.score(3, flatInputs(ref), K);
      await published(pub);
      const res = coordinator.submit({ cycleId: 3, modelId: 'tiny-lstm', modelVersion: '0.0.1', outputs });
      expect(res.accepted).toBe(false);
      expect(res.reason).toMatch(why);
      expect((await scoring).scoredBy).toBe('node');
    }
  });

  it('rejects a wrong cycle, model version or model without ending the wait', async () => {
    const { coordinator, published: pub } = setup({ deadlineMs: 60_000 });
    coordinator.job();
    const scoring = coordinator.score(4, flatInputs(ref), K);
    await published(pub);
    const base = { modelId: 'tiny-lstm', modelVersion: '0.0.1', outputs: consoleOutputs(K) };
    expect(coordinator.submit({ ...base, cycleId: 3 }).reason).toMatch(/cycle 3 is not the open cycle 4/);
    expect(coordinator.submit({ ...base, cycleId: 4, modelVersion: '9' }).reason).toMatch(
      /version 9 is not the hub's 0\.0\.1/,
    );
    expect(coordinator.submit({ ...base, cycleId: 4, modelId: 'other' }).reason).toMatch(
      /this is model tiny-lstm, not other/,
    );
    expect(coordinator.submit({ ...base, cycleId: 4 }).accepted).toBe(true);
    expect((await scoring).scoredBy).toBe('renderer');
    expect(coordinator.submit({ ...base, cycleId: 4 }).reason).toMatch(/no open scoring job/);
  });

  it('falls back to Node at the deadline when the console stays silent', async () => {
    const { coordinator, node, published: pub } = setup({ deadlineMs: 50 });
    coordinator.job();
    const r = await coordinator.score(5, flatInputs(ref), K);
    expect(pub).toHaveLength(1);
    expect(r.scoredBy).toBe('node');
    expect(r.fallback).toMatch(/no valid scores from a console within 50 ms/);
    expect(node.calls).toBe(1);
    expect(coordinator.job()).toBeNull();
  });

  it('after a miss, backs off to Node for the configured number of cycles', async () => {
    const { coordinator, published: pub } = setup({ deadlineMs: 20, backoffCycles: 2 });
    coordinator.job();
    await coordinator.score(1, flatInputs(ref), K);
    await coordinator.score(2, flatInputs(ref), K);
    await coordinator.score(3, flatInputs(ref), K);
    expect(pub.map((p) => p.cycleId)).toEqual([1]);
    await coordinator.score(4, flatInputs(ref), K);
    expect(pub.map((p) => p.cycleId)).toEqual([1, 4]);
  });

  it('a lease expires: a console that stopped asking no longer delays cycles', async () => {
    const { coordinator, published: pub, advance } = setup();
    coordinator.job();
    advance(15_001);
    expect(coordinator.attached()).toBe(false);
    expect((await coordinator.score(1, flatInputs(ref), K)).scoredBy).toBe('node');
    expect(pub).toEqual([]);
  });

  it('sends refused windows as zeros and keeps their rows NaN whatever the console says', async () => {
    const { coordinator, published: pub } = setup({ deadlineMs: 60_000 });
    coordinator.job();
    const windows = flatInputs(ref);
    windows[windowSize(manifest) + 5] = NaN;
    const scoring = coordinator.score(6, windows, K);
    await published(pub);
    const job = coordinator.job()!;
    const sent = new Float32Array(Buffer.from(job.windows, 'base64').buffer.slice(0));
    expect(sent.every((v) => Number.isFinite(v))).toBe(true);
    expect(sent[windowSize(manifest) + 5]).toBe(0);
    expect(windows[windowSize(manifest) + 5]).toBeNaN();
    coordinator.submit({
      cycleId: 6,
      modelId: 'tiny-lstm',
      modelVersion: '0.0.1',
      outputs: consoleOutputs(K),
    });
    const r = await scoring;
    expect([...r.refused]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(r.outputs.p_fail![3]).toBeNaN();
    expect(r.outputs.p_fail![0]).toBe(0.75);
  });

  it('a new cycle supersedes a job still waiting; close ends every wait', async () => {
    const { coordinator, published: pub } = setup({ deadlineMs: 60_000 });
    coordinator.job();
    const first = coordinator.score(1, flatInputs(ref), K);
    await published(pub);
    const second = coordinator.score(2, flatInputs(ref), K);
    const r1 = await first;
    expect(r1.scoredBy).toBe('node');
    expect(r1.fallback).toMatch(/superseded by cycle 2/);
    await published(pub, 2);
    coordinator.close();
    const r2 = await second;
    expect(r2.fallback).toMatch(/closing/);
    expect((await coordinator.score(3, flatInputs(ref), K)).scoredBy).toBe('node');
  });

  it('cycles too big for one submit message go to Node without waiting', async () => {
    expect(maxWindowsPerSubmit(manifest)).toBe(25_278);
    const node = fakeNode();
    const pub: CycleAnnouncement[] = [];
    const coordinator = new ScoringCoordinator({
      manifest,
      node: async () => node,
      onJob: (a) => pub.push(a),
      maxConsoleWindows: K - 1,
    });
    coordinator.attach();
    const r = await coordinator.score(1, flatInputs(ref), K);
    expect(r.scoredBy).toBe('node');
    expect(r.fallback).toMatch(/8 windows exceed the 7 a console can return/);
    expect(pub).toEqual([]);
  });
});
