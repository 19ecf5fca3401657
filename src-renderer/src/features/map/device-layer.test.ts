import { describe, expect, it } from 'vitest';
import { HEALTH_NO_DATA, HEALTH_OFFLINE, type Device } from '@shared/contract';
import {
  CLUSTER_SOURCE,
  DEVICE_SOURCE,
  DeviceLayer,
  diffBuckets,
  placedIndices,
  type DeviceLayerTarget,
  type PointCollection,
  type PropertyUpdate,
} from './device-layer';
import { BUCKET_UNSET, Bucket, isDegrading } from './health-buckets';

function device(i: number, lng: number | null = 120 + i / 1000, lat: number | null = 30): Device {
  return {
    sn: `SN-${i}`,
    kind: 'pv-inverter',
    site: `site-${i % 3}`,
    region: 'r',
    lng,
    lat,
    model: '',
    installDate: null,
    metadata: {},
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Records what the layer asks of the map. */
class FakeMap implements DeviceLayerTarget {
  data = new Map<string, PointCollection<Record<string, unknown>>>();
  setDataCalls: string[] = [];
  states: { source: string; id: string; state: Record<string, unknown> }[] = [];
  removed: string[] = [];
  setData(source: string, data: PointCollection<never>): void {
    this.setDataCalls.push(source);
    this.data.set(source, data as PointCollection<Record<string, unknown>>);
  }
  setFeatureState(source: string, id: string, state: Record<string, unknown>): void {
    this.states.push({ source, id, state });
  }
  removeFeatureState(source: string): void {
    this.removed.push(source);
  }
  updates: { source: string; updates: PropertyUpdate[] }[] = [];
  updateProperties(source: string, updates: PropertyUpdate[]): void {
    this.updates.push({ source, updates });
    for (const u of updates) {
      const f = this.data.get(source)!.features.find((x) => (x as { id?: number }).id === u.id)!;
      Object.assign(f.properties, u.properties);
    }
  }
  healthStates(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const s of this.states) if ('health' in s.state) out.set(s.id, s.state.health);
    return out;
  }
  clear(): void {
    this.states = [];
    this.setDataCalls = [];
    this.updates = [];
  }
}

function setup(n: number, options: { clusterRefreshMs?: number } = {}) {
  let now = 1_000;
  const map = new FakeMap();
  const layer = new DeviceLayer(map, { ...options, now: () => now });
  const devices = Array.from({ length: n }, (_, i) => device(i));
  return { map, layer, devices, advance: (ms: number) => (now += ms) };
}

describe('diffBuckets', () => {
  it('returns only the slots whose bucket changed, and remembers the new buckets', () => {
    const sent = new Uint8Array(4).fill(BUCKET_UNSET);
    const placed = [0, 1, 2, 3];
    expect(diffBuckets(sent, Uint8Array.from([95, 70, 10, 255]), placed)).toEqual([0, 1, 2, 3]);
    expect(Array.from(sent)).toEqual([Bucket.good, Bucket.warn, Bucket.alarm, Bucket.offline]);
    // 95 → 88 stays good, 70 → 55 stays warn: nothing to send.
    expect(diffBuckets(sent, Uint8Array.from([88, 55, 10, 255]), placed)).toEqual([]);
    expect(diffBuckets(sent, Uint8Array.from([88, 40, 10, 254]), placed)).toEqual([1, 3]);
  });

  it('reads the frame through the placed indices (devices without a position are skipped)', () => {
    const sent = new Uint8Array(2).fill(BUCKET_UNSET);
    expect(diffBuckets(sent, Uint8Array.from([10, 95, 60]), [1, 2])).toEqual([0, 1]);
    expect(Array.from(sent)).toEqual([Bucket.good, Bucket.warn]);
  });
});

describe('placedIndices', () => {
  it('keeps devices with a finite position only', () => {
    const ds = [device(0), device(1, null, null), device(2, Number.NaN, 30), device(3)];
    expect(Array.from(placedIndices(ds))).toEqual([0, 3]);
  });
});

describe('DeviceLayer', () => {
  it('sends the points once and health as feature state', () => {
    const { map, layer, devices } = setup(3);
    layer.setDevices(devices, Uint8Array.from([95, 60, 20]));
    expect(map.data.get(DEVICE_SOURCE)!.features.map((f) => f.properties.sn)).toEqual([
      'SN-0',
      'SN-1',
      'SN-2',
    ]);
    expect(map.healthStates()).toEqual(
      new Map([
        ['SN-0', Bucket.good],
        ['SN-1', Bucket.warn],
        ['SN-2', Bucket.alarm],
      ]),
    );
    expect(map.removed).toEqual([DEVICE_SOURCE]);
    expect(layer.getStats().devicesRendered).toBe(3);
  });

  it('per frame calls setFeatureState only for devices whose colour changed, and never setData on the device source', () => {
    const { map, layer, devices } = setup(1_000, { clusterRefreshMs: 60_000 });
    const health = new Uint8Array(1_000).fill(90);
    layer.setDevices(devices, health);
    map.clear();
    const next = health.slice();
    next[3] = 85; // same bucket (good): nothing to send
    next[7] = 70; // good → warn
    next[500] = 20; // good → alarm
    next[999] = HEALTH_OFFLINE;
    expect(layer.applyHealth(next, 2_000)).toBe(3);
    expect(map.states.map((s) => [s.id, s.state.health])).toEqual([
      ['SN-7', Bucket.warn],
      ['SN-500', Bucket.alarm],
      ['SN-999', Bucket.offline],
    ]);
    expect(map.setDataCalls).not.toContain(DEVICE_SOURCE);
    const stats = layer.getStats();
    expect(stats.lastStateChanges).toBe(3);
    expect(stats.framesApplied).toBe(2);
    expect(stats.lastStateUpdate).toBe(2_000);

    // The same frame again: no calls at all.
    map.clear();
    expect(layer.applyHealth(next, 3_000)).toBe(0);
    expect(map.states).toEqual([]);
    expect(map.setDataCalls).toEqual([]);
  });

  it('ignores a frame indexed by another registry version', () => {
    const { map, layer, devices } = setup(3);
    layer.setDevices(devices, null);
    map.clear();
    expect(layer.applyHealth(Uint8Array.from([1, 2, 3, 4]), 1)).toBe(0);
    expect(map.states).toEqual([]);
  });

  it('skips devices without a position but keeps registry indexing', () => {
    const { map, layer } = setup(0);
    const devices = [device(0), device(1, null, null), device(2)];
    layer.setDevices(devices, Uint8Array.from([95, 10, 95]));
    expect(layer.placedCount).toBe(2);
    map.clear();
    layer.applyHealth(Uint8Array.from([95, 95, 10]), 1);
    expect(map.states.map((s) => s.id)).toEqual(['SN-2']);
  });

  it('updates the clustered source at most once per interval, with the changed devices only', () => {
    const { map, layer, devices, advance } = setup(4, { clusterRefreshMs: 5_000 });
    layer.setDevices(devices, null);
    const fullSends = () => map.setDataCalls.filter((s) => s === CLUSTER_SOURCE).length;
    const diffs = () => map.updates.filter((u) => u.source === CLUSTER_SOURCE);
    const sev = () => map.data.get(CLUSTER_SOURCE)!.features.map((f) => f.properties.sev);
    expect(fullSends()).toBe(1);
    expect(sev()).toEqual([Bucket.noData, Bucket.noData, Bucket.noData, Bucket.noData]);

    // First health: the clusters must not stay "no data" for a whole interval.
    advance(100);
    layer.applyHealth(Uint8Array.from([95, 95, 95, 20]), 0);
    expect(diffs()).toHaveLength(1);
    expect(sev()).toEqual([Bucket.good, Bucket.good, Bucket.good, Bucket.alarm]);

    advance(1_000);
    layer.applyHealth(Uint8Array.from([60, 95, 95, 20]), 0);
    expect(diffs()).toHaveLength(1); // changed, but within the interval
    advance(5_000);
    layer.applyHealth(Uint8Array.from([60, 95, 95, 20]), 0);
    expect(diffs()).toHaveLength(2); // the pending change goes out, alone
    expect(diffs()[1]!.updates).toEqual([{ id: 0, properties: { sev: Bucket.warn } }]);
    expect(sev()).toEqual([Bucket.warn, Bucket.good, Bucket.good, Bucket.alarm]);
    advance(10_000);
    layer.applyHealth(Uint8Array.from([60, 95, 95, 20]), 0);
    expect(diffs()).toHaveLength(2); // nothing changed: nothing sent
    expect(fullSends()).toBe(1); // never the whole fleet again
  });

  it('"only degrading" keeps warning and alarm devices in the clustered source', () => {
    const { map, layer, devices } = setup(5);
    layer.setDevices(devices, Uint8Array.from([95, 60, 20, HEALTH_OFFLINE, HEALTH_NO_DATA]));
    layer.setClusterFilter(isDegrading);
    expect(map.data.get(CLUSTER_SOURCE)!.features.map((f) => f.properties.sn)).toEqual(['SN-1', 'SN-2']);
    layer.setClusterFilter(null);
    expect(map.data.get(CLUSTER_SOURCE)!.features).toHaveLength(5);
  });

  it('knows each device bucket, and restores selection and hover after a new registry', () => {
    const { map, layer, devices } = setup(3);
    layer.setDevices(devices, Uint8Array.from([95, 60, 20]));
    expect(layer.bucketFor('SN-1')).toBe(Bucket.warn);
    expect(layer.bucketFor('nope')).toBeNull();
    layer.select('SN-2');
    layer.hover('SN-0');
    map.clear();
    layer.setDevices(devices, null);
    expect(map.states).toEqual([
      { source: DEVICE_SOURCE, id: 'SN-2', state: { selected: true } },
      { source: DEVICE_SOURCE, id: 'SN-0', state: { hover: true } },
    ]);
    map.clear();
    layer.select('SN-1');
    expect(map.states).toEqual([
      { source: DEVICE_SOURCE, id: 'SN-2', state: { selected: false } },
      { source: DEVICE_SOURCE, id: 'SN-1', state: { selected: true } },
    ]);
  });

  it('bounds cover the placed devices, null without any', () => {
    const { layer } = setup(0);
    layer.setDevices([device(0, 120, 30), device(1, null, null), device(2, 121, 31.5)], null);
    expect(layer.bounds()).toEqual([120, 30, 121, 31.5]);
    layer.setDevices([device(0, null, null)], null);
    expect(layer.bounds()).toBeNull();
  });

  it('applies a 10,000-device frame with 1% changes in a few milliseconds', () => {
    const n = 10_000;
    const { map, layer } = setup(0, { clusterRefreshMs: 60_000 });
    const devices = Array.from({ length: n }, (_, i) => device(i));
    const health = new Uint8Array(n).fill(90);
    layer.setDevices(devices, health);
    const frames: number[] = [];
    let h = health;
    for (let k = 0; k < 20; k++) {
      h = h.slice();
      for (let j = 0; j < n / 100; j++) h[(j * 97 + k * 13) % n] = k % 2 ? 90 : 40;
      map.clear();
      const t0 = performance.now();
      layer.applyHealth(h, k);
      frames.push(performance.now() - t0);
      expect(map.states.length).toBeLessThanOrEqual(n / 100);
    }
    frames.sort((a, b) => a - b);
    // Generous bound for a shared CI machine; measured ≈0.1 ms here.
    expect(frames[10]!).toBeLessThan(20);
  });
});
