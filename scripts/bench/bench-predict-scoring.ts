import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { normalise, windowSize } from '../../src-main/shared/domain/model-math';
import { loadModel, type LoadedModel } from '../../src-main/core/predict/manifest';
import { createNodeScorer } from '../../src-main/core/predict/scorer';
import { ScoringCoordinator } from '../../src-main/core/predict/scoring-coordinator';
import { METRICS } from '../../src-main/core/simulator/model';
import { createStaticHandler } from '../../src-main/hosts/node/static-files';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium';
import { repoRoot } from './hub-process';
import { emit, percentile, say } from './report';

/**
 * Scoring throughput of the health model (issue 4, item 9: 10,000 device windows per cycle in
 * ≤ 1 s in Node, and the console stays responsive while its worker scores).
 *
 * Node: the hub's scorer (onnxruntime-web wasm, one thread, chunks of 256) on 10,000 windows, median
 * of BENCH_ROUNDS (default 5) after a warm-up. Baseline: the same ONNX file in onnxruntime-node
 * (native CPU, one intra-op thread, same chunks and the same normalised input) when it can be
 * loaded — `npm i -D onnxruntime-node` with `onnxruntime-node-install=skip` in .npmrc, or
 * BENCH_ORT_NODE=<package folder> — else no baseline and a note saying so.
 *
 * Chromium: the console's real scoring store and Web Worker, built by Vite like the app and served
 * with the hub's own static handler (CSP, COOP/COEP), scoring 10,000-window jobs handed out by a
 * stand-in hub; requestAnimationFrame intervals while cycles run vs the same page idle. The first
 * cycle's outputs are compared with the Node scorer's for the same windows.
 *
 * Model: models/pv-inverter-lstm, else the tiny test fixture (BENCH_MODEL_DIR overrides).
 */

const COUNT = 10_000;

function modelDir(): string {
  if (process.env.BENCH_MODEL_DIR) return process.env.BENCH_MODEL_DIR;
  const shipped = join(repoRoot, 'models', 'pv-inverter-lstm');
  return existsSync(join(shipped, 'manifest.json'))
    ? shipped
    : join(repoRoot, 'tests', 'fixtures', 'models', 'tiny-lstm');
}

/** Deterministic raw windows around the manifest's normal, a tenth of them drifting upwards. */
function syntheticWindows(model: LoadedModel, count: number): Float32Array {
  const m = model.manifest;
  const width = m.features.length;
  const steps = m.window.steps;
  const out = new Float32Array(count * steps * width);
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  for (let w = 0; w < count; w++) {
    const drift = w % 10 === 3 ? 3 : 0;
    for (let s = 0; s < steps; s++)
      for (let f = 0; f < width; f++) {
        const i = (w * steps + s) * width + f;
        out[i] = m.normalisation.mean[f]! + m.normalisation.std[f]! * (rand() + (drift * s) / steps);
      }
  }
  return out;
}

/**
 * Median-worthy timings of several contenders, warmed up first and then interleaved round by round,
 * so a machine that gets busier (or a JIT that warms up) during the run favours none of them.
 */
async function timeInterleaved(rounds: number, contenders: (() => Promise<unknown>)[]): Promise<number[][]> {
  for (const fn of contenders) await fn();
  const times = contenders.map((): number[] => []);
  for (let r = 0; r < rounds; r++)
    for (let c = 0; c < contenders.length; c++) {
      const t0 = performance.now();
      await contenders[c]!();
      times[c]!.push(performance.now() - t0);
    }
  return times;
}

interface OrtNodeLike {
  InferenceSession: {
    create(
      bytes: Uint8Array,
      opts: object,
    ): Promise<{ run(feeds: object): Promise<Record<string, unknown>>; release(): Promise<void> }>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => object;
}

function loadOrtNode(): { ort: OrtNodeLike; from: string } | null {
  const req = createRequire(import.meta.url);
  const target = process.env.BENCH_ORT_NODE ?? 'onnxruntime-node';
  try {
    return { ort: req(target) as OrtNodeLike, from: target };
  } catch {
    return null;
  }
}

async function benchNode(model: LoadedModel, windows: Float32Array, rounds: number) {
  const m = model.manifest;
  const scorer = await createNodeScorer(model);
  const big = await createNodeScorer(model, { chunk: 1024 });
  const reference = await scorer.score(windows, COUNT);
  const contenders: (() => Promise<unknown>)[] = [
    () => scorer.score(windows, COUNT),
    () => big.score(windows, COUNT),
  ];
  let nativeNote =
    'onnxruntime-node is not installed (BENCH_ORT_NODE=<package folder> to point at one): no baseline';
  const ortNode = loadOrtNode();
  let release = async (): Promise<void> => undefined;
  if (ortNode) {
    const { ort } = ortNode;
    const session = await ort.InferenceSession.create(model.bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    release = () => session.release();
    const size = windowSize(m);
    const chunk = 256;
    const buf = new Float32Array(chunk * size);
    contenders.push(async () => {
      // The same work as the wasm scorer: normalise each chunk, run it.
      for (let first = 0; first < COUNT; first += chunk) {
        const n = Math.min(chunk, COUNT - first);
        const input = buf.subarray(0, n * size);
        normalise(windows, first, n, m, null, input);
        await session.run({
          [m.input.name]: new ort.Tensor('float32', input, [n, m.window.steps, m.features.length]),
        });
      }
    });
    nativeNote = `baseline: onnxruntime-node (native CPU, 1 thread, same chunks of 256) from ${ortNode.from}`;
  }
  const [wasm, wasm1024, native] = await timeInterleaved(rounds, contenders);
  await scorer.close();
  await big.close();
  await release();
  return { wasm: wasm!, wasm1024: wasm1024!, native: native ?? null, nativeNote, reference };
}

async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(repoRoot, 'scripts', 'bench', 'predict-scoring-page'),
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@shared': join(repoRoot, 'src-main', 'shared') } },
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1 << 20, reportCompressedSize: false },
  });
}

