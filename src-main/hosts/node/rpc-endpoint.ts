import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ErrorCode,
  MAX_MESSAGE_BYTES,
  RpcError,
  RpcRequest,
  UNAUTHORIZED_CLOSE_CODE,
  type RequestId,
  type RpcResponse,
} from '@shared/contract';
import type { Core } from '../../core/create-core';
import type { Logger } from '../../core/ports';
import type { CommandContext } from '../../core/tickets/ticket-service';
import { TokenBucket } from './rate-limiter';

export interface RpcEndpointOptions {
  core: Core;
  logger: Logger;
  /** When set, every connection must present it as `?token=`. */
  token?: string;
  /**
   * `Host` values a connection may name, or null for any. Without a token the hub trusts loopback
   * only, and a page that re-points its own domain at 127.0.0.1 (DNS rebinding) still names its
   * own domain in `Host`.
   */
  allowedHosts?: () => ReadonlySet<string> | null;
  /** Calls per second per connection, and the burst allowed on top. */
  ratePerSecond?: number;
  rateBurst?: number;
  /** Calls one connection may have in flight at once. */
  maxInFlight?: number;
  /**
   * Milliseconds of core time one connection may use in a burst, and per second after it: a cheap
   * call and a search over a million tickets are not the same request.
   */
  workBurstMs?: number;
  workPerSecondMs?: number;
  maxClients?: number;
  session?: CommandContext;
}

/** Above the contract limit we answer with PAYLOAD_TOO_LARGE; above this we drop the connection unread. */
const HARD_LIMIT_BYTES = 4 * MAX_MESSAGE_BYTES;
/** A client that cannot keep up with pushes is disconnected rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Rejections in one window after which a flooding client is disconnected. */
const ABUSE_LIMIT = 5_000;
const ABUSE_WINDOW_MS = 10_000;
const HEARTBEAT_MS = 30_000;

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request id, found without parsing a message we refuse to parse. */
function sniffId(text: string): RequestId | null {
  const m = /"id"\s*:\s*(\d{1,15}|"[^"]{1,64}")/.exec(text.slice(0, 256));
  if (!m) return null;
  return m[1]!.startsWith('"') ? m[1]!.slice(1, -1) : Number(m[1]);
}

function errorReply(id: RequestId | null, code: ErrorCode, message: string, details?: unknown): string {
  const body: RpcResponse = {
    id,
    error: details === undefined ? { code, message } : { code, message, details },
  };
  return JSON.stringify(body);
}

interface Client {
  ws: WebSocket;
  bucket: TokenBucket;
  /** Core time left to this connection, refilled over time; negative after an expensive call. */
  work: number;
  workAt: number;
  inFlight: number;
  rejections: number;
  windowStart: number;
  alive: boolean;
}

/**
 * The WebSocket face of the core at `/rpc`. All traffic is untrusted: the upgrade checks origin and
 * token, every message is size-checked, rate-limited and validated before the core sees it, and one
 * client's flood or slowness never holds up the others.
 */
