import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TAXONOMY } from '@shared/domain/taxonomy';
import {
  getDefaultClassifier,
  trainClassifier,
  type TextClassifier,
} from '@shared/domain/classify/classifier';
import { crossValidate, type EvaluationReport } from '@shared/domain/classify/evaluate';
import { ClassifyInputError } from '@shared/domain/classify/input';
import { readClassifierFile, readTextFile, writeClassifierFile } from '../../core/classify/model-file';
import { prepareTrainingRows } from '@shared/domain/classify/training-csv';
import { defaultMatrixRows, resolveMatrix } from '../../core/hotline/matrix';
import { integer } from './cli-args';

const DEFAULT_ROWS = defaultMatrixRows();

/**
 * `watchfloor classify --json` and `watchfloor classifier train --from <csv>`.
 *
 * classify: JSON lines in ({"text": "..."}), JSON lines out, one per input line in order:
 *   {"category":"<l1>/<l2>/<l3>","confidence":0.93,"department":"dept-env","departments":[…],"levels":[…],…}
 * or, for a line that cannot be classified, {"line":N,"error":{"code":"...","message":"..."}} — the
 * other lines are still processed and the exit code is 1 when any line failed. `department` is the
 * default responsibility matrix's owner of the category (no place is known here).
 */

export interface ClassifyCommandOptions {
  /** stdout; tests capture it. */
  write?: (text: string) => void;
  /** stderr (progress, row errors). */
  progress?: (text: string) => void;
  /** stdin for `classify`. */
  input?: Readable;
}

type LineError = { code: string; message: string };

function classifyLine(classifier: TextClassifier, raw: string): object | LineError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { code: 'invalid-json', message: 'the line is not JSON; expected {"text": "..."}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('text' in parsed))
    return { code: 'invalid-request', message: 'expected an object with a "text" field' };
  const text = (parsed as { text: unknown }).text;
  if (typeof text !== 'string') return { code: 'invalid-request', message: '"text" must be a string' };
  try {
    const r = classifier.classify(text);
    // Without a place only the matrix's default row for the category can answer.
    const decision = resolveMatrix(DEFAULT_ROWS, {
      category: r.category,
      district: null,
      street: null,
      cellId: null,
    });
    return {
      category: r.category,
      confidence: Math.round(r.confidence * 1e4) / 1e4,
      department: decision?.departmentIds[0] ?? null,
      departments: decision?.departmentIds ?? [],
      leafId: r.leafId,
      levels: r.levels.map((v) => Math.round(v * 1e4) / 1e4),
      topWords: r.topWords,
      alternatives: r.alternatives.map((a) => ({ ...a, confidence: Math.round(a.confidence * 1e4) / 1e4 })),
    };
  } catch (err) {
    if (err instanceof ClassifyInputError) return { code: err.code, message: err.message };
    throw err;
  }
}

const isLineError = (r: object): r is LineError => 'code' in r && 'message' in r && !('category' in r);

async function runClassify(flags: { model?: string }, options: ClassifyCommandOptions): Promise<void> {
  const write = options.write ?? ((s: string) => void process.stdout.write(s));
  const classifier = flags.model ? readClassifierFile(resolve(flags.model)) : getDefaultClassifier();
  const lines = createInterface({ input: options.input ?? process.stdin, crlfDelay: Infinity });
  let n = 0;
  let failed = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    const r = classifyLine(classifier, raw);
    if (isLineError(r)) {
      failed++;
      write(JSON.stringify({ line: n, error: r }) + '\n');
    } else write(JSON.stringify(r) + '\n');
  }
  if (failed > 0) process.exitCode = 1;
}

const f3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));

export function reportText(r: EvaluationReport, folds: number): string {
  const lines = [
    `Held-out report (${folds}-fold stratified cross-validation, ${r.n} rows)`,
    `  accuracy ${f3(r.accuracy)}   macro-F1 ${f3(r.macroF1)}   expected calibration error ${f3(r.ece)}`,
    ...r.perClass.map(
      (c) =>
        `  ${c.label}: F1 ${f3(c.f1)} (precision ${f3(c.precision)}, recall ${f3(c.recall)}, ${c.support} rows)`,
    ),
    '  reliability (confidence bin: rows, mean confidence, accuracy):',
    ...r.reliability
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `    ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${b.count}, ${f3(b.meanConfidence)}, ${f3(b.accuracy)}`,
      ),
    r.threshold.threshold === null
      ? `  no confidence threshold reaches accuracy ${r.threshold.target} on 20 or more rows`
      : `  confidence ≥ ${r.threshold.threshold.toFixed(3)} keeps ${(r.threshold.retainedShare * 100).toFixed(1)} % of rows at accuracy ${f3(r.threshold.retainedAccuracy)} (double-dispatch threshold for target ${r.threshold.target})`,
  ];
  return lines.join('\n') + '\n';
}

interface TrainFlags {
  from: string;
  out: string;
  folds: number;
  skipInvalid: boolean;
  json: boolean;
}

