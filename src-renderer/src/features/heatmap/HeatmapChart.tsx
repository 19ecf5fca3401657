import { useEffect, useRef } from 'react';
import { useStores } from '../../app/stores-context';
import { BUCKET_COLOR, BUCKET_COUNT, BUCKET_OF } from './colour-buckets';
import { echarts, type EChartsInstance } from './echarts-setup';
import { fillFrame, findCell, type HeatmapLayout } from './heatmap-model';
import type { MetricFrames } from './metric-frames';

/** The user-timing name of one frame's update (fill + setOption); the bench observes it. */
export const UPDATE_MEASURE = 'heatmap-update';

const ROW_MIN_PX = 9;
const GRID_TOP = 30;
const SLIDER_W = 26;
const LABEL_MIN = 90;
const LABEL_MAX = 300;
/** Series index of the keyboard cursor's outline; the bucket series follow it. */
const CURSOR_SERIES = 0;
const FIRST_BUCKET_SERIES = 1;

interface Props {
  layout: HeatmapLayout;
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  /** Extra metric values for site × metric (null otherwise). */
  extra: MetricFrames | null;
  /** The tooltip's HTML for a cell; `done` gets a second version once slow parts (last seen) arrive. */
  tooltip: (cell: number, done: (html: string) => void) => string;
  onPick: (cell: number) => void;
  label: string;
  /** Accessible name of a cell, for the keyboard cursor. */
  cellLabel: (cell: number) => string;
}

/** Where each cell went in the last frame: its bucket series and its index there, and back. */
interface Placement {
  cellBucket: Uint8Array;
  cellPos: Int32Array;
  bucketCells: Int32Array[];
}

/**
 * The heatmap canvas. React renders this once per layout; frames go from the fleet store straight
 * to ECharts, at most once per animation frame and with no React render.
 *
 * Cells are drawn as large-mode scatter series on the category grid, one series per colour
 * bucket: ECharts draws each as one path (fillRect per cell), where a heatmap series re-creates an
 * element per cell on every update. Each frame sets only the series' data (flat Float32Arrays of
 * column/row pairs); axes, sizes and styles are set once per layout (and on resize).
 */
