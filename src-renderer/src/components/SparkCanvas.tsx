import { useEffect, useRef } from 'react';

/** Draws one frame on a cleared context whose units are CSS pixels of the canvas box. */
export type SparkDraw = (ctx: CanvasRenderingContext2D) => void;

/**
 * A small fixed-size canvas for sparklines, sharp on high-DPI screens: sizes the backing store to
 * the device pixel ratio, clears it and calls `draw` whenever `draw` changes (memoise it on the
 * data it draws). Canvas instead of a chart library: a drawer shows many and refreshes them often.
 */
export function SparkCanvas({
  width,
  height,
  draw,
  className,
  testId,
  points,
}: {
  width: number;
  height: number;
  draw: SparkDraw;
  className: string;
  testId?: string;
  /** Exposed as data-points for tests. */
  points: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx);
  }, [width, height, draw]);
  return (
    <canvas
      ref={ref}
      className={className}
      style={{ width, height }}
      data-testid={testId}
      data-points={points}
    />
  );
}

/**
 * Strokes points from..to-1 as one line that breaks where `at` gives null (a missing value), so a
 * gap in the data shows as a gap rather than a straight line across it.
 */
export function strokeGapped(
  ctx: CanvasRenderingContext2D,
  from: number,
  to: number,
  at: (i: number) => readonly [number, number] | null,
  colour: string,
  width: number,
): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  let pen = false;
  for (let i = from; i < to; i++) {
    const p = at(i);
    if (!p) {
      pen = false;
      continue;
    }
    if (pen) ctx.lineTo(p[0], p[1]);
    else ctx.moveTo(p[0], p[1]);
    pen = true;
  }
  ctx.stroke();
}

/** A filled dot, e.g. on a sparkline's latest value. */
export function dot(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  radius: number,
  colour: string,
): void {
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, Math.PI * 2);
  ctx.fill();
}
