import { describe, expect, it, vi } from 'vitest';
import type { TicketSummary } from '@shared/contract';
import { fakeClient, flush } from '../../stores/testing/fake-transport';
import { createDeviceTicketsStore } from './device-tickets-store';

const summary = (id: string, sn: string): TicketSummary => ({
  id,
  number: `WF-2026-${id}`,
  typeId: 'device-fault',
  title: `t ${id}`,
  priority: 'P2',
  status: 'new',
  assignee: null,
  source: 'manual',
  businessKeys: { deviceSn: sn },
  domains: [],
  sla: { policyId: null, responseDueAt: null, resolveDueAt: null, respondedAt: null, resolvedAt: null },
  version: 1,
  createdAt: '2026-11-24T00:00:00.000Z',
  updatedAt: '2026-11-24T00:00:00.000Z',
  address: null,
});

describe('device tickets store', () => {
  it('lists open tickets by business key deviceSn and keeps only the exact SN', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/list', () => ({
      total: 2,
      offset: 0,
      items: [summary('1', 'INV-1'), summary('2', 'INV-10')],
    }));
    const store = createDeviceTicketsStore(client);
    store.getState().show('INV-1');
    expect(store.getState().loading).toBe(true);
    await flush();
    expect(transport.callsOf('tickets/list')[0]).toMatchObject({
      filter: { businessKey: { key: 'deviceSn', value: 'INV-1' }, open: true },
    });
    expect(store.getState().items.map((t) => t.id)).toEqual(['1']);
    expect(store.getState().loading).toBe(false);
  });

  it('refetches after ticket pushes while a device is shown, and not after it is closed', async () => {
    vi.useFakeTimers();
    try {
      const { transport, client } = fakeClient();
      let items = [summary('1', 'INV-1')];
      transport.handle('tickets/list', () => ({ total: items.length, offset: 0, items }));
      const store = createDeviceTicketsStore(client, { debounceMs: 10 });
      store.getState().show('INV-1');
      await vi.runAllTimersAsync();
      items = [summary('1', 'INV-1'), summary('3', 'INV-1')];
      transport.emit('tickets/changed', { changes: [] });
      await vi.advanceTimersByTimeAsync(20);
      expect(store.getState().items).toHaveLength(2);
      store.getState().show(null);
      const before = transport.callsOf('tickets/list').length;
      transport.emit('tickets/changed', { changes: [] });
      await vi.advanceTimersByTimeAsync(20);
      expect(transport.callsOf('tickets/list')).toHaveLength(before);
      store.getState().dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps an error for the shown device', async () => {
    const { client } = fakeClient();
    const store = createDeviceTicketsStore(client);
    store.getState().show('INV-1');
    await flush();
    expect(store.getState().error?.code).toBe('METHOD_NOT_FOUND');
  });
});