async function runTrain(flags: TrainFlags, options: ClassifyCommandOptions): Promise<void> {
  const write = options.write ?? ((s: string) => void process.stdout.write(s));
  const progress = options.progress ?? ((s: string) => void process.stderr.write(s));
  const file = resolve(flags.from);
  const prepared = prepareTrainingRows(readTextFile(file), DEFAULT_TAXONOMY);
  for (const e of prepared.errors.slice(0, 50))
    progress(`${file}: row ${e.row} (line ${e.line}): ${e.message}\n`);
  if (prepared.errors.length > 50) progress(`… and ${prepared.errors.length - 50} more bad rows\n`);
  for (const n of prepared.notices) progress(`note: ${n}\n`);
  if (prepared.errors.length > 0 && !flags.skipInvalid)
    throw new Error(
      `${prepared.errors.length} bad row(s) in ${file}; fix them or pass --skip-invalid to train on the ${prepared.rows.length} good ones`,
    );
  const classes = new Set(prepared.rows.map((r) => r.label));
  if (prepared.rows.length < 10 || classes.size < 2)
    throw new Error(
      `training needs at least 10 usable rows in 2 or more categories (found ${prepared.rows.length} rows in ${classes.size})`,
    );
  progress(
    `Training on ${prepared.rows.length} rows, ${classes.size} categories at level ${prepared.depth}\n`,
  );
  let report: EvaluationReport | null = null;
  if (flags.folds >= 2) {
    report = crossValidate(prepared.rows, flags.folds, {
      onFold: (f) => progress(`fold ${f}/${flags.folds} done\n`),
    }).report;
  }
  const classifier = trainClassifier(prepared.rows);
  const out = resolve(flags.out);
  writeClassifierFile(out, classifier);
  if (flags.json)
    write(
      JSON.stringify({
        model: out,
        rows: prepared.rows.length,
        badRows: prepared.errors.length,
        depth: prepared.depth,
        report,
      }) + '\n',
    );
  else {
    if (report) write(reportText(report, flags.folds));
    write(`Model written to ${out} (${classes.size} categories, level ${prepared.depth})\n`);
  }
}

/** Adds `watchfloor classify` and `watchfloor classifier train` to the hub CLI. */
export function registerClassifyCommand(program: Command, options: ClassifyCommandOptions = {}): Command {
  program
    .command('classify')
    .description('Classify citizen request texts (Chinese) into the three-level complaint taxonomy')
    .requiredOption('--json', 'JSON lines: {"text": "..."} per line on stdin, one result per line on stdout')
    .option(
      '--model <file>',
      'a model written by `watchfloor classifier train` (default: the shipped zero-shot model)',
    )
    .addHelpText(
      'after',
      `
Output per line: {"category":"<level1>/<level2>/<level3>","confidence":<0..1>,"department":"<id>",…}
  confidence is the calibrated probability of the level the model was trained on (levels[] gives each level).
  department is the default responsibility matrix's department for the category, everywhere in the city
  (departments[] lists two for a joint responsibility); with a place, \`watchfloor route\` and the hub apply
  the district, street and grid exceptions too.
A line that cannot be classified gives {"line":N,"error":{"code","message"}} (codes: invalid-json,
invalid-request, empty, too-long, unsupported-language) and the exit code is 1; the other lines are processed.

Example:
  echo '{"text":"楼下广场舞音响太吵，晚上十点还在放"}' | watchfloor classify --json`,
    )
    .action((flags: { model?: string }) => runClassify(flags, options));

  const classifier = program.command('classifier').description('Train the request classifier');
  classifier
    .command('train')
    .description(
      'Train a classifier from closed tickets (CSV with text and category columns) and print a held-out report',
    )
    .requiredOption(
      '--from <csv>',
      'UTF-8 CSV with a header row; columns text and category (a taxonomy path, any depth)',
    )
    .option('--out <file>', 'where to write the model (JSON)', 'watchfloor-classifier.json')
    .addOption(
      new Option('--folds <n>', 'cross-validation folds for the held-out report (0 = none)')
        .argParser((raw: string) => {
          const n = integer(0, 20)(raw);
          if (n === 1) throw new InvalidArgumentError('must be 0 or from 2 to 20');
          return n;
        })
        .default(5),
    )
    .option(
      '--skip-invalid',
      'train on the good rows when some rows are bad (they are listed on stderr)',
      false,
    )
    .option('--json', 'print the report as one JSON object', false)
    .addHelpText(
      'after',
      `
CSV example:
  text,category
  "楼下烧烤店每天闹到凌晨，太吵了",环境保护/环境污染/噪音污染
  公司拖欠三个月工资,劳动和社会保障
Rows with empty, too long or non-Chinese text, unknown categories or a wrong number of fields are listed
with their row number (header = row 1). Mixed depths are cut to the shallowest. Method: docs/classifier.md.`,
    )
    .action((flags: TrainFlags) => runTrain(flags, options));
  return classifier;
}
