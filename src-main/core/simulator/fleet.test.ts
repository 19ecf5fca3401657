import { describe, expect, it } from 'vitest';
import { DeviceFields } from '@shared/contract';
import { DEFAULT_DEVICE_KINDS } from '@shared/domain';
import { HANGZHOU_BBOX } from '../demo/geo';
import { world } from '../demo/world';
import { DEFAULT_FLEET_SIZE, FLEET_KIND, MAX_FLEET_SIZE, fleetDeviceFields, generateFleet } from './fleet';
import { METRICS } from './model';

describe('generateFleet', () => {
  it('is deterministic per seed, and seeds differ', () => {
    const a = generateFleet({ count: 1500, seed: 7 });
    const b = generateFleet({ count: 1500, seed: 7 });
    const c = generateFleet({ count: 1500, seed: 8 });
    expect(a).toEqual(b);
    expect(c.slice(700).map((d) => [d.lng, d.lat])).not.toEqual(a.slice(700).map((d) => [d.lng, d.lat]));
  });

  it('defaults to 2,000 devices and starts with the demo world inverters, whatever the seed', () => {
    const inverters = world().devices['pv-inverter'];
    const fleet = generateFleet();
    expect(fleet).toHaveLength(DEFAULT_FLEET_SIZE);
    for (const seed of [1, 99]) {
      const f = generateFleet({ count: 2000, seed });
      expect(f.slice(0, inverters.length).map((d) => d.sn)).toEqual(inverters.map((d) => d.sn));
      expect(f.slice(0, inverters.length).map((d) => d.site)).toEqual(inverters.map((d) => d.site.name));
    }
    expect(generateFleet({ count: 10 }).map((d) => d.sn)).toEqual(inverters.slice(0, 10).map((d) => d.sn));
  });

  it('a smaller fleet is the beginning of a larger one with the same seed', () => {
    const small = generateFleet({ count: 900, seed: 3 });
    const large = generateFleet({ count: 5000, seed: 3 });
    expect(large.slice(0, 900)).toEqual(small);
  });

  it('places unique devices in the demo city with plausible plants', () => {
    const fleet = generateFleet({ count: 5000, seed: 1 });
    expect(new Set(fleet.map((d) => d.sn)).size).toBe(fleet.length);
    for (const d of fleet) {
      expect(d.kind).toBe(FLEET_KIND);
      expect(d.lng).toBeGreaterThan(HANGZHOU_BBOX.minLng - 0.05);
      expect(d.lng).toBeLessThan(HANGZHOU_BBOX.maxLng + 0.05);
      expect(d.lat).toBeGreaterThan(HANGZHOU_BBOX.minLat - 0.05);
      expect(d.lat).toBeLessThan(HANGZHOU_BBOX.maxLat + 0.05);
      expect(d.installDate).toMatch(/^20(1[6-9]|2[0-5])-\d\d-\d\d$/);
      const kw = Number(d.metadata.capacityKw);
      // The kind's power range is 0–1000 kW: no inverter may be able to exceed it.
      expect(kw).toBeGreaterThan(0);
      expect(kw).toBeLessThanOrEqual(1000);
      expect(Number(d.metadata.dcAcRatio)).toBeGreaterThanOrEqual(0.8);
      expect(Number(d.metadata.dcAcRatio)).toBeLessThanOrEqual(1.6);
    }
    const plants = new Set(fleet.map((d) => d.metadata.plant));
    expect(plants.size).toBeGreaterThan(100);
    // Every plant has one site name, and ground plants exist beside rooftops.
    const siteOf = new Map<string, Set<string>>();
    for (const d of fleet)
      siteOf.set(d.metadata.plant!, (siteOf.get(d.metadata.plant!) ?? new Set()).add(d.site));
    expect([...siteOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(fleet.some((d) => d.metadata.plantType === 'ground')).toBe(true);
    expect(new Set(fleet.map((d) => d.region)).size).toBeGreaterThan(8);
  });

  it('gives registry entries that pass the contract', () => {
    const fields = fleetDeviceFields(generateFleet({ count: 3000, seed: 2 }));
    expect(fields).toHaveLength(3000);
    for (const f of fields) expect(DeviceFields.safeParse(f).success).toBe(true);
    expect(fields[0]).toMatchObject({ kind: 'pv-inverter', installDate: expect.any(String) });
  });

  it('refuses sizes outside 1 … 20,000', () => {
    expect(() => generateFleet({ count: 0 })).toThrow(RangeError);
    expect(() => generateFleet({ count: MAX_FLEET_SIZE + 1 })).toThrow(/20000/);
    expect(() => generateFleet({ count: 2.5 })).toThrow(RangeError);
  });

  it('generates 20,000 devices quickly and compactly', () => {
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const fleet = generateFleet({ count: MAX_FLEET_SIZE, seed: 1 });
    const ms = performance.now() - t0;
    const mb = (process.memoryUsage().heapUsed - before) / 1e6;
    expect(fleet).toHaveLength(MAX_FLEET_SIZE);
    expect(ms).toBeLessThan(2_000);
    expect(mb).toBeLessThan(100);
  });

  it("the simulator's metrics are exactly the pv-inverter kind's", () => {
    const kind = DEFAULT_DEVICE_KINDS.find((k) => k.id === FLEET_KIND);
    expect(kind).toBeDefined();
    expect(kind!.metrics.map((m) => m.key)).toEqual([...METRICS]);
    expect(Object.fromEntries(kind!.metrics.map((m) => [m.key, m.unit]))).toEqual({
      ripple: '%',
      tempGradient: '°C/min',
      packetLoss: '%',
      power: 'kW',
      ambient: '°C',
      irradiance: 'W/m²',
    });
  });
});
