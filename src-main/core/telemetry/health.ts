import type { MetricDef } from '@shared/contract';

/**
 * How far a value is into trouble: 0 at or below `warn`, 1 at or beyond `alarm`, linear between
 * (mirrored when lower is worse). Metrics without thresholds never count.
 */
export function severity(def: MetricDef, value: number): number {
  if (def.warn === null || def.alarm === null || def.weight === 0 || Number.isNaN(value)) return 0;
  const span = def.alarm - def.warn;
  const s = (value - def.warn) / span;
  return s <= 0 ? 0 : s >= 1 ? 1 : s;
}

/** Health 0–100: the worst weighted severity decides, so one metric in alarm makes a device unhealthy. */
export function healthOf(defs: readonly MetricDef[], latest: (slot: number) => number): number {
  let worst = 0;
  for (let slot = 0; slot < defs.length; slot++) {
    const def = defs[slot]!;
    if (def.weight === 0) continue;
    const s = severity(def, latest(slot)) * def.weight;
    if (s > worst) worst = s;
  }
  return Math.round(100 * (1 - worst));
}
