import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError, type SimulatorStatus } from '@shared/contract';
import { createAppStores } from '../app-stores';
import { fakeClient, flush } from '../testing/fake-transport';
import { testConfig } from '../testing/test-config';
import { createSimulatorStore, speedParts, validateStart } from './simulator-store';

function status(overrides: Partial<SimulatorStatus> = {}): SimulatorStatus {
  return {
    available: true,
    running: false,
    devices: 2000,
    speed: 3600,
    seed: 1,
    brokerUrl: 'mqtt://127.0.0.1:1884',
    startedAt: null,
    published: 0,
    failures: 0,
    groundTruthFile: null,
    ...overrides,
  };
}

const RUNNING = status({
  running: true,
  devices: 800,
  speed: 600,
  startedAt: '2026-11-24T08:00:00.000Z',
  published: 10,
  groundTruthFile: '/data/simulator-ground-truth.jsonl',
});

function setup(initial: SimulatorStatus = status()) {
  const { transport, client } = fakeClient();
  let current = initial;
  let clock = 0;
  transport.handle('simulator/status', () => current);
  transport.handle('simulator/start', (p) => {
    const params = p as { devices?: number; speed?: number; seed?: number };
    current = {
      ...RUNNING,
      devices: params.devices ?? current.devices,
      speed: params.speed ?? current.speed,
    };
    return current;
  });
  transport.handle('simulator/stop', () => (current = { ...current, running: false }));
  const store = createSimulatorStore(client, () => clock);
  return {
    transport,
    store,
    set: (s: SimulatorStatus) => (current = s),
    tick: (ms: number) => (clock += ms),
  };
}

describe('simulator store', () => {
  it('loads the status once for every caller that needs it', async () => {
    const { transport, store } = setup();
    store.getState().ensureLoaded();
    store.getState().ensureLoaded();
    await flush();
    store.getState().ensureLoaded();
    expect(transport.callsOf('simulator/status')).toHaveLength(1);
    expect(store.getState()).toMatchObject({ loaded: true, loading: false, error: null });
    expect(store.getState().status).toMatchObject({ available: true, running: false, devices: 2000 });
  });

  it('starts with the given settings, marks the pending start and takes the answer', async () => {
    const { transport, store } = setup();
    await store.getState().load();
    const started = store.getState().start({ devices: 800, speed: 600, seed: 7 });
    expect(store.getState().pending).toBe('start');
    // A second click while the fleet is being registered does nothing.
    expect(await store.getState().start({ devices: 900 })).toBe(false);
    expect(await started).toBe(true);
    expect(transport.callsOf('simulator/start')).toEqual([{ devices: 800, speed: 600, seed: 7 }]);
    expect(store.getState()).toMatchObject({ pending: null, actionError: null });
    expect(store.getState().status).toMatchObject({ running: true, devices: 800, speed: 600 });

    expect(await store.getState().stop()).toBe(true);
    expect(store.getState().status?.running).toBe(false);
    expect(store.getState().publishRate).toBeNull();
  });

  it('keeps the error of a failed start with its code and message', async () => {
    const { transport, store } = setup();
    transport.handle('simulator/start', () => {
      throw new RpcError(ErrorCode.Unavailable, 'The MQTT broker at mqtt://x:1883 is unreachable');
    });
    await store.getState().load();
    expect(await store.getState().start({ devices: 10 })).toBe(false);
    expect(store.getState().pending).toBeNull();
    expect(store.getState().actionError).toMatchObject({
      code: ErrorCode.Unavailable,
      message: 'The MQTT broker at mqtt://x:1883 is unreachable',
    });
    store.getState().clearErrors();
    expect(store.getState().actionError).toBeNull();
  });

  it('applies pushes, and computes the publish rate within one run', async () => {
    const { store, tick } = setup();
    await store.getState().load();
    store.getState().applyChanged(RUNNING);
    expect(store.getState().status?.published).toBe(10);
    expect(store.getState().publishRate).toBeNull();
    tick(1000);
    store.getState().applyChanged({ ...RUNNING, published: 510 });
    expect(store.getState().publishRate).toBe(500);
    // A push in the same instant keeps the rate; a new run starts over.
    store.getState().applyChanged({ ...RUNNING, published: 520 });
    expect(store.getState().publishRate).toBe(500);
    tick(1000);
    store.getState().applyChanged({ ...RUNNING, startedAt: '2026-11-24T09:00:00.000Z', published: 3 });
    expect(store.getState().publishRate).toBeNull();
  });

  it('drops a status answer that a push overtook', async () => {
    const { store, set } = setup(RUNNING);
    const load = store.getState().load();
    // The simulator stops while the status call is in flight; the answer says "running".
    store.getState().applyChanged({ ...RUNNING, running: false });
    set(RUNNING);
    await load;
    expect(store.getState().status?.running).toBe(false);
    expect(store.getState().loading).toBe(false);
  });

  it('reloads after a reconnect only when the status was asked for', async () => {
    const { transport, store } = setup();
    store.getState().reconnected();
    await flush();
    expect(transport.callsOf('simulator/status')).toHaveLength(0);
    await store.getState().load();
    store.getState().reconnected();
    await flush();
    expect(transport.callsOf('simulator/status')).toHaveLength(2);
  });

  it('shows a failed load, and ignores answers after dispose', async () => {
    const { transport, store } = setup();
    transport.handle('simulator/status', () => {
      throw new RpcError(ErrorCode.Timeout, 'no answer');
    });
    await store.getState().load();
    expect(store.getState()).toMatchObject({ loaded: false, error: { code: ErrorCode.Timeout } });
    transport.handle('simulator/status', () => RUNNING);
    const load = store.getState().load();
    store.getState().dispose();
    await load;
    expect(store.getState().status).toBeNull();
  });
});

