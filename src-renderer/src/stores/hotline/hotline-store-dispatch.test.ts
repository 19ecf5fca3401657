import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError, type DispatchState, type IncomingCall } from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { createHotlineStore } from './hotline-store';

function dispatch(ticketId: string, over: Partial<DispatchState> = {}): DispatchState {
  return {
    ticketId,
    departments: [
      { departmentId: 'env', state: 'pending' },
      { departmentId: 'city', state: 'pending' },
    ],
    owner: null,
    reassignments: [],
    suggested: { category: '环境保护/环境污染/噪音污染', confidence: 0.4, departmentIds: ['env', 'city'] },
    chosen: { category: '环境保护/环境污染/噪音污染', departmentIds: ['env', 'city'] },
    overridden: false,
    ...over,
  };
}

const accepted = (ticketId: string): DispatchState =>
  dispatch(ticketId, {
    departments: [
      { departmentId: 'env', state: 'accepted' },
      { departmentId: 'city', state: 'released' },
    ],
    owner: 'env',
  });

function call(id: string): IncomingCall {
  return {
    id,
    receivedAt: '2026-11-25T01:00:00.000Z',
    channel: 'phone',
    callerName: null,
    callerPhone: null,
    text: '喂？',
    place: null,
    address: null,
  };
}

function setup() {
  const { transport, client } = fakeClient();
  const store = createHotlineStore(client, { classifyWorker: null, classifyDelayMs: 0, refreshMs: 0 });
  return { transport, store };
}

describe('hotline store: the drawer dispatch', () => {
  it("follows the drawer's ticket, and a late answer for the previous ticket never shows", async () => {
    const { transport, store } = setup();
    let releaseT1: (() => void) | null = null;
    transport.handle('hotline/dispatch', (p) => {
      const { ticketId } = p as { ticketId: string };
      if (ticketId === 'T1') return new Promise((r) => (releaseT1 = () => r(dispatch('T1'))));
      return ticketId === 'T2' ? dispatch('T2') : null;
    });
    store.getState().showDispatch('T1');
    expect(store.getState().dispatch).toMatchObject({ key: 'T1', loading: true, data: null });
    store.getState().showDispatch('T2');
    await flush();
    releaseT1!();
    await flush();
    expect(store.getState().dispatch).toMatchObject({ key: 'T2', loading: false, error: null });
    expect(store.getState().dispatch.data?.ticketId).toBe('T2');

    // Not a hotline request: loaded, data null.
    store.getState().showDispatch('T3');
    await flush();
    expect(store.getState().dispatch).toEqual({ key: 'T3', data: null, loading: false, error: null });

    store.getState().showDispatch(null);
    expect(store.getState().dispatch.key).toBeNull();
    store.getState().dispose();
  });

  it('keeps a load failure for the shown ticket, and a push about it refetches quietly', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/dispatch', () => {
      throw new RpcError(ErrorCode.Unavailable, 'journal busy');
    });
    store.getState().showDispatch('T1');
    await flush();
    expect(store.getState().dispatch.error?.code).toBe(ErrorCode.Unavailable);

    transport.handle('hotline/dispatch', () => accepted('T1'));
    store.getState().applyChanged({ ticketId: 'T9' });
    await flush();
    expect(transport.callsOf('hotline/dispatch')).toHaveLength(1);

    store.getState().applyChanged({ ticketId: 'T1' });
    await flush();
    expect(transport.callsOf('hotline/dispatch')).toHaveLength(2);
    expect(store.getState().dispatch.data?.owner).toBe('env');
    expect(store.getState().dispatch.error).toBeNull();

    store.getState().reconnected();
    await flush();
    expect(transport.callsOf('hotline/dispatch')).toHaveLength(3);
    store.getState().dispose();
  });

  it('accepts for a department and shows the answer, even over an older fetch still in flight', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/dispatch', () => dispatch('T1'));
    store.getState().showDispatch('T1');
    await flush();
    let releaseStale: (() => void) | null = null;
    transport.handle('hotline/dispatch', () => new Promise((r) => (releaseStale = () => r(dispatch('T1')))));
    store.getState().applyChanged({ ticketId: 'T1' });
    transport.handle('hotline/accept', () => accepted('T1'));
    expect(await store.getState().acceptDispatch('env')).toBe(true);
    expect(transport.callsOf('hotline/accept')).toEqual([{ ticketId: 'T1', departmentId: 'env' }]);
    releaseStale!();
    await flush();
    expect(store.getState().dispatch.data?.departments.map((d) => d.state)).toEqual(['accepted', 'released']);
    expect(store.getState().dispatchBusy).toBeNull();
    store.getState().dispose();
  });

  it('keeps a refused accept as the accept error, and does nothing without a shown ticket', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/accept', () => {
      throw new RpcError(ErrorCode.Conflict, 'city already accepted', { owner: 'city' });
    });
    expect(await store.getState().acceptDispatch('env')).toBe(false);
    expect(transport.callsOf('hotline/accept')).toHaveLength(0);

    transport.handle('hotline/dispatch', () => dispatch('T1'));
    store.getState().showDispatch('T1');
    await flush();
    expect(await store.getState().acceptDispatch('env')).toBe(false);
    expect(store.getState().dispatchError).toMatchObject({
      command: 'accept',
      error: { code: ErrorCode.Conflict, details: { owner: 'city' } },
    });
    // The shown dispatch is left as it was.
    expect(store.getState().dispatch.data?.owner).toBeNull();
    store.getState().clearDispatchError();
    expect(store.getState().dispatchError).toBeNull();
    store.getState().dispose();
  });

  it('leaves the next ticket alone when the drawer moves on during a command', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/dispatch', (p) => dispatch((p as { ticketId: string }).ticketId));
    store.getState().showDispatch('T1');
    await flush();
    let answer: ((ok: boolean) => void) | null = null;
    transport.handle(
      'hotline/accept',
      () =>
        new Promise((resolve, reject) => {
          answer = (ok) => (ok ? resolve(accepted('T1')) : reject(new RpcError(ErrorCode.Conflict, 'taken')));
        }),
    );
    const first = store.getState().acceptDispatch('env');
    await flush();
    store.getState().showDispatch('T2');
    answer!(true);
    expect(await first).toBe(true);
    await flush();
    expect(store.getState().dispatch).toMatchObject({ key: 'T2', loading: false });
    expect(store.getState().dispatch.data?.ticketId).toBe('T2');
    expect(store.getState().dispatch.data?.owner).toBeNull();

    const second = store.getState().acceptDispatch('env');
    await flush();
    store.getState().showDispatch('T3');
    answer!(false);
    expect(await second).toBe(false);
    expect(store.getState().dispatchError).toBeNull();
    expect(store.getState().dispatchBusy).toBeNull();
    store.getState().dispose();
  });

  it('reassigns with a trimmed reason, sends the corrected category only when given, and keeps field issues', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/dispatch', () => accepted('T1'));
    store.getState().showDispatch('T1');
    await flush();
    transport.handle('hotline/reassign', (p) => {
      const { departmentId, reason, category } = p as {
        departmentId: string;
        reason: string;
        category?: string;
      };
      if (departmentId === 'nowhere')
        throw new RpcError(ErrorCode.InvalidArgument, 'departmentId: no department nowhere', {
          issues: [{ path: 'departmentId', message: 'no department nowhere in the directory' }],
        });
      return dispatch('T1', {
        departments: [{ departmentId, state: 'pending' }],
        reassignments: [
          {
            at: '2026-11-25T02:00:00.000Z',
            actor: { id: 'u1', name: '坐席' },
            from: 'env',
            to: departmentId,
            reason,
            category,
          },
        ],
      });
    });

    expect(await store.getState().reassignDispatch({ departmentId: 'nowhere', reason: '非本单位职责' })).toBe(
      false,
    );
    expect(store.getState().dispatchError?.command).toBe('reassign');
    expect(store.getState().dispatchError?.error.code).toBe(ErrorCode.InvalidArgument);

    expect(
      await store
        .getState()
        .reassignDispatch({ departmentId: 'police', reason: '  非本单位职责 ', category: ' ' }),
    ).toBe(true);
    expect(
      await store.getState().reassignDispatch({
        departmentId: 'city',
        reason: '分类错误',
        category: '城乡建设/市容管理/广场舞扰民',
      }),
    ).toBe(true);
    expect(transport.callsOf('hotline/reassign').slice(1)).toEqual([
      { ticketId: 'T1', departmentId: 'police', reason: '非本单位职责' },
      { ticketId: 'T1', departmentId: 'city', reason: '分类错误', category: '城乡建设/市容管理/广场舞扰民' },
    ]);
    expect(store.getState().dispatchError).toBeNull();
    expect(store.getState().dispatch.data?.reassignments[0]).toMatchObject({
      to: 'city',
      category: '城乡建设/市容管理/广场舞扰民',
    });
    store.getState().dispose();
  });
});

