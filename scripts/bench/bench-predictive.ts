import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PREDICTIVE_TARGETS, runPredictiveEval } from '../../src-main/core/predict/eval/predictive-eval';
import { emit, say } from './report';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 2_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const MODELS = resolve(process.env.WATCHFLOOR_MODELS_DIR ?? 'models');

/**
 * The predictive evaluation with its defaults (2,000 devices, 7 simulated days, ~100 failures),
 * the same harness as `watchfloor eval predictive`. The baselines are the targets, so a
 * ratio ≥ 1 meets the target. Preventive share has no target, only the product brief's ~38 %.
 */
export async function benchPredictive(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-bench-predictive-'));
  try {
    let lastDay = -1;
    const result = await runPredictiveEval({
      modelsDir: MODELS,
      devices: DEVICES,
      days: DAYS,
      seed: SEED,
      groundTruthFile: join(dir, 'ground-truth.jsonl'),
      onProgress: (p) => {
        if (Math.floor(p.day) === lastDay && p.fraction < 1) return;
        lastDay = Math.floor(p.day);
        say(
          `predictive: day ${p.day.toFixed(1)}/${p.days} (${Math.round(p.fraction * 100)} %), ${p.messagesPerSecond} msg/s, failures ${p.failures}, preventive tickets ${p.preventiveTickets}`,
        );
      },
    });
    const note = `${result.failures} failures, ${result.truePositives} TP / ${result.falsePositives} FP / ${result.pending} pending, ${result.devices} devices × ${result.days} d, seed ${result.seed}`;
    const figure = (metric: string, value: number | null, unit: string, target: number | null): void => {
      if (value === null) {
        say(`${metric}: no value (${note})`);
        return;
      }
      emit({ bench: 'predictive', metric, value, unit, baseline: target, note });
    };
    figure('predictive_recall', result.recall, 'ratio', PREDICTIVE_TARGETS.recall);
    figure('predictive_precision', result.precision, 'ratio', PREDICTIVE_TARGETS.precision);
    figure('predictive_median_lead_h', result.medianLeadHours, 'h', PREDICTIVE_TARGETS.medianLeadHours);
    figure('predictive_p10_lead_h', result.p10LeadHours, 'h', null);
    figure('predictive_preventive_share', result.preventiveShare, 'ratio', 0.38);
    say(
      `predictive: ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.messages} messages, ${result.cycles} cycles`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
