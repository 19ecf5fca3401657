import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Ticket } from '@shared/contract';
import { createAppStores } from '../../stores/app-stores';
import { LIST_ID } from '../../stores/board/board-store';
import { fakeClient, flush, listHandler, makeSummary } from '../../stores/testing/fake-transport';
import { testConfig } from '../../stores/testing/test-config';
import { moveSelectionWithDrawer } from './follow-selection';

async function setup() {
  const { transport, client } = fakeClient();
  const rows = Array.from({ length: 5 }, (_, i) => makeSummary(i));
  transport.handle('config/get', () => testConfig());
  transport.handle('system/info', () => ({ user: { id: 'u-zhangwei', name: '张伟' } }));
  transport.handle('views/list', () => []);
  transport.handle(
    'tickets/list',
    listHandler(() => rows),
  );
  transport.handle('tickets/facets', () => ({
    total: rows.length,
    byStatus: {},
    byPriority: { P1: 0, P2: 0, P3: 0, P4: 0 },
  }));
  transport.handle('tickets/get', (p) => {
    const { address: _address, ...summary } = rows.find((r) => r.id === (p as { id: string }).id)!;
    const ticket: Ticket = {
      ...summary,
      description: '',
      location: null,
      fields: {},
      links: [],
      comments: [],
      history: [],
      createdBy: { id: 'u', name: 'u' },
      configVersion: 1,
      idempotencyKey: null,
    };
    return ticket;
  });
  const app = createAppStores(client);
  const { board, detail } = app.stores;
  await app.stores.config.getState().load();
  board.getState().start();
  await flush(20);
  board.getState().setRange(LIST_ID, 0, 4);
  await vi.advanceTimersByTimeAsync(200);
  board.getState().select(LIST_ID, 1);
  await detail.getState().open(rows[1]!.id);
  const next = () => moveSelectionWithDrawer(board, detail, () => board.getState().moveSelection(1));
  const selectedIndex = () => board.getState().selection?.index;
  return { ...app, board, detail, rows, next, selectedIndex };
}

describe('j/k with the drawer open', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('follows the selection at once without unsaved edits', async () => {
    const { detail, rows, next, selectedIndex, dispose } = await setup();
    detail.getState().startEditing(); // an edit form without changes
    next();
    await flush();
    expect(selectedIndex()).toBe(2);
    expect(detail.getState()).toMatchObject({ openId: rows[2]!.id, editing: false, pendingLeave: null });
    dispose();
  });

  it('with unsaved edits keeps the selection until the operator chooses', async () => {
    const { detail, rows, next, selectedIndex, dispose } = await setup();
    detail.getState().startEditing();
    detail.getState().setDirty(true);

    next();
    await flush();
    expect(selectedIndex()).toBe(1);
    expect(detail.getState()).toMatchObject({ openId: rows[1]!.id, editing: true, dirty: true });
    expect(detail.getState().pendingLeave).not.toBeNull();

    // Keep editing: nothing moved.
    detail.getState().cancelLeave();
    expect(selectedIndex()).toBe(1);
    expect(detail.getState().openId).toBe(rows[1]!.id);

    // Discard: the move happens, the drawer follows.
    next();
    detail.getState().confirmLeave();
    await flush();
    expect(selectedIndex()).toBe(2);
    expect(detail.getState()).toMatchObject({ openId: rows[2]!.id, editing: false, dirty: false });
    dispose();
  });
});