describe('simulator in the app stores', () => {
  it('takes the simulator/changed push and reloads after a reconnect', async () => {
    const { transport, client } = fakeClient();
    transport.handle('config/get', () => testConfig());
    transport.handle('simulator/status', () => status());
    const { stores, dispose } = createAppStores(client);
    await stores.simulator.getState().load();
    transport.emit('simulator/changed', RUNNING);
    expect(stores.simulator.getState().status).toMatchObject({ running: true, devices: 800 });

    transport.setState('connecting');
    transport.setState('open');
    await flush(20);
    expect(transport.callsOf('simulator/status')).toHaveLength(2);
    expect(stores.simulator.getState().status?.running).toBe(false);
    dispose();
    transport.emit('simulator/changed', RUNNING);
    expect(stores.simulator.getState().status?.running).toBe(false);
  });
});

describe('start form validation', () => {
  it('accepts values in range, with thousands separators, and leaves an empty seed out', () => {
    expect(validateStart({ devices: '20,000', speed: '3600', seed: '' })).toEqual({
      params: { devices: 20_000, speed: 3600 },
      problems: {},
    });
    expect(validateStart({ devices: '1', speed: '1.5', seed: '0' }).params).toEqual({
      devices: 1,
      speed: 1.5,
      seed: 0,
    });
  });

  it('refuses what the contract refuses, field by field', () => {
    expect(validateStart({ devices: '0', speed: '0', seed: '-1' }).problems).toEqual({
      devices: 'devicesRange',
      speed: 'speedRange',
      seed: 'seedRange',
    });
    expect(validateStart({ devices: '30000', speed: '86401', seed: '1.5' }).problems).toEqual({
      devices: 'devicesRange',
      speed: 'speedRange',
      seed: 'seedRange',
    });
    expect(validateStart({ devices: '12.5', speed: 'abc', seed: '1e30' }).problems).toEqual({
      devices: 'devicesRange',
      speed: 'speedRange',
      seed: 'seedRange',
    });
    expect(validateStart({ devices: ' ', speed: '', seed: '' }).problems).toEqual({
      devices: 'required',
      speed: 'required',
    });
  });
});

describe('speed display', () => {
  it('names the largest whole unit of simulated time per second', () => {
    expect(speedParts(60)).toEqual({ amount: 1, unit: 'minute' });
    expect(speedParts(600)).toEqual({ amount: 10, unit: 'minute' });
    expect(speedParts(3600)).toEqual({ amount: 1, unit: 'hour' });
    expect(speedParts(86_400)).toEqual({ amount: 1, unit: 'day' });
    expect(speedParts(90)).toEqual({ amount: 1.5, unit: 'minute' });
    expect(speedParts(1)).toEqual({ amount: 1, unit: 'second' });
    expect(speedParts(0.5)).toEqual({ amount: 0.5, unit: 'second' });
  });
});