describe('hotline store: dismissing a queued call', () => {
  it('takes the call off the queue and the card, and reloads the queue', async () => {
    const { transport, store } = setup();
    let queue = [call('C1'), call('C2')];
    transport.handle('hotline/queue', () => queue);
    transport.handle('hotline/classify', () => {
      throw new RpcError(ErrorCode.Unavailable, 'not in this test');
    });
    transport.handle('hotline/dismissCall', (p) => {
      const { incomingId } = p as { incomingId: string };
      queue = queue.filter((c) => c.id !== incomingId);
      return { waiting: queue.length };
    });
    await store.getState().loadQueue();
    store.getState().pick('C1');
    expect(store.getState().draft.incomingId).toBe('C1');

    expect(await store.getState().dismissCall('C1', ' 来电挂断 ')).toBe(true);
    expect(transport.callsOf('hotline/dismissCall')).toEqual([{ incomingId: 'C1', reason: '来电挂断' }]);
    expect(store.getState().queue.data?.map((c) => c.id)).toEqual(['C2']);
    expect(store.getState().waiting).toBe(1);
    expect(store.getState().draft.incomingId).toBeNull();
    await flush();
    expect(transport.callsOf('hotline/queue')).toHaveLength(2);
    expect(store.getState().dismissing).toBe(false);
    store.getState().dispose();
  });

  it('keeps the call, the card and the error when the hub refuses', async () => {
    const { transport, store } = setup();
    transport.handle('hotline/queue', () => [call('C1')]);
    transport.handle('hotline/classify', () => {
      throw new RpcError(ErrorCode.Unavailable, 'not in this test');
    });
    transport.handle('hotline/dismissCall', () => {
      throw new RpcError(ErrorCode.NotFound, 'call C1 is no longer waiting');
    });
    await store.getState().loadQueue();
    store.getState().pick('C1');
    expect(await store.getState().dismissCall('C1', '打错电话')).toBe(false);
    expect(store.getState().dismissError?.code).toBe(ErrorCode.NotFound);
    expect(store.getState().queue.data?.map((c) => c.id)).toEqual(['C1']);
    expect(store.getState().draft.incomingId).toBe('C1');
    store.getState().clearDismissError();
    expect(store.getState().dismissError).toBeNull();
    store.getState().dispose();
  });
});
