import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MethodParams, SimulatorStatus } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export type SimulatorStartParams = MethodParams<'simulator/start'>;

/** Limits of `simulator/start` (src-main/shared/contract/telemetry.ts), checked before calling. */
export const SIMULATOR_LIMITS = {
  devices: { min: 1, max: 20_000 },
  speed: { min: 1, max: 86_400 },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER },
} as const;

/**
 * The demo fleet simulator: its status, kept current by the `simulator/changed` push (about once a
 * second while it runs, with the published count), and the start/stop actions. The app stores
 * route the push here and call `reconnected()` when the connection comes back.
 */
export interface SimulatorState {
  status: SimulatorStatus | null;
  loaded: boolean;
  loading: boolean;
  /** The last `simulator/status` failed. */
  error: AppError | null;
  /** A start (which registers the fleet first, seconds for 20,000 devices) or a stop in flight. */
  pending: 'start' | 'stop' | null;
  /** The last start or stop failed (UNAVAILABLE: no broker or no simulator; INVALID_ARGUMENT). */
  actionError: AppError | null;
  /** Messages per second, from the last two pushes of a run; null when unknown or stopped. */
  publishRate: number | null;
  load(): Promise<void>;
  /** Loads the status unless it is loaded or loading (the tab calls this on entry). */
  ensureLoaded(): void;
  /** Starts the simulator, or restarts it with these settings when it runs. */
  start(params: SimulatorStartParams): Promise<boolean>;
  stop(): Promise<boolean>;
  applyChanged(status: SimulatorStatus): void;
  /** The connection came back: pushes were missed, so a status that was shown is fetched again. */
  reconnected(): void;
  clearErrors(): void;
  /** Ignores answers still in flight (tests, hot reload). */
  dispose(): void;
}

export type SimulatorStore = StoreApi<SimulatorState>;

export function createSimulatorStore(client: RpcClient, now: () => number = Date.now): SimulatorStore {
  /**
   * Bumped by every push and action answer: a status load that was already in flight may carry an
   * older state (running before a stop), so its answer is dropped.
   */
  let seq = 0;
  let loading: Promise<void> | null = null;
  let disposed = false;
  /** The previous sample of the published counter, for the rate. */
  let lastSample: { published: number; at: number; startedAt: string | null } | null = null;

  const rateFrom = (status: SimulatorStatus): number | null => {
    const at = now();
    const prev = lastSample;
    lastSample = status.running ? { published: status.published, at, startedAt: status.startedAt } : null;
    if (!status.running || !prev || prev.startedAt !== status.startedAt) return null;
    const seconds = (at - prev.at) / 1000;
    // Two pushes in the same instant (a push and an answer) say nothing about the rate.
    if (seconds < 0.5 || status.published < prev.published) return store.getState().publishRate;
    return (status.published - prev.published) / seconds;
  };

  const accept = (status: SimulatorStatus): void => {
    seq++;
    store.setState({ status, loaded: true, error: null, publishRate: rateFrom(status) });
  };

  const store = createStore<SimulatorState>()((set, get) => ({
    status: null,
    loaded: false,
    loading: false,
    error: null,
    pending: null,
    actionError: null,
    publishRate: null,

    load() {
      if (loading) return loading;
      loading = (async () => {
        const mine = ++seq;
        set({ loading: true });
        try {
          const status = await client.call('simulator/status', {});
          if (disposed) return;
          if (mine === seq) accept(status);
        } catch (err) {
          if (disposed) return;
          if (mine === seq) set({ error: toAppError(err) });
        } finally {
          loading = null;
          if (!disposed) set({ loading: false });
        }
      })();
      return loading;
    },

    ensureLoaded() {
      if (!get().loaded && !loading) void get().load();
    },

    async start(params) {
      if (get().pending) return false;
      set({ pending: 'start', actionError: null });
      try {
        const status = await client.call('simulator/start', params);
        if (disposed) return false;
        accept(status);
        set({ pending: null });
        return true;
      } catch (err) {
        if (!disposed) set({ pending: null, actionError: toAppError(err) });
        return false;
      }
    },

    async stop() {
      if (get().pending) return false;
      set({ pending: 'stop', actionError: null });
      try {
        const status = await client.call('simulator/stop', {});
        if (disposed) return false;
        accept(status);
        set({ pending: null });
        return true;
      } catch (err) {
        if (!disposed) set({ pending: null, actionError: toAppError(err) });
        return false;
      }
    },

    applyChanged(status) {
      if (!disposed) accept(status);
    },

    reconnected() {
      if (get().loaded || get().error) void get().load();
    },

    clearErrors() {
      set({ actionError: null });
    },

    dispose() {
      disposed = true;
    },
  }));
  return store;
}

/** Field problems of the start form, as i18n keys under `simulator.problem`. */
export type StartProblem = 'devicesRange' | 'speedRange' | 'seedRange' | 'required';
export interface StartDraft {
  devices: string;
  speed: string;
  seed: string;
}

/** Parses a decimal the way an operator types it: spaces and thousands separators are allowed. */
function parseNumber(text: string): number | null {
  const cleaned = text.replace(/[\s,，_]/g, '');
  if (cleaned === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/**
 * Checks the start form against the contract's limits, so a bad value is shown at its field and
 * never sent. An empty seed is left out: the simulator keeps its last seed.
 */
export function validateStart(draft: StartDraft): {
  params: SimulatorStartParams;
  problems: Partial<Record<keyof StartDraft, StartProblem>>;
} {
  const problems: Partial<Record<keyof StartDraft, StartProblem>> = {};
  const params: SimulatorStartParams = {};
  const { devices: dl, speed: sl, seed: seedL } = SIMULATOR_LIMITS;

  const devices = parseNumber(draft.devices);
  if (draft.devices.trim() === '') problems.devices = 'required';
  else if (devices === null || !Number.isInteger(devices) || devices < dl.min || devices > dl.max)
    problems.devices = 'devicesRange';
  else params.devices = devices;

  const speed = parseNumber(draft.speed);
  if (draft.speed.trim() === '') problems.speed = 'required';
  else if (speed === null || speed < sl.min || speed > sl.max) problems.speed = 'speedRange';
  else params.speed = speed;

  if (draft.seed.trim() !== '') {
    const seed = parseNumber(draft.seed);
    if (seed === null || !Number.isSafeInteger(seed) || seed < seedL.min) problems.seed = 'seedRange';
    else params.seed = seed;
  }
  return { params, problems };
}

export type SpeedUnit = 'second' | 'minute' | 'hour' | 'day';

/**
 * A speed as simulated time per real second in the largest whole unit: 60 → 1 minute, 600 → 10
 * minutes, 3600 → 1 hour, 86,400 → 1 day; at most one decimal (90 → 1.5 minutes).
 */
export function speedParts(speed: number): { amount: number; unit: SpeedUnit } {
  const units: [SpeedUnit, number][] = [
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, size]) => speed >= size) ?? units[units.length - 1]!;
  return { amount: Math.round((speed / size) * 10) / 10, unit };
}
