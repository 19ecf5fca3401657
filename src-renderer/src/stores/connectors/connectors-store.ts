import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Connector, ConnectorSaveParams, ConnectorState, EventPayload } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

/**
 * MQTT connectors and their live connection state. The list is fetched once and kept current by
 * the `connectors/changed` push: a push with a status patches that connector's status in place; a
 * push without one (settings changed, connector added or removed) refetches the list.
 */
export interface ConnectorsState {
  connectors: Connector[];
  loaded: boolean;
  loading: boolean;
  error: AppError | null;
  saving: boolean;
  saveError: AppError | null;
  removing: boolean;
  removeError: AppError | null;
  load(): Promise<void>;
  /** Loads the list unless it is loaded or loading (the header indicator and the tab call this). */
  ensureLoaded(): void;
  /** Creates (no `id`) or edits a connector; secrets: a string sets, null clears, absent keeps. */
  save(params: ConnectorSaveParams): Promise<Connector | null>;
  remove(id: string, version: number): Promise<boolean>;
  applyChanged(payload: EventPayload<'connectors/changed'>): void;
  clearErrors(): void;
  /** Stops listening to pushes. */
  dispose(): void;
}

export type ConnectorsStore = StoreApi<ConnectorsState>;

export function createConnectorsStore(client: RpcClient): ConnectorsStore {
  let seq = 0;
  let loading: Promise<void> | null = null;
  /** A push arrived while a load was in flight: its answer may predate the change, so load again. */
  let again = false;

  const store = createStore<ConnectorsState>()((set, get) => ({
    connectors: [],
    loaded: false,
    loading: false,
    error: null,
    saving: false,
    saveError: null,
    removing: false,
    removeError: null,

    load() {
      if (loading) {
        again = true;
        return loading;
      }
      loading = (async () => {
        do {
          again = false;
          const mine = ++seq;
          set({ loading: true });
          try {
            const connectors = await client.call('connectors/list', {});
            if (mine === seq) set({ connectors, loaded: true, loading: false, error: null });
          } catch (err) {
            if (mine === seq) set({ loading: false, error: toAppError(err) });
          }
        } while (again);
        loading = null;
        // A load overtaken by a save's answer set nothing above; it is over all the same.
        if (get().loading) set({ loading: false });
      })();
      return loading;
    },

    ensureLoaded() {
      if (!get().loaded && !loading) void get().load();
    },

    async save(params) {
      if (get().saving) return null;
      set({ saving: true, saveError: null });
      try {
        const saved = await client.call('connectors/save', params);
        seq++; // a list fetched before this answer would be older
        const others = get().connectors;
        const i = others.findIndex((c) => c.id === saved.id);
        set({
          saving: false,
          connectors: i < 0 ? [...others, saved] : others.map((c) => (c.id === saved.id ? saved : c)),
        });
        return saved;
      } catch (err) {
        set({ saving: false, saveError: toAppError(err) });
        return null;
      }
    },

    async remove(id, version) {
      if (get().removing) return false;
      set({ removing: true, removeError: null });
      try {
        await client.call('connectors/remove', { id, version });
        seq++;
        set({ removing: false, connectors: get().connectors.filter((c) => c.id !== id) });
        return true;
      } catch (err) {
        set({ removing: false, removeError: toAppError(err) });
        return false;
      }
    },

    applyChanged({ id, status }) {
      const known = get().connectors.some((c) => c.id === id);
      if (status && known) {
        set({ connectors: get().connectors.map((c) => (c.id === id ? { ...c, status } : c)) });
        return;
      }
      void get().load();
    },

    clearErrors() {
      set({ saveError: null, removeError: null });
    },

    dispose() {
      off();
    },
  }));

  const offPush = client.on('connectors/changed', (payload) => store.getState().applyChanged(payload));
  // Pushes missed while the connection was down: states may have moved, so a reconnect reloads.
  let wasOpen = false;
  const offState = client.onState((state) => {
    if (state === 'open' && !wasOpen && store.getState().loaded) void store.getState().load();
    wasOpen = state === 'open';
  });
  const off = (): void => {
    offPush();
    offState();
  };
  return store;
}

export type AggregateState = 'none' | 'disabled' | 'ok' | 'degraded' | 'down' | 'connecting';

/** Selectors shared by the connectors tab and the header indicator. */
export const connectorsSelectors = {
  /**
   * One state for all connectors: ok (every enabled one connected), connecting (none down, some
   * still connecting), degraded (some down), down (every enabled one down), disabled (none enabled),
   * none (no connectors).
   */
  aggregate(connectors: readonly Connector[]): AggregateState {
    if (connectors.length === 0) return 'none';
    const enabled = connectors.filter((c) => c.enabled && c.status.state !== 'disabled');
    if (enabled.length === 0) return 'disabled';
    const down = enabled.filter((c) => isDown(c.status.state)).length;
    if (down === enabled.length) return 'down';
    if (down > 0) return 'degraded';
    return enabled.every((c) => c.status.state === 'connected') ? 'ok' : 'connecting';
  },
  byId: (connectors: readonly Connector[], id: string): Connector | undefined =>
    connectors.find((c) => c.id === id),
};

export const isDown = (state: ConnectorState): boolean => state === 'disconnected' || state === 'error';
