import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  RpcError,
  type PredictConfig,
  type PredictConfigSet,
  type Ticket,
} from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { sampleRecord, samplePolicy, samplePolicySet, sampleReport, sampleStatus } from './fixtures';
import { createPredictStore, qualityParams } from './predict-store';

const actor = { id: 'u-zhangwei', name: '张伟' };

/** A small but complete configuration set at version 3. */
const DEFAULT_CONFIG_SET: PredictConfigSet = {
  version: 3,
  config: {
    knowledge: [],
    sops: [],
    parts: [],
    depots: [],
    engineers: [],
    dispatch: {
      weights: { arrival: 0.4, cost: 0.2, slaRisk: 0.3, customerPriority: 0.1 },
      travel: { speedKmh: 40, detourFactor: 1.3, costPerKmYuan: 2.5 },
      customerTiers: { default: 0.5 },
    },
    weather: { url: null, pollMinutes: 60 },
  },
  changes: [],
};

afterEach(() => {
  vi.useRealTimers();
});

describe('prediction store', () => {
  it('loads the record of the shown ticket and drops an answer for a ticket no longer shown', async () => {
    const { transport, client } = fakeClient();
    let release: (() => void) | null = null;
    transport.handle('predict/ticket', (p) => {
      const { ticketId } = p as { ticketId: string };
      if (ticketId === 'T-slow') return new Promise((r) => (release = () => r(sampleRecord({ ticketId }))));
      return sampleRecord({ ticketId });
    });
    const store = createPredictStore(client);
    store.getState().showTicket('T-slow');
    store.getState().showTicket('T1');
    await flush();
    release!();
    await flush();
    expect(store.getState().ticket.key).toBe('T1');
    expect(store.getState().ticket.data?.ticketId).toBe('T1');
  });

  it('keeps null for a ticket without a prediction and an error when the service is missing', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/ticket', () => null);
    const store = createPredictStore(client);
    store.getState().showTicket('T9');
    await flush();
    expect(store.getState().ticket).toMatchObject({ key: 'T9', data: null, loading: false, error: null });

    const other = createPredictStore(fakeClient().client);
    other.getState().showDevice('INV-1');
    await flush();
    expect(other.getState().device.error?.code).toBe(ErrorCode.MethodNotFound);
    expect(other.getState().device.loading).toBe(false);
  });

  it('sends the quality filters without empty choices and clamps the minimum lead', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/quality', () => sampleReport());
    transport.handle('predict/policies', () => samplePolicySet());
    transport.handle('predict/status', () => sampleStatus());
    const store = createPredictStore(client);
    store.getState().watchQuality(true);
    await flush();
    expect(transport.callsOf('predict/quality')[0]).toEqual({ minLeadHours: 4 });
    store.getState().setQualityFilters({ deviceKind: 'pv-inverter', minLeadHours: -3 });
    await flush();
    expect(transport.callsOf('predict/quality')[1]).toEqual({ deviceKind: 'pv-inverter', minLeadHours: 0 });
    store.getState().setQualityFilters({ minLeadHours: Number.NaN });
    expect(store.getState().qualityFilters.minLeadHours).toBe(0);
    expect(qualityParams({ deviceKind: '', modelVersion: '1.0.0', minLeadHours: 500 })).toEqual({
      modelVersion: '1.0.0',
      minLeadHours: 500,
    });
  });

  it('records an outcome, closes the dialog and refreshes the record and the quality report', async () => {
    const { transport, client } = fakeClient();
    let record = sampleRecord();
    transport.handle('predict/ticket', () => record);
    transport.handle('predict/quality', () => sampleReport());
    transport.handle('predict/policies', () => samplePolicySet());
    transport.handle('predict/status', () => sampleStatus());
    transport.handle('predict/recordOutcome', (p) => {
      const params = p as { outcome: 'fault-confirmed'; note: string };
      record = { ...record, state: 'closed', outcome: params.outcome, outcomeNote: params.note };
      return { id: 'T1', version: 3 } as unknown as Ticket;
    });
    const store = createPredictStore(client);
    store.getState().watchQuality(true);
    store.getState().showTicket('T1');
    await flush();
    store.getState().openOutcome('T1');
    const qualityCalls = transport.callsOf('predict/quality').length;
    const result = await store.getState().recordOutcome('T1', 2, 'fault-confirmed', '电容鼓包，已更换');
    await flush();
    expect(result).not.toBeNull();
    expect(transport.callsOf('predict/recordOutcome')[0]).toEqual({
      ticketId: 'T1',
      version: 2,
      outcome: 'fault-confirmed',
      note: '电容鼓包，已更换',
    });
    expect(store.getState().outcomeFor).toBeNull();
    expect(store.getState().ticket.data?.outcome).toBe('fault-confirmed');
    expect(transport.callsOf('predict/quality').length).toBe(qualityCalls + 1);
  });

  it('keeps a refused outcome as the dialog error, with the dialog still open', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/recordOutcome', () => {
      throw new RpcError(ErrorCode.Conflict, 'version 2 is stale, the ticket is at 3');
    });
    const store = createPredictStore(client);
    store.getState().openOutcome('T1');
    expect(await store.getState().recordOutcome('T1', 2, 'no-fault-found', 'nothing found')).toBeNull();
    expect(store.getState().outcomeFor).toBe('T1');
    expect(store.getState().commandError).toMatchObject({
      command: 'outcome',
      error: { code: ErrorCode.Conflict },
    });
    expect(store.getState().busy).toBeNull();
  });

  it('overrides the dispatch of the shown ticket and shows the recorded override', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/ticket', () => sampleRecord());
    transport.handle('predict/overrideDispatch', (p) => {
      const { userId, reason } = p as { userId: string; reason: string };
      const base = sampleRecord();
      return {
        ...base,
        dispatch: {
          ...base.dispatch!,
          override: {
            userId,
            name: '刘洋',
            by: { id: 'u-zhangwei', name: '张伟' },
            at: '2026-11-24T03:10:00.000Z',
            reason,
          },
        },
      };
    });
    const store = createPredictStore(client);
    expect(await store.getState().overrideDispatch('u-liuyang', 'x')).toBeNull(); // nothing shown yet
    store.getState().showTicket('T1');
    await flush();
    const record = await store.getState().overrideDispatch('u-liuyang', '王强在外地');
    expect(record?.dispatch?.override?.userId).toBe('u-liuyang');
    expect(store.getState().ticket.data?.dispatch?.override?.reason).toBe('王强在外地');
  });

  it('saves a policy against the version it was loaded at and keeps a conflict as the panel error', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/policies', () => samplePolicySet(4));
    transport.handle('predict/setPolicy', (p) => {
      const { version } = p as { version: number };
      if (version !== 4) throw new RpcError(ErrorCode.Conflict, 'stale');
      return { ...samplePolicySet(5), policies: [samplePolicy({ openAt: 0.7 })] };
    });
    const store = createPredictStore(client);
    expect(await store.getState().setPolicy(samplePolicy(), 'n')).toBe(false); // not loaded yet
    await store.getState().loadPolicies();
    expect(await store.getState().setPolicy(samplePolicy({ openAt: 0.7 }), '误报偏多')).toBe(true);
    expect(transport.callsOf('predict/setPolicy')[0]).toMatchObject({ version: 4, note: '误报偏多' });
    expect(store.getState().policies.data?.version).toBe(5);
    transport.handle('predict/setPolicy', () => {
      throw new RpcError(ErrorCode.Conflict, 'stale');
    });
    expect(await store.getState().setPolicy(samplePolicy(), 'again')).toBe(false);
    expect(store.getState().commandError?.command).toBe('policy');
  });

  it('loads the predictive configuration with the quality page and saves a whole configuration', async () => {
    const { transport, client } = fakeClient();
    const base = structuredClone(DEFAULT_CONFIG_SET);
    transport.handle('predict/quality', () => sampleReport());
    transport.handle('predict/policies', () => samplePolicySet());
    transport.handle('predict/status', () => sampleStatus());
    transport.handle('predict/config', () => base);
    transport.handle('predict/setConfig', (p) => {
      const { config, version, note } = p as { config: PredictConfig; version: number; note: string };
      if (version !== 3) throw new RpcError(ErrorCode.Conflict, 'stale', { current: 4 });
      return {
        version: 4,
        config,
        changes: [{ version: 4, at: '2026-11-24T03:00:00.000Z', actor, note, sections: ['dispatch'] }],
      };
    });
    const store = createPredictStore(client);
    expect(await store.getState().setPredictConfig(base.config, 'n')).toBe(false); // not loaded yet
    expect(transport.callsOf('predict/setConfig')).toHaveLength(0);
    store.getState().watchQuality(true);
    await flush();
    expect(store.getState().predictConfig.data?.version).toBe(3);

    const edited = structuredClone(base.config);
    edited.dispatch.weights.slaRisk = 0.6;
    expect(await store.getState().setPredictConfig(edited, '夜间 SLA 风险偏高')).toBe(true);
    expect(transport.callsOf('predict/setConfig')[0]).toEqual({
      config: edited,
      version: 3,
      note: '夜间 SLA 风险偏高',
    });
    expect(store.getState().predictConfig.data?.version).toBe(4);
    expect(store.getState().predictConfig.data?.changes[0]?.note).toBe('夜间 SLA 风险偏高');
    expect(store.getState().busy).toBeNull();
  });

  it('refetches the configuration when a push says someone else saved a newer one', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    let current = structuredClone(DEFAULT_CONFIG_SET);
    transport.handle('predict/config', () => current);
    transport.handle('predict/status', () => sampleStatus());
    transport.handle('predict/quality', () => sampleReport());
    transport.handle('predict/policies', () => samplePolicySet());
    const store = createPredictStore(client, { refreshMs: 100 });
    // The quality page (with its configuration tab) is open.
    store.getState().watchQuality(true);
    await vi.advanceTimersByTimeAsync(200);
    const loads = transport.callsOf('predict/config').length;
    expect(store.getState().predictConfig.data?.version).toBe(current.version);
    const push = { cycles: 1, telemetryTime: null, openPreventive: 0, policyVersion: 1 };
    store.getState().applyChanged({ ...push, configVersion: current.version });
    await vi.advanceTimersByTimeAsync(200);
    expect(transport.callsOf('predict/config')).toHaveLength(loads);
    current = { ...current, version: current.version + 1 };
    store.getState().applyChanged({ ...push, configVersion: current.version });
    await vi.advanceTimersByTimeAsync(200);
    expect(transport.callsOf('predict/config')).toHaveLength(loads + 1);
    expect(store.getState().predictConfig.data?.version).toBe(current.version);
    store.getState().dispose();
    vi.useRealTimers();
  });

  it('keeps a refused configuration as the error of the command that sent it', async () => {
    const { transport, client } = fakeClient();
    transport.handle('predict/config', () => DEFAULT_CONFIG_SET);
    const issues = [{ path: 'config.knowledge.0.modes.0.sopId', message: 'no SOP sop-x' }];
    transport.handle('predict/setConfig', () => {
      throw new RpcError(ErrorCode.InvalidArgument, '1 problem', { issues });
    });
    const store = createPredictStore(client);
    await store.getState().loadPredictConfig();
    expect(
      await store.getState().setPredictConfig(DEFAULT_CONFIG_SET.config, 'import', 'config-import'),
    ).toBe(false);
    expect(store.getState().commandError).toMatchObject({
      command: 'config-import',
      error: { code: ErrorCode.InvalidArgument, details: { issues } },
    });
    expect(store.getState().predictConfig.data?.version).toBe(3);

    transport.handle('predict/setConfig', () => {
      throw new RpcError(ErrorCode.Conflict, 'stale', { current: 5 });
    });
    expect(await store.getState().setPredictConfig(DEFAULT_CONFIG_SET.config, 'edit')).toBe(false);
    expect(store.getState().commandError).toMatchObject({
      command: 'config',
      error: { code: ErrorCode.Conflict, details: { current: 5 } },
    });

    const other = createPredictStore(fakeClient().client);
    await other.getState().loadPredictConfig();
    expect(other.getState().predictConfig.error?.code).toBe(ErrorCode.MethodNotFound);
    expect(other.getState().predictConfig.loading).toBe(false);
  });

  it('refetches at most once per interval on a burst of cycle pushes, quality only while watched', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    transport.handle('predict/status', () => sampleStatus());
    transport.handle('predict/quality', () => sampleReport());
    transport.handle('predict/policies', () => samplePolicySet());
    transport.handle('predict/device', () => ({
      sn: 'INV-1',
      modelId: null,
      modelVersion: null,
      state: 'rules-only',
      latest: null,
      history: [],
    }));
    const store = createPredictStore(client, { refreshMs: 1000 });
    store.getState().showDevice('INV-1');
    await vi.runAllTimersAsync();
    const payload = { cycles: 1, telemetryTime: null, openPreventive: 0, policyVersion: 1, configVersion: 1 };
    for (let i = 0; i < 10; i++) store.getState().applyChanged({ ...payload, cycles: i });
    await vi.advanceTimersByTimeAsync(5);
    expect(transport.callsOf('predict/status')).toHaveLength(1);
    expect(transport.callsOf('predict/device')).toHaveLength(2);
    expect(transport.callsOf('predict/quality')).toHaveLength(0);
    store.getState().applyChanged(payload);
    await vi.advanceTimersByTimeAsync(500);
    expect(transport.callsOf('predict/status')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600);
    expect(transport.callsOf('predict/status')).toHaveLength(2);
    store.getState().dispose();
  });
});
