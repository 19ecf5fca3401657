import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE_KINDS } from '@shared/domain';
import type { Device } from '@shared/contract';
import { CI_NO_DATA, CI_OFFLINE, CI_SCORE, CI_SEQ, PALETTE, scoreColor } from './health-scale';
import {
  HEALTH_COLUMN,
  buildLayout,
  countBands,
  degradingSitesKey,
  fillFrame,
  metricIndex,
  metricKeysOf,
  sitesFromKey,
  type LayoutOptions,
} from './heatmap-model';

const dev = (sn: string, site: string, region = '西湖区', kind = 'pv-inverter'): Device => ({
  sn,
  kind,
  site,
  region,
  lng: 120.1,
  lat: 30.2,
  model: 'SG-110',
  installDate: null,
  metadata: {},
  version: 1,
  updatedAt: '2026-11-24T00:00:00.000Z',
});

const opts = (o: Partial<LayoutOptions> = {}): LayoutOptions => ({
  grouping: 'siteDevice',
  colourBy: null,
  aggregate: 'worst',
  region: null,
  search: '',
  sites: null,
  ...o,
});

const kinds = DEFAULT_DEVICE_KINDS;
const devices = [
  dev('A1', '站点B', '上城区'),
  dev('B1', '站点A'),
  dev('A2', '站点B', '上城区'),
  dev('B2', '站点A'),
  dev('B3', '站点A'),
];
const noValues = () => null;

describe('heatmap layout', () => {
  it('groups devices by site, ordered by region then site, with slots in registry order', () => {
    const layout = buildLayout(devices, kinds, opts());
    // 上城区 (shàng) sorts before 西湖区 (xī) in Chinese collation.
    expect(layout.rows.map((r) => r.site)).toEqual(['站点B', '站点A']);
    const bySite = Object.fromEntries(layout.rows.map((r) => [r.site, r.devices]));
    expect(bySite['站点A']).toEqual([1, 3, 4]);
    expect(bySite['站点B']).toEqual([0, 2]);
    expect(layout.columns.map((c) => c.key)).toEqual(['1', '2', '3']);
    expect(layout.data).toHaveLength(5);
    expect(Array.from(layout.shown).sort()).toEqual([0, 1, 2, 3, 4]);
    // Every cell's data point is at its own column and row.
    layout.data.forEach(([x, y], c) => {
      expect(x).toBe(layout.cellCol[c]);
      expect(y).toBe(layout.cellRow[c]);
      expect(layout.rows[y]!.devices[x]).toBe(layout.cellDevice[c]);
    });
  });

  it('filters by region, search text and a site set', () => {
    expect(buildLayout(devices, kinds, opts({ region: '上城区' })).rows.map((r) => r.site)).toEqual([
      '站点B',
    ]);
    expect(buildLayout(devices, kinds, opts({ search: 'b2' })).shown).toEqual(Int32Array.from([3]));
    expect(buildLayout(devices, kinds, opts({ sites: new Set(['站点A']) })).shown.length).toBe(3);
    expect(buildLayout(devices, kinds, opts({ search: 'nothing' })).rows).toEqual([]);
  });

  it('site × metric has a health column then the metrics of the kinds in use', () => {
    const layout = buildLayout(devices, kinds, opts({ grouping: 'siteMetric' }));
    const pv = kinds.find((k) => k.id === 'pv-inverter')!;
    expect(layout.columns.map((c) => c.key)).toEqual([HEALTH_COLUMN, ...pv.metrics.map((m) => m.key)]);
    expect(layout.data).toHaveLength(2 * layout.columns.length);
    expect(metricKeysOf(kinds, new Set(['pv-inverter', 'wind-turbine']))).toContain('vibration');
  });
});

