import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GroundTruth, readGroundTruth } from '../../simulator/ground-truth';
import {
  EvalError,
  evalShares,
  evaluateDataFolder,
  groundTruthOracle,
  runPredictiveEval,
} from './predictive-eval';

const MODELS_DIR = fileURLToPath(new URL('../../../../models/', import.meta.url));
const H = 3_600_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-eval-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evalShares', () => {
  it('spreads onsets over all but the last simulated day', () => {
    expect(evalShares(7)).toEqual({ inProgress: 0.025, upcoming: 0.07, horizonDays: 6 });
    expect(evalShares(1).horizonDays).toBe(1);
  });
});

describe('groundTruthOracle', () => {
  it('says a device degrades from onset until its failure', () => {
    const truth: GroundTruth = {
      header: {
        format: 'watchfloor-simulator-ground-truth',
        version: 1,
        seed: 1,
        speed: 1,
        count: 2,
        simStart: '2026-09-01T00:00:00.000Z',
        intervalSec: 60,
        effectiveIntervalSec: 60,
        kind: 'pv-inverter',
        topicRoot: 'watchfloor/sim',
        degradations: 1,
      },
      entries: [
        {
          sn: 'A',
          mode: 'fan-failure',
          onset: '2026-09-01T10:00:00.000Z',
          failureAt: '2026-09-02T10:00:00.000Z',
        },
      ],
    };
    const o = groundTruthOracle(truth);
    const t = (iso: string) => Date.parse(iso);
    expect(o.degrading('A', t('2026-09-01T09:59:59.000Z'))).toBe(false);
    expect(o.degrading('A', t('2026-09-01T10:00:00.000Z'))).toBe(true);
    expect(o.degrading('A', t('2026-09-02T10:00:00.000Z'))).toBe(false);
    expect(o.degrading('B', t('2026-09-01T12:00:00.000Z'))).toBe(false);
    expect(o.failures).toEqual([
      { sn: 'A', deviceKind: 'pv-inverter', at: t('2026-09-02T10:00:00.000Z'), source: 'ground-truth' },
    ]);
  });
});

describe('runPredictiveEval refuses bad input', () => {
  it.each([
    [{ devices: 0 }, /devices must be an integer/],
    [{ days: 0 }, /days must be a number/],
    [{ seed: -1 }, /seed must be an integer/],
    [{ intervalSec: 1 }, /intervalSec must be an integer/],
    [{ simStart: 'tomorrow' }, /simStart is not an ISO time/],
    [{ days: 1, warmupHours: 30 }, /warmupHours must be a number from 0 to 24/],
  ])('%o', async (bad, message) => {
    await expect(runPredictiveEval({ modelsDir: MODELS_DIR, ...bad })).rejects.toThrow(message);
  });

  it('says so when there is no model to evaluate', async () => {
    const empty = join(dir, 'no-models');
    await rm(empty, { recursive: true, force: true });
    const run = runPredictiveEval({ modelsDir: empty, devices: 5, days: 0.25, warmupHours: 0 });
    await expect(run).rejects.toThrow(EvalError);
    await expect(run).rejects.toThrow(
      /no pv-inverter model in .*no-models: the evaluation would measure rules only/,
    );
  });
});

describe('evaluateDataFolder refuses bad input', () => {
  it('names a ground truth it cannot read', async () => {
    await expect(
      evaluateDataFolder({ dataDir: join(dir, 'none'), groundTruthFile: join(dir, 'missing.jsonl') }),
    ).rejects.toThrow(/cannot read the ground truth/);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"format":"something else"}\n');
    await expect(evaluateDataFolder({ dataDir: join(dir, 'none'), groundTruthFile: bad })).rejects.toThrow(
      /not a watchfloor-simulator-ground-truth/,
    );
  });
});

/*
 * The whole pipeline on a small fleet. Needs the lead's predict service and the trained
 * pv-inverter model in models/; it fails (does not skip) until both exist.
 */
describe('a small evaluation run', () => {
  it('gives a consistent result', { timeout: 60_000 }, async () => {
    const groundTruthFile = join(dir, 'gt.jsonl');
    const simStart = '2026-09-01T00:00:00.000Z';
    const result = await runPredictiveEval({
      modelsDir: MODELS_DIR,
      devices: 60,
      days: 2,
      seed: 3,
      warmupHours: 12,
      groundTruthFile,
      simStart,
      shares: { inProgress: 0.1, upcoming: 0.25, horizonDays: 1.5 },
    });
    const truth = await readGroundTruth(groundTruthFile);
    const start = Date.parse(simStart);
    const end = start + 48 * H;
    const inRun = truth.entries.map((e) => Date.parse(e.failureAt)).filter((t) => t >= start && t <= end);
    expect(inRun.length).toBeGreaterThan(3);
    expect(result.failures).toBe(inRun.filter((t) => t >= start + 12 * H).length);
    expect(result.warmupFailures).toBe(inRun.filter((t) => t < start + 12 * H).length);
    expect(result.tickets).toBeGreaterThanOrEqual(result.preventiveTickets);
    // A fresh folder holds only what the run opened: preventive and fault tickets.
    expect(result.tickets).toBe(result.preventiveTickets + result.reactiveTickets);
    // Every failure without an open preventive ticket got a fault ticket.
    expect(result.reactiveTickets).toBeLessThanOrEqual(inRun.length);
    expect(result.predictedFailures).toBeLessThanOrEqual(result.failures);
    for (const x of [result.recall, result.precision, result.preventiveShare, result.falseAlarmRate])
      if (x !== null) expect(x >= 0 && x <= 1).toBe(true);
    if (result.medianLeadHours !== null)
      expect(result.medianLeadHours).toBeGreaterThanOrEqual(result.p10LeadHours!);
    expect(result.truePositives + result.falsePositives + result.pending).toBe(
      result.report.overall.predictions,
    );
    expect(result.messages).toBeGreaterThan(60 * 2 * 24 * 10);
    expect(result.cycles).toBeGreaterThan(80);
    expect(result.model?.state).toBe('ready');
  });
});
