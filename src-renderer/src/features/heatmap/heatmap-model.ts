import {
  HEALTH_NO_DATA,
  HEALTH_OFFLINE,
  type Device,
  type DeviceKind,
  type MetricDef,
} from '@shared/contract';
import {
  CI_NO_DATA,
  CI_OFFLINE,
  HEALTH_GOOD_MIN,
  bandOf,
  hasThresholds,
  healthIndex,
  metricScore,
  scoreIndex,
  seqIndex,
  type Level,
} from './health-scale';

/**
 * The heatmap's data model, kept out of React and ECharts so it can be tested and so the 1 Hz path
 * is plain loops over typed arrays.
 *
 * A layout is built once per registry version and view setting (grouping, colour, filters): rows,
 * columns, which device each cell shows, and the cells' [column, row, colour index] array. A frame
 * then only rewrites the colour index of each cell in place ({@link fillFrame}); the chart sorts
 * the cells into colour buckets from it (HeatmapChart) and sets only its series data.
 */

export type Grouping = 'siteDevice' | 'siteMetric';
export type Aggregate = 'worst' | 'mean';

/** The first column of site × metric: the devices' overall health. */
export const HEALTH_COLUMN = '__health';

export interface LayoutOptions {
  grouping: Grouping;
  /** site × device: null colours by health, else by this metric. Ignored for site × metric. */
  colourBy: string | null;
  aggregate: Aggregate;
  /** Only devices of this region (null: all). */
  region: string | null;
  /** Case-insensitive substring of site, SN, region or model. */
  search: string;
  /** Only these sites (the "only degrading" toggle); null: all. */
  sites: ReadonlySet<string> | null;
}

export interface HeatmapRow {
  site: string;
  region: string;
  /** Device indices (registry order) in this site, in registry order. */
  devices: number[];
}

export interface HeatmapColumn {
  /** site × device: the slot number ("1", "2"…); site × metric: the metric key or HEALTH_COLUMN. */
  key: string;
}

export interface HeatmapLayout {
  grouping: Grouping;
  colourBy: string | null;
  aggregate: Aggregate;
  rows: HeatmapRow[];
  columns: HeatmapColumn[];
  /** Every device the layout shows (for the band counts). */
  shown: Int32Array;
  cellRow: Int32Array;
  cellCol: Int32Array;
  /**
   * The device a cell stands for: fixed for site × device; for site × metric the worst device of
   * the site on that column, rewritten each frame (-1 while no device has data).
   */
  cellDevice: Int32Array;
  /** The value the tooltip shows: the metric value (site × device) or the aggregate (site × metric). */
  cellValue: Float32Array;
  /** Per cell: [column, row, colour index (health-scale CI_*)]; the same arrays every frame. */
  data: [number, number, number][];
  /** Per device index: its kind's definition of each column metric (site × metric) or of colourBy. */
  defOf: (device: number, column: number) => MetricDef | null;
}