describe('heatmap frames', () => {
  it('colours site × device cells by health with offline and no-data greys', () => {
    const layout = buildLayout(devices, kinds, opts());
    fillFrame(layout, { health: Uint8Array.from([90, 30, 255, 254, 60]), values: noValues });
    const colourOf = (device: number) => layout.data[layout.cellDevice.indexOf(device)]![2];
    expect(colourOf(0)).toBe(CI_SCORE + 90);
    expect(colourOf(1)).toBe(CI_SCORE + 30);
    expect(colourOf(2)).toBe(CI_OFFLINE);
    expect(colourOf(3)).toBe(CI_NO_DATA);
    expect(PALETTE[colourOf(1)]).toBe(scoreColor(30));
    // Before the first frame every cell is "no data".
    fillFrame(layout, { health: null, values: noValues });
    expect(layout.data.every((d) => d[2] === CI_NO_DATA)).toBe(true);
  });

  it('colours by a metric against its thresholds, or on the sequential scale without them', () => {
    const pv = kinds.find((k) => k.id === 'pv-inverter')!;
    const ripple = pv.metrics.find((m) => m.key === 'ripple')!;
    const power = pv.metrics.find((m) => m.key === 'power')!;
    expect(metricIndex(0, ripple, 90)).toBe(CI_SCORE + 100);
    expect(metricIndex(ripple.alarm!, ripple, 90)).toBe(CI_SCORE + 40);
    expect(metricIndex(ripple.warn!, ripple, 90)).toBe(CI_SCORE + 80);
    expect(metricIndex(500, power, 90)).toBe(CI_SEQ + 50);
    expect(metricIndex(3, ripple, 255)).toBe(CI_OFFLINE);
    expect(metricIndex(Number.NaN, ripple, 90)).toBe(CI_NO_DATA);

    const layout = buildLayout(devices, kinds, opts({ colourBy: 'ripple' }));
    const values = Float32Array.from([0, 6, 3, Number.NaN, 1]);
    fillFrame(layout, {
      health: Uint8Array.from([90, 20, 80, 90, 90]),
      values: (k) => (k === 'ripple' ? values : null),
    });
    const cell = (device: number) => layout.cellDevice.indexOf(device);
    expect(layout.data[cell(1)]![2]).toBe(CI_SCORE + 40);
    expect(layout.cellValue[cell(1)]).toBe(6);
    expect(layout.data[cell(3)]![2]).toBe(CI_NO_DATA);
  });

  it('site × metric shows the worst (or mean) per site and points at the worst device', () => {
    const layout = buildLayout(devices, kinds, opts({ grouping: 'siteMetric' }));
    const cols = layout.columns.length;
    const rowA = layout.rows.findIndex((r) => r.site === '站点A');
    const rippleCol = layout.columns.findIndex((c) => c.key === 'ripple');
    const powerCol = layout.columns.findIndex((c) => c.key === 'power');
    const ripple = Float32Array.from([0, 1, 0, 7, 2]);
    const power = Float32Array.from([0, 100, 0, 300, 200]);
    const health = Uint8Array.from([90, 85, 95, 20, 255]);
    const values = (k: string) => (k === 'ripple' ? ripple : k === 'power' ? power : null);
    fillFrame(layout, { health, values });
    // Health column: worst of the site's devices with data (B3 is offline, not counted).
    expect(layout.data[rowA * cols]![2]).toBe(CI_SCORE + 20);
    expect(layout.cellDevice[rowA * cols]).toBe(3);
    // Ripple: B2 at 7 % is past alarm (6 %).
    expect(layout.cellDevice[rowA * cols + rippleCol]).toBe(3);
    expect(layout.cellValue[rowA * cols + rippleCol]).toBeCloseTo(7);
    // Power has no thresholds: the mean on the sequential scale, click → least healthy device.
    expect(layout.cellValue[rowA * cols + powerCol]).toBeCloseTo(200);
    expect(layout.data[rowA * cols + powerCol]![2]).toBe(CI_SEQ + 20);
    expect(layout.cellDevice[rowA * cols + powerCol]).toBe(3);

    const mean = buildLayout(devices, kinds, opts({ grouping: 'siteMetric', aggregate: 'mean' }));
    fillFrame(mean, { health, values });
    expect(mean.data[rowA * cols]![2]).toBe(CI_SCORE + Math.round((85 + 20) / 2));
  });

  it('a site whose devices are all offline is offline; without data it is no data', () => {
    const layout = buildLayout(devices, kinds, opts({ grouping: 'siteMetric' }));
    const cols = layout.columns.length;
    const rowB = layout.rows.findIndex((r) => r.site === '站点B');
    fillFrame(layout, { health: Uint8Array.from([255, 90, 255, 90, 90]), values: noValues });
    expect(layout.data[rowB * cols]![2]).toBe(CI_OFFLINE);
    fillFrame(layout, { health: Uint8Array.from([254, 90, 254, 90, 90]), values: noValues });
    expect(layout.data[rowB * cols]![2]).toBe(CI_NO_DATA);
  });

  it('counts bands and finds degrading sites', () => {
    const health = Uint8Array.from([90, 30, 255, 254, 60]);
    expect(countBands(health, Int32Array.from([0, 1, 2, 3, 4]))).toEqual({
      good: 1,
      warn: 1,
      alarm: 1,
      offline: 1,
      noData: 1,
    });
    expect(countBands(null, [0, 1])).toMatchObject({ noData: 2 });
    expect(sitesFromKey(degradingSitesKey(devices, Uint8Array.from([90, 90, 90, 90, 90])))).toEqual(
      new Set(),
    );
    expect(sitesFromKey(degradingSitesKey(devices, Uint8Array.from([90, 90, 255, 90, 90])))).toEqual(
      new Set(['站点B']),
    );
    expect(degradingSitesKey(devices, null)).toBe('');
  });

  it('updates 10,000 cells in a few milliseconds without allocating per cell', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => dev(`SN${i}`, `站点${Math.floor(i / 20)}`));
    const layout = buildLayout(many, kinds, opts());
    const health = new Uint8Array(10_000);
    const t0 = performance.now();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < health.length; i++) health[i] = (i + round) % 101;
      fillFrame(layout, { health, values: noValues });
    }
    const perFrame = (performance.now() - t0) / 20;
    expect(layout.rows).toHaveLength(500);
    expect(perFrame).toBeLessThan(20);
  });
});