export function attachRpcEndpoint(options: RpcEndpointOptions): {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  close(): void;
} {
  const { core, logger } = options;
  const ratePerSecond = options.ratePerSecond ?? 1_000;
  const rateBurst = options.rateBurst ?? 2_000;
  const maxInFlight = options.maxInFlight ?? 256;
  const maxClients = options.maxClients ?? 256;
  const workBurst = options.workBurstMs ?? 2_000;
  const workRate = options.workPerSecondMs ?? 500;
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_LIMIT_BYTES, perMessageDeflate: false });
  const clients = new Set<Client>();

  const unsubscribe = core.subscribe((event, payload) => {
    if (clients.size === 0) return;
    const text = JSON.stringify({ event, payload });
    for (const c of clients) {
      if (c.ws.readyState !== c.ws.OPEN) continue;
      if (c.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        logger.warn('disconnecting a client that does not keep up with pushes', {
          buffered: c.ws.bufferedAmount,
        });
        c.ws.terminate();
        continue;
      }
      c.ws.send(text);
    }
  });

  const heartbeat = setInterval(() => {
    for (const c of clients) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const reject = (socket: Duplex, status: number, reason: string): void => {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`,
    );
    socket.destroy();
  };

  const onRejected = (c: Client): void => {
    const now = Date.now();
    if (now - c.windowStart > ABUSE_WINDOW_MS) {
      c.windowStart = now;
      c.rejections = 0;
    }
    if (++c.rejections > ABUSE_LIMIT) {
      logger.warn('disconnecting a flooding client', { rejections: c.rejections });
      c.ws.close(1008, 'rate limit exceeded');
    }
  };

  const onMessage = (c: Client, data: Buffer, isBinary: boolean): void => {
    const reply = (text: string): void => {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
    };
    if (isBinary) {
      reply(errorReply(null, ErrorCode.InvalidMessage, 'binary frames are not accepted; send JSON text'));
      return;
    }
    if (data.length > MAX_MESSAGE_BYTES) {
      reply(
        errorReply(
          sniffId(data.subarray(0, 256).toString('utf8')),
          ErrorCode.PayloadTooLarge,
          `message of ${data.length} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`,
          { bytes: data.length, limit: MAX_MESSAGE_BYTES },
        ),
      );
      onRejected(c);
      return;
    }
    const text = data.toString('utf8');
    const now = performance.now();
    c.work = Math.min(workBurst, c.work + ((now - c.workAt) / 1000) * workRate);
    c.workAt = now;
    if (!c.bucket.take() || c.inFlight >= maxInFlight || c.work <= 0) {
      reply(
        errorReply(sniffId(text), ErrorCode.RateLimited, 'too many requests; slow down and retry', {
          ratePerSecond,
        }),
      );
      onRejected(c);
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      reply(errorReply(null, ErrorCode.InvalidMessage, 'message is not valid JSON'));
      return;
    }
    const parsed = RpcRequest.safeParse(raw);
    if (!parsed.success) {
      const id =
        typeof raw === 'object' && raw !== null
          ? RpcRequest.shape.id.safeParse((raw as { id?: unknown }).id)
          : null;
      reply(
        errorReply(
          id?.success ? id.data : null,
          ErrorCode.InvalidMessage,
          'message is not an RPC request {id, method, params}',
          {
            issues: parsed.error.issues.map((i) => ({
              path: i.path.join('.') || '(message)',
              message: i.message,
            })),
          },
        ),
      );
      return;
    }
    const { id, method, params } = parsed.data;
    c.inFlight++;
    // Queries run synchronously inside call(); waiting for an fsync happens after it returns.
    const started = performance.now();
    const pending = core.call(method, params, options.session);
    c.work -= performance.now() - started;
    pending
      .then(
        (result) => reply(JSON.stringify({ id, result })),
        (err: unknown) => {
          const e = err instanceof RpcError ? err : new RpcError(ErrorCode.Internal, 'internal error');
          if (!(err instanceof RpcError)) logger.error('rpc call failed', { method, error: String(err) });
          reply(JSON.stringify({ id, error: e.toJSON() }));
        },
      )
      .finally(() => {
        c.inFlight--;
      });
  };

  wss.on('connection', (ws: WebSocket) => {
    const c: Client = {
      ws,
      bucket: new TokenBucket(ratePerSecond, rateBurst),
      work: workBurst,
      workAt: performance.now(),
      inFlight: 0,
      rejections: 0,
      windowStart: Date.now(),
      alive: true,
    };
    clients.add(c);
    ws.on('pong', () => {
      c.alive = true;
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => onMessage(c, data, isBinary));
    ws.on('close', () => clients.delete(c));
    ws.on('error', (err) => {
      logger.warn('websocket error', { error: err.message });
      clients.delete(c);
    });
  });

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/rpc') return reject(socket, 404, 'Not Found');
      const hosts = options.allowedHosts?.() ?? null;
      if (hosts && !hosts.has((req.headers.host ?? '').toLowerCase()))
        return reject(socket, 403, 'Forbidden host');
      // Browsers always send Origin; a page from elsewhere must not drive the operator's hub.
      const origin = req.headers.origin;
      if (origin !== undefined) {
        let originHost: string | null = null;
        try {
          originHost = new URL(origin).host;
        } catch {
          originHost = null;
        }
        if (originHost !== req.headers.host) return reject(socket, 403, 'Forbidden origin');
      }
      if (clients.size >= maxClients) return reject(socket, 503, 'Too many clients');
      if (options.token !== undefined && !sameToken(url.searchParams.get('token'), options.token)) {
        // A browser cannot read the status of a refused upgrade; it would retry forever. Say why, then close.
        wss.handleUpgrade(req, socket, head, (ws) => {
          const given = url.searchParams.has('token');
          ws.send(
            errorReply(
              null,
              ErrorCode.Unauthenticated,
              given
                ? 'the access token is wrong'
                : 'this hub requires an access token: open the address with ?token=<token>',
            ),
          );
          ws.close(UNAUTHORIZED_CLOSE_CODE, given ? 'wrong token' : 'token required');
        });
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => clients.size,
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const c of clients) c.ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}
