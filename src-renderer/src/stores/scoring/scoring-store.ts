import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ScoringJob } from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import type { ScorerRequest, ScorerResponse } from '../../workers/scorer-protocol';

/**
 * The console as a scorer: a Web Worker with onnxruntime-web scores the hub's prediction cycles
 * while this console is open. It learns the models from `predict/status`, loads each ready one into
 * the worker (`predict/model`), and then keeps asking for jobs (`predict/scoringJob`), on every
 * `predict/cycle` push and on a heartbeat — asking is what tells the hub a console can score (a
 * lease). Scores go back with `predict/submitScores`; the hub checks them and scores itself when a
 * console is late or wrong, so nothing here can make a prediction wrong or missing.
 */

export type ScorerStatus = 'off' | 'starting' | 'ready' | 'scoring' | 'error' | 'unsupported';

export interface ScorerModel {
  id: string;
  version: string;
}

export interface ConsoleScorerState {
  status: ScorerStatus;
  /** Models loaded in the worker. */
  models: ScorerModel[];
  /** Why the scorer stopped or a model could not be loaded (English, from the worker or the hub). */
  error: string | null;
  lastCycleId: number | null;
  lastCount: number | null;
  /** Job fetched → scores submitted (ms wall), and the worker's part of it. */
  lastCycleMs: number | null;
  lastWorkerMs: number | null;
  /** The hub's verdict on the last submission. */
  lastAccepted: boolean | null;
  lastReason: string | null;
  accepted: number;
  rejected: number;
  start(): void;
  stop(): void;
}

export type ConsoleScorerStore = StoreApi<ConsoleScorerState>;

/** What the store needs of a Worker (tests pass a fake). */
export interface WorkerLike {
  onmessage: ((ev: { data: ScorerResponse }) => void) | null;
  onerror: ((ev: { message?: string }) => void) | null;
  postMessage(message: ScorerRequest): void;
  terminate(): void;
}

export interface ConsoleScorerOptions {
  /** Builds the worker; null when the platform has none. */
  createWorker?: () => WorkerLike | null;
  /** How often an idle console asks for a job (keeps the lease, which is 15 s on the hub). */
  heartbeatMs?: number;
  /** How often the model list is re-read (a model installed or replaced while the console runs). */
  modelsRefreshMs?: number;
  now?: () => number;
}

