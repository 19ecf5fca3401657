import { useCallback } from 'react';
import { SparkCanvas, type SparkDraw, dot, strokeGapped } from '../../components/SparkCanvas';

const W = 260;
const H = 48;

/**
 * The 24 h failure probability per cycle as a small canvas line on a fixed 0…1 scale, over faint
 * watch (0.3) and high (0.6) bands, so two devices' sparklines read the same way.
 */
export function RiskSparkline({ values, testId }: { values: readonly number[]; testId?: string }) {
  const draw = useCallback<SparkDraw>(
    (ctx) => {
      const y = (p: number) => H - 3 - Math.max(0, Math.min(1, p)) * (H - 6);
      ctx.fillStyle = 'rgba(242, 197, 61, 0.10)';
      ctx.fillRect(0, y(0.6), W, y(0.3) - y(0.6));
      ctx.fillStyle = 'rgba(229, 72, 77, 0.13)';
      ctx.fillRect(0, y(1), W, y(0.6) - y(1));
      const n = values.length;
      if (n === 0) return;
      const x = (i: number) => (n === 1 ? W - 3 : 3 + (i / (n - 1)) * (W - 6));
      const at = (i: number): [number, number] | null =>
        Number.isFinite(values[i]) ? [x(i), y(values[i]!)] : null;
      strokeGapped(ctx, 0, n, at, '#3ba4ff', 1.5);
      const last = values[n - 1]!;
      if (Number.isFinite(last))
        dot(ctx, x(n - 1), y(last), 2.5, last >= 0.6 ? '#ff4d4f' : last >= 0.3 ? '#f5b02a' : '#f3f7fb');
    },
    [values],
  );
  return (
    <SparkCanvas
      width={W}
      height={H}
      draw={draw}
      className="pp-spark"
      testId={testId}
      points={values.length}
    />
  );
}
