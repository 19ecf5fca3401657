import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_COLUMNS, PV_WINDOW_SPEC, type RunSpec, exportRun, labelWindow, validateRun } from './dataset';
import { buildDataset, parseArgs, writeDataset } from './export-dataset';

const HOUR = 3_600_000;
const STEP_MS = PV_WINDOW_SPEC.stepMinutes * 60_000;
const W = LABEL_COLUMNS.length;
const col = (name: (typeof LABEL_COLUMNS)[number]): number => LABEL_COLUMNS.indexOf(name);

/** A small fleet where a quarter of the devices is already failing: every label case shows up. */
function tinyRun(overrides: Partial<RunSpec> = {}): RunSpec {
  return {
    split: 'train',
    seed: 41,
    fleetSize: 80,
    simStart: Date.UTC(2025, 5, 1, 16),
    days: 3,
    intervalSec: 300,
    shares: { inProgress: 0.25, upcoming: 0.1, horizonDays: 1 },
    healthyDevices: 8,
    keepHealthy: 1,
    keepDegrading: 1,
    keepNear: 1,
    ...overrides,
  };
}

interface Row {
  y: [number, number, number];
  ttf: number;
  mode: number;
  device: number;
  split: number;
  endMs: number;
  hoursToFailure: number;
}

function rows(labels: Float32Array, count: number): Row[] {
  return Array.from({ length: count }, (_, i) => {
    const r = (k: (typeof LABEL_COLUMNS)[number]): number => labels[i * W + col(k)]!;
    return {
      y: [r('y4'), r('y8'), r('y24')],
      ttf: r('ttf_hours'),
      mode: r('mode'),
      device: r('device'),
      split: r('split'),
      endMs: r('end_step') * STEP_MS,
      hoursToFailure: r('hours_to_failure'),
    };
  });
}

describe('labelWindow', () => {
  it('labels each horizon inclusively and caps the time to failure', () => {
    const fail = Date.UTC(2025, 0, 2);
    expect(labelWindow(fail - 3 * HOUR, fail - 50 * HOUR, fail, 1)).toMatchObject({
      y: [1, 1, 1],
      ttfHours: 3,
      mode: 1,
    });
    expect(labelWindow(fail - 4 * HOUR, -Infinity, fail, 0).y).toEqual([1, 1, 1]);
    expect(labelWindow(fail - 4 * HOUR - 1, -Infinity, fail, 0).y).toEqual([0, 1, 1]);
    expect(labelWindow(fail - 30 * HOUR, fail - 100 * HOUR, fail, 2)).toMatchObject({
      y: [0, 0, 0],
      ttfHours: 30,
    });
    expect(labelWindow(fail - 100 * HOUR, fail - 200 * HOUR, fail, 2).ttfHours).toBe(72);
    // Before the onset the device is not degrading yet: no mode to learn.
    expect(labelWindow(fail - 100 * HOUR, fail - 90 * HOUR, fail, 2).mode).toBe(-1);
    const healthy = labelWindow(fail, Infinity, Infinity, -1);
    expect(healthy).toMatchObject({ y: [0, 0, 0], ttfHours: 72, mode: -1, hoursToFailure: Infinity });
  });

  it('refuses a window at or after the failure', () => {
    expect(() => labelWindow(1000, 0, 1000, 0)).toThrow(/at or after the failure/);
  });
});

