/**
 * Training data for the pv-inverter health model, made from the fleet simulator's ground truth.
 *
 * Samples go through the runtime's own {@link FeatureWindows} in time order per device, at the
 * report interval a hub would see, and a window is taken at every closed step — so the model is
 * trained on exactly the tensors the hub will score. Labels come from the degradation plan:
 * failure within 4 / 8 / 24 h of the window's end, hours to failure (capped), and the failure mode.
 */
import { generateFleet } from '../../src-main/core/simulator/fleet';
import {
  DEGRADATION_MODES,
  type Degradation,
  type DegradationShares,
  planDegradations,
} from '../../src-main/core/simulator/degradation';
import { FleetModel, METRICS } from '../../src-main/core/simulator/model';
import { hash2, hashString, unit } from '../../src-main/core/simulator/noise';
import { FeatureWindows, type WindowSpec, compileSpec } from '../../src-main/core/predict/features';

export const PV_WINDOW_SPEC: WindowSpec = {
  stepMinutes: 30,
  steps: 48,
  minSteps: 12,
  features: [
    'ripple.mean',
    'ripple.max',
    'tempGradient.mean',
    'tempGradient.max',
    'packetLoss.mean',
    'packetLoss.max',
    'coverage',
    'irradiance.mean',
    'ambient.mean',
  ],
};

export const HORIZONS_HOURS = [4, 8, 24] as const;
export const TTF_CAP_HOURS = 72;
/** The model's mode order (the manifest's `failureMode.modes`). */
export const MODES = DEGRADATION_MODES;

/** Columns of the label matrix, one row per window. */
export const LABEL_COLUMNS = [
  'y4',
  'y8',
  'y24',
  'ttf_hours',
  'mode',
  'device',
  'split',
  'end_step',
  'hours_to_failure',
  'interval_sec',
] as const;
export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RunSpec {
  split: Split;
  /** Simulator seed: fleet, device parameters, weather and degradation plan all derive from it. */
  seed: number;
  fleetSize: number;
  /** Epoch ms of the run's start (the hub starts with no history then). */
  simStart: number;
  days: number;
  /** Report interval of every device in the run, seconds. */
  intervalSec: number;
  shares: DegradationShares;
  /** Healthy devices simulated (the degrading ones always are). */
  healthyDevices: number;
  /** Share of windows kept far from a failure (healthy, before onset). */
  keepHealthy: number;
  /** Share kept after onset but more than {@link NEAR_HOURS} before failure. */
  keepDegrading: number;
  /** Share kept within {@link NEAR_HOURS} of failure. */
  keepNear: number;
}

/** Windows this close to a failure are the ones the horizons separate: the densest sampling. */
export const NEAR_HOURS = 36;

export interface WindowLabel {
  y: [number, number, number];
  ttfHours: number;
  /** Index into {@link MODES}, or -1 when the device is not degrading at the window's end. */
  mode: number;
  /** Uncapped hours from the window's end to the failure; Infinity when the device never fails. */
  hoursToFailure: number;
}

/**
 * Labels of a window that ends at `endMs` (exclusive) for a device failing at `failureAt` after
 * degrading from `onsetAt` (both Infinity for a healthy device).
 */
export function labelWindow(
  endMs: number,
  onsetAt: number,
  failureAt: number,
  modeIndex: number,
): WindowLabel {
  if (endMs >= failureAt) throw new RangeError('a window at or after the failure has no label');
  const hoursToFailure = (failureAt - endMs) / HOUR_MS;
  const y = HORIZONS_HOURS.map((h) => (hoursToFailure <= h ? 1 : 0)) as [number, number, number];
  return {
    y,
    ttfHours: Math.min(TTF_CAP_HOURS, hoursToFailure),
    mode: modeIndex >= 0 && endMs > onsetAt ? modeIndex : -1,
    hoursToFailure,
  };
}

export interface DeviceRecord {
  id: number;
  split: Split;
  seed: number;
  sn: string;
  intervalSec: number;
  mode: string | null;
  onsetAt: string | null;
  failureAt: string | null;
  windows: number;
}

export interface DatasetChunk {
  /** [n][steps][width], raw (unnormalised) features. */
  windows: Float32Array;
  /** [n][LABEL_COLUMNS.length]. */
  labels: Float32Array;
  count: number;
  devices: DeviceRecord[];
  samples: number;
  dropped: number;
}

