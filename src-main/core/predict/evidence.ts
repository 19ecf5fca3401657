import type { DeviceKind, FeatureEvidence, LocalizedText, SymptomPattern } from '@shared/contract';

/**
 * How the features of one window moved: the evidence shown beside a prediction ("ripple rose from
 * 0.9 % to 3.1 %, 4.2 σ above the fleet") and matched against the knowledge graph's symptom
 * patterns. Works on the raw (unnormalised) window the scorer saw; the manifest's normalisation
 * stands for the fleet's normal.
 */

export type Pattern = SymptomPattern['pattern'];

export interface EvidenceWindow {
  /** Raw values, row-major `[steps][features.length]` (a FeatureWindows window). */
  window: ArrayLike<number>;
  features: readonly string[];
  /** The model manifest's per-feature mean and standard deviation: the fleet's normal. */
  normalisation: { mean: readonly number[]; std: readonly number[] };
}

export interface MetricInfo {
  label: LocalizedText;
  unit: string;
  /** Context (irradiance, ambient, …): explains the others, is never a driver by itself. */
  context: boolean;
}

/** Metric key → label and unit; null for a metric the lookup does not know. */
export type LabelLookup = (metricKey: string) => MetricInfo | null;

export class EvidenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvidenceError';
  }
}

/** Labels from a device kind's metric definitions; metrics without health weight are context. */
export function metricLabels(kind: Pick<DeviceKind, 'metrics'>): LabelLookup {
  const byKey = new Map(kind.metrics.map((m) => [m.key, m]));
  return (key) => {
    const m = byKey.get(key);
    return m ? { label: m.label, unit: m.unit, context: m.weight === 0 } : null;
  };
}

const AGG_LABEL: Record<string, LocalizedText> = {
  mean: { 'zh-CN': '均值', en: 'mean' },
  max: { 'zh-CN': '最大值', en: 'max' },
  min: { 'zh-CN': '最小值', en: 'min' },
  std: { 'zh-CN': '波动', en: 'std' },
  last: { 'zh-CN': '末值', en: 'last' },
};
const COVERAGE_LABEL: LocalizedText = { 'zh-CN': '数据完整度', en: 'Data coverage' };

function splitFeature(feature: string): { metric: string; agg: string } {
  const dot = feature.lastIndexOf('.');
  return dot > 0
    ? { metric: feature.slice(0, dot), agg: feature.slice(dot + 1) }
    : { metric: feature, agg: '' };
}

export function featureInfo(feature: string, labels: LabelLookup): MetricInfo {
  if (feature === 'coverage') return { label: COVERAGE_LABEL, unit: '', context: false };
  const { metric, agg } = splitFeature(feature);
  const info = labels(metric);
  if (!info) return { label: { 'zh-CN': feature, en: feature }, unit: '', context: false };
  const a = AGG_LABEL[agg];
  const label = a
    ? { 'zh-CN': `${info.label['zh-CN']}（${a['zh-CN']}）`, en: `${info.label.en} (${a.en})` }
    : info.label;
  return { label, unit: info.unit, context: info.context };
}

/** One feature of a window, summarised. */
export interface FeatureStats {
  feature: string;
  index: number;
  /** Mean of the first and of the last quarter of the window (non-finite values skipped). */
  from: number;
  to: number;
  /** Highest value of the last quarter. */
  peak: number;
  /** (to − fleet mean) / fleet std. */
  z: number;
  /**
   * (to − from) relative to |from|, or to the fleet's std when the level is smaller than that:
   * near-zero features (temperature gradients) would otherwise show huge relative changes.
   */
  change: number;
  fleetMean: number;
  fleetStd: number;
}

export interface WindowStats {
  steps: number;
  byFeature: Map<string, FeatureStats>;
  list: FeatureStats[];
}

/** Summarises every feature; throws EvidenceError on a malformed window or normalisation. */
export function windowStats(input: EvidenceWindow): WindowStats {
  const { window, features, normalisation } = input;
  const width = features.length;
  if (width === 0) throw new EvidenceError('the window has no features');
  if (window.length === 0 || window.length % width !== 0)
    throw new EvidenceError(`the window has ${window.length} values, not a multiple of ${width} features`);
  const steps = window.length / width;
  if (steps < 4) throw new EvidenceError(`the window has ${steps} steps; evidence needs at least 4`);
  if (normalisation.mean.length !== width || normalisation.std.length !== width)
    throw new EvidenceError(
      `normalisation has ${normalisation.mean.length} means and ${normalisation.std.length} stds for ${width} features`,
    );
  const q = Math.max(1, Math.floor(steps / 4));
  const list: FeatureStats[] = [];
  for (let f = 0; f < width; f++) {
    const feature = features[f]!;
    const fleetMean = normalisation.mean[f]!;
    const fleetStd = normalisation.std[f]!;
    if (!Number.isFinite(fleetMean) || !Number.isFinite(fleetStd) || fleetStd <= 0)
      throw new EvidenceError(
        `normalisation of ${feature} is not usable (mean ${fleetMean}, std ${fleetStd})`,
      );
    const head = quarter(window, width, f, 0, q);
    const tail = quarter(window, width, f, steps - q, steps);
    if (head.n === 0 || tail.n === 0)
      throw new EvidenceError(
        `feature ${feature} has no finite value in the ${head.n === 0 ? 'first' : 'last'} quarter`,
      );
    const from = head.sum / head.n;
    const to = tail.sum / tail.n;
    list.push({
      feature,
      index: f,
      from,
      to,
      peak: tail.max,
      z: (to - fleetMean) / fleetStd,
      change: (to - from) / Math.max(Math.abs(from), fleetStd),
      fleetMean,
      fleetStd,
    });
  }
  return { steps, byFeature: new Map(list.map((s) => [s.feature, s])), list };
}

