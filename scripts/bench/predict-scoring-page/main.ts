import type {
  EventName,
  EventPayload,
  MethodName,
  MethodParams,
  MethodResult,
  ScoringJob,
} from '@shared/contract';
import type { ModelManifest } from '@shared/contract/model-manifest';
import type { RpcClient } from '../../../src-renderer/src/rpc/client';
import { createConsoleScorerStore } from '../../../src-renderer/src/stores/scoring/scoring-store';

/**
 * Bench page (scripts/bench/bench-predict-scoring.ts): the console's real scoring store and Web
 * Worker, built like the app and served with the hub's headers, against a stand-in hub that hands
 * out a prepared 10,000-window job. The page records every requestAnimationFrame interval, idle and
 * while cycles are scored, and leaves the results in `window.__bench`.
 */

interface BenchResult {
  idle: number[];
  busy: number[];
  cycles: { ms: number; workerMs: number | null; outputs: Record<string, string> }[];
  error: string | null;
}

const status = document.getElementById('status')!;
const result: BenchResult = { idle: [], busy: [], cycles: [], error: null };
(window as unknown as { __bench: BenchResult | null }).__bench = null;

const listeners = new Map<string, Set<(p: unknown) => void>>();
let jobText: string | null = null;
let armed = false;
let onSubmit: ((outputs: Record<string, string>) => void) | null = null;

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(bin);
}

async function call(method: string): Promise<unknown> {
  const manifest = (await (await fetch('./model/manifest.json')).json()) as ModelManifest;
  switch (method) {
    case 'predict/status':
      return {
        models: [
          { id: manifest.id, version: manifest.version, deviceKind: manifest.deviceKind, state: 'ready' },
        ],
      };
    case 'predict/model': {
      const bytes = new Uint8Array(await (await fetch(`./model/${manifest.file}`)).arrayBuffer());
      return { manifest, model: bytesToBase64(bytes) };
    }
    case 'predict/scoringJob': {
      if (!armed) return null;
      armed = false;
      // As over the WebSocket: the job arrives as text and is parsed on this thread.
      const wire = JSON.parse(jobText!) as { result: ScoringJob };
      return { ...wire.result, deadline: new Date(Date.now() + 60_000).toISOString() };
    }
    case 'predict/submitScores':
      return { accepted: true, reason: null };
    default:
      throw new Error(`bench hub: no ${method}`);
  }
}

const client: RpcClient = {
  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const answer = await call(method);
    if (method === 'predict/submitScores')
      onSubmit?.((params as { outputs: Record<string, string> }).outputs);
    return answer as MethodResult<M>;
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  },
  onState(listener) {
    listener('open');
    return () => undefined;
  },
  close() {},
};

let frames: number[] | null = null;
let last = 0;
function tick(now: number): void {
  if (frames && last > 0) frames.push(now - last);
  last = now;
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);

async function record(ms: number): Promise<number[]> {
  frames = [];
  await new Promise((r) => setTimeout(r, ms));
  const out = frames;
  frames = null;
  return out;
}

async function run(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const cycles = Number(params.get('cycles') ?? 3);
  const idleMs = Number(params.get('idleMs') ?? 5_000);
  jobText = await (await fetch('./job.json')).text();
  const store = createConsoleScorerStore(client, { heartbeatMs: 60_000 });
  store.getState().start();
  const started = performance.now();
  while (store.getState().status !== 'ready') {
    if (store.getState().status === 'error' || store.getState().status === 'unsupported')
      throw new Error(store.getState().error ?? store.getState().status);
    if (performance.now() - started > 60_000) throw new Error('the scorer did not get ready in 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  status.textContent = 'idle';
  result.idle = await record(idleMs);
  const modelId = store.getState().models[0]!.id;
  for (let c = 0; c < cycles; c++) {
    status.textContent = `cycle ${c + 1}`;
    const t0 = performance.now();
    frames = [];
    const outputs = await new Promise<Record<string, string>>((resolve) => {
      onSubmit = resolve;
      armed = true;
      for (const l of listeners.get('predict/cycle') ?? []) l({ cycleId: c + 1, modelId, count: 10_000 });
    });
    const ms = performance.now() - t0;
    result.busy.push(...frames);
    frames = null;
    await new Promise((r) => setTimeout(r, 50));
    result.cycles.push({ ms, workerMs: store.getState().lastWorkerMs, outputs: c === 0 ? outputs : {} });
    await new Promise((r) => setTimeout(r, 500));
  }
  store.getState().stop();
}

run().then(
  () => {
    status.textContent = 'done';
    (window as unknown as { __bench: BenchResult }).__bench = result;
  },
  (err: unknown) => {
    result.error = err instanceof Error ? err.message : String(err);
    status.textContent = `error: ${result.error}`;
    (window as unknown as { __bench: BenchResult }).__bench = result;
  },
);
