import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { RpcClient } from '../../rpc/client';
import { createConsoleScorerStore, type ConsoleScorerState, type ConsoleScorerStore } from './scoring-store';

/** One scorer per RPC client (one per window), shared by every component that shows its status. */
const stores = new WeakMap<RpcClient, ConsoleScorerStore>();
const mounts = new WeakMap<ConsoleScorerStore, number>();

export function consoleScorerStore(client: RpcClient): ConsoleScorerStore {
  let store = stores.get(client);
  if (!store) stores.set(client, (store = createConsoleScorerStore(client)));
  return store;
}

/**
 * Runs this console's scoring worker while the calling component is mounted (mount it once, in the
 * console shell, not in the wall) and returns the scorer's state for a status line.
 */
export function useConsoleScorer(): ConsoleScorerState {
  const { client } = useStores();
  const store = consoleScorerStore(client);
  useEffect(() => {
    mounts.set(store, (mounts.get(store) ?? 0) + 1);
    store.getState().start();
    return () => {
      const left = (mounts.get(store) ?? 1) - 1;
      mounts.set(store, left);
      if (left === 0) store.getState().stop();
    };
  }, [store]);
  return useStore(store);
}

/** Reads the scorer's state without starting it (for status badges elsewhere in the console). */
export function useConsoleScorerStatus<T>(selector: (s: ConsoleScorerState) => T): T {
  const { client } = useStores();
  return useStore(consoleScorerStore(client), selector);
}
