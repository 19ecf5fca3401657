import { LocalClassifier } from '../../../src-renderer/src/workers/classify-client';

/**
 * Bench page (scripts/bench/bench-classify.ts): the console's real classify client and Web Worker,
 * built like the app and served with the hub's headers. It waits for the worker's seed classifier,
 * warms up, then classifies the bench texts one call at a time and leaves the timings in
 * `window.__bench`: the round trip the hotline store waits for (post → answer on the UI thread) and
 * the worker's own time per call.
 */

interface PageResult {
  buildMs: number | null;
  roundTrip: number[];
  worker: number[];
  leaves: string[];
  error: string | null;
}

const status = document.getElementById('status')!;
(window as unknown as { __bench: PageResult | null }).__bench = null;

const DOUBLE_DISPATCH_BELOW = 0.45;

async function run(): Promise<PageResult> {
  const params = new URLSearchParams(location.search);
  const rounds = Number(params.get('rounds') ?? 2_000);
  const warmUp = Number(params.get('warmUp') ?? 300);
  const texts = (await (await fetch('./texts.json')).json()) as string[];
  let local: LocalClassifier | null = null;
  await new Promise<void>((resolve, reject) => {
    local = new LocalClassifier({
      timeoutMs: 10_000,
      onStatus: (s, error) => {
        if (s === 'ready') resolve();
        else if (s === 'failed' || s === 'unsupported') reject(new Error(error ?? `the worker is ${s}`));
      },
    });
    local.start();
  });
  const worker = local!;
  status.textContent = 'warming up';
  for (let i = 0; i < warmUp; i++) await worker.classify(texts[i % texts.length]!, DOUBLE_DISPATCH_BELOW);
  status.textContent = 'measuring';
  const out: PageResult = { buildMs: worker.buildMs, roundTrip: [], worker: [], leaves: [], error: null };
  for (let r = 0; r < rounds; r++) {
    const text = texts[r % texts.length]!;
    const t0 = performance.now();
    const answer = await worker.classify(text, DOUBLE_DISPATCH_BELOW);
    out.roundTrip.push(performance.now() - t0);
    out.worker.push(answer.ms);
    if (r < texts.length) out.leaves.push(answer.suggestion.category);
  }
  worker.stop();
  return out;
}

run().then(
  (r) => {
    status.textContent = 'done';
    (window as unknown as { __bench: PageResult }).__bench = r;
  },
  (err: unknown) => {
    status.textContent = 'failed';
    (window as unknown as { __bench: PageResult }).__bench = {
      buildMs: null,
      roundTrip: [],
      worker: [],
      leaves: [],
      error: err instanceof Error ? err.message : String(err),
    };
  },
);
