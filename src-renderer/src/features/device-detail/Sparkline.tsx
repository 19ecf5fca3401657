import { useCallback } from 'react';
import type { MetricDef } from '@shared/contract';
import { SparkCanvas, type SparkDraw, dot, strokeGapped } from '../../components/SparkCanvas';
import type { Line } from './device-series';

const W = 220;
const H = 44;
/** The part of the width the 5-minute history takes when there are recent samples too. */
const HISTORY_SHARE = 0.45;

/**
 * The y range a sparkline shows: the data, widened to the warn threshold so the band it crosses
 * is visible, padded, and clamped to the metric's range.
 */
export function sparkDomain(values: readonly (number | null)[], def: MetricDef): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [def.min, def.max];
  if (def.warn !== null) {
    lo = Math.min(lo, def.warn);
    hi = Math.max(hi, def.warn);
  }
  const pad = (hi - lo) * 0.1 || Math.max(Math.abs(hi) * 0.1, 1);
  return [Math.max(def.min, lo - pad), Math.min(def.max, hi + pad)];
}

/**
 * A light canvas sparkline: 5-minute history (dim) then recent samples (bright), over bands for
 * the metric's watch and alarm zones. Canvas instead of a chart per metric: a drawer shows six or
 * more of these and refreshes them every two seconds.
 */
export function Sparkline({ line, def, testId }: { line: Line; def: MetricDef; testId?: string }) {
  const draw = useCallback<SparkDraw>(
    (ctx) => {
      const [lo, hi] = sparkDomain(line.v, def);
      const y = (v: number) => H - 3 - ((v - lo) / (hi - lo || 1)) * (H - 6);
      const band = (from: number, to: number, colour: string) => {
        const a = Math.max(lo, Math.min(from, to));
        const b = Math.min(hi, Math.max(from, to));
        if (b <= a) return;
        ctx.fillStyle = colour;
        ctx.fillRect(0, y(b), W, y(a) - y(b));
      };
      if (def.warn !== null && def.alarm !== null) {
        if (def.higherIsWorse) {
          band(def.warn, def.alarm, 'rgba(242, 197, 61, 0.13)');
          band(def.alarm, def.max, 'rgba(229, 72, 77, 0.16)');
        } else {
          band(def.alarm, def.warn, 'rgba(242, 197, 61, 0.13)');
          band(def.min, def.alarm, 'rgba(229, 72, 77, 0.16)');
        }
      }
      const n = line.t.length;
      if (n === 0) return;
      // Two time scales side by side: the 5-minute history on the left part and the recent raw
      // samples (seconds apart) on the rest; on one scale the recent ones would be a sliver.
      const split = line.recentFrom > 0 && line.recentFrom < n ? HISTORY_SHARE : line.recentFrom >= n ? 1 : 0;
      const scale = (from: number, to: number, left: number, right: number) => {
        const t0 = line.t[from]!;
        const t1 = line.t[Math.max(from, to - 1)]!;
        return (t: number) => (t1 === t0 ? right : left + ((t - t0) / (t1 - t0)) * (right - left));
      };
      const xHistory = split > 0 ? scale(0, line.recentFrom, 2, 2 + split * (W - 4)) : null;
      const xRecent = split < 1 ? scale(line.recentFrom, n, 2 + split * (W - 4), W - 2) : null;
      const xAt = (i: number) => (i < line.recentFrom ? xHistory! : xRecent!)(line.t[i]!);
      const at = (i: number): [number, number] | null => {
        const v = line.v[i];
        if (v === null || v === undefined || !Number.isFinite(v)) return null;
        return [xAt(i), y(Math.min(hi, Math.max(lo, v)))];
      };
      // History to the first recent sample (inclusive) so the two parts join.
      strokeGapped(ctx, 0, Math.min(n, line.recentFrom + 1), at, 'rgba(120, 170, 220, 0.55)', 1);
      strokeGapped(ctx, line.recentFrom, n, at, '#3ba4ff', 1.5);
      for (let i = n - 1; i >= 0; i--) {
        const p = at(i);
        if (!p) continue;
        dot(ctx, p[0], p[1], 2, '#f3f7fb');
        break;
      }
    },
    [line, def],
  );
  return (
    <SparkCanvas
      width={W}
      height={H}
      draw={draw}
      className="dd-spark"
      testId={testId}
      points={line.t.length}
    />
  );
}
