import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { ConnectorsState, ConnectorsStore } from '../../stores/connectors/connectors-store';
import type { DevicesState, DevicesStore } from '../../stores/devices/devices-store';
import type {
  TelemetryStatsState,
  TelemetryStatsStore,
} from '../../stores/telemetry-stats/telemetry-stats-store';

/** The stores of the devices, connectors and quarantine views (fields of `AppStores`). */
export interface DeviceAreaStores {
  devices: DevicesStore;
  connectors: ConnectorsStore;
  telemetryStats: TelemetryStatsStore;
}

/**
 * These views read their stores from the app's stores context, like every feature. The stores are
 * fields of `AppStores` (src-renderer/src/stores/app-stores.ts). A build where they are not wired
 * yet gets null here, so the page can say so instead of taking the whole console down.
 */
export function useDeviceStoresOrNull(): DeviceAreaStores | null {
  const stores = useStores() as unknown as Partial<DeviceAreaStores>;
  if (!stores.devices || !stores.connectors || !stores.telemetryStats) return null;
  return stores as DeviceAreaStores;
}

export function useDeviceStores(): DeviceAreaStores {
  const stores = useDeviceStoresOrNull();
  if (!stores) {
    throw new Error('devices, connectors and telemetryStats are not wired into AppStores (app-stores.ts)');
  }
  return stores;
}

/* Selector hooks, like those of app/stores-context.tsx. */
export const useDevices = <T>(selector: (s: DevicesState) => T): T =>
  useStore(useDeviceStores().devices, selector);
export const useConnectors = <T>(selector: (s: ConnectorsState) => T): T =>
  useStore(useDeviceStores().connectors, selector);
export const useTelemetryStats = <T>(selector: (s: TelemetryStatsState) => T): T =>
  useStore(useDeviceStores().telemetryStats, selector);
