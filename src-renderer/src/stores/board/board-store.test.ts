import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TicketSummary } from '@shared/contract';
import { fakeClient, flush, listHandler, makeSummary } from '../testing/fake-transport';
import { testConfig } from '../testing/test-config';
import { createBoardStore, LIST_ID, boardSelectors } from './board-store';
import { rowAt } from './page-cache';

function setup(rows: TicketSummary[]) {
  const { transport, client } = fakeClient();
  let data = rows;
  transport.handle(
    'tickets/list',
    listHandler(() => data),
  );
  transport.handle('tickets/facets', () => ({
    total: data.length,
    byStatus: { new: data.length },
    byPriority: { P1: 0, P2: 0, P3: 0, P4: 0 },
  }));
  const config = testConfig();
  const store = createBoardStore({ client, getConfig: () => config, listPageSize: 100, columnPageSize: 10 });
  return {
    transport,
    store,
    setData: (next: TicketSummary[]) => {
      data = next;
    },
  };
}

const many = (n: number) => Array.from({ length: n }, (_, i) => makeSummary(i));

describe('board store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads the first page and the facets when started, and fetches pages by visible range', async () => {
    const { store, transport } = setup(many(100_000));
    store.getState().start();
    await flush();
    const list = store.getState().lists[LIST_ID]!;
    expect(list.cache.total).toBe(100_000);
    expect(rowAt(list.cache, 0)?.id).toBe(makeSummary(0).id);
    expect(boardSelectors.total(store.getState())).toBe(100_000);

    // Jump far down: only the pages of the new window are fetched, after the coalescing delay.
    store.getState().setRange(LIST_ID, 50_000, 50_030);
    store.getState().setRange(LIST_ID, 60_000, 60_030);
    expect(transport.callsOf('tickets/list')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(50);
    const offsets = transport.callsOf('tickets/list').map((p) => (p as { offset: number }).offset);
    expect(offsets).toEqual([0, 59_900, 60_000]);
    expect(rowAt(store.getState().lists[LIST_ID]!.cache, 60_010)?.id).toBe(makeSummary(60_010).id);
  });

  it('never sends a filter with empty parts and restarts lists when the filter changes', async () => {
    const { store, transport } = setup(many(10));
    store.getState().start();
    await flush();
    store.getState().setFilter({ priority: ['P1'], status: [], text: ' pump ' });
    await flush();
    const last = transport.callsOf('tickets/list').at(-1) as { filter: unknown; offset: number };
    expect(last.filter).toEqual({ priority: ['P1'], text: 'pump' });
    expect(last.offset).toBe(0);
    expect(store.getState().epoch).toBe(2);
  });

  it('patches rows in place at once and refetches the window once, shortly after a burst of pushes', async () => {
    const rows = many(300);
    const { store, transport, setData } = setup(rows);
    store.getState().start();
    await flush();
    const before = transport.callsOf('tickets/list').length;
    const changed = { ...rows[5]!, title: 'edited elsewhere', version: 2 };
    store.getState().applyChanges([{ op: 'updated', ticket: changed }]);
    // In place, before any request.
    expect(rowAt(store.getState().lists[LIST_ID]!.cache, 5)?.title).toBe('edited elsewhere');
    expect(transport.callsOf('tickets/list')).toHaveLength(before);

    // A new ticket arrives on top; more pushes within the window share one refetch.
    const created = makeSummary(999, { title: 'brand new' });
    setData([created, ...rows.slice(0, 5), changed, ...rows.slice(6)]);
    store.getState().applyChanges([{ op: 'created', ticket: created }]);
    store.getState().applyChanges([{ op: 'updated', ticket: changed }]);
    await vi.advanceTimersByTimeAsync(160);
    expect(transport.callsOf('tickets/list')).toHaveLength(before + 1);
    const list = store.getState().lists[LIST_ID]!;
    expect(list.cache.total).toBe(301);
    expect(rowAt(list.cache, 0)?.title).toBe('brand new');
    expect(rowAt(list.cache, 6)?.title).toBe('edited elsewhere');
    expect(transport.callsOf('tickets/facets').length).toBeGreaterThanOrEqual(2);
  });

  it('drops answers of an older query', async () => {
    const { store, transport } = setup(many(10));
    let release: (v: unknown) => void = () => undefined;
    transport.handle('tickets/list', (p) => {
      const params = p as { filter: { priority?: string[] } };
      if (params.filter.priority)
        return { total: 1, offset: 0, items: [makeSummary(7, { title: 'P1 only' })] };
      return new Promise((r) => {
        release = () => r({ total: 10, offset: 0, items: many(10) });
      });
    });
    store.getState().start();
    store.getState().setFilter({ priority: ['P1'] });
    await flush();
    release(null);
    await flush();
    const list = store.getState().lists[LIST_ID]!;
    expect(list.cache.total).toBe(1);
    expect(rowAt(list.cache, 0)?.title).toBe('P1 only');
  });

  it('moves the selection with j/k semantics, clamped, and keeps it on its ticket after a re-sort', async () => {
    const rows = many(50);
    const { store, setData } = setup(rows);
    store.getState().start();
    await flush();
    store.getState().moveSelection(1);
    expect(store.getState().selection).toMatchObject({ listId: LIST_ID, index: 0, ticketId: rows[0]!.id });
    store.getState().moveSelection(1);
    store.getState().moveSelection(1);
    expect(store.getState().selection?.index).toBe(2);
    store.getState().moveSelection(-10);
    expect(store.getState().selection?.index).toBe(0);
    store.getState().moveSelection(500);
    expect(store.getState().selection?.index).toBe(49);

    store.getState().select(LIST_ID, 3);
    const selected = rows[3]!;
    setData([makeSummary(100), makeSummary(101), ...rows]);
    store.getState().applyChanges([{ op: 'created', ticket: makeSummary(100) }]);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.getState().selection).toMatchObject({ index: 5, ticketId: selected.id });
    expect(boardSelectors.selectedTicket(store.getState())?.id).toBe(selected.id);
  });

  it('builds one paged list per kanban column and moves between non-empty columns', async () => {
    const { store, transport } = setup(many(30));
    transport.handle('tickets/list', (p) => {
      const status = (p as { filter: { status?: string[] } }).filter.status ?? [];
      const n = status.includes('new') ? 30 : status.includes('resolved') ? 2 : 0;
      return { total: n, offset: 0, items: many(n).slice(0, 10) };
    });
    store.getState().start();
    store.getState().setMode('kanban');
    await flush();
    const { columns, lists } = store.getState();
    expect(columns.map((c) => c.id)).toEqual([
      'cat:new',
      'cat:active',
      'cat:waiting',
      'cat:resolved',
      'cat:closed',
    ]);
    expect(lists['cat:new']!.cache.total).toBe(30);
    expect(lists['cat:active']!.cache.total).toBe(0);
    const first = transport.callsOf('tickets/list').find((p) => (p as { limit: number }).limit === 10);
    expect(first).toBeDefined();

    store.getState().moveSelection(1);
    expect(store.getState().selection?.listId).toBe('cat:new');
    store.getState().moveColumn(1);
    expect(store.getState().selection?.listId).toBe('cat:resolved');
    store.getState().moveColumn(1);
    expect(store.getState().selection?.listId).toBe('cat:resolved');
    store.getState().moveColumn(-1);
    expect(store.getState().selection?.listId).toBe('cat:new');

    // One type filtered: its workflow's states become the columns.
    store.getState().setFilter({ typeId: ['citizen-request'] });
    expect(store.getState().columns[0]!.id).toBe('state:received');
  });

  it('does not fetch before a board is started', async () => {
    const { store, transport } = setup(many(10));
    store.getState().setFilter({ priority: ['P2'] });
    store.getState().applyChanges([{ op: 'created', ticket: makeSummary(1) }]);
    await vi.advanceTimersByTimeAsync(500);
    expect(transport.calls).toHaveLength(0);
  });
});
