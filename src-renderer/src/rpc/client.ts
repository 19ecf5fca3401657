import type {
  ConnectionState,
  EventName,
  EventPayload,
  MethodName,
  MethodParams,
  MethodResult,
  RpcTransport,
} from '@shared/contract';

/** The typed face of a transport: the only way renderer code talks to the core. */
export interface RpcClient {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export function createRpcClient(transport: RpcTransport): RpcClient {
  const byEvent = new Map<string, Set<(payload: unknown) => void>>();
  const unsubscribe = transport.subscribe((event, payload) => {
    for (const l of byEvent.get(event) ?? []) l(payload);
  });
  return {
    call(method, params) {
      return transport.invoke(method, params) as Promise<MethodResult<typeof method>>;
    },
    on(event, listener) {
      let set = byEvent.get(event);
      if (!set) byEvent.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onState(listener) {
      if (transport.onState) return transport.onState(listener);
      listener('open');
      return () => undefined;
    },
    close() {
      unsubscribe();
      transport.close?.();
    },
  };
}
