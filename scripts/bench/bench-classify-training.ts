import {
  buildSeedClassifier,
  buildSeedClassifierAsync,
} from '../../src-main/shared/domain/classify/classifier';
import {
  type LabelledText,
  runSteps,
  runStepsSliced,
  seededRandom,
} from '../../src-main/shared/domain/classify/linear-model';
import { SEED_EXAMPLES } from '../../src-main/shared/domain/classify/seed-examples';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '../../src-main/shared/domain/taxonomy';
import { type ReportProgress, trainWithReportSteps } from '../../src-main/core/hotline/classifier-training';
import { emit, say } from './report';

/**
 * What training the hotline classifier costs the hub's event loop (issue 5): `hotline/trainClassifier`'s
 * training (`trainWithReport`: 5 cross-validation fits, the fit on all rows, the temperature fit) on
 * BENCH_TRAIN_ROWS (default 5,000) closed tickets over BENCH_TRAIN_CLASSES (default 20) leaf categories,
 * while a setInterval(…, 10) measures the event loop's lag; and the seed model's build at start-up.
 *
 * Three ways to run the same steps, on the same rows:
 * - sliced: what the hub does now (the loop gets a turn every 16 ms of work);
 * - per fit: what the hub did before (a turn between fits, each fit in one go): the baseline of the
 *   longest block;
 * - sync: the whole training in one go (the CLI): the baseline of the total time.
 * The three models are compared weight by weight; the bench fails if they differ.
 *
 * The rows are synthetic: each combines a place, one of the project's seed examples of the leaf (or a
 * sentence made of the leaf's keywords), how long it has been going on and what the caller asks for,
 * with class sizes falling off like a real hotline's (the largest class ~4× the smallest).
 */

const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区'];
const PLACES = ['采荷路', '文三路', '莫干山路', '江南大道', '人民路', '解放东路', '古墩路', '市心中路'];
const SPOTS = ['小区门口', '十字路口', '菜市场旁边', '学校附近', '公交站旁', '3号楼下', '地铁口', '商业街'];
const SINCE = ['已经一个多星期了', '最近几天', '这个月以来', '从上周开始', '好几年了一直这样', '今天早上'];
const REPEAT = ['', '之前打过电话反映过，', '物业说管不了，', '跟社区说了也没用，', '邻居们都很有意见，'];
const ASK = ['请相关部门尽快处理', '希望尽快派人来看看', '请给个答复', '要求查处并反馈结果', '麻烦督促解决'];

export function syntheticRows(count: number, classes: number, seed = 7): LabelledText[] {
  const leaves = taxonomyLeaves(DEFAULT_TAXONOMY).filter((l) => (SEED_EXAMPLES[l.id]?.length ?? 0) > 0);
  // Spread over the taxonomy rather than the first branch.
  const step = Math.max(1, Math.floor(leaves.length / classes));
  const chosen = Array.from({ length: classes }, (_, i) => leaves[(i * step) % leaves.length]!);
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const weights = chosen.map((_, i) => 1 / (1 + 0.15 * i));
  const sum = weights.reduce((a, b) => a + b, 0);
  const rows: LabelledText[] = [];
  chosen.forEach((leaf, i) => {
    const n = i === chosen.length - 1 ? count - rows.length : Math.round((count * weights[i]!) / sum);
    const examples = SEED_EXAMPLES[leaf.id]!;
    for (let r = 0; r < n; r++) {
      const core =
        rand() < 0.6
          ? pick(examples)
          : `${pick(leaf.keywords)}的问题${pick(SINCE)}，${pick(leaf.keywords)}，${leaf.names[2]}`;
      const text =
        `${pick(DISTRICTS)}${pick(PLACES)}${pick(SPOTS)}，${core}，${pick(SINCE)}，` +
        `${pick(REPEAT)}${pick(ASK)}。`;
      rows.push({ text, label: leaf.path });
    }
  });
  return rows;
}

/**
 * Gaps between the ticks of a 10 ms interval, minus the 10 ms: how long the loop was kept busy (the
 * longest, and how many were over 50 ms).
 */
