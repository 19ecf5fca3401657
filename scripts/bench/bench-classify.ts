import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { getDefaultClassifier } from '../../src-main/shared/domain/classify/classifier';
import { MAX_TEXT_CHARS } from '../../src-main/shared/domain/classify/input';
import { tokenize } from '../../src-main/shared/domain/classify/tokenizer';
import { createStaticHandler } from '../../src-main/hosts/node/static-files';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/helpers/chromium';
import { repoRoot } from './hub-process';
import { emit, percentile, say } from './report';

/**
 * Latency of one classify call in Node (issue 5, item 8: p99 ≤ 5 ms), on the shipped zero-shot
 * default (91 leaves: the widest model the hub runs). Texts are project-written hotline requests from
 * one sentence to a long dictated record and one text of the maximum length. Baseline, measured in the same run on the same texts: the
 * tokenizer alone (the part of the call that no model choice can remove).
 * BENCH_ROUNDS (default 2,000) calls per figure after a warm-up.
 *
 * Browser: the console's classify Web Worker (src-renderer/src/workers/classify.worker.ts) with its
 * real client, built by Vite like the app and served by the hub's static handler, in Debian's
 * Chromium (scripts/bench/classify-page). The figure is the round trip the hotline store waits for
 * (post → answer on the UI thread), one call at a time on the same texts; baseline: the Node figure of
 * the same run. BENCH_BROWSER=0 skips it.
 */

const SENTENCES = [
  '楼下广场舞音响太吵，晚上十点还在放',
  '小区门口的路灯坏了一个多月，晚上走路很不安全，请尽快维修',
  '公司已经三个月没有发工资了，老板说资金困难让我们等，我们工人生活都成问题',
  '学校强制学生订购教辅资料，每学期额外收费一百多元，家长意见很大',
  '附近化工厂每天晚上排放刺鼻废气，窗户都不敢开，老人孩子咳嗽不止，多次向环保部门反映没有结果',
  '公交线路调整以后我们小区附近没有站台了，老年人去医院要走两公里，希望恢复原来的线路',
];

function texts(): string[] {
  const out: string[] = [...SENTENCES];
  // Long records: several sentences of one call, up to about 1,000 characters.
  for (let n = 2; n <= 24; n *= 2)
    out.push(Array.from({ length: n }, (_, i) => SENTENCES[i % SENTENCES.length]).join('。'));
  // The longest text classify accepts (MAX_TEXT_CHARS), the worst case of one call.
  out.push(out[out.length - 1]!.repeat(20).slice(0, MAX_TEXT_CHARS));
  return out;
}

function timeCalls(fn: (text: string) => unknown, inputs: string[], rounds: number): number[] {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const text = inputs[r % inputs.length]!;
    const t0 = performance.now();
    fn(text);
    times.push(performance.now() - t0);
  }
  return times;
}

interface PageResult {
  buildMs: number | null;
  roundTrip: number[];
  worker: number[];
  leaves: string[];
  error: string | null;
}

async function benchBrowser(inputs: string[], rounds: number): Promise<PageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-classify-'));
  const server = createServer(createStaticHandler(dir));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    say('classify: building the console classify worker page (Vite)');
    await build({
      configFile: false,
      root: join(repoRoot, 'scripts', 'bench', 'classify-page'),
      base: './',
      logLevel: 'warn',
      resolve: { alias: { '@shared': join(repoRoot, 'src-main', 'shared') } },
      worker: { format: 'es' },
      build: { outDir: dir, emptyOutDir: true, chunkSizeWarningLimit: 1 << 20, reportCompressedSize: false },
    });
    writeFileSync(join(dir, 'texts.json'), JSON.stringify(inputs));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${port}/index.html?rounds=${rounds}&warmUp=300`);
    say(`classify: Chromium, ${rounds} calls through the worker`);
    // A function, not a string: the page's CSP (the app's) forbids string evaluation.
    await page.waitForFunction(() => (window as unknown as { __bench: unknown }).__bench !== null, null, {
      timeout: 300_000,
      polling: 250,
    });
    const r = await page.evaluate(() => (window as unknown as { __bench: PageResult }).__bench);
    if (r.error) throw new Error(`bench page: ${r.error}${errors.length ? ` (${errors.join('; ')})` : ''}`);
    return r;
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchClassify(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2_000);
  let t0 = performance.now();
  const classifier = getDefaultClassifier();
  say(
    `zero-shot default built in ${(performance.now() - t0).toFixed(0)} ms (${classifier.model.classes.length} leaves, ${classifier.model.features.length} features)`,
  );
  const inputs = texts();
  say(
    `${inputs.length} texts of ${Math.min(...inputs.map((t) => t.length))}–${Math.max(...inputs.map((t) => t.length))} characters, ${rounds} calls each figure`,
  );
  // Warm-up, then interleave in blocks so neither side gets a quieter machine.
  timeCalls((t) => classifier.classify(t), inputs, 300);
  timeCalls((t) => tokenize(t), inputs, 300);
  const classify: number[] = [];
  const baseline: number[] = [];
  const block = 100;
  t0 = performance.now();
  for (let done = 0; done < rounds; done += block) {
    classify.push(...timeCalls((t) => classifier.classify(t), inputs, block));
    baseline.push(...timeCalls((t) => tokenize(t), inputs, block));
  }
  say(`measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const note = 'baseline: the tokenizer alone on the same texts';
  emit({
    bench: 'classify',
    metric: 'classify_p50_ms_node',
    value: percentile(classify, 50),
    unit: 'ms',
    baseline: percentile(baseline, 50),
    note,
  });
  emit({
    bench: 'classify',
    metric: 'classify_p99_ms_node',
    value: percentile(classify, 99),
    unit: 'ms',
    baseline: percentile(baseline, 99),
    note,
  });

  if (process.env.BENCH_BROWSER === '0') {
    say('classify: BENCH_BROWSER=0, no browser figure');
    return;
  }
  if (!existsSync(CHROMIUM_PATH)) {
    say(`classify: no Chromium at ${CHROMIUM_PATH} (CHROMIUM_PATH), no browser figure`);
    return;
  }
  const page = await benchBrowser(inputs, rounds);
  const expected = inputs.map((t) => classifier.classify(t).category);
  const differ = page.leaves.filter((c, i) => c !== expected[i]).length;
  if (differ > 0)
    throw new Error(`the worker chose another category than Node for ${differ} of ${inputs.length} texts`);
  const nodeP50 = percentile(classify, 50);
  const nodeP99 = percentile(classify, 99);
  const browserNote = `the console's classify worker in Chromium, round trip as the store sees it (worker alone: p50 ${percentile(page.worker, 50).toFixed(3)} ms, p99 ${percentile(page.worker, 99).toFixed(3)} ms; built in ${(page.buildMs ?? NaN).toFixed(0)} ms in the worker); baseline: classify_p*_ms_node of this run; same categories as Node on all ${inputs.length} texts`;
  emit({
    bench: 'classify',
    metric: 'classify_p50_ms_browser',
    value: percentile(page.roundTrip, 50),
    unit: 'ms',
    baseline: nodeP50,
    note: browserNote,
  });
  emit({
    bench: 'classify',
    metric: 'classify_p99_ms_browser',
    value: percentile(page.roundTrip, 99),
    unit: 'ms',
    baseline: nodeP99,
    note: browserNote,
  });
}
