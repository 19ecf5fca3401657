import { useStore } from 'zustand';
import type { RpcClient } from '../../rpc/client';
import {
  createDeviceTicketsStore,
  type DeviceTicketsState,
  type DeviceTicketsStore,
} from './device-tickets-store';
import { useFeatureClient } from './feature-client';

const byClient = new WeakMap<RpcClient, DeviceTicketsStore>();

/** One device-tickets store per RPC client (the drawer opens and closes; the store stays). */
export function useDeviceTicketsStore(): DeviceTicketsStore {
  const client = useFeatureClient();
  let store = byClient.get(client);
  if (!store) {
    store = createDeviceTicketsStore(client);
    byClient.set(client, store);
  }
  return store;
}

export const useDeviceTickets = <T>(selector: (s: DeviceTicketsState) => T): T =>
  useStore(useDeviceTicketsStore(), selector);
