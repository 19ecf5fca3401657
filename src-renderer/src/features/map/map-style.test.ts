import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { HEALTH_NO_DATA, HEALTH_OFFLINE } from '@shared/contract';
import { BUCKET_NAMES, Bucket, bucketOf, countBuckets, isDegrading } from './health-buckets';
import { parseImageId } from './map-images';
import { appBaseUrl, collectionBounds, padBounds } from './map-data';
import { LAYER_GROUPS, buildMapStyle } from './map-style';
import { mapKeyFor } from './map-keys';

const ALL = { base: true, grid: true, devices: true };

describe('buildMapStyle', () => {
  it('is a valid maplibre style', () => {
    expect(validateStyleMin(buildMapStyle(ALL))).toEqual([]);
    expect(validateStyleMin(buildMapStyle({ base: false, grid: false, devices: true }, true))).toEqual([]);
  });

  it('points at nothing outside the app: no glyphs, sprite, tiles or URLs, and no text layers', () => {
    const style = buildMapStyle(ALL);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const text = JSON.stringify(style);
    expect(text).not.toMatch(/https?:|\/\/|mapbox:|tiles/);
    // A text-field without glyphs fails at run time: all text is drawn as images (map-images.ts).
    for (const layer of style.layers) {
      if (layer.type === 'symbol') expect(layer.layout?.['text-field']).toBeUndefined();
    }
  });

  it('hides the layers of toggled-off groups', () => {
    const style = buildMapStyle({ base: false, grid: true, devices: true });
    for (const layer of style.layers) {
      const hidden = (LAYER_GROUPS.base as readonly string[]).includes(layer.id);
      expect(layer.layout?.visibility ?? 'visible', layer.id).toBe(hidden ? 'none' : 'visible');
    }
  });

  it('every layer of a group exists in the style', () => {
    const ids = new Set(buildMapStyle(ALL).layers.map((l) => l.id));
    for (const group of Object.values(LAYER_GROUPS))
      for (const id of group) expect(ids.has(id), id).toBe(true);
  });
});

describe('health buckets', () => {
  it('maps health bytes to buckets', () => {
    expect(bucketOf(100)).toBe(Bucket.good);
    expect(bucketOf(80)).toBe(Bucket.good);
    expect(bucketOf(79)).toBe(Bucket.warn);
    expect(bucketOf(41)).toBe(Bucket.warn);
    expect(bucketOf(40)).toBe(Bucket.alarm);
    expect(bucketOf(0)).toBe(Bucket.alarm);
    expect(bucketOf(HEALTH_OFFLINE)).toBe(Bucket.offline);
    expect(bucketOf(HEALTH_NO_DATA)).toBe(Bucket.noData);
    expect(bucketOf(101)).toBe(Bucket.noData);
    expect(bucketOf(Number.NaN)).toBe(Bucket.noData);
  });

  it('orders codes by severity so a cluster worst is the maximum', () => {
    expect(Bucket.alarm).toBeGreaterThan(Bucket.offline);
    expect(Bucket.offline).toBeGreaterThan(Bucket.warn);
    expect(Bucket.warn).toBeGreaterThan(Bucket.noData);
    expect(Bucket.noData).toBeGreaterThan(Bucket.good);
    expect(BUCKET_NAMES).toHaveLength(5);
  });

  it('degrading means warning or alarm', () => {
    expect([0, 1, 2, 3, 4].filter(isDegrading)).toEqual([Bucket.warn, Bucket.alarm]);
  });

  it('counts placed devices per bucket', () => {
    const health = Uint8Array.from([95, 60, 20, HEALTH_OFFLINE, HEALTH_NO_DATA, 10]);
    expect(countBuckets(health, [0, 1, 2, 3, 4])).toEqual([1, 1, 1, 1, 1]);
    expect(countBuckets(null, [0, 1])).toEqual([0, 2, 0, 0, 0]);
  });
});

describe('map helpers', () => {
  it('parses only our text image ids, of bounded length', () => {
    expect(parseImageId('count:1.2k')).toEqual({ kind: 'count', text: '1.2k' });
    expect(parseImageId('label:西湖区')).toEqual({ kind: 'label', text: '西湖区' });
    expect(parseImageId('cell:330102-001-001')).toEqual({ kind: 'cell', text: '330102-001-001' });
    expect(parseImageId('label:')).toBeNull();
    expect(parseImageId('marker-15')).toBeNull();
    expect(parseImageId(`label:${'x'.repeat(25)}`)).toBeNull();
  });

  it('finds the app folder from the hub routes and from Electron files', () => {
    const at = (href: string) => {
      const u = new URL(href);
      return appBaseUrl({ href, protocol: u.protocol, pathname: u.pathname, origin: u.origin });
    };
    expect(at('http://127.0.0.1:7420/map')).toBe('http://127.0.0.1:7420/');
    expect(at('http://127.0.0.1:7420/map?focus=SN-1')).toBe('http://127.0.0.1:7420/');
    expect(at('http://127.0.0.1:7420/')).toBe('http://127.0.0.1:7420/');
    expect(at('http://h/prefix/map/')).toBe('http://h/prefix/');
    expect(at('file:///opt/wf/renderer/index.html#/map')).toBe('file:///opt/wf/renderer/');
  });

  it('computes bounds and pads a single point', () => {
    const fc = {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          properties: { kind: 'city' },
          geometry: { type: 'Point', coordinates: [120, 30] },
        },
        {
          type: 'Feature' as const,
          properties: { kind: 'road' },
          geometry: {
            type: 'LineString',
            coordinates: [
              [119, 29],
              [121, 31],
            ],
          },
        },
      ],
    };
    expect(collectionBounds(fc)).toEqual([119, 29, 121, 31]);
    expect(collectionBounds(fc, (p) => p?.kind === 'city')).toEqual([120, 30, 120, 30]);
    expect(collectionBounds(fc, () => false)).toBeNull();
    const padded = padBounds([120, 30, 120, 30]);
    expect(padded[2] - padded[0]).toBeCloseTo(0.01);
  });

  it('map keys: zoom and fit, quiet while typing or under a modal', () => {
    expect(mapKeyFor({ key: '+' }, { modalOpen: false })).toBe('zoomIn');
    expect(mapKeyFor({ key: '-' }, { modalOpen: false })).toBe('zoomOut');
    expect(mapKeyFor({ key: 'f' }, { modalOpen: false })).toBe('fit');
    expect(mapKeyFor({ key: 'f', ctrlKey: true }, { modalOpen: false })).toBeNull();
    expect(mapKeyFor({ key: 'f' }, { modalOpen: true })).toBeNull();
    expect(
      mapKeyFor({ key: 'f', target: { tagName: 'INPUT', type: 'text' } }, { modalOpen: false }),
    ).toBeNull();
  });
});
