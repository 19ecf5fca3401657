/**
 * Feature windows: what a health model sees of one device. Telemetry samples are folded, as they
 * arrive, into fixed steps of simulated/telemetry time (e.g. 30 minutes); each closed step yields
 * one feature vector, and the last `steps` vectors form the window a model scores. The same class
 * runs in the hub (fed by the ingest pipeline) and in the training-data exporter (fed by the fleet
 * model), so the features the model was trained on are exactly the ones it is scored on.
 *
 * A feature is `<metric>.<aggregate>` (mean, max, min, std, last over the step) or `coverage`
 * (samples in the step against the device's recent typical count, so 0 means silence). A step in
 * which a metric has no sample carries the metric's previous value forward; only `coverage` says
 * it was missing. Memory per device is fixed: one accumulator set and a ring of `steps` vectors.
 */

export const AGGREGATES = ['mean', 'max', 'min', 'std', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface WindowSpec {
  /** Minutes of telemetry time per step. */
  stepMinutes: number;
  /** Steps per window (the model's sequence length). */
  steps: number;
  /** Fewer closed steps of history than this: the device is not scored yet. */
  minSteps: number;
  /** Feature names in the model's input order. */
  features: readonly string[];
}

export class FeatureSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeatureSpecError';
  }
}

interface CompiledFeature {
  /** Index into the device kind's metrics; -1 for coverage. */
  metric: number;
  agg: Aggregate | 'coverage';
}

export interface CompiledSpec {
  spec: WindowSpec;
  stepMs: number;
  features: CompiledFeature[];
  /** Metric indices that any feature reads, in ascending order. */
  metrics: number[];
  /** Position of each metric index within {@link metrics}, -1 when unused. */
  metricSlot: Int16Array;
}

/** Checks a spec against a device kind's metric keys; every problem is named in the error. */
export function compileSpec(spec: WindowSpec, metricKeys: readonly string[]): CompiledSpec {
  const problems: string[] = [];
  if (!Number.isFinite(spec.stepMinutes) || spec.stepMinutes <= 0 || spec.stepMinutes > 24 * 60)
    problems.push(`stepMinutes must be in (0, 1440], got ${spec.stepMinutes}`);
  if (!Number.isInteger(spec.steps) || spec.steps < 1 || spec.steps > 1024)
    problems.push(`steps must be an integer in 1…1024, got ${spec.steps}`);
  if (!Number.isInteger(spec.minSteps) || spec.minSteps < 1 || spec.minSteps > spec.steps)
    problems.push(`minSteps must be an integer in 1…steps, got ${spec.minSteps}`);
  if (spec.features.length === 0) problems.push('no features');
  const features: CompiledFeature[] = [];
  for (const name of spec.features) {
    if (name === 'coverage') {
      features.push({ metric: -1, agg: 'coverage' });
      continue;
    }
    const dot = name.lastIndexOf('.');
    const key = dot > 0 ? name.slice(0, dot) : name;
    const agg = dot > 0 ? name.slice(dot + 1) : '';
    const metric = metricKeys.indexOf(key);
    if (metric < 0) problems.push(`feature ${name}: the device kind has no metric "${key}"`);
    if (!(AGGREGATES as readonly string[]).includes(agg))
      problems.push(`feature ${name}: aggregate "${agg}" is not one of ${AGGREGATES.join(', ')}`);
    features.push({ metric, agg: agg as Aggregate });
  }
  if (problems.length) throw new FeatureSpecError(problems.join('; '));
  const metrics = [...new Set(features.filter((f) => f.metric >= 0).map((f) => f.metric))].sort(
    (a, b) => a - b,
  );
  const metricSlot = new Int16Array(metricKeys.length).fill(-1);
  metrics.forEach((m, i) => (metricSlot[m] = i));
  return { spec, stepMs: spec.stepMinutes * 60_000, features, metrics, metricSlot };
}

export type WindowState = 'ok' | 'insufficient' | 'silent' | 'empty';

/** Per-step accumulator fields, per used metric. */
const N = 0;
const SUM = 1;
const SUMSQ = 2;
const MAX = 3;
const MIN = 4;
const LAST = 5;
const ACC = 6;

/** Typical samples per step decays slowly so a device that reports less often is not "missing" forever. */
const REF_DECAY = 0.97;

