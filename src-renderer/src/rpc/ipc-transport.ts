import { RpcError, type RpcTransport, type WatchfloorBridge } from '@shared/contract';

/** Electron: the preload bridge carries calls over fixed IPC channels; errors arrive as data. */
export function createIpcTransport(bridge: WatchfloorBridge): RpcTransport {
  return {
    async invoke(method, params) {
      const reply = await bridge.invoke(method, params);
      if ('error' in reply) throw RpcError.from(reply.error);
      return reply.result;
    },
    subscribe(listener) {
      return bridge.subscribe(listener);
    },
  };
}
