import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStores } from './app-stores';
import { LIST_ID } from './board/board-store';
import { rowAt } from './board/page-cache';
import { fakeClient, flush, listHandler, makeSummary } from './testing/fake-transport';
import { testConfig } from './testing/test-config';

function setup() {
  const { transport, client } = fakeClient();
  const rows = Array.from({ length: 20 }, (_, i) => makeSummary(i));
  transport.handle('config/get', () => testConfig());
  transport.handle('system/info', () => ({ user: { id: 'u-zhangwei', name: '张伟' } }));
  transport.handle('views/list', () => []);
  transport.handle(
    'tickets/list',
    listHandler(() => rows),
  );
  transport.handle('tickets/facets', () => ({
    total: 20,
    byStatus: {},
    byPriority: { P1: 0, P2: 0, P3: 0, P4: 0 },
  }));
  transport.handle('tickets/get', () => ({ ...makeSummary(3), version: 5 }));
  const app = createAppStores(client);
  return { transport, rows, ...app };
}

describe('app stores', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('patches the board at once on tickets/changed', async () => {
    const { stores, transport, rows, dispose } = setup();
    await stores.config.getState().load();
    stores.board.getState().start();
    await flush();
    transport.emit('tickets/changed', {
      changes: [{ op: 'updated', ticket: { ...rows[3]!, title: 'live', version: 2 } }],
    });
    expect(rowAt(stores.board.getState().lists[LIST_ID]!.cache, 3)?.title).toBe('live');
    dispose();
  });

  it('refetches views on views/changed', async () => {
    const { stores, transport, dispose } = setup();
    transport.emit('views/changed', { op: 'saved', id: 'v1' });
    await flush();
    expect(transport.callsOf('views/list')).toHaveLength(1);
    expect(stores.views.getState().loaded).toBe(true);
    dispose();
  });

  it('refetches everything after a reconnect, not on the first connect', async () => {
    const { stores, transport, dispose } = setup();
    await stores.config.getState().load();
    stores.board.getState().start();
    await flush();
    const before = transport.calls.length;
    transport.setState('connecting');
    expect(stores.connection.getState()).toMatchObject({ state: 'connecting', lost: true });
    transport.setState('open');
    expect(stores.connection.getState()).toMatchObject({ state: 'open', reconnects: 1, lost: false });
    await flush(20);
    const after = transport.calls.slice(before).map((c) => c.method);
    expect(after).toEqual(
      expect.arrayContaining(['config/get', 'system/info', 'views/list', 'tickets/list', 'tickets/facets']),
    );
    dispose();
  });

  it('opens a created ticket in the drawer, asking first when an edit there is unsaved', async () => {
    const { stores, transport, dispose } = setup();
    transport.handle('tickets/create', () => ({ ...makeSummary(9), version: 1 }));
    const create = async () => {
      stores.create.getState().show();
      await stores.create.getState().submit({ typeId: 'device-fault', title: 'new' });
    };
    await create();
    await flush();
    expect(stores.detail.getState().openId).toBe(makeSummary(9).id);

    await stores.detail.getState().open('T-edited');
    stores.detail.getState().startEditing();
    stores.detail.getState().setDirty(true);
    await create();
    expect(stores.detail.getState().openId).toBe('T-edited');
    expect(stores.detail.getState().pendingLeave).not.toBeNull();
    stores.detail.getState().confirmLeave();
    await flush();
    expect(stores.detail.getState().openId).toBe(makeSummary(9).id);
    dispose();
  });

  it('reports the connection state', () => {
    const { stores, transport, dispose } = setup();
    expect(stores.connection.getState().state).toBe('open');
    transport.setState('closed');
    expect(stores.connection.getState().state).toBe('closed');
    dispose();
  });
});

describe('app stores, first connection', () => {
  it('reloads the configuration when the first calls failed before the hub was reachable', async () => {
    const { transport, client } = fakeClient();
    transport.setState('connecting');
    let up = false;
    transport.handle('config/get', () => {
      if (!up) throw new Error('timeout');
      return testConfig();
    });
    transport.handle('system/info', () => ({ user: { id: 'u', name: 'u' } }));
    const { stores, dispose } = createAppStores(client);
    await stores.config.getState().load();
    expect(stores.config.getState().error).not.toBeNull();
    up = true;
    transport.setState('open');
    await flush(10);
    expect(stores.config.getState().config?.timezone).toBe('Asia/Shanghai');
    expect(stores.config.getState().error).toBeNull();
    dispose();
  });
});
