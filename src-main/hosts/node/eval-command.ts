import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type DataFolderEvalResult,
  PREDICTIVE_TARGETS,
  type PredictiveEvalProgress,
  type PredictiveEvalResult,
  evaluateDataFolder,
  runPredictiveEval,
} from '../../core/predict/eval/predictive-eval';
import { stderrLogger } from '../../core/ports';
import { MAX_FLEET_SIZE } from '../../core/simulator/fleet';
import { decimal, integer, isoTimeMs } from './cli-args';
import { defaultModelsDir } from './paths';

/**
 * `watchfloor eval predictive`: the predictive evaluation from the command line. With `--json`
 * stdout carries exactly one JSON object (the keys first); progress always goes to stderr.
 */

export interface EvalCommandOptions {
  /** stdout; tests capture it. */
  write?: (text: string) => void;
  /** stderr (progress). */
  progress?: (text: string) => void;
}

interface EvalFlags {
  groundTruth: string;
  devices: number;
  days: number;
  seed: number;
  interval: number;
  warmup: number;
  minLead: number;
  speed?: number;
  simStart?: string;
  models?: string;
  data?: string;
  until?: string;
  json: boolean;
}

const isoTime = (raw: string): string => new Date(isoTimeMs(raw, '2026-09-01T00:00:00Z')).toISOString();

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const hours = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} h`);
const mark = (ok: boolean | null): string => (ok === null ? '' : ok ? '  ✓' : '  ✗ below target');

/** The keys first, in its order; the rest after. */
function ordered(r: PredictiveEvalResult | DataFolderEvalResult): Record<string, unknown> {
  const {
    recall,
    precision,
    medianLeadHours,
    p10LeadHours,
    preventiveShare,
    failures,
    tickets,
    report,
    ...rest
  } = r;
  return {
    recall,
    precision,
    medianLeadHours,
    p10LeadHours,
    preventiveShare,
    failures,
    tickets,
    ...rest,
    byKind: report.byKind,
    byModel: report.byModel,
    leadHours: report.leadHours,
    daily: report.daily,
    items: report.items,
  };
}

function text(r: PredictiveEvalResult | DataFolderEvalResult): string {
  const t = PREDICTIVE_TARGETS;
  const ge = (x: number | null, target: number): boolean | null => (x === null ? null : x >= target);
  const lines = [
    `Predictive evaluation: ${r.devices.toLocaleString('en-US')} devices, ${r.simStart} → ${r.simEnd} (telemetry time)`,
    `  failures after the ${r.warmupHours} h warm-up: ${r.failures} (in the warm-up: ${r.warmupFailures}; planned after the end: ${r.laterFailures})`,
    `  recall (ticket ≥ ${r.minLeadHours} h ahead): ${pct(r.recall)}  (${r.predictedFailures}/${r.failures}; target ${pct(t.recall)})${mark(ge(r.recall, t.recall))}`,
    `  precision: ${pct(r.precision)}  (TP ${r.truePositives}, FP ${r.falsePositives}, pending ${r.pending}; target ${pct(t.precision)})${mark(ge(r.precision, t.precision))}`,
    `  false-alarm rate (false discovery rate): ${pct(r.falseAlarmRate)}`,
    `  lead time: median ${hours(r.medianLeadHours)} (target ${t.medianLeadHours} h)${mark(ge(r.medianLeadHours, t.medianLeadHours))}, p10 ${hours(r.p10LeadHours)}`,
    `  preventive share: ${pct(r.preventiveShare)}  (${r.preventiveTickets} preventive, ${r.reactiveTickets} fault tickets, ${r.tickets} in all)`,
  ];
  if ('elapsedMs' in r)
    lines.push(
      `  run: ${r.messages.toLocaleString('en-US')} messages, ${r.cycles} prediction cycles, model ${r.model?.id ?? '?'} ${r.model?.version ?? ''}, ${(r.elapsedMs / 1000).toFixed(1)} s`,
    );
  if (r.groundTruthFile) lines.push(`  ground truth: ${r.groundTruthFile}`);
  return lines.join('\n') + '\n';
}

async function run(flags: EvalFlags, options: EvalCommandOptions): Promise<void> {
  const write = options.write ?? ((s: string) => void process.stdout.write(s));
  const progress = options.progress ?? ((s: string) => void process.stderr.write(s));
  const groundTruthFile = resolve(flags.groundTruth);
  let result: PredictiveEvalResult | DataFolderEvalResult;
  if (flags.data) {
    const dataDir = resolve(flags.data);
    if (!existsSync(dataDir)) throw new Error(`the data folder ${dataDir} does not exist`);
    if (!existsSync(groundTruthFile))
      throw new Error(
        `--data needs the ground truth of the run that fed it; ${groundTruthFile} does not exist`,
      );
    progress(`Evaluating the preventive tickets in ${dataDir} against ${groundTruthFile}\n`);
    result = await evaluateDataFolder({
      dataDir,
      groundTruthFile,
      warmupHours: flags.warmup,
      minLeadHours: flags.minLead,
      until: flags.until,
      logger: stderrLogger,
    });
  } else {
    let lastDay = -1;
    let lastAt = 0;
    const onProgress = (p: PredictiveEvalProgress): void => {
      const now = Date.now();
      if (Math.floor(p.day) === lastDay && now - lastAt < 5_000 && p.fraction < 1) return;
      lastDay = Math.floor(p.day);
      lastAt = now;
      progress(
        `[eval] day ${p.day.toFixed(2)}/${p.days} (${Math.round(p.fraction * 100)} %)  sim ${p.simTime.slice(0, 16)}Z  ${p.messagesPerSecond.toLocaleString('en-US')} msg/s  failures ${p.failures}  preventive tickets ${p.preventiveTickets}\n`,
      );
    };
    const modelsDir = flags.models ? resolve(flags.models) : (defaultModelsDir() ?? resolve('models'));
    progress(
      `Predictive evaluation: ${flags.devices} devices, ${flags.days} simulated days, seed ${flags.seed}, models ${modelsDir}\n`,
    );
    result = await runPredictiveEval({
      modelsDir,
      devices: flags.devices,
      days: flags.days,
      seed: flags.seed,
      groundTruthFile,
      intervalSec: flags.interval,
      warmupHours: flags.warmup,
      minLeadHours: flags.minLead,
      ...(flags.speed !== undefined && { speed: flags.speed }),
      ...(flags.simStart !== undefined && { simStart: flags.simStart }),
      onProgress,
      logger: stderrLogger,
    });
  }
  if (flags.json) write(JSON.stringify(ordered(result)) + '\n');
  else write(text(result));
}

/** Adds `watchfloor eval predictive` to the hub CLI. */
export function registerEvalCommand(program: Command, options: EvalCommandOptions = {}): Command {
  const evalCmd = program.command('eval').description('Measure how well Watchfloor predicts');
  evalCmd
    .command('predictive')
    .description(
      'Run the fleet simulator time-compressed through the real ingest and prediction pipeline and score the preventive tickets against its ground truth: recall (ticket at least 4 h ahead), precision, lead time, preventive share',
    )
    .requiredOption(
      '--ground-truth <file>',
      'where to write the ground truth (with --data: the file to read)',
    )
    .addOption(
      new Option('--devices <n>', `PV inverters, 1 to ${MAX_FLEET_SIZE}`)
        .argParser(integer(1, MAX_FLEET_SIZE))
        .default(2_000),
    )
    .addOption(new Option('--days <n>', 'simulated days').argParser(decimal(0.25, 60)).default(7))
    .addOption(
      new Option('--seed <n>', 'seed of fleet, weather and failures')
        .argParser(integer(0, 2 ** 31 - 1))
        .default(1),
    )
    .addOption(
      new Option('--interval <sec>', 'simulated seconds between two samples of a device')
        .argParser(integer(10, 3_600))
        .default(300),
    )
    .addOption(
      new Option('--warmup <hours>', 'failures this early are reported but not in recall (no history yet)')
        .argParser(decimal(0, 24 * 60))
        .default(24),
    )
    .addOption(
      new Option(
        '--min-lead <hours>',
        'a failure counts as predicted when its ticket opened this long before',
      )
        .argParser(decimal(0, 168))
        .default(4),
    )
    .addOption(
      new Option(
        '--speed <x>',
        'at most this many simulated seconds per real second (default: as fast as it runs)',
      ).argParser(decimal(1, 10_000_000)),
    )
    .addOption(
      new Option('--sim-start <iso>', 'simulated start (default 2026-09-01T00:00:00Z)').argParser(isoTime),
    )
    .option('--models <dir>', 'folder of the health models (default: env WATCHFLOOR_MODELS_DIR or ./models)')
    .option(
      '--data <folder>',
      "evaluate this data folder's preventive tickets instead of simulating (e.g. a demo session)",
    )
    .addOption(
      new Option(
        '--until <iso>',
        'with --data: end of the evaluated period (default: the latest telemetry time in the folder)',
      ).argParser(isoTime),
    )
    .option(
      '--json',
      'print one JSON object (recall, precision, medianLeadHours, p10LeadHours, preventiveShare, failures, tickets, …)',
      false,
    )
    .addHelpText(
      'after',
      `
Definitions: docs/predictive-eval.md. Targets: recall ≥ 0.85, precision ≥ 0.80, median lead ≥ 6 h.

Examples:
  watchfloor eval predictive --ground-truth /tmp/gt.jsonl --json
  watchfloor eval predictive --ground-truth /tmp/gt.jsonl --devices 200 --days 2
  watchfloor eval predictive --data ~/.local/share/watchfloor/default --ground-truth ~/.local/share/watchfloor/default/simulator-ground-truth.jsonl`,
    )
    .action((flags: EvalFlags) => run(flags, options));
  return evalCmd;
}
