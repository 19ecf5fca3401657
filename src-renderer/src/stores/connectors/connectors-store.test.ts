import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  RpcError,
  type Connector,
  type ConnectorSaveParams,
  type ConnectorStatus,
} from '@shared/contract';
import { draftFromConnector, toSaveParams } from '../../features/connectors/connector-draft';
import { fakeClient, flush } from '../testing/fake-transport';
import { connectorsSelectors, createConnectorsStore } from './connectors-store';

const status = (state: ConnectorStatus['state'], extra: Partial<ConnectorStatus> = {}): ConnectorStatus => ({
  state,
  since: '2026-11-24T08:00:00.000Z',
  lastError: null,
  messages: 0,
  lastMessageAt: null,
  reconnects: 0,
  gaps: [],
  ...extra,
});

function connector(id: string, overrides: Partial<Connector> = {}): Connector {
  return {
    id,
    name: `接入 ${id}`,
    enabled: true,
    url: 'embedded://',
    clientId: `wf-${id}`,
    username: 'ops',
    tls: { rejectUnauthorized: true, ca: null, cert: null },
    persistentSession: true,
    keepaliveSec: 30,
    subscriptions: [{ topic: 'fleet/+/telemetry', qos: 1 }],
    mappings: [
      {
        topic: 'fleet/{sn}/telemetry',
        sn: { from: 'topic' },
        timestamp: { from: 'json', path: '$.ts', format: 'ms' },
        metrics: [{ metric: 'ripple', path: '$.ripple', scale: 1 }],
      },
    ],
    unknownDevices: 'quarantine',
    maxPastSec: 86_400,
    maxFutureSec: 300,
    maxPayloadBytes: 16_384,
    maxMessagesPerSecond: 100_000,
    hasPassword: true,
    hasTlsKey: true,
    version: 3,
    updatedAt: '2026-11-24T08:00:00.000Z',
    status: status('connected'),
    ...overrides,
  };
}

function setup(list: Connector[]) {
  const { transport, client } = fakeClient();
  let current = list;
  transport.handle('connectors/list', () => current);
  transport.handle('connectors/save', (p) => {
    const params = p as ConnectorSaveParams;
    const prev = current.find((c) => c.id === params.id);
    const saved = connector(params.id ?? 'NEW', {
      ...(params.settings as Partial<Connector>),
      hasPassword: params.password === undefined ? (prev?.hasPassword ?? false) : params.password !== null,
      hasTlsKey: params.tlsKey === undefined ? (prev?.hasTlsKey ?? false) : params.tlsKey !== null,
      version: (params.version ?? 0) + 1,
      status: status('connecting'),
    });
    current = [...current.filter((c) => c.id !== saved.id), saved];
    return saved;
  });
  const store = createConnectorsStore(client);
  return { transport, store, setList: (l: Connector[]) => (current = l) };
}

