import type { RpcTransport, WatchfloorBridge } from '@shared/contract';
import { createRpcClient, type RpcClient } from './client';
import { createIpcTransport } from './ipc-transport';
import { createWebSocketTransport } from './ws-transport';

/** Where the hub's access token is kept for the tab, so a reload does not lose it. */
export const TOKEN_STORAGE_KEY = 'watchfloor.token';

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The token given in the page URL wins (and is remembered for the tab); otherwise the one remembered
 * earlier in this tab; otherwise none (a hub on 127.0.0.1 needs none).
 */
export function resolveToken(search: string, storage: KeyValueStorage | null): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still works for this page.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** `ws(s)://<host>/rpc[?token=…]` for the page's own origin. */
export function rpcUrl(location: Pick<Location, 'protocol' | 'host'>, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/rpc${query}`;
}

export interface TransportEnvironment {
  bridge: WatchfloorBridge | undefined;
  location: Pick<Location, 'protocol' | 'host' | 'search'>;
  storage: KeyValueStorage | null;
}

export type TransportChoice = { kind: 'ipc'; bridge: WatchfloorBridge } | { kind: 'ws'; url: string };

/** Electron's preload bridge when it is there, else the hub's WebSocket on the page's origin. */
export function chooseTransport(env: TransportEnvironment): TransportChoice {
  if (env.bridge) return { kind: 'ipc', bridge: env.bridge };
  return { kind: 'ws', url: rpcUrl(env.location, resolveToken(env.location.search, env.storage)) };
}

declare global {
  interface Window {
    watchfloor?: WatchfloorBridge;
  }
}

function sessionStorageOrNull(): KeyValueStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The one place the renderer decides how it talks to the core. */
export function connect(): RpcClient {
  const choice = chooseTransport({
    bridge: window.watchfloor,
    location: window.location,
    storage: sessionStorageOrNull(),
  });
  const transport: RpcTransport =
    choice.kind === 'ipc' ? createIpcTransport(choice.bridge) : createWebSocketTransport({ url: choice.url });
  return createRpcClient(transport);
}
