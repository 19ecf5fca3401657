import type { FailureProbabilities } from '../contract/predict';
import type { ModelManifest } from '../contract/model-manifest';

/**
 * The arithmetic around a health model that must be identical wherever it is scored: the Node
 * scorer of the core and a console's Web Worker both use this module, so a window normalised or an
 * output read in one place is normalised and read the same way in the other.
 */

/** Outputs of one scoring run, by output name: row-major `[count][width]`. */
export type ScoreOutputs = Record<string, Float32Array>;

export type OutputRole = 'failureProbability' | 'timeToFailure' | 'failureMode';

export interface OutputSpec {
  name: string;
  role: OutputRole;
  width: number;
  /** Inclusive range a valid value lies in (a model that leaves it is not the model we think). */
  min: number;
  max: number;
}

/** Slack for float32 rounding at the edges of a range (a sigmoid may give 1.0000001). */
const RANGE_EPS = 1e-4;

export function outputSpecs(m: ModelManifest): OutputSpec[] {
  const o = m.outputs;
  return [
    {
      name: o.failureProbability.name,
      role: 'failureProbability',
      width: o.failureProbability.horizonsHours.length,
      min: 0,
      max: 1,
    },
    { name: o.timeToFailure.name, role: 'timeToFailure', width: 1, min: 0, max: o.timeToFailure.capHours },
    { name: o.failureMode.name, role: 'failureMode', width: o.failureMode.modes.length, min: 0, max: 1 },
  ];
}

/** Floats per window: steps × features. */
export function windowSize(m: ModelManifest): number {
  return m.window.steps * m.features.length;
}

/**
 * Marks windows `[count][size]` that hold NaN or ±Infinity (a gap the feature extractor could not
 * fill, a broken sensor value): such a window is not scored, its outputs are NaN. Returns how many.
 */
export function markRefused(windows: Float32Array, count: number, size: number, refused: Uint8Array): number {
  let n = 0;
  for (let w = 0; w < count; w++) {
    const base = w * size;
    let bad = 0;
    for (let i = 0; i < size; i++) {
      const v = windows[base + i]!;
      // v - v is NaN for NaN and ±Infinity, 0 otherwise: one test for both.
      if (v - v !== 0) {
        bad = 1;
        break;
      }
    }
    refused[w] = bad;
    n += bad;
  }
  return n;
}

/**
 * `out[i] = (x - mean[f]) / std[f]` for windows `first … first+n-1` of `src`, written from the
 * start of `out`. Refused windows are written as zeros (the model never sees NaN).
 */
export function normalise(
  src: Float32Array,
  first: number,
  n: number,
  m: Pick<ModelManifest, 'normalisation' | 'features' | 'window'>,
  refused: Uint8Array | null,
  out: Float32Array,
): void {
  const width = m.features.length;
  const size = m.window.steps * width;
  const mean = m.normalisation.mean;
  const inv = m.normalisation.std.map((s) => 1 / s);
  for (let w = 0; w < n; w++) {
    const src0 = (first + w) * size;
    const dst0 = w * size;
    if (refused && refused[first + w]) {
      out.fill(0, dst0, dst0 + size);
      continue;
    }
    for (let i = 0; i < size; i += width) {
      for (let f = 0; f < width; f++) out[dst0 + i + f] = (src[src0 + i + f]! - mean[f]!) * inv[f]!;
    }
  }
}

/**
 * Checks outputs a scorer (maybe an untrusted console) returned for `count` windows: every output of
 * the manifest present with `count × width` values, finite and in range for rows not refused.
 * Returns the first problem in English, or null.
 */
