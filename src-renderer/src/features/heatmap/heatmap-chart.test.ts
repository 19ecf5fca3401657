import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE_KINDS } from '@shared/domain';
import type { Device } from '@shared/contract';
import { place } from './HeatmapChart';
import { BUCKET_COUNT, BUCKET_OF, B_NO_DATA, B_OFFLINE } from './colour-buckets';
import { CI_NO_DATA, CI_OFFLINE, CI_SCORE, CI_SEQ, bandOf } from './health-scale';
import { buildLayout, fillFrame, findCell } from './heatmap-model';

describe('keyboard cursor', () => {
  const dev = (sn: string, site: string): Device => ({
    sn,
    kind: 'pv-inverter',
    site,
    region: 'r',
    lng: null,
    lat: null,
    model: '',
    installDate: null,
    metadata: {},
    version: 1,
    updatedAt: '2026-11-24T00:00:00.000Z',
  });
  const devices = [dev('a', 'S1'), dev('b', 'S1'), dev('c', 'S1'), dev('d', 'S2')];
  const base = { colourBy: null, aggregate: 'worst', region: null, search: '', sites: null } as const;

  it('finds the cell at a column and row, clamped to short rows', () => {
    const layout = buildLayout(devices, DEFAULT_DEVICE_KINDS, { ...base, grouping: 'siteDevice' });
    expect(findCell(layout, 2, 0)).toBe(2);
    expect(layout.cellDevice[findCell(layout, 2, 1)]).toBe(3);
    expect(findCell(layout, 0, 2)).toBe(-1);
    expect(findCell(layout, -1, 0)).toBe(-1);
    const metric = buildLayout(devices, DEFAULT_DEVICE_KINDS, { ...base, grouping: 'siteMetric' });
    expect(findCell(metric, 1, 1)).toBe(metric.columns.length + 1);
    expect(findCell(metric, metric.columns.length, 0)).toBe(-1);
  });
});

describe('colour buckets', () => {
  it('never mixes bands in one bucket and keeps the greys apart', () => {
    expect(BUCKET_OF[CI_NO_DATA]).toBe(B_NO_DATA);
    expect(BUCKET_OF[CI_OFFLINE]).toBe(B_OFFLINE);
    const bandOfBucket = new Map<number, string>();
    for (let s = 0; s <= 100; s++) {
      const b = BUCKET_OF[CI_SCORE + s]!;
      expect(bandOfBucket.get(b) ?? bandOf(s)).toBe(bandOf(s));
      bandOfBucket.set(b, bandOf(s));
    }
    expect(BUCKET_OF[CI_SEQ]).toBeGreaterThan(BUCKET_OF[CI_SCORE + 100]!);
    expect(BUCKET_OF[CI_SEQ + 100]).toBe(BUCKET_COUNT - 1);
  });
});

describe('placement', () => {
  it('puts every cell in its colour bucket once, in cell order', () => {
    const devices = Array.from({ length: 50 }, (_, i): Device => ({
      sn: `D${i}`,
      kind: 'pv-inverter',
      site: `S${i % 5}`,
      region: 'r',
      lng: null,
      lat: null,
      model: '',
      installDate: null,
      metadata: {},
      version: 1,
      updatedAt: '2026-11-24T00:00:00.000Z',
    }));
    const layout = buildLayout(devices, DEFAULT_DEVICE_KINDS, {
      grouping: 'siteDevice',
      colourBy: null,
      aggregate: 'worst',
      region: null,
      search: '',
      sites: null,
    });
    const health = Uint8Array.from({ length: 50 }, (_, i) =>
      i % 7 === 0 ? 255 : i % 11 === 0 ? 254 : i * 2,
    );
    fillFrame(layout, { health, values: () => null });
    const p = place(layout);
    const seen = new Set<number>();
    p.bucketCells.forEach((cells, b) => {
      let last = -1;
      for (const c of cells) {
        expect(BUCKET_OF[layout.data[c]![2]]).toBe(b);
        expect(c).toBeGreaterThan(last);
        expect(p.bucketCells[p.cellBucket[c]!]![p.cellPos[c]!]).toBe(c);
        last = c;
        seen.add(c);
      }
    });
    expect(seen.size).toBe(layout.data.length);
    expect(p.bucketCells[B_OFFLINE]!.length).toBe(health.filter((h) => h === 255).length);
  });
});