function lagMonitor(): { stop: () => { max: number; over50: number } } {
  let last = performance.now();
  let max = 0;
  let over50 = 0;
  const note = (t: number): void => {
    const lag = t - last - 10;
    max = Math.max(max, lag);
    if (lag > 50) over50++;
  };
  const timer = setInterval(() => {
    const t = performance.now();
    note(t);
    last = t;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      // The stretch since the last tick counts too (a run that blocks to its end has no tick at all).
      note(performance.now());
      return { max: Math.max(0, max), over50 };
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function measure<T>(
  run: () => Promise<T>,
): Promise<{ value: T; ms: number; maxLag: number; over50: number }> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const monitor = lagMonitor();
  const t0 = performance.now();
  const value = await run();
  const ms = performance.now() - t0;
  const { max, over50 } = monitor.stop();
  return { value, ms, maxLag: max, over50 };
}

/** Drives the steps giving the loop a turn only when a fit ends (the hub before slicing). */
async function perFit<T>(steps: Generator<ReportProgress, T, void>): Promise<T> {
  let at = '';
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const where = `${r.value.phase}:${r.value.fold}`;
    if (where !== at) {
      at = where;
      await tick();
    }
  }
}

function sameWeights(
  a: { weights: Float32Array; bias: Float32Array; temperature: number },
  b: typeof a,
): boolean {
  if (a.temperature !== b.temperature || a.weights.length !== b.weights.length) return false;
  for (let i = 0; i < a.weights.length; i++) if (a.weights[i] !== b.weights[i]) return false;
  for (let i = 0; i < a.bias.length; i++) if (a.bias[i] !== b.bias[i]) return false;
  return true;
}

export async function benchClassifyTraining(): Promise<void> {
  const count = Number(process.env.BENCH_TRAIN_ROWS ?? 5_000);
  const classes = Number(process.env.BENCH_TRAIN_CLASSES ?? 20);
  const folds = 5;
  const rows = syntheticRows(count, classes);
  const options = { folds, taxonomy: DEFAULT_TAXONOMY, now: () => new Date(0) };
  const name = 'classify-training';

  say(`${name}: seed model build (sync, then sliced)`);
  const seedSync = await measure(async () => buildSeedClassifier());
  let seedSlices = 0;
  const seedSliced = await measure(() =>
    buildSeedClassifierAsync(undefined, undefined, undefined, { onProgress: () => void seedSlices++ }),
  );
  if (!sameWeights(seedSync.value.model, seedSliced.value.model))
    throw new Error('the sliced seed build differs from the synchronous one');
  emit({
    bench: name,
    metric: 'seed_build_longest_block_ms',
    value: seedSliced.maxLag,
    unit: 'ms',
    baseline: seedSync.maxLag,
    note: `sliced build (${seedSlices + 1} slices) vs one synchronous build (the hub before)`,
  });
  emit({
    bench: name,
    metric: 'seed_build_total_ms',
    value: seedSliced.ms,
    unit: 'ms',
    baseline: seedSync.ms,
  });

  say(`${name}: ${rows.length} rows over ${classes} classes, ${folds} folds — sync`);
  const sync = await measure(async () => runSteps(trainWithReportSteps(rows, options)));
  say(`${name}: per fit (a turn of the loop between fits)`);
  const fit = await measure(() => perFit(trainWithReportSteps(rows, options)));
  say(`${name}: sliced (16 ms)`);
  let slices = 0;
  const sliced = await measure(() =>
    runStepsSliced(trainWithReportSteps(rows, options), { onProgress: () => void slices++ }),
  );
  const m = sync.value.classifier.model;
  if (!sameWeights(m, fit.value.classifier.model) || !sameWeights(m, sliced.value.classifier.model))
    throw new Error('the sliced training differs from the synchronous one');
  const note = `${rows.length} rows, ${classes} classes, ${folds} folds, ${m.features.length} features, accuracy ${sliced.value.report.accuracy.toFixed(3)}`;
  emit({
    bench: name,
    metric: 'train_longest_block_ms',
    value: sliced.maxLag,
    unit: 'ms',
    baseline: fit.maxLag,
    note: `sliced vs a turn between fits (the hub before); ${note}`,
  });
  emit({
    bench: name,
    metric: 'train_total_ms',
    value: sliced.ms,
    unit: 'ms',
    baseline: sync.ms,
    note: `sliced (${slices + 1} slices) vs one synchronous run`,
  });
  emit({
    bench: name,
    metric: 'train_blocks_over_50ms',
    value: sliced.over50,
    unit: 'count',
    baseline: fit.over50,
    note: 'turns of the 10 ms interval that came more than 50 ms late',
  });
  emit({ bench: name, metric: 'train_total_ms_per_fit_yield', value: fit.ms, unit: 'ms', baseline: sync.ms });
}