export function checkOutputs(
  m: ModelManifest,
  outputs: Readonly<Record<string, Float32Array | undefined>>,
  count: number,
  refused: Uint8Array | null,
): string | null {
  const specs = outputSpecs(m);
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(outputs))
    if (!known.has(name)) return `unknown output "${name}" (the manifest has ${[...known].join(', ')})`;
  for (const s of specs) {
    const data = outputs[s.name];
    if (!data) return `output "${s.name}" is missing`;
    if (data.length !== count * s.width)
      return `output "${s.name}" has ${data.length} values, expected ${count} × ${s.width} = ${count * s.width}`;
    for (let r = 0; r < count; r++) {
      if (refused && refused[r]) continue;
      for (let c = 0; c < s.width; c++) {
        const v = data[r * s.width + c]!;
        if (!Number.isFinite(v)) return `output "${s.name}" row ${r} holds ${v}`;
        if (v < s.min - RANGE_EPS || v > s.max + RANGE_EPS)
          return `output "${s.name}" row ${r} holds ${v}, outside ${s.min}…${s.max}`;
      }
    }
  }
  return null;
}

/** Sets the rows of refused windows to NaN in every output. */
export function blankRefused(
  m: ModelManifest,
  outputs: ScoreOutputs,
  refused: Uint8Array,
  count: number,
): void {
  for (const s of outputSpecs(m)) {
    const data = outputs[s.name];
    if (!data) continue;
    for (let r = 0; r < count; r++) if (refused[r]) data.fill(NaN, r * s.width, r * s.width + s.width);
  }
}

export interface InterpretedRow {
  /**
   * Probability of failing within 4, 8 and 24 h, made non-decreasing over the horizons (failing
   * within 4 h is failing within 8 h; a model can break that by a rounding or by being wrong).
   */
  probabilities: FailureProbabilities;
  /** Hours to failure, clamped to `0 … capHours`. */
  ttfHours: number;
  /** True when the model put the failure at (or within 1% of) its cap: "not within sight". */
  ttfAtCap: boolean;
  ttfCapHours: number;
  /** Failure-mode distribution by mode id. */
  modes: Record<string, number>;
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Reads window `i` of a scoring run. Returns null for a refused window (its outputs are NaN) —
 * never a made-up score.
 */
export function interpretRow(m: ModelManifest, outputs: ScoreOutputs, i: number): InterpretedRow | null {
  const o = m.outputs;
  const p = outputs[o.failureProbability.name];
  const t = outputs[o.timeToFailure.name];
  const q = outputs[o.failureMode.name];
  if (!p || !t || !q) throw new Error(`outputs of model ${m.id} lack one of its output names`);
  const horizons = o.failureProbability.horizonsHours;
  const hw = horizons.length;
  const mw = o.failureMode.modes.length;
  const ttf = t[i]!;
  if (!Number.isFinite(ttf)) return null;
  const byHorizon = new Map<number, number>();
  let running = 0;
  for (let h = 0; h < hw; h++) {
    const v = p[i * hw + h]!;
    if (!Number.isFinite(v)) return null;
    running = Math.max(running, clamp01(v));
    byHorizon.set(horizons[h]!, running);
  }
  const modes: Record<string, number> = {};
  for (let k = 0; k < mw; k++) {
    const v = q[i * mw + k]!;
    if (!Number.isFinite(v)) return null;
    modes[o.failureMode.modes[k]!] = clamp01(v);
  }
  const cap = o.timeToFailure.capHours;
  const ttfHours = Math.min(cap, Math.max(0, ttf));
  return {
    probabilities: { h4: byHorizon.get(4)!, h8: byHorizon.get(8)!, h24: byHorizon.get(24)! },
    ttfHours,
    ttfAtCap: ttfHours >= cap * 0.99,
    ttfCapHours: cap,
    modes,
  };
}

/** What the checks need of an onnxruntime session (structural: this module imports no runtime). */
export interface SessionShape {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly SessionValueMetadata[];
  readonly outputMetadata?: readonly SessionValueMetadata[];
}
export type SessionValueMetadata =
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: readonly (number | string)[];
    }
  | { readonly name: string; readonly isTensor: false };