describe('connectors store', () => {
  it('loads once for every caller that needs the list', async () => {
    const { transport, store } = setup([connector('A')]);
    store.getState().ensureLoaded();
    store.getState().ensureLoaded();
    await flush();
    store.getState().ensureLoaded();
    expect(transport.callsOf('connectors/list')).toHaveLength(1);
    expect(store.getState()).toMatchObject({ loaded: true, error: null });
    expect(store.getState().connectors.map((c) => c.id)).toEqual(['A']);
  });

  it('keeps, sets and clears the write-only secrets', async () => {
    const { transport, store } = setup([connector('A')]);
    await store.getState().load();
    const a = store.getState().connectors[0]!;

    // An untouched secret field: the param is absent, so the core keeps the stored password and key.
    const keep = toSaveParams({ ...draftFromConnector(a), url: 'mqtt://broker.local:1883' }, a);
    expect(keep.problems).toEqual({});
    await store.getState().save(keep.params);
    const sent = () => transport.callsOf('connectors/save') as ConnectorSaveParams[];
    expect(sent()[0]).not.toHaveProperty('password');
    expect(sent()[0]).not.toHaveProperty('tlsKey');
    expect(sent()[0]).toMatchObject({ id: 'A', version: 3, settings: { url: 'mqtt://broker.local:1883' } });
    expect(store.getState().connectors[0]).toMatchObject({ hasPassword: true, hasTlsKey: true, version: 4 });

    // A typed password sets it; "clear" sends null.
    const b = store.getState().connectors[0]!;
    await store.getState().save(toSaveParams({ ...draftFromConnector(b), password: 's3cret' }, b).params);
    expect(sent()[1]).toMatchObject({ password: 's3cret' });
    const c = store.getState().connectors[0]!;
    await store
      .getState()
      .save(toSaveParams({ ...draftFromConnector(c), clearPassword: true, clearTlsKey: true }, c).params);
    expect(sent()[2]).toMatchObject({ password: null, tlsKey: null });
    expect(store.getState().connectors[0]).toMatchObject({
      hasPassword: false,
      hasTlsKey: false,
      version: 6,
    });
  });

  it('keeps the INVALID_ARGUMENT of a refused save with its field paths', async () => {
    const { transport, store } = setup([]);
    transport.handle('connectors/save', () => {
      throw new RpcError(ErrorCode.InvalidArgument, 'invalid params', {
        issues: [
          { path: 'settings.mappings.0.metrics.0.path', message: 'a path like $.field.sub or $.list[0]' },
        ],
      });
    });
    expect(await store.getState().save({ settings: {} as never })).toBeNull();
    expect(store.getState().saveError).toMatchObject({ code: ErrorCode.InvalidArgument });
    expect(store.getState().saving).toBe(false);
  });

  it('patches a connector status from a push, and refetches when a push carries none', async () => {
    const { transport, store, setList } = setup([connector('A'), connector('B')]);
    await store.getState().load();
    transport.emit('connectors/changed', {
      id: 'B',
      status: status('error', { lastError: 'ECONNREFUSED 127.0.0.1:1883', reconnects: 2 }),
    });
    expect(store.getState().connectors.find((c) => c.id === 'B')!.status).toMatchObject({
      state: 'error',
      lastError: 'ECONNREFUSED 127.0.0.1:1883',
    });
    expect(transport.callsOf('connectors/list')).toHaveLength(1);

    // Settings changed elsewhere (or a connector was removed): the list is fetched again.
    setList([connector('A', { name: '改名了' })]);
    transport.emit('connectors/changed', { id: 'B', status: null });
    await flush();
    expect(transport.callsOf('connectors/list')).toHaveLength(2);
    expect(store.getState().connectors.map((c) => c.name)).toEqual(['改名了']);

    // A status of a connector not in the list yet (added elsewhere): fetched too.
    setList([connector('A'), connector('C')]);
    transport.emit('connectors/changed', { id: 'C', status: status('connecting') });
    await flush();
    expect(store.getState().connectors.map((c) => c.id)).toEqual(['A', 'C']);
  });

  it('loads again when a push arrives during a load', async () => {
    const { transport, store } = setup([connector('A')]);
    let release: () => void = () => undefined;
    let calls = 0;
    transport.handle('connectors/list', () => {
      calls++;
      return calls === 1
        ? new Promise((r) => (release = () => r([connector('A')])))
        : [connector('A'), connector('B')];
    });
    const loading = store.getState().load();
    await flush();
    transport.emit('connectors/changed', { id: 'B', status: null });
    release();
    await loading;
    expect(calls).toBe(2);
    expect(store.getState().connectors.map((c) => c.id)).toEqual(['A', 'B']);
  });

  it('ends a load overtaken by a save as not loading', async () => {
    const { transport, store } = setup([connector('A')]);
    let release: () => void = () => undefined;
    transport.handle('connectors/list', () => new Promise((r) => (release = () => r([connector('A')]))));
    const loading = store.getState().load();
    await flush();
    await store
      .getState()
      .save({ id: 'A', version: 3, settings: { ...connector('A'), name: 'new' } as never });
    release();
    await loading;
    expect(store.getState().loading).toBe(false);
    expect(store.getState().connectors.map((c) => c.name)).toEqual(['new']);
  });

  it('reloads after the connection comes back (pushes may have been missed)', async () => {
    const { transport, store } = setup([connector('A')]);
    await store.getState().load();
    transport.setState('connecting');
    transport.setState('open');
    await flush();
    expect(transport.callsOf('connectors/list')).toHaveLength(2);
  });

  it('stops listening on dispose', async () => {
    const { transport, store } = setup([connector('A')]);
    await store.getState().load();
    store.getState().dispose();
    transport.emit('connectors/changed', { id: 'A', status: status('error') });
    expect(store.getState().connectors[0]!.status.state).toBe('connected');
  });

  it('removes with the version', async () => {
    const { transport, store } = setup([connector('A'), connector('B')]);
    transport.handle('connectors/remove', (p) => ({ id: (p as { id: string }).id }));
    await store.getState().load();
    expect(await store.getState().remove('A', 3)).toBe(true);
    expect(transport.callsOf('connectors/remove')).toEqual([{ id: 'A', version: 3 }]);
    expect(store.getState().connectors.map((c) => c.id)).toEqual(['B']);
  });

  it('sums the connection states for the header', () => {
    const agg = connectorsSelectors.aggregate;
    const c = (state: ConnectorStatus['state'], enabled = true) =>
      connector('X', { enabled, status: status(state) });
    expect(agg([])).toBe('none');
    expect(agg([c('disabled', false)])).toBe('disabled');
    expect(agg([c('connected'), c('connected'), c('disabled', false)])).toBe('ok');
    expect(agg([c('connected'), c('connecting')])).toBe('connecting');
    expect(agg([c('connected'), c('error')])).toBe('degraded');
    expect(agg([c('disconnected'), c('error')])).toBe('down');
  });
});
