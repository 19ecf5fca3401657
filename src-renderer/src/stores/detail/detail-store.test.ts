import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RpcError, type Ticket } from '@shared/contract';
import { fakeClient, flush, makeSummary } from '../testing/fake-transport';
import { createDetailStore } from './detail-store';

function ticket(version: number, overrides: Partial<Ticket> = {}): Ticket {
  const s = makeSummary(1, { version });
  const { address: _address, ...rest } = s;
  return {
    ...rest,
    description: '',
    location: null,
    fields: {},
    links: [],
    comments: [],
    history: [],
    createdBy: { id: 'u', name: 'u' },
    configVersion: 1,
    idempotencyKey: null,
    ...overrides,
  };
}

describe('detail store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens a ticket and reloads it when someone else changes it', async () => {
    const { transport, client } = fakeClient();
    let current = ticket(1);
    transport.handle('tickets/get', () => current);
    const store = createDetailStore(client, { reloadDelayMs: 20 });
    await store.getState().open(current.id);
    expect(store.getState().ticket?.version).toBe(1);

    // Our own version echoed back: nothing to do.
    store.getState().applyChanges([{ op: 'updated', ticket: makeSummary(1, { version: 1 }) }]);
    expect(store.getState().stale).toBe(false);
    // Another ticket: nothing to do.
    store.getState().applyChanges([{ op: 'updated', ticket: makeSummary(2, { version: 9 }) }]);
    expect(store.getState().stale).toBe(false);

    current = ticket(2, { title: 'changed elsewhere' });
    store.getState().applyChanges([{ op: 'updated', ticket: makeSummary(1, { version: 2 }) }]);
    expect(store.getState().stale).toBe(true);
    await vi.advanceTimersByTimeAsync(25);
    expect(store.getState().ticket?.title).toBe('changed elsewhere');
    expect(store.getState().stale).toBe(false);
  });

  it('sends the loaded version and keeps the CONFLICT error with its details', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/get', () => ticket(3));
    transport.handle('tickets/update', () => {
      throw new RpcError(ErrorCode.Conflict, 'stale', { id: 'x', expectedVersion: 3, actualVersion: 4 });
    });
    const store = createDetailStore(client);
    await store.getState().open('T00000001');
    const ok = await store.getState().update({ title: 'new' });
    expect(ok).toBe(false);
    expect(transport.callsOf('tickets/update')[0]).toEqual({
      id: 'T00000001',
      version: 3,
      patch: { title: 'new' },
    });
    expect(store.getState().actionError).toMatchObject({ action: 'update', error: { code: 'CONFLICT' } });
    expect(store.getState().busy).toBeNull();
  });

  it('assigns first when a transition needs an assignee, then transitions with the new version', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/get', () => ticket(1));
    transport.handle('tickets/assign', () => ticket(2, { assignee: { kind: 'user', id: 'u-lina' } }));
    transport.handle('tickets/transition', (p) => ticket(3, { status: (p as { to: string }).to }));
    const store = createDetailStore(client);
    await store.getState().open('T00000001');
    expect(await store.getState().transition('assigned', 'go', { kind: 'user', id: 'u-lina' })).toBe(true);
    expect(transport.callsOf('tickets/transition')[0]).toEqual({
      id: 'T00000001',
      version: 2,
      to: 'assigned',
      note: 'go',
    });
    expect(store.getState().ticket).toMatchObject({ version: 3, status: 'assigned' });
  });

  it('links by ticket number, resolving the number first', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/get', (p) =>
      'number' in (p as object) ? ticket(7, { id: 'T2', number: 'WF-2026-000002' }) : ticket(1),
    );
    transport.handle('tickets/link', () => ticket(2));
    const store = createDetailStore(client);
    await store.getState().open('T00000001');
    expect(await store.getState().link('related', ' WF-2026-000002 ')).toBe(true);
    expect(transport.callsOf('tickets/get')[1]).toEqual({ number: 'WF-2026-000002' });
    expect(transport.callsOf('tickets/link')[0]).toEqual({
      id: 'T00000001',
      version: 1,
      op: 'add',
      kind: 'related',
      targetId: 'T2',
    });
  });

  it('comments without a version, so concurrent edits never block a comment', async () => {
    const { transport, client } = fakeClient();
    transport.handle('tickets/get', () => ticket(1));
    transport.handle('tickets/comment', () => ticket(2));
    const store = createDetailStore(client);
    await store.getState().open('T00000001');
    await store.getState().comment('hello');
    expect(transport.callsOf('tickets/comment')[0]).toEqual({ id: 'T00000001', body: 'hello' });
  });

  it('drops a late answer for a ticket that is no longer open', async () => {
    const { transport, client } = fakeClient();
    let release: () => void = () => undefined;
    transport.handle('tickets/get', (p) =>
      (p as { id: string }).id === 'slow'
        ? new Promise((r) => {
            release = () => r(ticket(1, { id: 'slow', title: 'slow' }));
          })
        : ticket(1, { id: 'fast', title: 'fast' }),
    );
    const store = createDetailStore(client);
    void store.getState().open('slow');
    await store.getState().open('fast');
    release();
    await flush();
    expect(store.getState().ticket?.title).toBe('fast');
  });
});

