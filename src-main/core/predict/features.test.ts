import { describe, expect, it } from 'vitest';
import { FeatureSpecError, FeatureWindows, compileSpec, type WindowSpec } from './features';

const METRICS = ['ripple', 'tempGradient', 'packetLoss'];
const SPEC: WindowSpec = {
  stepMinutes: 30,
  steps: 4,
  minSteps: 2,
  features: ['ripple.mean', 'ripple.max', 'tempGradient.std', 'packetLoss.last', 'coverage'],
};
const STEP = 30 * 60_000;

function feed(fw: FeatureWindows, slot: number, ts: number, ripple: number, grad = NaN, loss = NaN): void {
  fw.add(slot, ts, Float32Array.from([ripple, grad, loss]), 0);
}

function windowOf(fw: FeatureWindows, slot: number, endStep: number) {
  const out = new Float32Array(SPEC.steps * SPEC.features.length);
  const state = fw.window(slot, endStep, out, 0);
  const rows = Array.from({ length: SPEC.steps }, (_, i) =>
    Array.from(out.subarray(i * SPEC.features.length, (i + 1) * SPEC.features.length)),
  );
  return { state, rows };
}

describe('compileSpec', () => {
  it('names every problem of a spec that does not fit the device kind', () => {
    expect(() =>
      compileSpec({ ...SPEC, minSteps: 9, features: ['ripple.median', 'voltage.mean'] }, METRICS),
    ).toThrow(
      new FeatureSpecError(
        'minSteps must be an integer in 1…steps, got 9; feature ripple.median: aggregate "median" is not one of mean, max, min, std, last; feature voltage.mean: the device kind has no metric "voltage"',
      ),
    );
  });
});

describe('FeatureWindows', () => {
  const compiled = compileSpec(SPEC, METRICS);

  it('aggregates each step and keeps the last `steps` of them in order', () => {
    const fw = new FeatureWindows(compiled, 2);
    const t0 = 100 * STEP;
    feed(fw, 0, t0 + 1_000, 1, 1, 0.5);
    feed(fw, 0, t0 + 60_000, 3, 3, 0.7);
    feed(fw, 0, t0 + STEP + 1_000, 5, 2, 0.1);
    feed(fw, 0, t0 + STEP + 2_000, 7, 2, 0.2);
    const { state, rows } = windowOf(fw, 0, 102);
    expect(state).toBe('ok');
    // Two steps before the device's first sample repeat its first vector with coverage 0.
    expect(rows[0]).toEqual([2, 3, 1, expect.closeTo(0.7, 5), 0]);
    expect(rows[2]).toEqual([2, 3, 1, expect.closeTo(0.7, 5), 1]);
    expect(rows[3]).toEqual([6, 7, 0, expect.closeTo(0.2, 5), 1]);
  });

  it('carries values over a silent step and marks it with coverage 0', () => {
    const fw = new FeatureWindows(compiled, 1);
    const t0 = 10 * STEP;
    feed(fw, 0, t0, 2, 1, 1);
    feed(fw, 0, t0 + 2 * STEP, 4, 1, 1);
    const { rows } = windowOf(fw, 0, 13);
    expect(rows.map((r) => r[0])).toEqual([2, 2, 2, 4]);
    expect(rows.map((r) => r[4])).toEqual([0, 1, 0, 1]);
  });

  it('says insufficient before minSteps of history and silent after four quiet steps', () => {
    const fw = new FeatureWindows(compiled, 1);
    feed(fw, 0, 20 * STEP, 1);
    expect(windowOf(fw, 0, 21).state).toBe('insufficient');
    expect(windowOf(fw, 0, 22).state).toBe('ok');
    expect(windowOf(fw, 0, 25).state).toBe('silent');
    expect(new FeatureWindows(compiled, 1).window(0, 5, new Float32Array(20), 0)).toBe('empty');
  });

  it('counts late samples instead of folding them into a closed step', () => {
    const fw = new FeatureWindows(compiled, 1);
    feed(fw, 0, 30 * STEP, 1);
    windowOf(fw, 0, 31);
    feed(fw, 0, 30 * STEP + 5, 99);
    expect(fw.lateSamples).toBe(1);
    expect(windowOf(fw, 0, 31).rows[3]![0]).toBe(1);
  });

  it('keeps devices apart, grows, and forgets a cleared slot', () => {
    const fw = new FeatureWindows(compiled, 1);
    fw.ensureCapacity(3);
    feed(fw, 2, 40 * STEP, 8);
    feed(fw, 1, 40 * STEP, 4);
    expect(windowOf(fw, 2, 41).rows[3]![0]).toBe(8);
    expect(windowOf(fw, 1, 41).rows[3]![0]).toBe(4);
    fw.clear(2);
    expect(fw.window(2, 41, new Float32Array(20), 0)).toBe('empty');
  });

  it('coverage follows the device’s own typical sample count', () => {
    const fw = new FeatureWindows(compiled, 1);
    const t0 = 50 * STEP;
    for (let i = 0; i < 6; i++) feed(fw, 0, t0 + i * 60_000, 1);
    for (let i = 0; i < 3; i++) feed(fw, 0, t0 + STEP + i * 60_000, 1);
    const { rows } = windowOf(fw, 0, 52);
    expect(rows[2]![4]).toBe(1);
    // The typical count decays 3 % a step, so a device that slows down is not "missing" forever.
    expect(rows[3]![4]).toBeCloseTo(3 / (6 * 0.97), 5);
  });
});
