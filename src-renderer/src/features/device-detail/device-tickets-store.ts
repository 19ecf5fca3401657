import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TicketSummary } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../../stores/errors';

/** The business key that ties a ticket to a device (as the MQTT rules and the create form use it). */
export const DEVICE_SN_KEY = 'deviceSn';
export const DEVICE_TICKETS_LIMIT = 50;

export interface DeviceTicketsState {
  sn: string | null;
  items: TicketSummary[];
  /** Matches the core counted (before the exact-SN check), for "n more". */
  total: number;
  loading: boolean;
  error: AppError | null;
  /** Shows the open tickets of a device (null: none), and keeps them current. */
  show(sn: string | null): void;
  refresh(): Promise<void>;
  dispose(): void;
}

export type DeviceTicketsStore = StoreApi<DeviceTicketsState>;

/**
 * The open tickets of the device in the detail drawer: `tickets/list` filtered by the business key
 * deviceSn and open status. The core's business-key filter matches values by prefix (SN-1 would
 * find SN-10's tickets), so the items are narrowed to the exact SN here. Ticket pushes refetch,
 * debounced, while a device is shown.
 */
export function createDeviceTicketsStore(
  client: RpcClient,
  options: { debounceMs?: number } = {},
): DeviceTicketsStore {
  const debounceMs = options.debounceMs ?? 300;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const store = createStore<DeviceTicketsState>()((set, get) => ({
    sn: null,
    items: [],
    total: 0,
    loading: false,
    error: null,
    show(sn) {
      if (sn === get().sn) return;
      set({ sn, items: [], total: 0, error: null, loading: sn !== null });
      if (sn) void get().refresh();
    },
    async refresh() {
      const sn = get().sn;
      if (!sn) return;
      const mine = ++seq;
      try {
        const result = await client.call('tickets/list', {
          filter: { businessKey: { key: DEVICE_SN_KEY, value: sn }, open: true },
          sort: { field: 'updatedAt', dir: 'desc' },
          limit: DEVICE_TICKETS_LIMIT,
        });
        if (mine !== seq || get().sn !== sn) return;
        const items = result.items.filter((t) => t.businessKeys[DEVICE_SN_KEY] === sn);
        set({ items, total: result.total, loading: false, error: null });
      } catch (err) {
        if (mine !== seq || get().sn !== sn) return;
        set({ loading: false, error: toAppError(err) });
      }
    },
    dispose() {
      off();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  }));
  const off = client.on('tickets/changed', () => {
    if (!store.getState().sn) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void store.getState().refresh();
    }, debounceMs);
  });
  return store;
}