export function HeatmapChart({
  layout,
  rowLabels,
  columnLabels,
  extra,
  tooltip,
  onPick,
  label,
  cellLabel,
}: Props) {
  const { fleet } = useStores();
  const host = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsInstance | null>(null);
  const cursor = useRef<number>(-1);
  const placement = useRef<Placement | null>(null);
  /** Moves the keyboard cursor (set per layout, with the chart it draws on). */
  const moveCursorRef = useRef<((cell: number) => void) | null>(null);
  const live = useRef({ tooltip, onPick, cellLabel });
  live.current = { tooltip, onPick, cellLabel };

  // One ECharts instance for the component's life.
  useEffect(() => {
    const chart = echarts.init(host.current!, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    return () => {
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  /** The cell under a series' data index (tooltip, click). */
  const cellOf = (seriesIndex: number, dataIndex: number): number => {
    if (seriesIndex === CURSOR_SERIES) return cursor.current;
    return placement.current?.bucketCells[seriesIndex - FIRST_BUCKET_SERIES]?.[dataIndex] ?? -1;
  };

  // Per layout: axes, sizes and the series; then frames.
  useEffect(() => {
    const chart = chartRef.current;
    const el = host.current;
    if (!chart || !el) return;
    const rows = layout.rows.length;
    const cols = layout.columns.length;
    const siteMetric = layout.grouping === 'siteMetric';
    const fontFamily = getComputedStyle(el).fontFamily;
    const left = labelWidth(rowLabels, fontFamily) + 14;
    cursor.current = -1;
    let visibleRows = rows;

    const setFrame = (p: Placement): void => {
      chart.setOption(
        {
          series: [
            { id: 'cursor', data: cursorData() },
            ...p.bucketCells.map((cells, b) => ({ id: `b${b}`, data: pairs(layout, cells) })),
          ],
        },
        { silent: true },
      );
    };
    const cursorData = (): number[][] =>
      cursor.current >= 0 ? [[layout.cellCol[cursor.current]!, layout.cellRow[cursor.current]!]] : [];

    /** Axes, grid and series styles for the current size. */
    const setFrame0 = (): void => {
      const plotH = Math.max(80, el.clientHeight - GRID_TOP - 12);
      const fit = Math.max(1, Math.floor(plotH / ROW_MIN_PX));
      const zoom = rows > fit;
      visibleRows = Math.min(rows, fit);
      const availW = Math.max(40, el.clientWidth - left - (zoom ? SLIDER_W + 12 : 16));
      const cellH = plotH / visibleRows;
      // Cells may be wider than tall (rows are many, slots few) but not stretched across a wide
      // screen; metric columns get room for their names.
      const cellW = Math.min(availW / Math.max(1, cols), siteMetric ? 140 : Math.max(cellH * 3, 32));
      const gap = Math.min(cellW, cellH) >= 7 ? 1 : 0;
      const size = [Math.max(1, cellW - gap), Math.max(1, cellH - gap)];
      const old = chart.getOption() as { dataZoom?: { startValue?: number }[] } | undefined;
      const start = zoom ? Math.min(old?.dataZoom?.[0]?.startValue ?? 0, rows - fit) : 0;
      chart.setOption(
        {
          animation: false,
          backgroundColor: 'transparent',
          textStyle: { fontFamily },
          grid: {
            left,
            right: zoom ? SLIDER_W + 12 : 16,
            top: GRID_TOP,
            height: cellH * visibleRows,
            width: cellW * cols,
          },
          xAxis: {
            type: 'category',
            position: 'top',
            data: [...columnLabels],
            axisLine: { show: false },
            axisTick: { show: false },
            splitLine: { show: false },
            axisLabel: { color: '#8a9bb0', fontSize: 11, interval: siteMetric ? 0 : 'auto' },
          },
          yAxis: {
            type: 'category',
            inverse: true,
            data: [...rowLabels],
            axisLine: { show: false },
            axisTick: { show: false },
            splitLine: { show: false },
            axisLabel: { color: '#aebdcd', fontSize: 11, width: left - 10, overflow: 'truncate' },
          },
          dataZoom: zoom
            ? [
                {
                  type: 'inside',
                  yAxisIndex: 0,
                  startValue: start,
                  endValue: start + fit - 1,
                  zoomLock: true,
                  zoomOnMouseWheel: false,
                  moveOnMouseWheel: true,
                  moveOnMouseMove: false,
                  filterMode: 'filter',
                },
                {
                  type: 'slider',
                  yAxisIndex: 0,
                  right: 8,
                  width: 14,
                  startValue: start,
                  endValue: start + fit - 1,
                  zoomLock: true,
                  showDetail: false,
                  brushSelect: false,
                  filterMode: 'filter',
                  borderColor: '#263241',
                  fillerColor: 'rgba(59,164,255,0.18)',
                  handleStyle: { color: '#34445a' },
                  backgroundColor: '#0f141b',
                },
              ]
            : [],
          tooltip: {
            trigger: 'item',
            confine: true,
            className: 'heatmap-tooltip',
            transitionDuration: 0,
            backgroundColor: '#18212c',
            borderColor: '#34445a',
            padding: [8, 10],
            textStyle: { color: '#dbe4ee', fontSize: 12 },
            formatter: ((
              params: { seriesIndex: number; dataIndex: number },
              ticket: string,
              callback: (t: string, h: string) => void,
            ) => {
              const cell = cellOf(params.seriesIndex, params.dataIndex);
              return cell < 0 ? '' : live.current.tooltip(cell, (html) => callback(ticket, html));
            }) as never,
          },
          series: [
            {
              id: 'cursor',
              type: 'scatter',
              symbol: 'rect',
              symbolSize: [size[0]! + 2, size[1]! + 2],
              itemStyle: { color: 'transparent', borderColor: '#f3f7fb', borderWidth: 2 },
              z: 3,
              silent: false,
              data: cursorData(),
            },
            ...BUCKET_COLOR.map((color, b) => ({
              id: `b${b}`,
              type: 'scatter',
              symbol: 'rect',
              symbolSize: size,
              large: true,
              largeThreshold: 400,
              itemStyle: { color, opacity: 1 },
              emphasis: { itemStyle: { borderColor: '#f3f7fb', borderWidth: 1 } },
              z: 2,
              data: [],
            })),
          ],
        },
        { notMerge: true },
      );
      el.dataset.cells = String(layout.data.length);
      el.dataset.rows = String(rows);
      el.dataset.cols = String(cols);
    };

    let frames = 0;
    let scheduled = 0;
    const apply = (): void => {
      scheduled = 0;
      const s = fleet.getState();
      const t0 = performance.now();
      fillFrame(layout, {
        health: s.health,
        values: (key) => (key === s.metric && s.values ? s.values : (extra?.get(key) ?? null)),
      });
      const p = place(layout);
      const prev = placement.current;
      placement.current = p;
      // Same bucket for every cell as last frame (a quiet fleet): the picture is the same.
      if (!prev || !sameBuckets(prev.cellBucket, p.cellBucket)) setFrame(p);
      performance.measure(UPDATE_MEASURE, { start: t0, end: performance.now() });
      // Observers (the bench) have the entry; the buffer keeps none.
      performance.clearMeasures(UPDATE_MEASURE);
      frames++;
      el.dataset.frames = String(frames);
      el.dataset.frameAt = String(s.frameAt ?? '');
      if (frames === 1) publishFirstCell();
    };
    // The first cell's centre, so tests can point at a cell.
    const publishFirstCell = (): void => {
      if (layout.data.length === 0) return;
      const [x, y] = layout.data[0]!;
      const px = chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [x, y]) as number[] | undefined;
      if (px) el.dataset.firstCell = `${Math.round(px[0]!)},${Math.round(px[1]!)}`;
    };
    const schedule = (): void => {
      if (!scheduled) scheduled = requestAnimationFrame(apply);
    };
    setFrame0();
    placement.current = null;
    apply();
    const ro = new ResizeObserver(() => {
      chart.resize();
      setFrame0();
      if (placement.current) setFrame(placement.current);
      publishFirstCell();
    });
    ro.observe(el);
    const off = fleet.subscribe((s, prev) => {
      if (s.health !== prev.health || s.values !== prev.values) schedule();
    });
    const offExtra = extra ? extra.subscribe(schedule) : null;
    moveCursorRef.current = (next: number) => {
      cursor.current = next;
      const row = layout.cellRow[next]!;
      const zoom = (chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] })
        .dataZoom;
      const z = zoom?.[0];
      if (z && typeof z.startValue === 'number' && typeof z.endValue === 'number') {
        const span = z.endValue - z.startValue;
        if (row < z.startValue || row > z.endValue) {
          const start = row < z.startValue ? row : row - span;
          chart.dispatchAction({
            type: 'dataZoom',
            dataZoomIndex: 0,
            startValue: start,
            endValue: start + span,
          });
        }
      }
      chart.setOption({ series: [{ id: 'cursor', data: cursorData() }] }, { silent: true });
      chart.dispatchAction({ type: 'showTip', seriesIndex: CURSOR_SERIES, dataIndex: 0 });
    };
    return () => {
      ro.disconnect();
      off();
      offExtra?.();
      if (scheduled) cancelAnimationFrame(scheduled);
      moveCursorRef.current = null;
    };
  }, [layout, rowLabels, columnLabels, extra, fleet]);

  // Clicks: the cell's device (site × metric: the site's worst device on that column).
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    const onClick = (p: { seriesIndex?: number; dataIndex?: number }) => {
      if (typeof p.seriesIndex !== 'number' || typeof p.dataIndex !== 'number') return;
      const cell = cellOf(p.seriesIndex, p.dataIndex);
      if (cell >= 0) live.current.onPick(cell);
    };
    chart.on('click', onClick);
    return () => {
      chart.off('click', onClick);
    };
  }, []);

  /** Keyboard: arrows move a cursor over the cells (with the tooltip), Enter opens its device. */
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (layout.data.length === 0) return;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    if (e.key === 'Enter' || e.key === ' ') {
      if (cursor.current >= 0) {
        e.preventDefault();
        live.current.onPick(cursor.current);
      }
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    let next = 0;
    if (cursor.current >= 0) {
      next = findCell(
        layout,
        layout.cellCol[cursor.current]! + move[0],
        layout.cellRow[cursor.current]! + move[1],
      );
      if (next < 0) return;
    }
    moveCursorRef.current?.(next);
    host.current?.setAttribute('aria-valuetext', live.current.cellLabel(next));
  };

  return (
    <div
      ref={host}
      className="heatmap-chart"
      data-testid="heatmap-chart"
      tabIndex={0}
      role="application"
      aria-label={label}
      onKeyDown={onKeyDown}
      onBlur={() => chartRef.current?.dispatchAction({ type: 'hideTip' })}
    />
  );
}

