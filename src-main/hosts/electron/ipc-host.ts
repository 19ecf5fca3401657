import {
  ErrorCode,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  MAX_MESSAGE_BYTES,
  RpcError,
  type BridgeReply,
} from '@shared/contract';
import type { Core } from '../../core/create-core';
import { silentLogger, type Logger } from '../../core/ports';
import type { CommandContext } from '../../core/tickets/ticket-service';

/**
 * Structural views of the Electron objects the IPC host touches. Electron's own `ipcMain` and
 * `WebContents` satisfy them; tests pass doubles (tests/contract/ipc-doubles.ts).
 */
export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  /** URL of the top frame; pushes go only to windows still showing the app. */
  getURL(): string;
}

export interface IpcInvokeEventLike {
  readonly sender: WebContentsLike;
  /** The frame that sent the message; `null` once it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

export type IpcInvokeHandler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<BridgeReply>;

export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeHandler): void;
  removeHandler(channel: string): void;
}

export interface IpcHostOptions {
  /**
   * Whether a frame URL is the app's own renderer. main.ts passes the strict check (the built
   * `index.html` file, or the dev server's origin); the default accepts `file:` URLs only.
   */
  isAppUrl?: (url: string) => boolean;
  logger?: Logger;
  /** Who calls act as (the single desktop operator by default: the core's default actor). */
  session?: CommandContext;
}

const MAX_METHOD_LENGTH = 64;
/** Deeper params are refused before anything walks them recursively. */
const MAX_DEPTH = 64;

const defaultIsAppUrl = (url: string): boolean => url.startsWith('file:');

function errorReply(code: ErrorCode, message: string, details?: unknown): BridgeReply {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Returns the path of the first value that JSON cannot carry unchanged, or null when the whole value
 * is plain JSON data. IPC uses structured clone, which carries Dates, Maps, BigInts, NaN and more;
 * the core's contract is JSON, exactly as over WebSocket, so those are refused rather than mangled.
 */
export function findNonJson(value: unknown, path = '(params)', depth = 0): string | null {
  if (depth > MAX_DEPTH) return `${path} (nested deeper than ${MAX_DEPTH} levels)`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (typeof value !== 'object') return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined) return `${path}.${i}`;
      const bad = findNonJson(value[i], `${path}.${i}`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return path;
  for (const [key, v] of Object.entries(value)) {
    // An absent optional field: JSON drops it, and so does the contract.
    if (v === undefined) continue;
    const bad = findNonJson(v, `${path}.${key}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** Checks an invoke envelope; returns the error reply, or null when the call may go to the core. */
export function checkEnvelope(method: unknown, params: unknown, extra: number): BridgeReply | null {
  if (extra > 0) {
    return errorReply(ErrorCode.InvalidMessage, 'an invoke carries exactly (method, params)', {
      extraArguments: extra,
    });
  }
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return errorReply(
      ErrorCode.InvalidMessage,
      `method must be a string of 1 to ${MAX_METHOD_LENGTH} characters`,
    );
  }
  if (params === undefined) return null;
  const bad = findNonJson(params);
  if (bad) {
    return errorReply(ErrorCode.InvalidMessage, `params must be plain JSON data; ${bad} is not`, {
      path: bad,
    });
  }
  const bytes = Buffer.byteLength(JSON.stringify(params), 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) {
    return errorReply(
      ErrorCode.PayloadTooLarge,
      `params of ${bytes} bytes exceed the limit of ${MAX_MESSAGE_BYTES} bytes`,
      { bytes, limit: MAX_MESSAGE_BYTES },
    );
  }
  return null;
}

/**
 * The Electron IPC face of the core. Every invoke resolves with a BridgeReply — never a rejection —
 * because Electron turns a thrown error into a plain Error whose message is all that survives.
 * Calls are taken only from the app's own windows showing the app's own page; every core push goes
 * to every live window. Returns a disposer that removes the handler and the subscription.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  core: Core,
  targets: () => readonly WebContentsLike[],
  options: IpcHostOptions = {},
): () => void {
  const isAppUrl = options.isAppUrl ?? defaultIsAppUrl;
  const logger = options.logger ?? silentLogger;

  const isKnownSender = (event: IpcInvokeEventLike): boolean => {
    const sender = event.sender;
    if (!sender || sender.isDestroyed()) return false;
    if (!targets().some((t) => t === sender || (t.id === sender.id && !t.isDestroyed()))) return false;
    const url = event.senderFrame?.url;
    return typeof url === 'string' && isAppUrl(url);
  };

  const handler: IpcInvokeHandler = async (event, method, params, ...extra) => {
    try {
      if (!isKnownSender(event)) {
        logger.warn('ipc call refused from an unknown sender', { url: event.senderFrame?.url ?? null });
        return errorReply(ErrorCode.PermissionDenied, 'calls are accepted only from Watchfloor windows');
      }
      const refused = checkEnvelope(method, params, extra.length);
      if (refused) return refused;
      return { result: await core.call(method as string, params, options.session) };
    } catch (err) {
      if (err instanceof RpcError) return { error: err.toJSON() };
      logger.error('ipc call failed', {
        method: typeof method === 'string' ? method : null,
        error: String(err),
      });
      return errorReply(ErrorCode.Internal, 'internal error; the details are in the application log');
    }
  };

  ipcMain.handle(IPC_INVOKE_CHANNEL, handler);

  const unsubscribe = core.subscribe((event, payload) => {
    for (const target of targets()) {
      try {
        if (target.isDestroyed() || !isAppUrl(target.getURL())) continue;
        target.send(IPC_EVENT_CHANNEL, event, payload);
      } catch (err) {
        // A window closing between the check and the send; the others still get the event.
        logger.warn('ipc push failed', { event, error: String(err) });
      }
    }
  });

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
}
