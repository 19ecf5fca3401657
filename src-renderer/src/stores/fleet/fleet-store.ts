import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Device, DeviceTelemetry, EventPayload } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';
import { bytesFromBase64, float32FromBase64 } from './binary';

/**
 * The device registry and its live telemetry, shared by the heatmap, the map and the device detail.
 * Health arrives as a push once a second; a chosen metric's values are pulled while someone shows
 * them; the open device's series are pulled while its detail is open.
 */
export interface FleetState {
  devices: Device[];
  /** Registry order index by SN. */
  indexBySn: ReadonlyMap<string, number>;
  version: number;
  loading: boolean;
  error: AppError | null;
  /** Health per device in registry order (0–100, 254 no data, 255 offline), or null before the first frame. */
  health: Uint8Array | null;
  frameAt: number | null;
  /** The metric whose latest values are being pulled, and those values (NaN = none). */
  metric: string | null;
  values: Float32Array | null;
  selectedSn: string | null;
  detail: DeviceTelemetry | null;
  detailError: AppError | null;
  load(): Promise<void>;
  applyFrame(frame: EventPayload<'telemetry/changed'>): void;
  devicesChanged(payload: EventPayload<'devices/changed'>): void;
  /** Starts (or, with null, stops) pulling a metric's values once a second. */
  watchMetric(metric: string | null): void;
  select(sn: string | null): void;
  refreshDetail(): Promise<void>;
  dispose(): void;
}

export type FleetStore = StoreApi<FleetState>;

export function createFleetStore(
  client: RpcClient,
  options: { metricPollMs?: number; detailPollMs?: number } = {},
): FleetStore {
  const metricPollMs = options.metricPollMs ?? 1_000;
  const detailPollMs = options.detailPollMs ?? 2_000;
  let metricTimer: ReturnType<typeof setInterval> | null = null;
  let detailTimer: ReturnType<typeof setInterval> | null = null;
  let loading: Promise<void> | null = null;

  const store = createStore<FleetState>()((set, get) => ({
    devices: [],
    indexBySn: new Map(),
    version: -1,
    loading: false,
    error: null,
    health: null,
    frameAt: null,
    metric: null,
    values: null,
    selectedSn: null,
    detail: null,
    detailError: null,

    load() {
      loading ??= (async () => {
        set({ loading: true });
        try {
          const { version, devices } = await client.call('devices/list', {});
          set({
            devices,
            version,
            indexBySn: new Map(devices.map((d, i) => [d.sn, i])),
            loading: false,
            error: null,
          });
        } catch (err) {
          set({ loading: false, error: toAppError(err) });
        } finally {
          loading = null;
        }
      })();
      return loading;
    },

    applyFrame(frame) {
      if (frame.registryVersion !== get().version) {
        // Indexed by another registry version: the list must be fetched first.
        void get().load();
        return;
      }
      set({ health: bytesFromBase64(frame.health), frameAt: Date.parse(frame.at) });
    },

    devicesChanged(payload) {
      if (payload.version !== get().version) void get().load();
      if (get().selectedSn && payload.sns.includes(get().selectedSn!)) void get().refreshDetail();
    },

    watchMetric(metric) {
      if (metricTimer) clearInterval(metricTimer);
      metricTimer = null;
      set({ metric, values: null });
      if (!metric) return;
      const pull = async (): Promise<void> => {
        try {
          const frame = await client.call('telemetry/frame', { metric });
          if (get().metric !== metric || frame.registryVersion !== get().version || !frame.values) return;
          set({ values: float32FromBase64(frame.values) });
        } catch {
          // A missed pull is retried on the next tick.
        }
      };
      void pull();
      metricTimer = setInterval(() => void pull(), metricPollMs);
    },

    select(sn) {
      if (detailTimer) clearInterval(detailTimer);
      detailTimer = null;
      set({ selectedSn: sn, detail: null, detailError: null });
      if (!sn) return;
      void get().refreshDetail();
      detailTimer = setInterval(() => void get().refreshDetail(), detailPollMs);
    },

    async refreshDetail() {
      const sn = get().selectedSn;
      if (!sn) return;
      try {
        const detail = await client.call('telemetry/device', { sn });
        if (get().selectedSn === sn) set({ detail, detailError: null });
      } catch (err) {
        if (get().selectedSn === sn) set({ detailError: toAppError(err) });
      }
    },

    dispose() {
      if (metricTimer) clearInterval(metricTimer);
      if (detailTimer) clearInterval(detailTimer);
      metricTimer = detailTimer = null;
    },
  }));
  return store;
}

/** Selectors: components read through these so they re-render only on what they show. */
export const fleetSelectors = {
  deviceAt: (s: FleetState, i: number): Device | undefined => s.devices[i],
  healthOf: (s: FleetState, sn: string): number | null => {
    const i = s.indexBySn.get(sn);
    return i === undefined || !s.health ? null : (s.health[i] ?? null);
  },
  selectedDevice: (s: FleetState): Device | null => {
    const i = s.selectedSn === null ? undefined : s.indexBySn.get(s.selectedSn);
    return i === undefined ? null : (s.devices[i] ?? null);
  },
};