describe('detail store: the unsaved-edits guard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const { transport, client } = fakeClient();
    const versions = new Map<string, number>([
      ['T1', 1],
      ['T2', 1],
    ]);
    transport.handle('tickets/get', (p) => {
      const id = (p as { id: string }).id;
      return ticket(versions.get(id)!, { id, title: `${id} v${versions.get(id)}` });
    });
    const store = createDetailStore(client, { reloadDelayMs: 20 });
    return { transport, store, versions };
  }
  const gets = (transport: ReturnType<typeof setup>['transport']) =>
    transport.callsOf('tickets/get').map((p) => (p as { id: string }).id);

  it('changes nothing without unsaved edits: close and open run at once', async () => {
    const { transport, store } = setup();
    await store.getState().open('T1');
    expect(store.getState().requestOpen('T2')).toBe(true);
    await flush();
    expect(store.getState().ticket?.id).toBe('T2');

    // Editing without a change is not a reason to ask either.
    store.getState().startEditing();
    store.getState().setDirty(false);
    const along = vi.fn();
    expect(store.getState().requestOpen('T1', along)).toBe(true);
    expect(along).toHaveBeenCalledOnce();
    await flush();
    expect(store.getState()).toMatchObject({ openId: 'T1', editing: false, pendingLeave: null });
    expect(store.getState().requestClose()).toBe(true);
    expect(store.getState().openId).toBeNull();
    expect(gets(transport)).toEqual(['T1', 'T2', 'T1']);
  });

  it('holds a close until the operator chooses: keep editing cancels it, discard performs it', async () => {
    const { store } = setup();
    await store.getState().open('T1');
    store.getState().startEditing();
    store.getState().setDirty(true);

    expect(store.getState().requestClose()).toBe(false);
    expect(store.getState()).toMatchObject({ openId: 'T1', editing: true, dirty: true });
    expect(store.getState().pendingLeave).toBeTypeOf('function');

    store.getState().cancelLeave();
    expect(store.getState()).toMatchObject({ openId: 'T1', editing: true, dirty: true, pendingLeave: null });

    store.getState().requestClose();
    store.getState().confirmLeave();
    expect(store.getState()).toMatchObject({
      openId: null,
      editing: false,
      dirty: false,
      pendingLeave: null,
    });
  });

  it('holds another ticket (and what goes with it, like the selection) until discard', async () => {
    const { transport, store } = setup();
    await store.getState().open('T1');
    store.getState().startEditing();
    store.getState().setDirty(true);
    const select = vi.fn();

    expect(store.getState().requestOpen('T2', select)).toBe(false);
    await flush();
    expect(select).not.toHaveBeenCalled();
    expect(store.getState().ticket?.id).toBe('T1');
    store.getState().cancelLeave();
    expect(select).not.toHaveBeenCalled();

    store.getState().requestOpen('T2', select);
    store.getState().confirmLeave();
    await flush();
    expect(select).toHaveBeenCalledOnce();
    expect(store.getState()).toMatchObject({ openId: 'T2', editing: false, dirty: false });
    expect(store.getState().ticket?.id).toBe('T2');
    expect(gets(transport)).toEqual(['T1', 'T2']);
  });

  it('does not ask for the ticket that is already open, and any guarded action waits the same way', async () => {
    const { store } = setup();
    await store.getState().open('T1');
    store.getState().startEditing();
    store.getState().setDirty(true);
    const select = vi.fn();
    expect(store.getState().requestOpen('T1', select)).toBe(true);
    expect(select).toHaveBeenCalledOnce();
    expect(store.getState()).toMatchObject({ editing: true, dirty: true, pendingLeave: null });

    const navigate = vi.fn();
    expect(store.getState().requestLeave(navigate)).toBe(false);
    expect(navigate).not.toHaveBeenCalled();
    store.getState().confirmLeave();
    expect(navigate).toHaveBeenCalledOnce();
    expect(store.getState().editing).toBe(false);
  });

  it('keeps the edit form and its draft through a live update of the same ticket', async () => {
    const { store, versions } = setup();
    await store.getState().open('T1');
    store.getState().startEditing();
    store.getState().setDirty(true);
    versions.set('T1', 2);
    store.getState().applyChanges([{ op: 'updated', ticket: makeSummary(1, { id: 'T1', version: 2 }) }]);
    await vi.advanceTimersByTimeAsync(25);
    expect(store.getState().ticket).toMatchObject({ id: 'T1', version: 2 });
    expect(store.getState()).toMatchObject({ editing: true, dirty: true, pendingLeave: null });
  });

  it('leaves edit mode when another ticket replaces the open one, and ignores dirt outside it', async () => {
    const { store } = setup();
    store.getState().setDirty(true);
    expect(store.getState().dirty).toBe(false);
    await store.getState().open('T1');
    store.getState().startEditing();
    store.getState().setDirty(true);
    store.getState().stopEditing();
    expect(store.getState()).toMatchObject({ editing: false, dirty: false });
    expect(store.getState().requestClose()).toBe(true);

    await store.getState().open('T1');
    store.getState().startEditing();
    await store.getState().open('T2');
    expect(store.getState()).toMatchObject({ openId: 'T2', editing: false, dirty: false });
  });
});