interface PageResult {
  idle: number[];
  busy: number[];
  cycles: { ms: number; workerMs: number | null; outputs: Record<string, string> }[];
  error: string | null;
}

async function benchChromium(
  model: LoadedModel,
  windows: Float32Array,
  reference: Record<string, Float32Array>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-scoring-'));
  const server = createServer(createStaticHandler(dir));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    say('predict-scoring: building the console scorer page (Vite)');
    await buildPage(dir);
    mkdirSync(join(dir, 'model'));
    cpSync(join(model.dir, 'manifest.json'), join(dir, 'model', 'manifest.json'));
    cpSync(join(model.dir, model.manifest.file), join(dir, 'model', model.manifest.file));
    // The job exactly as the hub's coordinator publishes it, wrapped like an RPC reply.
    const coordinator = new ScoringCoordinator({
      manifest: model.manifest,
      node: () => Promise.reject(new Error('not used')),
      onJob: () => undefined,
      deadlineMs: 60_000,
    });
    coordinator.attach();
    const pending = coordinator.score(1, windows, COUNT).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    const job = coordinator.job();
    if (!job) throw new Error('the coordinator published no job');
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ id: 1, result: job }));
    coordinator.close();
    await pending;

    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    const cycles = Number(process.env.BENCH_ROUNDS ?? 5);
    await page.goto(`http://127.0.0.1:${port}/index.html?cycles=${cycles}&idleMs=5000`);
    say(`predict-scoring: Chromium scoring ${cycles} cycles of ${COUNT} windows in the worker`);
    // A function, not a string: the page's CSP (the app's) forbids string evaluation.
    await page.waitForFunction(() => (window as unknown as { __bench: unknown }).__bench !== null, null, {
      timeout: 300_000,
      polling: 500,
    });
    const r = await page.evaluate(() => (window as unknown as { __bench: PageResult }).__bench);
    if (r.error) throw new Error(`bench page: ${r.error}${errors.length ? ` (${errors.join('; ')})` : ''}`);
    let worst = 0;
    for (const [name, b64] of Object.entries(r.cycles[0]!.outputs)) {
      const got = new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
      const want = reference[name]!;
      if (got.length !== want.length)
        throw new Error(`output ${name}: ${got.length} values from Chromium, ${want.length} from Node`);
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    }
    return { ...r, worst };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPredictScoring(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = modelDir();
  const model = await loadModel(dir, (kind) => (kind === 'pv-inverter' ? METRICS : null));
  const windows = syntheticWindows(model, COUNT);
  const which = `model ${model.manifest.id} ${model.manifest.version} (${model.manifest.bytes} bytes)`;
  say(`predict-scoring: ${which}, ${COUNT} windows, ${rounds} rounds`);

  const node = await benchNode(model, windows, rounds);
  const wasmMs = percentile(node.wasm, 50);
  const nativeMs = node.native ? percentile(node.native, 50) : null;
  emit({
    bench: 'predict-scoring',
    metric: 'scoring_cycle_ms_10k',
    value: wasmMs,
    unit: 'ms',
    baseline: nativeMs,
    note: `Node, onnxruntime-web wasm 1 thread, chunks of 256; target ≤ 1000 ms; ${which}; max ${Math.max(...node.wasm).toFixed(0)} ms; ${node.nativeNote}`,
  });
  emit({
    bench: 'predict-scoring',
    metric: 'scoring_windows_per_s',
    value: COUNT / (wasmMs / 1000),
    unit: 'windows/s',
    baseline: nativeMs ? COUNT / (nativeMs / 1000) : null,
    note: node.nativeNote,
  });
  emit({
    bench: 'predict-scoring',
    metric: 'scoring_cycle_ms_10k_chunk1024',
    value: percentile(node.wasm1024, 50),
    unit: 'ms',
    baseline: wasmMs,
    note: 'the same scorer with runs of 1024 windows; baseline: runs of 256 (the default)',
  });

  const page = await benchChromium(model, windows, node.reference.outputs);
  const idleP95 = percentile(page.idle, 95);
  const busyP95 = percentile(page.busy, 95);
  emit({
    bench: 'predict-scoring',
    metric: 'console_scoring_cycle_ms_10k',
    value: percentile(
      page.cycles.map((c) => c.ms),
      50,
    ),
    unit: 'ms',
    baseline: wasmMs,
    note: `Chromium: job parse on the UI thread + worker decode/score/encode + submit; worker part median ${percentile(
      page.cycles.map((c) => c.workerMs ?? NaN),
      50,
    ).toFixed(0)} ms; baseline: the Node scorer; max |Δ| vs Node outputs ${page.worst.toExponential(2)}`,
  });
  emit({
    bench: 'predict-scoring',
    metric: 'console_frame_p95_ms_while_scoring',
    value: busyP95,
    unit: 'ms',
    baseline: idleP95,
    note: `rAF intervals: ${page.busy.length} frames while scoring (median ${percentile(page.busy, 50).toFixed(1)} ms, max ${Math.max(...page.busy).toFixed(0)} ms) vs ${page.idle.length} idle frames (p95 ${idleP95.toFixed(1)} ms) of the same page`,
  });
}