/** Sorts the cells into colour buckets by their colour index (two passes, no per-cell objects). */
export function place(layout: HeatmapLayout): Placement {
  const n = layout.data.length;
  const counts = new Int32Array(BUCKET_COUNT);
  const cellBucket = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const b = BUCKET_OF[layout.data[c]![2]] ?? 0;
    cellBucket[c] = b;
    counts[b]!++;
  }
  const bucketCells = Array.from(counts, (k) => new Int32Array(k));
  const fill = new Int32Array(BUCKET_COUNT);
  const cellPos = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const b = cellBucket[c]!;
    cellPos[c] = fill[b]!;
    bucketCells[b]![fill[b]!++] = c;
  }
  return { cellBucket, cellPos, bucketCells };
}

function sameBuckets(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A bucket's cells as the flat [column, row, column, row…] array large scatter series take. */
function pairs(layout: HeatmapLayout, cells: Int32Array): Float32Array {
  const out = new Float32Array(cells.length * 2);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    out[2 * i] = layout.cellCol[c]!;
    out[2 * i + 1] = layout.cellRow[c]!;
  }
  return out;
}

let measurer: CanvasRenderingContext2D | null = null;

/** Room for the longest site name (11 px labels), within bounds: long names are truncated. */
function labelWidth(labels: readonly string[], fontFamily: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return LABEL_MAX / 2;
  measurer.font = `11px ${fontFamily}`;
  let w = 0;
  for (const l of labels) w = Math.max(w, measurer.measureText(l).width);
  return Math.round(Math.min(LABEL_MAX, Math.max(LABEL_MIN, w + 4)));
}
