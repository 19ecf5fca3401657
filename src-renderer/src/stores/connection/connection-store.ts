import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionState } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';

export interface ConnectionStoreState {
  state: ConnectionState;
  /** How many times the connection came back after being lost. */
  reconnects: number;
  /** When the state last changed (ms since epoch). */
  since: number;
  /** The connection was open before and is not now (pushes are being missed; reconnecting). */
  lost: boolean;
}

export type ConnectionStore = StoreApi<ConnectionStoreState>;

/**
 * Follows the transport's connection state. `onOpen` runs each time the connection opens;
 * `reconnected` is true when it opens again after it was lost, so everything can be refetched
 * (pushes sent meanwhile are gone).
 */
export function createConnectionStore(
  client: RpcClient,
  onOpen: (reconnected: boolean) => void,
): { store: ConnectionStore; dispose: () => void } {
  const store = createStore<ConnectionStoreState>()(() => ({
    state: 'connecting',
    reconnects: 0,
    since: Date.now(),
    lost: false,
  }));
  let wasOpen = false;
  let lost = false;
  const dispose = client.onState((next) => {
    const prev = store.getState();
    if (prev.state === next && wasOpen) return;
    if (next === 'open') {
      const reconnected = wasOpen && lost;
      wasOpen = true;
      lost = false;
      store.setState({
        state: next,
        since: Date.now(),
        lost: false,
        reconnects: prev.reconnects + (reconnected ? 1 : 0),
      });
      onOpen(reconnected);
      return;
    }
    if (wasOpen) lost = true;
    store.setState({ state: next, since: Date.now(), lost });
  });
  return { store, dispose };
}
