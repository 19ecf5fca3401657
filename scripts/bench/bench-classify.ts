import { getDefaultClassifier } from '../../src-main/core/classify/classifier';
import { MAX_TEXT_CHARS } from '../../src-main/core/classify/input';
import { tokenize } from '../../src-main/core/classify/tokenizer';
import { emit, percentile, say } from './report';

/**
 * Latency of one classify call in Node (issue 5, item 8: p99 ≤ 5 ms), on the shipped zero-shot
 * default (91 leaves: the widest model the hub runs). Texts are project-written hotline requests from
 * one sentence to a long dictated record and one text of the maximum length. Baseline, measured in the same run on the same texts: the
 * tokenizer alone (the part of the call that no model choice can remove).
 * BENCH_ROUNDS (default 2,000) calls per figure after a warm-up.
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
}
