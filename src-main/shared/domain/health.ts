import type { MetricDef } from '../contract';

/**
 * One health scale for the core, the heatmap, the map and the device detail: 0–100, higher is
 * better, ≥ 80 normal, 41–79 watch, ≤ 40 alarm. A metric scores 100…80 as it approaches its `warn`
 * threshold (over a margin as wide as the warn–alarm span), 80…40 from `warn` to `alarm`, and 40…0
 * from `alarm` to the end of its range — so "watch" and "alarm" mean exactly the configured
 * thresholds, wherever they are read.
 */
export const HEALTH_GOOD_MIN = 80;
export const HEALTH_ALARM_MAX = 40;

export type HealthBand = 'good' | 'warn' | 'alarm';

export function bandOf(score: number): HealthBand {
  if (score >= HEALTH_GOOD_MIN) return 'good';
  if (score <= HEALTH_ALARM_MAX) return 'alarm';
  return 'warn';
}

const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x);

export function hasThresholds(def: Pick<MetricDef, 'warn' | 'alarm'>): boolean {
  return def.warn !== null && def.alarm !== null;
}

/** The score (0–100) of a metric value; NaN for a missing value or a metric without thresholds. */
export function metricScore(
  value: number,
  def: Pick<MetricDef, 'warn' | 'alarm' | 'min' | 'max' | 'higherIsWorse'>,
): number {
  const { warn, alarm } = def;
  if (!Number.isFinite(value) || warn === null || alarm === null) return Number.NaN;
  // Mirror a lower-is-worse metric so the arithmetic below reads one way.
  const s = def.higherIsWorse ? 1 : -1;
  const v = s * value;
  const w = s * warn;
  const a = s * alarm;
  const end = def.higherIsWorse ? def.max : -def.min;
  const span = a - w;
  if (v <= w) {
    const from = Math.max(def.higherIsWorse ? def.min : -def.max, w - span);
    return w > from ? 100 - 20 * clamp01((v - from) / (w - from)) : 100;
  }
  if (v < a) return 80 - (40 * (v - w)) / span;
  return end > a ? 40 - 40 * clamp01((v - a) / (end - a)) : 0;
}

/**
 * A device's health from its latest metric values: the worst weighted metric score. A weight of 1
 * lets one metric decide alone; 0.5 halves how far that metric can pull health down.
 */
export function healthOf(defs: readonly MetricDef[], latest: (slot: number) => number): number {
  let health = 100;
  for (let slot = 0; slot < defs.length; slot++) {
    const def = defs[slot]!;
    if (def.weight === 0) continue;
    const score = metricScore(latest(slot), def);
    if (Number.isNaN(score)) continue;
    const weighted = 100 - def.weight * (100 - score);
    if (weighted < health) health = weighted;
  }
  return Math.round(health);
}
