import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import type { RpcTransport } from '../../src-main/shared/contract';
import type { Core } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/ports';
import { createInProcessTransport } from '../../src-main/core/rpc/in-process-transport';
import { startHubServer } from '../../src-main/hosts/node/http-server';
import { createWebSocketTransport, type WebSocketLike } from '../../src-renderer/src/rpc/ws-transport';
import { createRpcClient, type RpcClient } from '../../src-renderer/src/rpc/client';
import { startCore } from '../helpers/core-fixture';
import { createIpcTransportPair } from './ipc-doubles';

export interface TransportKind {
  name: string;
  /** Connects `n` independent clients to the core; `close` tears the transport down. */
  connect(core: Core, n: number): Promise<{ transports: RpcTransport[]; close: () => Promise<void> }>;
}

export const wsFactory = (url: string) => (): WebSocketLike => new WebSocket(url) as unknown as WebSocketLike;

/** Resolves once every transport reports `open`. */
export async function whenOpen(transports: RpcTransport[]): Promise<void> {
  await Promise.all(
    transports.map(
      (t) =>
        new Promise<void>((resolve) => {
          const off = t.onState?.((s) => {
            if (s === 'open') {
              queueMicrotask(() => off?.());
              resolve();
            }
          });
          if (!t.onState) resolve();
        }),
    ),
  );
}

export const transportKinds: TransportKind[] = [
  {
    name: 'in-process',
    async connect(core, n) {
      return {
        transports: Array.from({ length: n }, () => createInProcessTransport(core)),
        close: async () => undefined,
      };
    },
  },
  {
    name: 'websocket',
    async connect(core, n) {
      const hub = await startHubServer({
        core,
        logger: silentLogger,
        host: '127.0.0.1',
        port: 0,
        rendererDir: null,
        version: 'test',
      });
      const url = `ws://127.0.0.1:${hub.port}/rpc`;
      const transports = Array.from({ length: n }, () =>
        createWebSocketTransport({ url, createSocket: wsFactory(url) }),
      );
      await whenOpen(transports);
      return {
        transports,
        close: async () => {
          for (const t of transports) t.close?.();
          await hub.close();
        },
      };
    },
  },
  {
    name: 'electron-ipc',
    async connect(core, n) {
      return {
        transports: Array.from({ length: n }, () => createIpcTransportPair(core)),
        close: async () => undefined,
      };
    },
  },
];

/**
 * Gives each test of the enclosing `describe` a fresh core with two clients over `kind`
 * (read them inside the test: they change before every test).
 */
export function twoClientsPerTest(kind: TransportKind): { a: RpcClient; b: RpcClient } {
  const clients = {} as { a: RpcClient; b: RpcClient };
  let teardown: () => Promise<void> = async () => undefined;
  beforeEach(async () => {
    const { core, stop } = await startCore();
    const { transports, close } = await kind.connect(core, 2);
    clients.a = createRpcClient(transports[0]!);
    clients.b = createRpcClient(transports[1]!);
    teardown = async () => {
      await close();
      await stop();
    };
  });
  afterEach(() => teardown());
  return clients;
}
