import { HEALTH_NO_DATA, HEALTH_OFFLINE, type MetricDef, type Priority } from '@shared/contract';
import { HEALTH_ALARM_MAX, HEALTH_GOOD_MIN, bandOf, metricScore, type HealthBand } from '@shared/domain';

/**
 * How the telemetry views read health and metric values: the bands and metric scores of the one
 * shared health scale (`@shared/domain`, the same rule the core scores devices with), and the
 * metric-neutral palette. Pure, so the heatmap, the device detail and their tests agree on every
 * colour and word.
 */
export { HEALTH_ALARM_MAX, HEALTH_GOOD_MIN, bandOf, hasThresholds, metricScore } from '@shared/domain';
export type Band = HealthBand;
export type Level = Band | 'offline' | 'noData';

const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x);

/** The level of a health byte as frames carry it (0–100, 254 no data, 255 offline), or of a number. */
export function healthLevel(health: number | null | undefined): Level {
  if (health === null || health === undefined || Number.isNaN(health) || health === HEALTH_NO_DATA)
    return 'noData';
  if (health === HEALTH_OFFLINE) return 'offline';
  return bandOf(health);
}

/** The band of a metric value by its thresholds; null without thresholds or value. */
export function metricBand(value: number, def: MetricDef): Band | null {
  const score = metricScore(value, def);
  return Number.isNaN(score) ? null : bandOf(score);
}

/** The priority a ticket opened from a device starts with. */
export function priorityFromHealth(health: number | null, offline: boolean): Priority {
  if (offline) return 'P2';
  if (health === null) return 'P3';
  if (health <= 15) return 'P1';
  if (health <= HEALTH_ALARM_MAX) return 'P2';
  if (health < HEALTH_GOOD_MIN) return 'P3';
  return 'P4';
}

/* ---------- palette ---------- */

/**
 * Cells carry a colour index, not a colour: 0 no data, 1 offline, 2…102 a score 0…100 on the
 * green–yellow–red scale, 103…203 a position 0…1 on the sequential scale used for metrics without
 * thresholds (output power, irradiance…). The chart maps indices to {@link PALETTE}.
 */
export const CI_NO_DATA = 0;
export const CI_OFFLINE = 1;
export const CI_SCORE = 2;
export const CI_SEQ = 103;
export const CI_COUNT = 204;

export const NO_DATA_COLOR = '#1c2633';
export const OFFLINE_COLOR = '#6b7a8f';

/** Score bands with a visible step at 40 and 80, and a gradient inside each band. */
const SCORE_STOPS: readonly [number, string][] = [
  [0, '#8f1d2a'],
  [40, '#e5484d'],
  [41, '#ef7a2e'],
  [79, '#f2c53d'],
  [80, '#8fcf4f'],
  [100, '#2bb567'],
];
const SEQ_STOPS: readonly [number, string][] = [
  [0, '#173a5e'],
  [50, '#1f8cf0'],
  [100, '#9be0ff'],
];

function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbHex(r: number, g: number, b: number): string {
  return `#${((1 << 24) | (Math.round(r) << 16) | (Math.round(g) << 8) | Math.round(b)).toString(16).slice(1)}`;
}

function rampAt(stops: readonly [number, string][], x: number): string {
  let i = 1;
  while (i < stops.length - 1 && x > stops[i]![0]) i++;
  const [x0, c0] = stops[i - 1]!;
  const [x1, c1] = stops[i]!;
  const f = x1 === x0 ? 1 : clamp01((x - x0) / (x1 - x0));
  const a = hexRgb(c0);
  const b = hexRgb(c1);
  return rgbHex(a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f);
}

/** The colour of a score 0–100. */
export function scoreColor(score: number): string {
  return rampAt(SCORE_STOPS, Math.round(Math.min(100, Math.max(0, score))));
}

/** The colour of a position 0–1 on the sequential scale. */
export function seqColor(frac: number): string {
  return rampAt(SEQ_STOPS, Math.round(clamp01(frac) * 100));
}

/** The colour of a health byte (0–100, 254, 255). */
export function healthColor(health: number | null | undefined): string {
  const level = healthLevel(health);
  if (level === 'noData') return NO_DATA_COLOR;
  if (level === 'offline') return OFFLINE_COLOR;
  return scoreColor(health!);
}

export const PALETTE: readonly string[] = Array.from({ length: CI_COUNT }, (_, i) => {
  if (i === CI_NO_DATA) return NO_DATA_COLOR;
  if (i === CI_OFFLINE) return OFFLINE_COLOR;
  if (i < CI_SEQ) return scoreColor(i - CI_SCORE);
  return seqColor((i - CI_SEQ) / 100);
});

export function scoreIndex(score: number): number {
  return CI_SCORE + Math.round(score <= 0 ? 0 : score >= 100 ? 100 : score);
}

export function seqIndex(frac: number): number {
  return CI_SEQ + Math.round(clamp01(frac) * 100);
}

/** The colour index of a health byte. */
export function healthIndex(health: number): number {
  if (health === HEALTH_OFFLINE) return CI_OFFLINE;
  if (health > 100) return CI_NO_DATA;
  return CI_SCORE + health;
}

/** A value with as many decimals as its size needs (6.3, 0.25, 812). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 1 : abs === 0 ? 0 : 2;
  return value.toFixed(digits);
}
