import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TicketStatsResult, TicketSummary } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export interface WallState {
  stats: TicketStatsResult | null;
  /** Open P1/P2 tickets, soonest resolve due first. */
  urgent: TicketSummary[];
  urgentTotal: number;
  loading: boolean;
  error: AppError | null;
  updatedAt: number | null;
  start(): void;
  stop(): void;
  refresh(): Promise<void>;
  /** A live push arrived (or the connection came back): refresh while started, at most once per `minIntervalMs`. */
  changed(): void;
}

export type WallStore = StoreApi<WallState>;

export interface WallStoreOptions {
  /** Rows of the urgent list. */
  limit?: number;
  pollMs?: number;
  minIntervalMs?: number;
}

export const URGENT_FILTER = { priority: ['P1', 'P2'], open: true } as const;

export function createWallStore(client: RpcClient, options: WallStoreOptions = {}): WallStore {
  const limit = options.limit ?? 40;
  const pollMs = options.pollMs ?? 30_000;
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  let poll: ReturnType<typeof setInterval> | null = null;
  let throttle: ReturnType<typeof setTimeout> | null = null;
  let lastRun = 0;
  let running = false;
  let again = false;

  return createStore<WallState>()((set, get) => ({
    stats: null,
    urgent: [],
    urgentTotal: 0,
    loading: false,
    error: null,
    updatedAt: null,
    start() {
      if (poll) return;
      void get().refresh();
      poll = setInterval(() => void get().refresh(), pollMs);
    },
    stop() {
      if (poll) clearInterval(poll);
      if (throttle) clearTimeout(throttle);
      poll = null;
      throttle = null;
    },
    async refresh() {
      if (running) {
        again = true;
        return;
      }
      running = true;
      lastRun = Date.now();
      set({ loading: get().stats === null });
      try {
        const [stats, list] = await Promise.all([
          client.call('tickets/stats', {}),
          client.call('tickets/list', {
            filter: { priority: [...URGENT_FILTER.priority], open: true },
            sort: { field: 'resolveDueAt', dir: 'asc' },
            offset: 0,
            limit,
          }),
        ]);
        set({
          stats,
          urgent: list.items,
          urgentTotal: list.total,
          loading: false,
          error: null,
          updatedAt: Date.now(),
        });
      } catch (err) {
        set({ loading: false, error: toAppError(err) });
      } finally {
        running = false;
        if (again) {
          again = false;
          get().changed();
        }
      }
    },
    changed() {
      if (!poll || throttle) return;
      const wait = Math.max(0, lastRun + minIntervalMs - Date.now());
      throttle = setTimeout(() => {
        throttle = null;
        void get().refresh();
      }, wait);
    },
  }));
}