function quarter(
  w: ArrayLike<number>,
  width: number,
  f: number,
  from: number,
  to: number,
): { sum: number; n: number; max: number } {
  let sum = 0;
  let n = 0;
  let max = -Infinity;
  for (let s = from; s < to; s++) {
    const v = w[s * width + f]!;
    if (!Number.isFinite(v)) continue;
    sum += v;
    n++;
    if (v > max) max = v;
  }
  return { sum, n, max };
}

/**
 * Recent peak of `<metric>.max` over the typical `<metric>.mean`. The denominator is floored at
 * the fleet's normal level and spread, so a quiet device does not turn noise into "spikes".
 */
export function spikeRatio(stats: WindowStats, feature: string): number | null {
  const own = stats.byFeature.get(feature);
  if (!own) return null;
  const { metric } = splitFeature(feature);
  const peakSrc = stats.byFeature.get(`${metric}.max`) ?? own;
  const base = stats.byFeature.get(`${metric}.mean`) ?? own;
  const denom = Math.max(Math.abs(base.to), Math.abs(base.fleetMean), base.fleetStd, 1e-9);
  return peakSrc.peak / denom;
}

/**
 * The quantity a pattern is judged on, oriented so that larger means "more of the pattern", and
 * the threshold in the same orientation. Null when the window lacks the feature.
 */
export function patternMeasure(
  stats: WindowStats,
  feature: string,
  pattern: Pattern,
  threshold: number,
): { value: number; threshold: number } | null {
  const s = stats.byFeature.get(feature);
  if (!s) return null;
  switch (pattern) {
    case 'rising':
      return { value: s.change, threshold: Math.abs(threshold) };
    case 'falling':
      return { value: -s.change, threshold: Math.abs(threshold) };
    case 'above':
      return { value: s.z, threshold: Math.abs(threshold) };
    case 'below':
      return { value: -s.z, threshold: Math.abs(threshold) };
    case 'spikes': {
      const r = spikeRatio(stats, feature);
      return r === null ? null : { value: r, threshold: Math.abs(threshold) };
    }
    case 'gaps':
      // Coverage below the threshold: measured as the missing share against the allowed one.
      return { value: 1 - s.to, threshold: Math.max(1e-6, 1 - threshold) };
  }
}

/**
 * Degree of match 0…1: 0.5 exactly at the threshold, 1 at one and a half times it, 0 at half of
 * it. Partial credit below the threshold lets a near-miss still count a little.
 */
export function matchDegree(value: number, threshold: number): number {
  if (!(threshold > 0) || !Number.isFinite(value)) return 0;
  const d = value / threshold - 0.5;
  return d <= 0 ? 0 : d >= 1 ? 1 : d;
}

export function toEvidence(s: FeatureStats, pattern: Pattern, labels: LabelLookup): FeatureEvidence {
  const info = featureInfo(s.feature, labels);
  return {
    feature: s.feature,
    label: info.label,
    pattern,
    from: round(s.from),
    to: round(s.to),
    z: round(s.z),
    unit: info.unit,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Levels at which a pattern counts as notable when no knowledge graph says otherwise. */
const NOTABLE = { change: 0.3, z: 2, spikes: 5, gaps: 0.9 };

export interface FeatureReading {
  evidence: FeatureEvidence;
  /** Deviation against the notable level: 1 = just notable. */
  strength: number;
  context: boolean;
}

/** Each feature with its most pronounced pattern. */
export function readFeatures(stats: WindowStats, labels: LabelLookup): FeatureReading[] {
  return stats.list.map((s) => {
    const candidates: [Pattern, number][] =
      s.feature === 'coverage'
        ? [['gaps', (1 - s.to) / (1 - NOTABLE.gaps)]]
        : [
            [s.z >= 0 ? 'above' : 'below', Math.abs(s.z) / NOTABLE.z],
            [s.change >= 0 ? 'rising' : 'falling', Math.abs(s.change) / NOTABLE.change],
          ];
    if (s.feature.endsWith('.max'))
      candidates.push(['spikes', (spikeRatio(stats, s.feature) ?? 0) / NOTABLE.spikes]);
    let best = candidates[0]!;
    for (const c of candidates) if (c[1] > best[1]) best = c;
    return {
      evidence: toEvidence(s, best[0], labels),
      strength: best[1],
      context: featureInfo(s.feature, labels).context,
    };
  });
}

export interface DriverOptions {
  /** At most this many drivers (default 3). */
  limit?: number;
  /** Context features may be drivers too (default false). */
  includeContext?: boolean;
}

/**
 * The features that deviate most, strongest first, only those past the notable level: a window
 * where nothing stands out yields no drivers rather than the least boring noise.
 */
export function topDrivers(
  window: ArrayLike<number>,
  features: readonly string[],
  normalisation: EvidenceWindow['normalisation'],
  labels: LabelLookup,
  options: DriverOptions = {},
): FeatureEvidence[] {
  const limit = options.limit ?? 3;
  return readFeatures(windowStats({ window, features, normalisation }), labels)
    .filter((r) => r.strength >= 1 && (options.includeContext || !r.context))
    .sort((a, b) => b.strength - a.strength)
    .slice(0, limit)
    .map((r) => r.evidence);
}
