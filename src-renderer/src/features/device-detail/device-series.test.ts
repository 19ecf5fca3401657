import { describe, expect, it } from 'vitest';
import type { Device, DeviceTelemetry } from '@shared/contract';
import {
  currentHealth,
  deviceFields,
  deviceLevel,
  deviceLocation,
  latestValue,
  mergeSeries,
} from './device-series';
import { sparkDomain } from './Sparkline';
import { DEFAULT_DEVICE_KINDS } from '@shared/domain';

const device: Device = {
  sn: 'INV-0001',
  kind: 'pv-inverter',
  site: '滨江光伏 3 号',
  region: '滨江区',
  lng: 120.2,
  lat: 30.2,
  model: 'SG-110',
  installDate: '2024-05-01',
  metadata: { gridId: '330108-001-012' },
  version: 1,
  updatedAt: '2026-11-24T00:00:00.000Z',
};

const telemetry = (o: Partial<DeviceTelemetry> = {}): DeviceTelemetry => ({
  sn: 'INV-0001',
  state: 'online',
  lastSeen: '2026-11-24T00:00:00.000Z',
  health: 72.4,
  healthHistory: { t: [], v: [] },
  metrics: {},
  ...o,
});

describe('device series', () => {
  it('joins the 5-minute history up to where the raw samples start', () => {
    const line = mergeSeries({ t: [0, 300, 600, 900], v: [1, 2, null, 4] }, { t: [650, 700], v: [5, 6] });
    expect(line.t).toEqual([0, 300, 600, 650, 700]);
    expect(line.v).toEqual([1, 2, null, 5, 6]);
    expect(line.recentFrom).toBe(3);
    expect(mergeSeries(undefined, undefined)).toEqual({ t: [], v: [], recentFrom: 0 });
    expect(mergeSeries({ t: [1, 2], v: [1, 2] }, { t: [], v: [] }).recentFrom).toBe(2);
  });

  it('takes the latest non-null value, recent before history', () => {
    expect(latestValue({ recent: { t: [1, 2], v: [3, null] }, history: { t: [0], v: [9] } })).toBe(3);
    expect(latestValue({ recent: { t: [], v: [] }, history: { t: [0, 1], v: [9, null] } })).toBe(9);
    expect(latestValue(undefined)).toBeNaN();
  });

  it('reads level and health from the detail, falling back to the frame byte', () => {
    expect(deviceLevel(telemetry(), 90)).toBe('warn');
    expect(deviceLevel(telemetry({ state: 'offline' }), 90)).toBe('offline');
    expect(deviceLevel(null, 255)).toBe('offline');
    expect(deviceLevel(null, 254)).toBe('noData');
    expect(deviceLevel(null, 30)).toBe('alarm');
    expect(currentHealth(telemetry(), 10)).toBe(72);
    expect(currentHealth(null, 254)).toBeNull();
    expect(currentHealth(null, 55)).toBe(55);
  });

  it('prefills location with the grid cell and only the fields the type defines', () => {
    expect(deviceLocation(device)).toEqual({
      location: { lng: 120.2, lat: 30.2, gridId: '330108-001-012' },
      gridId: '330108-001-012',
    });
    expect(deviceLocation({ ...device, lng: null }).location).toBeNull();
    expect(deviceFields(device, ['deviceKind', 'siteName', 'faultCode'], ['pv-inverter'])).toEqual({
      deviceKind: 'pv-inverter',
      siteName: '滨江光伏 3 号',
    });
    expect(deviceFields(device, ['deviceKind'], ['wind-turbine'])).toEqual({});
    expect(deviceFields(device, [], null)).toEqual({});
  });

  it('sparklines show the data widened to the warn threshold, inside the metric range', () => {
    const ripple = DEFAULT_DEVICE_KINDS[0]!.metrics.find((m) => m.key === 'ripple')!;
    const [lo, hi] = sparkDomain([1, 2, null], ripple);
    expect(lo).toBeGreaterThanOrEqual(ripple.min);
    expect(hi).toBeGreaterThanOrEqual(ripple.warn!);
    expect(sparkDomain([], ripple)).toEqual([ripple.min, ripple.max]);
  });
});