export function validateRun(run: RunSpec): void {
  const problems: string[] = [];
  const positive = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v > 0)) problems.push(`${name} must be a positive number, got ${v}`);
  };
  const share = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) problems.push(`${name} must be within 0…1, got ${v}`);
  };
  if (!SPLITS.includes(run.split))
    problems.push(`split must be one of ${SPLITS.join(', ')}, got ${run.split}`);
  if (!Number.isInteger(run.seed)) problems.push(`seed must be an integer, got ${run.seed}`);
  if (!Number.isInteger(run.fleetSize) || run.fleetSize < 1)
    problems.push(`fleetSize must be a positive integer, got ${run.fleetSize}`);
  if (!Number.isFinite(run.simStart)) problems.push('simStart must be epoch milliseconds');
  positive('days', run.days);
  positive('intervalSec', run.intervalSec);
  if (run.intervalSec > PV_WINDOW_SPEC.stepMinutes * 60)
    problems.push(
      `intervalSec ${run.intervalSec} is longer than a ${PV_WINDOW_SPEC.stepMinutes}-minute step`,
    );
  if (!Number.isInteger(run.healthyDevices) || run.healthyDevices < 0)
    problems.push(`healthyDevices must be a non-negative integer, got ${run.healthyDevices}`);
  share('shares.inProgress', run.shares.inProgress);
  share('shares.upcoming', run.shares.upcoming);
  positive('shares.horizonDays', run.shares.horizonDays);
  share('keepHealthy', run.keepHealthy);
  share('keepDegrading', run.keepDegrading);
  share('keepNear', run.keepNear);
  if (problems.length) throw new RangeError(`run ${run.split}/${run.seed}: ${problems.join('; ')}`);
}

