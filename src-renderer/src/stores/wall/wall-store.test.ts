import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, flush, makeSummary } from '../testing/fake-transport';
import { createWallStore } from './wall-store';

const stats = {
  asOf: '2026-01-01T00:00:00.000Z',
  open: 10,
  openByPriority: { P1: 1, P2: 2, P3: 3, P4: 4 },
  breached: 1,
  dueWithinHour: 2,
  createdToday: 3,
  resolvedToday: 4,
};

describe('wall store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads stats and the urgent list (open P1/P2, soonest resolve due first)', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/stats', () => stats);
    transport.handle('tickets/list', () => ({
      total: 1,
      offset: 0,
      items: [makeSummary(0, { priority: 'P1' })],
    }));
    const store = createWallStore(client);
    store.getState().start();
    await flush();
    expect(store.getState().stats?.open).toBe(10);
    expect(store.getState().urgent).toHaveLength(1);
    expect(transport.callsOf('tickets/list')[0]).toMatchObject({
      filter: { priority: ['P1', 'P2'], open: true },
      sort: { field: 'resolveDueAt', dir: 'asc' },
    });
    store.getState().stop();
  });

  it('refreshes on pushes at most once a second, and every 30 s', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/stats', () => stats);
    transport.handle('tickets/list', () => ({ total: 0, offset: 0, items: [] }));
    const store = createWallStore(client);
    store.getState().changed(); // not started: ignored
    await vi.advanceTimersByTimeAsync(2000);
    expect(transport.callsOf('tickets/stats')).toHaveLength(0);

    store.getState().start();
    await flush();
    expect(transport.callsOf('tickets/stats')).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      store.getState().changed();
      await vi.advanceTimersByTimeAsync(20);
    }
    // 1 s of pushes → one more refresh.
    expect(transport.callsOf('tickets/stats')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(transport.callsOf('tickets/stats').length).toBeGreaterThanOrEqual(3);
    store.getState().stop();
    const n = transport.callsOf('tickets/stats').length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(transport.callsOf('tickets/stats')).toHaveLength(n);
  });

  it('keeps the last figures and shows the error when a refresh fails', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/stats', () => stats);
    transport.handle('tickets/list', () => ({ total: 0, offset: 0, items: [] }));
    const store = createWallStore(client);
    await store.getState().refresh();
    transport.handle('tickets/stats', () => {
      throw new Error('down');
    });
    await store.getState().refresh();
    expect(store.getState().stats?.open).toBe(10);
    expect(store.getState().error?.code).toBe('INTERNAL');
  });
});