export class FeatureWindows {
  readonly compiled: CompiledSpec;
  readonly width: number;
  private capacity = 0;
  private readonly u: number;
  /** Step being accumulated per slot (-1: nothing yet). */
  private cur = new Float64Array(0);
  /** First step with a sample (-1: none). */
  private first = new Float64Array(0);
  /** Last closed step written to the ring (-1: none). */
  private closed = new Float64Array(0);
  /** Last step that had at least one sample. */
  private lastSeenStep = new Float64Array(0);
  private stepCount = new Float32Array(0);
  private ref = new Float32Array(0);
  private acc = new Float64Array(0);
  private ring = new Float32Array(0);
  private late = 0;

  constructor(compiled: CompiledSpec, capacity = 0) {
    this.compiled = compiled;
    this.width = compiled.features.length;
    this.u = compiled.metrics.length;
    this.ensureCapacity(capacity);
  }

  /** Samples that arrived for a step already closed (counted, not used). */
  get lateSamples(): number {
    return this.late;
  }

  ensureCapacity(capacity: number): void {
    if (capacity <= this.capacity) return;
    const grow = <T extends Float64Array | Float32Array>(old: T, per: number, make: (n: number) => T): T => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    const old = this.capacity;
    this.cur = grow(this.cur, 1, (n) => new Float64Array(n));
    this.first = grow(this.first, 1, (n) => new Float64Array(n));
    this.closed = grow(this.closed, 1, (n) => new Float64Array(n));
    this.lastSeenStep = grow(this.lastSeenStep, 1, (n) => new Float64Array(n));
    this.stepCount = grow(this.stepCount, 1, (n) => new Float32Array(n));
    this.ref = grow(this.ref, 1, (n) => new Float32Array(n));
    this.acc = grow(this.acc, this.u * ACC, (n) => new Float64Array(n));
    this.ring = grow(this.ring, this.compiled.spec.steps * this.width, (n) => new Float32Array(n));
    this.capacity = capacity;
    for (let s = old; s < capacity; s++) this.clear(s);
  }

  /** Forgets a slot (device removed, slot reused). */
  clear(slot: number): void {
    this.cur[slot] = -1;
    this.first[slot] = -1;
    this.closed[slot] = -1;
    this.lastSeenStep[slot] = -1;
    this.stepCount[slot] = 0;
    this.ref[slot] = 0;
    this.resetAcc(slot);
    const w = this.compiled.spec.steps * this.width;
    this.ring.fill(0, slot * w, slot * w + w);
  }

  private resetAcc(slot: number): void {
    const base = slot * this.u * ACC;
    for (let i = 0; i < this.u; i++) {
      const b = base + i * ACC;
      this.acc[b + N] = 0;
      this.acc[b + SUM] = 0;
      this.acc[b + SUMSQ] = 0;
      this.acc[b + MAX] = -Infinity;
      this.acc[b + MIN] = Infinity;
      this.acc[b + LAST] = NaN;
    }
    this.stepCount[slot] = 0;
  }

  /**
   * One accepted sample: `values[base + m]` is metric m of the device kind (NaN when absent).
   * Samples must come in time order per device (the ingest pipeline refuses late ones).
   */
  add(slot: number, ts: number, values: ArrayLike<number>, base: number): void {
    const step = Math.floor(ts / this.compiled.stepMs);
    const cur = this.cur[slot]!;
    if (step < cur || step <= this.closed[slot]!) {
      this.late++;
      return;
    }
    if (cur < 0) {
      this.first[slot] = step;
      this.cur[slot] = step;
    } else if (step > cur) {
      this.closeThrough(slot, step - 1);
      this.cur[slot] = step;
    }
    const metrics = this.compiled.metrics;
    const accBase = slot * this.u * ACC;
    let any = false;
    for (let i = 0; i < metrics.length; i++) {
      const v = values[base + metrics[i]!]!;
      if (Number.isNaN(v)) continue;
      any = true;
      const b = accBase + i * ACC;
      this.acc[b + N]!++;
      this.acc[b + SUM]! += v;
      this.acc[b + SUMSQ]! += v * v;
      if (v > this.acc[b + MAX]!) this.acc[b + MAX] = v;
      if (v < this.acc[b + MIN]!) this.acc[b + MIN] = v;
      this.acc[b + LAST] = v;
    }
    this.stepCount[slot]!++;
    if (any) this.lastSeenStep[slot] = step;
  }