/** Growable float32 rows. */
class Rows {
  data: Float32Array;
  count = 0;
  constructor(readonly width: number) {
    this.data = new Float32Array(width * 1024);
  }
  /** Offset of a new row. */
  push(): number {
    if ((this.count + 1) * this.width > this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    return this.count++ * this.width;
  }
  trimmed(): Float32Array {
    return this.data.slice(0, this.count * this.width);
  }
}

/**
 * Simulates one run and returns its windows. `firstDeviceId` numbers the devices across runs.
 * Deterministic: the same spec gives the same bytes.
 */
export function exportRun(run: RunSpec, firstDeviceId = 0): DatasetChunk {
  validateRun(run);
  const compiled = compileSpec(PV_WINDOW_SPEC, METRICS);
  const fw = new FeatureWindows(compiled, 1);
  const { steps } = PV_WINDOW_SPEC;
  const width = compiled.features.length;
  const stepMs = compiled.stepMs;
  const splitCode = SPLITS.indexOf(run.split);

  const fleet = generateFleet({ count: run.fleetSize, seed: run.seed });
  const model = new FleetModel(fleet, run.seed);
  const sns = fleet.map((d) => d.sn);
  const plan = planDegradations(sns, run.seed, run.simStart, run.shares);
  model.setPlan(plan);
  const byIndex = new Map<number, Degradation>(plan.map((d) => [d.index, d]));

  // Healthy devices: a seeded draw over the whole fleet, so they span plants and weather cells.
  const pickKey = hash2(0x7a1e_5e7, run.seed);
  const healthy = fleet
    .map((d, index) => ({ index, h: hash2(pickKey, hashString(d.sn)) }))
    .filter((d) => !byIndex.has(d.index))
    .sort((a, b) => a.h - b.h || a.index - b.index)
    .slice(0, run.healthyDevices)
    .map((d) => d.index);
  const chosen = [...plan.map((d) => d.index), ...healthy].sort((a, b) => a - b);

  const runEnd = run.simStart + Math.round(run.days * DAY_MS);
  const intervalMs = Math.round(run.intervalSec * 1000);
  const phaseKey = hash2(0x9a5e_0f75, run.seed);
  const keepKey = hash2(0x6ee9_0001, run.seed);
  const out = new Float64Array(METRICS.length);
  const xs = new Rows(steps * width);
  const ys = new Rows(LABEL_COLUMNS.length);
  const devices: DeviceRecord[] = [];
  let samples = 0;
  let dropped = 0;

  for (const index of chosen) {
    const deg = byIndex.get(index);
    const onsetAt = deg?.onsetAt ?? Infinity;
    const failureAt = deg?.failureAt ?? Infinity;
    const modeIndex = deg ? MODES.indexOf(deg.mode) : -1;
    const id = firstDeviceId + devices.length;
    const sn = sns[index]!;
    const devKey = hash2(keepKey, hashString(sn));
    // Each device reports at its own fixed phase within the interval, as the simulator does.
    const phase = Math.floor(unit(hash2(phaseKey, hashString(sn))) * intervalMs);
    fw.clear(0);
    let nextEnd = -1;
    let windows = 0;

    const emitThrough = (lastEnd: number): void => {
      for (; nextEnd <= lastEnd; nextEnd++) {
        const endMs = nextEnd * stepMs;
        if (endMs >= failureAt) return;
        const label = labelWindow(endMs, onsetAt, failureAt, modeIndex);
        const keep =
          label.hoursToFailure <= NEAR_HOURS
            ? run.keepNear
            : label.mode >= 0
              ? run.keepDegrading
              : run.keepHealthy;
        if (keep < 1 && unit(hash2(devKey, nextEnd)) >= keep) continue;
        const off = xs.push();
        if (fw.window(0, nextEnd, xs.data, off) !== 'ok') {
          xs.count--;
          continue;
        }
        const row = ys.push();
        const l = ys.data;
        l[row] = label.y[0];
        l[row + 1] = label.y[1];
        l[row + 2] = label.y[2];
        l[row + 3] = label.ttfHours;
        l[row + 4] = label.mode;
        l[row + 5] = id;
        l[row + 6] = splitCode;
        l[row + 7] = nextEnd;
        l[row + 8] = Number.isFinite(label.hoursToFailure) ? label.hoursToFailure : -1;
        l[row + 9] = run.intervalSec;
        windows++;
      }
    };

    const stop = Math.min(runEnd, failureAt);
    for (let t = run.simStart + phase; t < stop; t += intervalMs) {
      const step = Math.floor(t / stepMs);
      if (nextEnd < 0) nextEnd = step + 1;
      // Every window ending at or before this sample's step is complete: take it first.
      emitThrough(step);
      samples++;
      if (!model.sample(index, t, out)) {
        dropped++;
        continue;
      }
      fw.add(0, t, out, 0);
    }
    if (nextEnd >= 0) emitThrough(Math.floor(runEnd / stepMs));
    devices.push({
      id,
      split: run.split,
      seed: run.seed,
      sn,
      intervalSec: run.intervalSec,
      mode: deg?.mode ?? null,
      onsetAt: deg ? new Date(deg.onsetAt).toISOString() : null,
      failureAt: deg ? new Date(deg.failureAt).toISOString() : null,
      windows,
    });
  }
  return { windows: xs.trimmed(), labels: ys.trimmed(), count: ys.count, devices, samples, dropped };
}

/** Midnight (UTC+8) of a date, plus hours: runs start at different seasons and times of day. */
function beijing(y: number, m: number, d: number, hour: number): number {
  return Date.UTC(y, m - 1, d, hour - 8);
}

/**
 * The standard dataset. Training seeds and the validation/test seeds are disjoint simulated
 * fleets (every device parameter, weather cell and degradation derives from the seed), so no
 * device — nor its weather — is in two splits. Report intervals vary across runs because the
 * hub's effective interval depends on the fleet size and the simulator's speed (360 s for the
 * 2,000-device evaluation at 3600×). Degradation shares are far above the demo's 3–5 % so every
 * mode fails often enough to learn it. Test runs keep every window: the policy check needs
 * consecutive windows per device.
 */
export function standardRuns(scale = 1): RunSpec[] {
  const trainShares: DegradationShares = { inProgress: 0.03, upcoming: 0.07, horizonDays: 9 };
  const n = (x: number): number => Math.max(1, Math.round(x * scale));
  const train = (seed: number, simStart: number, intervalSec: number): RunSpec => ({
    split: 'train',
    seed,
    fleetSize: 2000,
    simStart,
    days: 12,
    intervalSec,
    shares: trainShares,
    healthyDevices: n(250),
    keepHealthy: 0.06,
    keepDegrading: 0.15,
    keepNear: 0.5,
  });
  const evalShares: DegradationShares = { inProgress: 0.02, upcoming: 0.04, horizonDays: 6 };
  const held = (
    split: Split,
    seed: number,
    simStart: number,
    intervalSec: number,
    keep: number,
  ): RunSpec => ({
    split,
    seed,
    fleetSize: 2000,
    simStart,
    days: 7,
    intervalSec,
    shares: evalShares,
    healthyDevices: n(split === 'test' ? 200 : 150),
    keepHealthy: keep,
    keepDegrading: keep,
    keepNear: keep,
  });
  const runs: RunSpec[] = [
    train(1101, beijing(2025, 1, 12, 0), 60),
    train(1102, beijing(2025, 3, 3, 7), 120),
    train(1103, beijing(2025, 4, 20, 13), 300),
    train(1104, beijing(2025, 6, 8, 19), 360),
    train(1105, beijing(2025, 7, 25, 3), 180),
    train(1106, beijing(2025, 9, 14, 10), 360),
    train(1107, beijing(2025, 10, 30, 16), 240),
    train(1108, beijing(2025, 12, 5, 22), 120),
    held('val', 2101, beijing(2025, 5, 16, 9), 120, 0.25),
    held('val', 2102, beijing(2025, 11, 20, 21), 360, 0.25),
    held('test', 3101, beijing(2026, 2, 10, 0), 360, 1),
    held('test', 3102, beijing(2025, 8, 18, 14), 60, 1),
  ];
  if (scale !== 1) for (const r of runs) if (r.split === 'train') r.days = Math.max(3, r.days * scale);
  return runs;
}
