import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  LONG_RUNNING_MS,
  RpcError,
  UNAUTHORIZED_CLOSE_CODE,
  type ConnectionState,
} from '@shared/contract';
import { createWebSocketTransport, type WebSocketLike } from './ws-transport';

/** A socket the test drives by hand: open it, answer it, drop it. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  sent: { id: number; method: string }[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as { id: number; method: string });
  }
  close(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  reply(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

describe('WebSocket transport', () => {
  let sockets: FakeSocket[];
  const make = (timeoutMs = 5_000) =>
    createWebSocketTransport({
      url: 'ws://hub/rpc',
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
      timeoutMs,
      minDelayMs: 100,
      maxDelayMs: 400,
    });
  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
  });
  afterEach(() => vi.useRealTimers());

  it('queues calls until the socket opens, then resolves them by id', async () => {
    const t = make();
    const p = t.invoke('system/info', {});
    expect(sockets[0]!.sent).toHaveLength(0);
    sockets[0]!.open();
    expect(sockets[0]!.sent[0]).toMatchObject({ method: 'system/info' });
    sockets[0]!.reply({ id: sockets[0]!.sent[0]!.id, result: { ok: 1 } });
    await expect(p).resolves.toEqual({ ok: 1 });
  });

  it('turns error replies into RpcError with code and details', async () => {
    const t = make();
    sockets[0]!.open();
    const p = t.invoke('tickets/update', {});
    sockets[0]!.reply({
      id: sockets[0]!.sent[0]!.id,
      error: { code: 'CONFLICT', message: 'stale', details: { actualVersion: 3 } },
    });
    await expect(p).rejects.toMatchObject({ code: 'CONFLICT', details: { actualVersion: 3 } });
  });

  it('fails calls in flight with DISCONNECTED when the socket drops, reconnects with backoff and reports states', async () => {
    const t = make();
    const states: ConnectionState[] = [];
    t.onState!((s) => states.push(s));
    sockets[0]!.open();
    const inFlight = t.invoke('tickets/list', {});
    sockets[0]!.close(1006, 'gone');
    await expect(inFlight).rejects.toMatchObject({ code: ErrorCode.Disconnected });
    const queued = t.invoke('system/info', {});
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.close(1006, '');
    await vi.advanceTimersByTimeAsync(150);
    expect(sockets).toHaveLength(2); // the second delay is longer
    await vi.advanceTimersByTimeAsync(100);
    expect(sockets).toHaveLength(3);
    sockets[2]!.open();
    sockets[2]!.reply({ id: sockets[2]!.sent[0]!.id, result: 'late but delivered' });
    await expect(queued).resolves.toBe('late but delivered');
    expect(states).toEqual(['connecting', 'open', 'connecting', 'open']);
  });

  it('times out a call nobody answers', async () => {
    const t = make(1_000);
    sockets[0]!.open();
    const p = t.invoke('tickets/list', {});
    vi.advanceTimersByTime(1_001);
    await expect(p).rejects.toBeInstanceOf(RpcError);
    await expect(p).rejects.toMatchObject({ code: ErrorCode.Timeout });
  });

  it('waits for a long-running method as long as the contract says, not the default', async () => {
    const t = make(1_000);
    sockets[0]!.open();
    const training = t.invoke('hotline/trainClassifier', {});
    vi.advanceTimersByTime(60_000);
    const id = sockets[0]!.sent.find((m) => m.method === 'hotline/trainClassifier')!.id;
    sockets[0]!.reply({ id, result: { kind: 'trained' } });
    await expect(training).resolves.toEqual({ kind: 'trained' });
    const late = t.invoke('hotline/trainClassifier', {});
    vi.advanceTimersByTime(LONG_RUNNING_MS['hotline/trainClassifier']! + 1);
    await expect(late).rejects.toMatchObject({ code: ErrorCode.Timeout });
  });

  it('stops retrying when the hub refuses the token', async () => {
    const t = make();
    const states: ConnectionState[] = [];
    t.onState!((s) => states.push(s));
    sockets[0]!.open();
    sockets[0]!.close(UNAUTHORIZED_CLOSE_CODE, 'token required');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('unauthorized');
  });

  it('delivers pushes to subscribers and rejects everything after close()', async () => {
    const t = make();
    const seen: [string, unknown][] = [];
    t.subscribe((e, p) => seen.push([e, p]));
    sockets[0]!.open();
    sockets[0]!.reply({ event: 'tickets/changed', payload: { changes: [] } });
    expect(seen).toEqual([['tickets/changed', { changes: [] }]]);
    const pending = t.invoke('tickets/list', {});
    t.close!();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Disconnected });
    await expect(t.invoke('system/info', {})).rejects.toMatchObject({ code: ErrorCode.Disconnected });
  });
});