  /** Closes every step of the slot up to and including `step`: the open one, then empty gaps. */
  private closeThrough(slot: number, step: number): void {
    const cur = this.cur[slot]!;
    if (cur < 0) return;
    if (cur <= step && this.closed[slot]! < cur) {
      this.writeStep(slot, cur, true);
      this.resetAcc(slot);
    }
    for (let s = Math.max(this.closed[slot]! + 1, cur + 1); s <= step; s++) this.writeStep(slot, s, false);
    if (step >= cur) this.cur[slot] = step + 1;
  }

  private writeStep(slot: number, step: number, withData: boolean): void {
    const { steps } = this.compiled.spec;
    const w = this.width;
    const row = (slot * steps + (step % steps)) * w;
    const prevClosed = this.closed[slot]!;
    const prev = prevClosed >= 0 ? (slot * steps + (prevClosed % steps)) * w : -1;
    const n = withData ? this.stepCount[slot]! : 0;
    if (n > 0) this.ref[slot] = Math.max(n, this.ref[slot]! * REF_DECAY);
    const accBase = slot * this.u * ACC;
    const features = this.compiled.features;
    for (let f = 0; f < w; f++) {
      const feat = features[f]!;
      if (feat.agg === 'coverage') {
        const ref = this.ref[slot]!;
        this.ring[row + f] = ref > 0 ? Math.min(1, n / ref) : 0;
        continue;
      }
      const b = accBase + this.compiled.metricSlot[feat.metric]! * ACC;
      const k = withData ? this.acc[b + N]! : 0;
      if (k === 0) {
        this.ring[row + f] = prev >= 0 ? this.ring[prev + f]! : 0;
        continue;
      }
      const mean = this.acc[b + SUM]! / k;
      let v: number;
      switch (feat.agg) {
        case 'mean':
          v = mean;
          break;
        case 'max':
          v = this.acc[b + MAX]!;
          break;
        case 'min':
          v = this.acc[b + MIN]!;
          break;
        case 'std':
          v = Math.sqrt(Math.max(0, this.acc[b + SUMSQ]! / k - mean * mean));
          break;
        default:
          v = this.acc[b + LAST]!;
      }
      this.ring[row + f] = v;
    }
    this.closed[slot] = step;
  }

  /**
   * The window ending with step `endStep - 1` (steps before `endStep` are closed first), written
   * row-major `[steps][width]` into `out` at `offset`. Steps before the device's first sample
   * repeat its first vector with coverage 0. Returns the state: `ok` (scorable), `insufficient`
   * (fewer than minSteps of history), `silent` (no sample in the last `silentSteps` steps),
   * `empty` (never seen).
   */
  window(slot: number, endStep: number, out: Float32Array, offset: number, silentSteps = 4): WindowState {
    if (this.first[slot]! < 0) return 'empty';
    this.closeThrough(slot, endStep - 1);
    const { steps, minSteps } = this.compiled.spec;
    const w = this.width;
    const first = this.first[slot]!;
    const firstRow = (slot * steps + (first % steps)) * w;
    for (let i = 0; i < steps; i++) {
      const step = endStep - steps + i;
      const dst = offset + i * w;
      if (step < first || this.closed[slot]! - step >= steps) {
        // Before the device's history, or (for an endStep in the past) a ring entry already reused.
        for (let f = 0; f < w; f++) {
          const feat = this.compiled.features[f]!;
          out[dst + f] = feat.agg === 'coverage' ? 0 : this.ring[firstRow + f]!;
        }
        continue;
      }
      const row = (slot * steps + (step % steps)) * w;
      for (let f = 0; f < w; f++) out[dst + f] = this.ring[row + f]!;
    }
    if (endStep - first < minSteps) return 'insufficient';
    if (endStep - 1 - this.lastSeenStep[slot]! >= silentSteps) return 'silent';
    return 'ok';
  }

  /** The step the slot is accumulating, or -1. */
  currentStep(slot: number): number {
    return this.cur[slot]!;
  }

  bytes(): number {
    return (
      this.cur.byteLength * 4 +
      this.stepCount.byteLength +
      this.ref.byteLength +
      this.acc.byteLength +
      this.ring.byteLength
    );
  }
}
