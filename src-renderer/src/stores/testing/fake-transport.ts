import {
  ErrorCode,
  RpcError,
  type ConnectionState,
  type Priority,
  type RpcTransport,
  type TicketSummary,
} from '@shared/contract';
import { createRpcClient, type RpcClient } from '../../rpc/client';

/** Test double of a transport: handlers per method, recorded calls, pushed events and states. */
export interface FakeTransport extends RpcTransport {
  calls: { method: string; params: unknown }[];
  handle(method: string, handler: (params: unknown) => unknown): void;
  emit(event: string, payload: unknown): void;
  setState(state: ConnectionState): void;
  /** Calls of one method. */
  callsOf(method: string): unknown[];
}

export function createFakeTransport(): FakeTransport {
  const handlers = new Map<string, (params: unknown) => unknown>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'open';
  const calls: { method: string; params: unknown }[] = [];
  return {
    calls,
    async invoke(method, params) {
      calls.push({ method, params });
      const h = handlers.get(method);
      if (!h) throw new RpcError(ErrorCode.MethodNotFound, `fake: no handler for ${method}`);
      return structuredClone(await h(params));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    handle(method, handler) {
      handlers.set(method, handler);
    },
    emit(event, payload) {
      for (const l of listeners) l(event, payload);
    },
    setState(next) {
      state = next;
      for (const l of stateListeners) l(next);
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method).map((c) => c.params);
    },
  };
}

export function fakeClient(): { transport: FakeTransport; client: RpcClient } {
  const transport = createFakeTransport();
  return { transport, client: createRpcClient(transport) };
}

const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];

export function makeSummary(i: number, overrides: Partial<TicketSummary> = {}): TicketSummary {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `T${String(i).padStart(8, '0')}`,
    number: `WF-2026-${String(i + 1).padStart(6, '0')}`,
    typeId: 'device-fault',
    title: `ticket ${i}`,
    priority: PRIORITIES[i % 4]!,
    status: 'new',
    assignee: null,
    source: 'manual',
    businessKeys: {},
    domains: [],
    sla: { policyId: null, responseDueAt: null, resolveDueAt: null, respondedAt: null, resolvedAt: null },
    version: 1,
    createdAt: at,
    updatedAt: at,
    address: null,
    ...overrides,
  };
}

/** A `tickets/list` handler over a fixed array (filters ignored, offset/limit honoured). */
export function listHandler(rows: () => TicketSummary[]): (params: unknown) => unknown {
  return (params) => {
    const p = params as { offset?: number; limit?: number };
    const all = rows();
    const offset = p.offset ?? 0;
    return { total: all.length, offset, items: all.slice(offset, offset + (p.limit ?? 100)) };
  };
}

/** Lets pending promise callbacks run (fake timers do not advance microtasks by themselves). */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}
