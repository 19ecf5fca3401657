import { RpcError, type RpcTransport } from '@shared/contract';
import type { Core } from '../create-core';
import type { CommandContext } from '../tickets/ticket-service';

/**
 * A transport straight into a core, for tests and tools. Values are cloned both ways so callers see
 * exactly what a wire would give them, never shared objects.
 */
export function createInProcessTransport(core: Core, session?: CommandContext): RpcTransport {
  return {
    async invoke(method, params) {
      try {
        return structuredClone(await core.call(method, structuredClone(params), session));
      } catch (err) {
        if (err instanceof RpcError) throw RpcError.from(err.toJSON());
        throw err;
      }
    },
    subscribe(listener) {
      return core.subscribe((event, payload) => listener(event, structuredClone(payload)));
    },
  };
}
