import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { createFleetStore, fleetSelectors } from './fleet-store';

const device = (sn: string): Device => ({
  sn,
  kind: 'pv-inverter',
  site: '屋顶光伏',
  region: '西湖区',
  lng: 120.1,
  lat: 30.2,
  model: 'X',
  installDate: null,
  metadata: {},
  version: 1,
  updatedAt: '2026-11-24T00:00:00.000Z',
});
const b64 = (bytes: number[]): string => Buffer.from(Uint8Array.from(bytes)).toString('base64');

describe('fleet store', () => {
  afterEach(() => vi.useRealTimers());

  it('decodes health frames of its registry version and refetches the list on another version', async () => {
    const { transport, client } = fakeClient();
    let version = 3;
    transport.handle('devices/list', () => ({ version, devices: [device('A'), device('B')] }));
    const fleet = createFleetStore(client);
    await fleet.getState().load();
    fleet.getState().applyFrame({
      seq: 1,
      at: '2026-11-24T00:00:01.000Z',
      registryVersion: 3,
      health: b64([90, 255]),
      states: [],
    });
    expect(fleetSelectors.healthOf(fleet.getState(), 'A')).toBe(90);
    expect(fleetSelectors.healthOf(fleet.getState(), 'B')).toBe(255);
    version = 4;
    fleet.getState().applyFrame({
      seq: 2,
      at: '2026-11-24T00:00:02.000Z',
      registryVersion: 4,
      health: b64([1, 2, 3]),
      states: [],
    });
    await flush();
    expect(transport.callsOf('devices/list')).toHaveLength(2);
    expect(fleet.getState().version).toBe(4);
  });

  it('pulls a watched metric once a second and stops when unwatched', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    transport.handle('devices/list', () => ({ version: 1, devices: [device('A')] }));
    const values = Buffer.from(new Float32Array([2.5]).buffer).toString('base64');
    transport.handle('telemetry/frame', () => ({
      seq: 1,
      at: '2026-11-24T00:00:00.000Z',
      registryVersion: 1,
      health: b64([80]),
      values,
      metric: 'ripple',
    }));
    const fleet = createFleetStore(client);
    await fleet.getState().load();
    fleet.getState().watchMetric('ripple');
    await vi.advanceTimersByTimeAsync(2_050);
    expect(transport.callsOf('telemetry/frame')).toHaveLength(3);
    expect(fleet.getState().values?.[0]).toBeCloseTo(2.5);
    fleet.getState().watchMetric(null);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(transport.callsOf('telemetry/frame')).toHaveLength(3);
    fleet.getState().dispose();
  });

  it('follows the selected device and forgets answers for a device no longer selected', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/list', () => ({ version: 1, devices: [device('A'), device('B')] }));
    transport.handle('telemetry/device', (p) => ({
      sn: (p as { sn: string }).sn,
      state: 'online',
      lastSeen: null,
      health: 88,
      healthHistory: { t: [], v: [] },
      metrics: {},
    }));
    const fleet = createFleetStore(client);
    await fleet.getState().load();
    fleet.getState().select('A');
    fleet.getState().select('B');
    await flush();
    expect(fleet.getState().detail?.sn).toBe('B');
    expect(fleetSelectors.selectedDevice(fleet.getState())?.sn).toBe('B');
    fleet.getState().select(null);
    expect(fleet.getState().detail).toBeNull();
    fleet.getState().dispose();
  });
});