/** Every way a loaded session's inputs and outputs differ from the manifest (empty: they match). */
export function sessionProblems(m: ModelManifest, session: SessionShape): string[] {
  const problems: string[] = [];
  if (session.inputNames.length !== 1 || session.inputNames[0] !== m.input.name)
    problems.push(`inputs are [${session.inputNames.join(', ')}], the manifest expects [${m.input.name}]`);
  const meta = session.inputMetadata?.[0];
  if (meta && meta.isTensor) {
    if (meta.type !== 'float32') problems.push(`input "${meta.name}" is ${meta.type}, not float32`);
    if (meta.shape.length !== 3) problems.push(`input has rank ${meta.shape.length}, expected 3`);
    else {
      const [, steps, width] = meta.shape;
      if (typeof steps === 'number' && steps !== m.window.steps)
        problems.push(`input has ${steps} steps, the manifest says ${m.window.steps}`);
      if (typeof width === 'number' && width !== m.features.length)
        problems.push(`input has ${width} features, the manifest lists ${m.features.length}`);
    }
  }
  for (const s of outputSpecs(m)) {
    const at = session.outputNames.indexOf(s.name);
    if (at < 0) {
      problems.push(`has no output "${s.name}" (outputs: ${session.outputNames.join(', ')})`);
      continue;
    }
    const out = session.outputMetadata?.[at];
    const width = out && out.isTensor ? out.shape[out.shape.length - 1] : undefined;
    if (typeof width === 'number' && width !== s.width)
      problems.push(`output "${s.name}" has width ${width}, the manifest implies ${s.width}`);
  }
  return problems;
}

/** One output tensor of a run, as the runtime returns it. */
export interface RunTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** Runs the model on `n` normalised windows `[n][steps][features]`. */
export type RunChunk = (input: Float32Array, n: number) => Promise<Record<string, RunTensor>>;

/**
 * The scoring loop both scorers share: refuse windows with NaN/±Infinity, normalise chunk by chunk
 * into one reused buffer, run, check every output's type and size, blank refused rows, and check
 * the values. `between` runs after each chunk but the last (the hub yields to its event loop there).
 */
export async function scoreInChunks(
  m: ModelManifest,
  windows: Float32Array,
  count: number,
  chunk: number,
  run: RunChunk,
  between?: () => Promise<void>,
): Promise<{ outputs: ScoreOutputs; refused: Uint8Array }> {
  const size = windowSize(m);
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new RangeError(`chunk must be a whole number ≥ 1, got ${chunk}`);
  if (windows.length < count * size)
    throw new RangeError(
      `windows hold ${windows.length} floats, ${count} windows of ${size} need ${count * size}`,
    );
  const specs = outputSpecs(m);
  const outputs: ScoreOutputs = {};
  for (const s of specs) outputs[s.name] = new Float32Array(count * s.width);
  const refused = new Uint8Array(count);
  if (count === 0) return { outputs, refused };
  markRefused(windows, count, size, refused);
  const input = new Float32Array(Math.min(chunk, count) * size);
  for (let first = 0; first < count; first += chunk) {
    const n = Math.min(chunk, count - first);
    const buf = n * size === input.length ? input : input.subarray(0, n * size);
    normalise(windows, first, n, m, refused, buf);
    const result = await run(buf, n);
    for (const s of specs) {
      const t = result[s.name];
      if (!t || t.type !== 'float32' || !(t.data instanceof Float32Array) || t.data.length !== n * s.width)
        throw new Error(
          `model ${m.id}: output "${s.name}" came back as ${t ? `${t.type} [${t.dims.join(', ')}]` : 'nothing'}, expected float32 [${n}, ${s.width}]`,
        );
      outputs[s.name]!.set(t.data, first * s.width);
    }
    if (between && first + n < count) await between();
  }
  blankRefused(m, outputs, refused, count);
  const problem = checkOutputs(m, outputs, count, refused);
  if (problem) throw new Error(`model ${m.id} produced invalid outputs: ${problem}`);
  return { outputs, refused };
}