describe('exportRun', () => {
  const run = tinyRun();
  const chunk = exportRun(run);
  const all = rows(chunk.labels, chunk.count);
  const byId = new Map(chunk.devices.map((d) => [d.id, d]));

  it('writes one finite [48][9] window per label row', () => {
    expect(chunk.count).toBeGreaterThan(1000);
    expect(chunk.windows.length).toBe(chunk.count * PV_WINDOW_SPEC.steps * PV_WINDOW_SPEC.features.length);
    expect(chunk.windows.every(Number.isFinite)).toBe(true);
    const cov = PV_WINDOW_SPEC.features.indexOf('coverage');
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = cov; i < chunk.windows.length; i += PV_WINDOW_SPEC.features.length) {
      lo = Math.min(lo, chunk.windows[i]!);
      hi = Math.max(hi, chunk.windows[i]!);
    }
    // Short histories pad with coverage 0; a full step is 1.
    expect(lo).toBe(0);
    expect(hi).toBe(1);
  });

  it('labels a window ending 3 h before the failure positive at every horizon', () => {
    const near = all.filter((r) => r.hoursToFailure >= 2.5 && r.hoursToFailure <= 3.5);
    expect(near.length).toBeGreaterThan(3);
    for (const r of near) {
      const failureAt = Date.parse(byId.get(r.device)!.failureAt!);
      expect((failureAt - r.endMs) / HOUR).toBeCloseTo(r.hoursToFailure, 3);
      expect(r.y).toEqual([1, 1, 1]);
      expect(r.ttf).toBeCloseTo(r.hoursToFailure, 3);
      expect(r.mode).toBeGreaterThanOrEqual(0);
    }
  });

  it('labels a window ending 30 h before the failure negative at 24 h', () => {
    const far = all.filter((r) => r.hoursToFailure >= 29.5 && r.hoursToFailure <= 30.5);
    expect(far.length).toBeGreaterThan(3);
    for (const r of far) {
      expect(r.y).toEqual([0, 0, 0]);
      expect(r.ttf).toBeGreaterThan(29);
      expect(r.ttf).toBeLessThan(31);
    }
  });

  it('never emits a window at or after a failure, and healthy devices have no failure', () => {
    let failing = 0;
    for (const r of all) {
      const d = byId.get(r.device)!;
      if (d.failureAt === null) {
        expect(r.y).toEqual([0, 0, 0]);
        expect(r.ttf).toBe(72);
        expect(r.mode).toBe(-1);
        expect(r.hoursToFailure).toBe(-1);
        continue;
      }
      failing++;
      expect(r.endMs).toBeLessThan(Date.parse(d.failureAt));
    }
    expect(failing).toBeGreaterThan(0);
    // Windows run up to the failure: the last window of a failing device is at most a step before it.
    const failedInRun = chunk.devices.filter(
      (d) => d.failureAt && Date.parse(d.failureAt) < run.simStart + run.days * 24 * HOUR && d.windows > 0,
    );
    expect(failedInRun.length).toBeGreaterThan(3);
    for (const d of failedInRun) {
      const last = Math.max(...all.filter((r) => r.device === d.id).map((r) => r.endMs));
      expect(Date.parse(d.failureAt!) - last).toBeLessThanOrEqual(STEP_MS * 5);
    }
  });

  it('is deterministic', () => {
    const again = exportRun(run);
    expect(Buffer.from(again.windows.buffer).equals(Buffer.from(chunk.windows.buffer))).toBe(true);
    expect(Buffer.from(again.labels.buffer).equals(Buffer.from(chunk.labels.buffer))).toBe(true);
  });

  it('sub-samples healthy windows but keeps those near a failure', () => {
    const thin = exportRun({ ...run, keepHealthy: 0.1, keepDegrading: 0.1 });
    const thinRows = rows(thin.labels, thin.count);
    const healthy = (rs: Row[]): number => rs.filter((r) => r.hoursToFailure < 0).length;
    const near = (rs: Row[]): number =>
      rs.filter((r) => r.hoursToFailure >= 0 && r.hoursToFailure <= 36).length;
    expect(healthy(thinRows)).toBeLessThan(healthy(all) * 0.2);
    expect(healthy(thinRows)).toBeGreaterThan(0);
    expect(near(thinRows)).toBe(near(all));
  });
});

describe('buildDataset / writeDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the splits disjoint by device and writes files that match the meta', () => {
    const ds = buildDataset([
      tinyRun({ days: 1.5 }),
      tinyRun({ split: 'val', seed: 42, days: 1.5, intervalSec: 120 }),
      tinyRun({ split: 'test', seed: 43, days: 1.5, intervalSec: 360 }),
    ]);
    const splitOf = new Map<number, number>();
    for (const r of rows(ds.labels, ds.count)) {
      const seen = splitOf.get(r.device);
      if (seen !== undefined) expect(r.split).toBe(seen);
      splitOf.set(r.device, r.split);
      expect(['train', 'val', 'test'][r.split]).toBe(ds.devices[r.device]!.split);
    }
    expect(new Set(splitOf.values())).toEqual(new Set([0, 1, 2]));
    // A device is (seed, serial number); no such pair is in two splits.
    const keys = new Map<string, string>();
    for (const d of ds.devices) {
      const key = `${d.seed}/${d.sn}`;
      expect(keys.get(key) ?? d.split).toBe(d.split);
      keys.set(key, d.split);
    }
    expect(ds.devices.map((d) => d.id)).toEqual(ds.devices.map((_, i) => i));

    const meta = writeDataset(ds, dir, 'test') as {
      count: number;
      dataHash: string;
      files: Record<string, { file: string; bytes: number; sha256: string }>;
    };
    const w = readFileSync(join(dir, 'windows.f32'));
    const l = readFileSync(join(dir, 'labels.f32'));
    expect(meta.count).toBe(ds.count);
    expect(w.byteLength).toBe(meta.files.windows!.bytes);
    expect(createHash('sha256').update(w).digest('hex')).toBe(meta.files.windows!.sha256);
    expect(meta.dataHash).toBe(`sha256:${createHash('sha256').update(w).update(l).digest('hex')}`);
    const onDisk = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { devices: unknown[] };
    expect(onDisk.devices).toHaveLength(ds.devices.length);
  });
});

describe('bad input', () => {
  it('names every problem of a run spec', () => {
    expect(() => validateRun(tinyRun({ intervalSec: 0, days: -1 }))).toThrow(
      /days must be a positive number.*intervalSec/,
    );
    expect(() => validateRun(tinyRun({ intervalSec: 3600 }))).toThrow(/longer than a 30-minute step/);
    expect(() => validateRun(tinyRun({ keepHealthy: 1.5 }))).toThrow(/keepHealthy must be within 0…1/);
    expect(() => validateRun(tinyRun({ split: 'dev' as never }))).toThrow(/split must be one of/);
    expect(() => exportRun(tinyRun({ fleetSize: 0 }))).toThrow(/fleetSize/);
  });

  it('rejects bad command-line arguments with a message', () => {
    expect(() => parseArgs(['--scale', 'lots'])).toThrow(/--scale must be a number/);
    expect(() => parseArgs(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument --fast/);
    expect(parseArgs(['--scale', '0.5']).scale).toBe(0.5);
  });
});
