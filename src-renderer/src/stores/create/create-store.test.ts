import { describe, expect, it } from 'vitest';
import { ErrorCode, RpcError, TicketCreateParams, type Ticket } from '@shared/contract';
import { fakeClient, makeSummary } from '../testing/fake-transport';
import { createCreateStore, newIdempotencyKey } from './create-store';

const params: TicketCreateParams = {
  typeId: 'device-fault',
  title: '逆变器告警',
  description: '',
  priority: 'P2',
  assignee: null,
  businessKeys: {},
  domains: [],
  location: null,
  fields: {},
  source: 'manual',
};

function ticket(id: string): Ticket {
  const { address: _address, ...rest } = makeSummary(1, { id });
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
  };
}

const keyOf = (p: unknown) => (p as TicketCreateParams).idempotencyKey;

/** A fake hub that answers `tickets/create` like the core: a repeated key returns the first ticket. */
function setup(failures: ErrorCode[] = []) {
  const { transport, client } = fakeClient();
  const byKey = new Map<string, Ticket>();
  let n = 0;
  transport.handle('tickets/create', (p) => {
    const key = keyOf(p)!;
    const created = byKey.get(key) ?? ticket(`T${++n}`);
    byKey.set(key, created);
    // The outcome is lost on the way back: the ticket exists, the caller only sees the error.
    const failure = failures.shift();
    if (failure) throw new RpcError(failure, 'lost');
    return created;
  });
  const created: Ticket[] = [];
  const store = createCreateStore(client, (t) => created.push(t));
  return { transport, store, created, byKey };
}

describe('create store', () => {
  it('retries after DISCONNECTED and TIMEOUT with the same key, so the core answers with the first ticket', async () => {
    const { transport, store, created, byKey } = setup([ErrorCode.Disconnected, ErrorCode.Timeout]);
    store.getState().show();
    const key = store.getState().idempotencyKey;
    expect(key).toMatch(/^ui-create:[0-9a-f-]{36}$/);

    expect(await store.getState().submit(params)).toBeNull();
    expect(store.getState()).toMatchObject({ open: true, error: { code: 'DISCONNECTED' } });
    expect(await store.getState().submit(params)).toBeNull();
    expect(store.getState().error?.code).toBe('TIMEOUT');
    const third = await store.getState().submit(params);

    const sent = transport.callsOf('tickets/create');
    expect(sent).toHaveLength(3);
    expect(sent.map(keyOf)).toEqual([key, key, key]);
    expect(byKey.size).toBe(1);
    expect(third?.id).toBe('T1');
    expect(created.map((t) => t.id)).toEqual(['T1']);
    expect(store.getState()).toMatchObject({ open: false, error: null, idempotencyKey: null });
  });

  it('keeps the key while the operator fixes an INVALID_ARGUMENT and submits again', async () => {
    const { transport, store } = setup([ErrorCode.InvalidArgument]);
    store.getState().show();
    await store.getState().submit({ ...params, title: '' });
    expect(store.getState().error?.code).toBe('INVALID_ARGUMENT');
    store.getState().clearError();
    await store.getState().submit(params);
    const [first, second] = transport.callsOf('tickets/create').map(keyOf);
    expect(first).toBeTruthy();
    expect(second).toBe(first);
  });

  it('makes a new key for a new dialog: after a successful create, and after a cancel', async () => {
    const { transport, store } = setup([ErrorCode.Disconnected]);
    store.getState().show();
    await store.getState().submit(params); // DISCONNECTED
    await store.getState().submit(params); // created
    store.getState().show();
    const second = store.getState().idempotencyKey;
    await store.getState().submit(params);
    store.getState().show();
    const third = store.getState().idempotencyKey;
    store.getState().hide();
    expect(store.getState().idempotencyKey).toBeNull();
    store.getState().show();
    const fourth = store.getState().idempotencyKey;

    const keys = transport.callsOf('tickets/create').map(keyOf);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).toBe(second);
    expect(new Set([keys[0], second, third, fourth]).size).toBe(4);
    // Showing a dialog that is already open keeps its session.
    store.getState().show();
    expect(store.getState().idempotencyKey).toBe(fourth);
  });

  it('never sends a second call while one is in flight', async () => {
    const { transport, client } = fakeClient();
    let release: (t: Ticket) => void = () => undefined;
    transport.handle('tickets/create', () => new Promise<Ticket>((r) => (release = r)));
    const store = createCreateStore(client, () => undefined, { newKey: () => 'ui-create:fixed' });
    store.getState().show();
    const first = store.getState().submit(params);
    expect(await store.getState().submit(params)).toBeNull();
    release(ticket('T1'));
    expect((await first)?.id).toBe('T1');
    expect(transport.callsOf('tickets/create').map(keyOf)).toEqual(['ui-create:fixed']);
  });

  it('makes keys the contract accepts, also without crypto.randomUUID (plain http on the network)', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey({ getRandomValues: (arr) => crypto.getRandomValues(arr) });
    for (const key of [a, b]) {
      expect(TicketCreateParams.safeParse({ ...params, idempotencyKey: key }).success).toBe(true);
      expect(key).toMatch(/^ui-create:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(a).not.toBe(b);
  });
});