function defaultWorker(): WorkerLike | null {
  if (typeof Worker === 'undefined') return null;
  return new Worker(new URL('../../workers/scorer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'watchfloor-scorer',
  }) as unknown as WorkerLike;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createConsoleScorerStore(
  client: RpcClient,
  options: ConsoleScorerOptions = {},
): ConsoleScorerStore {
  const createWorker = options.createWorker ?? defaultWorker;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const modelsRefreshMs = options.modelsRefreshMs ?? 60_000;
  const now = options.now ?? (() => performance.now());

  let worker: WorkerLike | null = null;
  let nextId = 1;
  const waiting = new Map<number, (r: ScorerResponse) => void>();
  const loaded = new Map<string, string>();
  const offs: (() => void)[] = [];
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let lastModelsAt = -Infinity;
  let refreshing: Promise<void> | null = null;
  /** One job at a time; a push during a job asks again when it ends. */
  let busy = false;
  let again = false;
  let generation = 0;

  const store = createStore<ConsoleScorerState>()((set, get) => {
    const request = (req: ScorerRequest): Promise<ScorerResponse> =>
      new Promise((resolve, reject) => {
        if (!worker) {
          reject(new Error('the scorer worker is not running'));
          return;
        }
        waiting.set(req.id, resolve);
        worker.postMessage(req);
      });

    const fail = (error: string): void => {
      stopWorker();
      set({ status: 'error', error, models: [] });
    };

    const stopWorker = (): void => {
      generation++;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      for (const off of offs.splice(0)) off();
      worker?.terminate();
      worker = null;
      loaded.clear();
      for (const resolve of waiting.values())
        resolve({ type: 'error', id: -1, message: 'the scorer stopped' });
      waiting.clear();
      busy = false;
      again = false;
      refreshing = null;
      lastModelsAt = -Infinity;
    };

    const loadModel = async (modelId: string): Promise<void> => {
      const file = await client.call('predict/model', { modelId });
      const res = await request({ type: 'load', id: nextId++, manifest: file.manifest, model: file.model });
      if (res.type === 'error') throw new Error(res.message);
      if (res.type !== 'loaded') throw new Error(`unexpected answer ${res.type} from the scorer worker`);
      loaded.set(res.modelId, res.modelVersion);
      set({ models: [...loaded].map(([id, version]) => ({ id, version })) });
    };

    /** Loads ready models the worker lacks (or holds in another version); drops vanished ones. */
    const refreshModels = (): Promise<void> =>
      (refreshing ??= (async () => {
        const gen = generation;
        try {
          const status = await client.call('predict/status', {});
          if (gen !== generation) return;
          lastModelsAt = now();
          const ready = status.models.filter((m) => m.state === 'ready' && m.version !== null);
          for (const id of [...loaded.keys()])
            if (!ready.some((m) => m.id === id)) {
              loaded.delete(id);
              await request({ type: 'unload', id: nextId++, modelId: id });
            }
          for (const m of ready) if (loaded.get(m.id) !== m.version) await loadModel(m.id);
          if (gen !== generation) return;
          set({ models: [...loaded].map(([id, version]) => ({ id, version })) });
          if (get().status === 'starting' || get().status === 'error') set({ status: 'ready', error: null });
        } catch (err) {
          // The worker stays up and the heartbeat retries; with no model loaded the hub scores alone.
          if (gen === generation)
            set({
              status: loaded.size === 0 ? 'error' : get().status,
              error: `the console cannot load a model: ${message(err)}`,
            });
        } finally {
          refreshing = null;
        }
      })());

    const runJob = async (job: ScoringJob): Promise<void> => {
      const started = now();
      if (loaded.get(job.modelId) !== job.modelVersion) {
        await refreshModels();
        if (loaded.get(job.modelId) !== job.modelVersion) return;
      }
      set({ status: 'scoring' });
      const res = await request({
        type: 'score',
        id: nextId++,
        modelId: job.modelId,
        modelVersion: job.modelVersion,
        count: job.count,
        windows: job.windows,
      });
      if (res.type === 'error') {
        set({ status: 'ready', error: `scoring cycle ${job.cycleId} failed: ${res.message}` });
        return;
      }
      if (res.type !== 'scored') return;
      const verdict = await client.call('predict/submitScores', {
        cycleId: job.cycleId,
        modelId: job.modelId,
        modelVersion: job.modelVersion,
        outputs: res.outputs,
      });
      set((s) => ({
        status: 'ready',
        error: verdict.accepted ? null : s.error,
        lastCycleId: job.cycleId,
        lastCount: job.count,
        lastCycleMs: now() - started,
        lastWorkerMs: res.ms,
        lastAccepted: verdict.accepted,
        lastReason: verdict.reason,
        accepted: s.accepted + (verdict.accepted ? 1 : 0),
        rejected: s.rejected + (verdict.accepted ? 0 : 1),
      }));
    };

    /** Asks for jobs (one per loaded model) until none is open; also renews the hub's lease. */
    const poll = async (): Promise<void> => {
      if (!worker) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      const gen = generation;
      try {
        if (now() - lastModelsAt >= modelsRefreshMs) await refreshModels();
        do {
          again = false;
          for (const modelId of [...loaded.keys()]) {
            if (gen !== generation) return;
            const job = await client.call('predict/scoringJob', { modelId });
            if (job && gen === generation) await runJob(job);
          }
        } while (again && gen === generation);
      } catch (err) {
        if (gen === generation) set({ status: worker ? 'ready' : get().status, error: message(err) });
      } finally {
        if (gen === generation) busy = false;
      }
    };

    return {
      status: 'off',
      models: [],
      error: null,
      lastCycleId: null,
      lastCount: null,
      lastCycleMs: null,
      lastWorkerMs: null,
      lastAccepted: null,
      lastReason: null,
      accepted: 0,
      rejected: 0,

      start() {
        if (worker) return;
        let w: WorkerLike | null;
        try {
          w = createWorker();
        } catch (err) {
          set({
            status: 'unsupported',
            error: `this console cannot start a scoring worker: ${message(err)}`,
          });
          return;
        }
        if (!w) {
          set({ status: 'unsupported', error: 'this console has no Web Workers; the hub scores alone' });
          return;
        }
        worker = w;
        w.onmessage = (ev) => {
          const resolve = waiting.get(ev.data.id);
          if (!resolve) return;
          waiting.delete(ev.data.id);
          resolve(ev.data);
        };
        w.onerror = (ev) => fail(`the scoring worker crashed: ${ev.message ?? 'unknown error'}`);
        set({ status: 'starting', error: null });
        offs.push(
          client.on('predict/cycle', (cycle) => {
            if (!loaded.has(cycle.modelId)) lastModelsAt = -Infinity;
            void poll();
          }),
          client.onState((state) => {
            // After a reconnect the hub may have restarted with other models.
            if (state === 'open') {
              lastModelsAt = -Infinity;
              void poll();
            }
          }),
        );
        heartbeat = setInterval(() => void poll(), heartbeatMs);
        void refreshModels().then(() => poll());
      },

      stop() {
        stopWorker();
        set({ status: 'off', models: [] });
      },
    };
  });
  return store;
}

export const consoleScorerSelectors = {
  /** For a status line: "scoring in this console" vs "the hub scores". */
  active: (s: ConsoleScorerState): boolean =>
    (s.status === 'ready' || s.status === 'scoring') && s.models.length > 0,
};