/** What a frame gives the model: health in registry order and a metric's latest values. */
export interface FrameInput {
  health: Uint8Array | null;
  values: (metric: string) => Float32Array | null;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Metric keys in the order the kinds define them, first appearance wins, for the kinds in use. */
export function metricKeysOf(kinds: readonly DeviceKind[], usedKinds?: ReadonlySet<string>): string[] {
  const keys: string[] = [];
  for (const k of kinds) {
    if (usedKinds && !usedKinds.has(k.id)) continue;
    for (const m of k.metrics) if (!keys.includes(m.key)) keys.push(m.key);
  }
  return keys;
}

/** The definition of a metric: that of the first kind in use that has it (labels and units). */
export function metricDefOf(
  kinds: readonly DeviceKind[],
  key: string,
  usedKinds?: ReadonlySet<string>,
): MetricDef | null {
  for (const k of kinds) {
    if (usedKinds && !usedKinds.has(k.id)) continue;
    const def = k.metrics.find((m) => m.key === key);
    if (def) return def;
  }
  return null;
}

export function matchesFilter(d: Device, region: string | null, search: string): boolean {
  if (region !== null && d.region !== region) return false;
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return (
    d.site.toLowerCase().includes(q) ||
    d.sn.toLowerCase().includes(q) ||
    d.region.toLowerCase().includes(q) ||
    d.model.toLowerCase().includes(q)
  );
}

export function regionsOf(devices: readonly Device[]): string[] {
  return [...new Set(devices.map((d) => d.region))].sort(collator.compare);
}

/** Rows = sites (ordered by region, then site name), each with its devices in registry order. */
export function groupBySite(devices: readonly Device[], options: LayoutOptions): HeatmapRow[] {
  const bySite = new Map<string, HeatmapRow>();
  devices.forEach((d, i) => {
    if (!matchesFilter(d, options.region, options.search)) return;
    if (options.sites && !options.sites.has(d.site)) return;
    let row = bySite.get(d.site);
    if (!row) {
      row = { site: d.site, region: d.region, devices: [] };
      bySite.set(d.site, row);
    }
    row.devices.push(i);
  });
  return [...bySite.values()].sort(
    (a, b) => collator.compare(a.region, b.region) || collator.compare(a.site, b.site),
  );
}

export function buildLayout(
  devices: readonly Device[],
  kinds: readonly DeviceKind[],
  options: LayoutOptions,
): HeatmapLayout {
  const rows = groupBySite(devices, options);
  const kindIndex = new Map(kinds.map((k, i) => [k.id, i]));
  const shownList: number[] = [];
  for (const r of rows) for (const i of r.devices) shownList.push(i);
  const shown = Int32Array.from(shownList);

  let columns: HeatmapColumn[];
  let columnMetric: (string | null)[];
  if (options.grouping === 'siteDevice') {
    const width = rows.reduce((m, r) => Math.max(m, r.devices.length), 0);
    columns = Array.from({ length: width }, (_, i) => ({ key: String(i + 1) }));
    columnMetric = columns.map(() => options.colourBy);
  } else {
    const used = new Set(shownList.map((i) => devices[i]!.kind));
    const keys = [HEALTH_COLUMN, ...metricKeysOf(kinds, used)];
    columns = keys.map((key) => ({ key }));
    columnMetric = keys.map((k) => (k === HEALTH_COLUMN ? null : k));
  }

  // Per kind × column: the kind's definition of the column's metric (kinds differ in ranges).
  const defTable: (MetricDef | null)[][] = kinds.map((k) =>
    columnMetric.map((key) => (key === null ? null : (k.metrics.find((m) => m.key === key) ?? null))),
  );
  const deviceKind = Int32Array.from(devices, (d) => kindIndex.get(d.kind) ?? -1);
  const defOf = (device: number, column: number): MetricDef | null => {
    const k = deviceKind[device] ?? -1;
    return k < 0 ? null : (defTable[k]![column] ?? null);
  };

  const count = options.grouping === 'siteDevice' ? shown.length : rows.length * columns.length;
  const cellRow = new Int32Array(count);
  const cellCol = new Int32Array(count);
  const cellDevice = new Int32Array(count).fill(-1);
  const data: [number, number, number][] = new Array(count);
  let c = 0;
  rows.forEach((row, y) => {
    if (options.grouping === 'siteDevice') {
      row.devices.forEach((dev, x) => {
        cellRow[c] = y;
        cellCol[c] = x;
        cellDevice[c] = dev;
        data[c] = [x, y, CI_NO_DATA];
        c++;
      });
    } else {
      for (let x = 0; x < columns.length; x++) {
        cellRow[c] = y;
        cellCol[c] = x;
        data[c] = [x, y, CI_NO_DATA];
        c++;
      }
    }
  });
  return {
    grouping: options.grouping,
    colourBy: options.grouping === 'siteDevice' ? options.colourBy : null,
    aggregate: options.aggregate,
    rows,
    columns,
    shown,
    cellRow,
    cellCol,
    cellDevice,
    cellValue: new Float32Array(count).fill(Number.NaN),
    data,
    defOf,
  };
}

/** The colour index of one device's metric value (offline wins: its last value is stale). */
export function metricIndex(value: number, def: MetricDef | null, health: number): number {
  if (health === HEALTH_OFFLINE) return CI_OFFLINE;
  if (!def || !Number.isFinite(value)) return CI_NO_DATA;
  if (hasThresholds(def)) return scoreIndex(metricScore(value, def));
  return seqIndex(def.max > def.min ? (value - def.min) / (def.max - def.min) : 0);
}

/**
 * Rewrites every cell's colour index (and tooltip value, and for site × metric its worst device)
 * from a frame. Allocates nothing: this runs once a second over up to 20,000 cells.
 */
export function fillFrame(layout: HeatmapLayout, frame: FrameInput): void {
  const { data, cellDevice, cellValue } = layout;
  const health = frame.health;
  if (layout.grouping === 'siteDevice') {
    const values = layout.colourBy ? frame.values(layout.colourBy) : null;
    for (let c = 0; c < data.length; c++) {
      const dev = cellDevice[c]!;
      const h = health ? (health[dev] ?? HEALTH_NO_DATA) : HEALTH_NO_DATA;
      if (layout.colourBy === null) {
        data[c]![2] = healthIndex(h);
        cellValue[c] = h <= 100 ? h : Number.NaN;
      } else {
        const v = values ? (values[dev] ?? Number.NaN) : Number.NaN;
        cellValue[c] = v;
        data[c]![2] = metricIndex(v, layout.defOf(dev, 0), h);
      }
    }
    return;
  }

  const cols = layout.columns.length;
  const colValues = layout.columns.map((col) => (col.key === HEALTH_COLUMN ? null : frame.values(col.key)));
  const worst = layout.aggregate === 'worst';
  layout.rows.forEach((row, y) => {
    for (let x = 0; x < cols; x++) {
      const c = y * cols + x;
      const values = colValues[x];
      const isHealth = layout.columns[x]!.key === HEALTH_COLUMN;
      let n = 0;
      let offline = 0;
      let sum = 0;
      let sumValue = 0;
      let worstScore = Infinity;
      let worstDev = -1;
      let worstValue = Number.NaN;
      let seq = false;
      let seqSum = 0;
      // Metrics without thresholds have no "worst": they show the mean on the sequential scale,
      // and a click opens the site's least healthy device.
      let leastHealthy = Infinity;
      let leastHealthyDev = -1;
      for (const dev of row.devices) {
        const h = health ? (health[dev] ?? HEALTH_NO_DATA) : HEALTH_NO_DATA;
        if (h === HEALTH_OFFLINE) {
          offline++;
          continue;
        }
        if (h <= 100 && h < leastHealthy) {
          leastHealthy = h;
          leastHealthyDev = dev;
        }
        let score: number;
        let value: number;
        if (isHealth) {
          if (h > 100) continue;
          score = h;
          value = h;
        } else {
          const def = layout.defOf(dev, x);
          value = values ? (values[dev] ?? Number.NaN) : Number.NaN;
          if (!def || !Number.isFinite(value)) continue;
          if (!hasThresholds(def)) {
            seq = true;
            seqSum += def.max > def.min ? (value - def.min) / (def.max - def.min) : 0;
            sumValue += value;
            n++;
            continue;
          }
          score = metricScore(value, def);
        }
        n++;
        sum += score;
        sumValue += value;
        if (score < worstScore) {
          worstScore = score;
          worstDev = dev;
          worstValue = value;
        }
      }
      if (n === 0) {
        data[c]![2] = offline > 0 && offline === row.devices.length ? CI_OFFLINE : CI_NO_DATA;
        cellValue[c] = Number.NaN;
        cellDevice[c] = row.devices[0] ?? -1;
      } else if (seq) {
        data[c]![2] = seqIndex(seqSum / n);
        cellValue[c] = sumValue / n;
        cellDevice[c] = leastHealthyDev >= 0 ? leastHealthyDev : row.devices[0]!;
      } else {
        data[c]![2] = scoreIndex(worst ? worstScore : sum / n);
        cellValue[c] = worst ? worstValue : sumValue / n;
        cellDevice[c] = worstDev;
      }
    }
  });
}

export interface BandCounts {
  good: number;
  warn: number;
  alarm: number;
  offline: number;
  noData: number;
}

export function countBands(health: Uint8Array | null, shown: ArrayLike<number>): BandCounts {
  const out: BandCounts = { good: 0, warn: 0, alarm: 0, offline: 0, noData: 0 };
  for (let i = 0; i < shown.length; i++) {
    const h = health ? (health[shown[i]!] ?? HEALTH_NO_DATA) : HEALTH_NO_DATA;
    if (h === HEALTH_OFFLINE) out.offline++;
    else if (h > 100) out.noData++;
    else out[bandOf(h)]++;
  }
  return out;
}

/** A device "degrades" when it is below normal health or offline. */
export function isDegrading(h: number): boolean {
  return h === HEALTH_OFFLINE || h < HEALTH_GOOD_MIN;
}

/**
 * The sites with at least one degrading device, as a sorted key: the page rebuilds its layout
 * only when this key changes, not on every frame.
 */
export function degradingSitesKey(devices: readonly Device[], health: Uint8Array | null): string {
  if (!health) return '';
  const sites = new Set<string>();
  for (let i = 0; i < devices.length; i++)
    if (isDegrading(health[i] ?? HEALTH_NO_DATA)) sites.add(devices[i]!.site);
  return [...sites].sort().join('\u0000');
}

export function sitesFromKey(key: string): Set<string> {
  return new Set(key ? key.split('\u0000') : []);
}

/** The level the tooltip names for a health byte. */
export function levelOfByte(h: number): Level {
  if (h === HEALTH_OFFLINE) return 'offline';
  if (h > 100) return 'noData';
  return bandOf(h);
}

/** The cell at column x, row y (clamped to the row's last cell); -1 outside. */
export function findCell(layout: HeatmapLayout, x: number, y: number): number {
  if (y < 0 || y >= layout.rows.length || x < 0) return -1;
  if (layout.grouping === 'siteMetric') {
    const cols = layout.columns.length;
    return x >= cols ? -1 : y * cols + x;
  }
  let start = 0;
  for (let r = 0; r < y; r++) start += layout.rows[r]!.devices.length;
  const len = layout.rows[y]!.devices.length;
  if (len === 0) return -1;
  return start + Math.min(x, len - 1);
}
