import {
  ErrorCode,
  isMethodName,
  LONG_RUNNING_MS,
  RpcError,
  UNAUTHORIZED_CLOSE_CODE,
  type ConnectionState,
  type RpcErrorShape,
  type RpcTransport,
} from '@shared/contract';

/** The subset of the WebSocket API we use, so Node tests can pass the `ws` package's class. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WebSocketTransportOptions {
  url: string;
  createSocket?: WebSocketFactory;
  /** A call without an answer after this long fails with TIMEOUT (long-running methods: LONG_RUNNING_MS). */
  timeoutMs?: number;
  /** Reconnect delays grow from `minDelayMs` to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

const OPEN = 1;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * WebSocket transport for the Node host. Reconnects with backoff and reports its state; calls made
 * while disconnected wait for the connection (up to their timeout), calls in flight when the socket
 * drops fail with DISCONNECTED because their outcome is unknown.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): RpcTransport {
  const createSocket: WebSocketFactory =
    options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;

  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let delay = minDelay;
  let closedByUser = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, Pending>();
  const waitingToSend: { id: number; text: string }[] = [];
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: ConnectionState): void => {
    if (state === next) return;
    state = next;
    for (const l of stateListeners) l(next);
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let msg: { id?: unknown; result?: unknown; error?: RpcErrorShape; event?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(data) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const l of eventListeners) l(msg.event, msg.payload);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(RpcError.from(msg.error));
    else p.resolve(msg.result);
  };

  const connect = (): void => {
    setState('connecting');
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      delay = minDelay;
      setState('open');
      for (const m of waitingToSend.splice(0)) if (pending.has(m.id)) ws.send(m.text);
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onerror = () => undefined;
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, p] of pending) {
        if (waitingToSend.some((m) => m.id === id)) continue;
        pending.delete(id);
        clearTimeout(p.timer);
        p.reject(
          new RpcError(
            ErrorCode.Disconnected,
            `connection lost (${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`,
          ),
        );
      }
      if (closedByUser) {
        setState('closed');
        return;
      }
      if (ev.code === UNAUTHORIZED_CLOSE_CODE) {
        // The same token would be refused again; wait for the operator to open the right address.
        setState('unauthorized');
        return;
      }
      setState('connecting');
      reconnectTimer = setTimeout(connect, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  };

  connect();

  return {
    invoke(method, params) {
      if (closedByUser) return Promise.reject(new RpcError(ErrorCode.Disconnected, 'transport is closed'));
      const id = nextId++;
      const text = JSON.stringify({ id, method, params: params ?? {} });
      const waitMs = isMethodName(method) ? (LONG_RUNNING_MS[method] ?? timeoutMs) : timeoutMs;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new RpcError(ErrorCode.Timeout, `${method} got no answer within ${waitMs} ms`));
        }, waitMs);
        pending.set(id, { resolve, reject, timer });
        if (socket && socket.readyState === OPEN) socket.send(text);
        else waitingToSend.push({ id, text });
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close(1000, 'client closed');
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new RpcError(ErrorCode.Disconnected, 'transport closed'));
      }
      pending.clear();
      setState('closed');
    },
  };
}
