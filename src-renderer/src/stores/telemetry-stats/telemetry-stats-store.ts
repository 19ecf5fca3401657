import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuarantineReason, QuarantineSample, TelemetryStats } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

/**
 * Ingest counters and the recent quarantined samples, pulled every 2 s while someone shows them
 * (`watch()` returns the function that stops watching; several watchers share one timer).
 */
export interface TelemetryStatsState {
  stats: TelemetryStats | null;
  /** Newest first. */
  samples: QuarantineSample[];
  /** Only samples of this reason are shown (null: all). */
  reason: QuarantineReason | null;
  error: AppError | null;
  /** When the last pull answered (ms since epoch). */
  updatedAt: number | null;
  refresh(): Promise<void>;
  watch(): () => void;
  setReason(reason: QuarantineReason | null): void;
  dispose(): void;
}

export type TelemetryStatsStore = StoreApi<TelemetryStatsState>;

export interface TelemetryStatsOptions {
  pollMs?: number;
  /** Samples asked for per pull. */
  limit?: number;
  /** Whether the page is visible (pulls pause in a hidden tab or minimised window). */
  isVisible?: () => boolean;
  now?: () => number;
}

const pageVisible = (): boolean => typeof document === 'undefined' || document.visibilityState !== 'hidden';

/** Newest first, by time (the core's order is not assumed). */
export function newestFirst(samples: readonly QuarantineSample[]): QuarantineSample[] {
  return [...samples].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export function createTelemetryStatsStore(
  client: RpcClient,
  options: TelemetryStatsOptions = {},
): TelemetryStatsStore {
  const pollMs = options.pollMs ?? 2_000;
  const limit = options.limit ?? 200;
  const isVisible = options.isVisible ?? pageVisible;
  const now = options.now ?? Date.now;
  let watchers = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<void> | null = null;

  return createStore<TelemetryStatsState>()((set, get) => ({
    stats: null,
    samples: [],
    reason: null,
    error: null,
    updatedAt: null,

    refresh() {
      // A slow answer is not stacked on: the next tick waits for it.
      inFlight ??= (async () => {
        try {
          const [stats, samples] = await Promise.all([
            client.call('telemetry/stats', {}),
            client.call('telemetry/quarantine', { limit }),
          ]);
          set({ stats, samples: newestFirst(samples), error: null, updatedAt: now() });
        } catch (err) {
          set({ error: toAppError(err) });
        } finally {
          inFlight = null;
        }
      })();
      return inFlight;
    },

    watch() {
      watchers++;
      if (!timer) {
        void get().refresh();
        timer = setInterval(() => {
          if (isVisible()) void get().refresh();
        }, pollMs);
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        watchers--;
        if (watchers === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },

    setReason(reason) {
      set({ reason });
    },

    dispose() {
      if (timer) clearInterval(timer);
      timer = null;
      watchers = 0;
    },
  }));
}

export const telemetryStatsSelectors = {
  /** Samples of the chosen reason (all when none is chosen). */
  filtered: (s: Pick<TelemetryStatsState, 'samples' | 'reason'>): QuarantineSample[] =>
    s.reason ? s.samples.filter((x) => x.reason === s.reason) : s.samples,
  refusedTotal: (stats: TelemetryStats | null): number =>
    stats ? Object.values(stats.refused).reduce<number>((n, v) => n + (v ?? 0), 0) : 0,
};
