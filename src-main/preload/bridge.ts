import type {
  BridgeReply,
  ErrorCode,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  WatchfloorBridge,
} from '@shared/contract';

/**
 * The preload bridge. It may only type-import from shared (the sandboxed preload must stay tiny and
 * must not bundle zod), so the channel names are repeated here; `typeof` pins them to the contract's
 * literals at compile time, and a unit test compares the values.
 */
export const INVOKE_CHANNEL: typeof IPC_INVOKE_CHANNEL = 'watchfloor:invoke';
export const EVENT_CHANNEL: typeof IPC_EVENT_CHANNEL = 'watchfloor:event';

/** The part of Electron's `ipcRenderer` the bridge uses; Electron's own object satisfies it. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcRendererListener): unknown;
  removeListener(channel: string, listener: IpcRendererListener): unknown;
}

/** Electron passes an `IpcRendererEvent` first; the bridge never hands it to the page. */
export type IpcRendererListener = (event: unknown, ...args: unknown[]) => void;

const bridgeError = (code: ErrorCode, message: string): BridgeReply => ({ error: { code, message } });

function isBridgeReply(value: unknown): value is BridgeReply {
  if (typeof value !== 'object' || value === null) return false;
  if ('result' in value) return true;
  if (!('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * Builds `window.watchfloor`: exactly `invoke` and `subscribe` on the fixed channels. `invoke` never
 * rejects: whatever goes wrong on the way (arguments that cannot be cloned, no handler in the main
 * process) comes back as a BridgeReply error, so the renderer always sees one error shape.
 */
export function createBridge(ipcRenderer: IpcRendererLike): WatchfloorBridge {
  return {
    async invoke(method: string, params: unknown): Promise<BridgeReply> {
      let reply: unknown;
      try {
        reply = await ipcRenderer.invoke(INVOKE_CHANNEL, method, params);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Structured clone refuses functions, symbols, DOM nodes…: the message never left the page.
        if (/could not be cloned/i.test(message)) {
          return bridgeError('INVALID_MESSAGE', `params cannot be sent to the main process: ${message}`);
        }
        return bridgeError('UNAVAILABLE', `the main process did not answer: ${message}`);
      }
      return isBridgeReply(reply)
        ? reply
        : bridgeError('INTERNAL', 'the main process sent a reply of an unknown shape');
    },
    subscribe(listener: (event: string, payload: unknown) => void): () => void {
      const onMessage: IpcRendererListener = (_ipcEvent, event, payload) => {
        if (typeof event === 'string') listener(event, payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, onMessage);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(EVENT_CHANNEL, onMessage);
      };
    },
  };
}
