import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TAXONOMY } from '../../src-main/shared/domain/taxonomy';
import { buildSeedClassifier } from '../../src-main/shared/domain/classify/classifier';
import {
  crossValidate,
  type EvaluationReport,
  predictAt,
  scorePredictions,
} from '../../src-main/shared/domain/classify/evaluate';
import { parseCsv } from '../../src-main/shared/domain/classify/training-csv';

/**
 * Evaluates the classifier on the labelled TipDM 2020 messages (issue 5, item 2). The data is read at
 * run time from ../shared/datasets and never copied into the project (evaluation only).
 *
 *   npx tsx scripts/classify/evaluate.ts [--json] [--data <csv>] [--folds 5] [--solver svm|logistic]
 *
 * (a) the shipped zero-shot default on all messages (level 1: the first level of its leaf);
 * (b) the trainable pipeline with stratified k-fold cross-validation (level-1 labels), with per-class
 *     F1, a reliability table and the confidence threshold that keeps accuracy ≥ 0.9 on the retained share.
 * Text of a message = title + "。" + detail. `--solver` picks the trained models' solver (default: the
 * training default, svm; `logistic` gives the figures of the earlier model). The zero-shot default is
 * always the shipped seed model.
 */

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataFile = resolve(
  flag('--data') ??
    join(
      here,
      '..',
      '..',
      '..',
      'shared',
      'datasets',
      'tipdm2020_gov_messages',
      'messages_sample_labeled.csv',
    ),
);
const folds = Number(flag('--folds') ?? 5);
const json = args.includes('--json');
const solverFlag = flag('--solver');
if (solverFlag !== undefined && solverFlag !== 'svm' && solverFlag !== 'logistic') {
  process.stderr.write(`--solver must be svm or logistic, not ${solverFlag}\n`);
  process.exit(2);
}
const solver: 'svm' | 'logistic' = solverFlag ?? 'svm';

function loadMessages(file: string): { text: string; label: string }[] {
  const { records, error } = parseCsv(readFileSync(file, 'utf8'));
  if (error) throw new Error(`${file}: row ${error.row}: ${error.message}`);
  const header = records[0]?.fields ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file} has no ${name} column`);
    return i;
  };
  const [title, detail, label] = [col('title'), col('detail'), col('label_l1')];
  return records.slice(1).map((r) => ({
    text: `${r.fields[title]!.trim()}。${r.fields[detail]!.trim()}`,
    label: r.fields[label]!.trim(),
  }));
}

const f3 = (x: number | null): string => (x === null ? '   —' : x.toFixed(3));

function print(title: string, r: EvaluationReport): void {
  const out: string[] = [
    `\n${title}`,
    `  n ${r.n}   accuracy ${f3(r.accuracy)}   macro-F1 ${f3(r.macroF1)}   ECE ${f3(r.ece)}`,
  ];
  out.push('  class            support  precision  recall     F1');
  for (const c of r.perClass)
    out.push(
      `  ${c.label.padEnd(10, '\u3000')}  ${String(c.support).padStart(5)}     ${f3(c.precision)}   ${f3(c.recall)}  ${f3(c.f1)}`,
    );
  out.push('  reliability: confidence bin → count, mean confidence, accuracy');
  for (const b of r.reliability)
    if (b.count > 0)
      out.push(
        `    [${b.from.toFixed(1)}, ${b.to.toFixed(1)})  ${String(b.count).padStart(4)}  ${f3(b.meanConfidence)}  ${f3(b.accuracy)}`,
      );
  const t = r.threshold;
  out.push(
    t.threshold === null
      ? `  no confidence threshold keeps accuracy ≥ ${t.target} on ≥ 20 messages`
      : `  threshold for accuracy ≥ ${t.target}: confidence ≥ ${t.threshold.toFixed(3)} keeps ${(t.retainedShare * 100).toFixed(1)} % of messages at accuracy ${f3(t.retainedAccuracy)}`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

const data = loadMessages(dataFile);
const labels = [...new Set(data.map((d) => d.label))].sort();
process.stderr.write(`${data.length} messages, ${labels.length} level-1 classes, from ${dataFile}\n`);

let t0 = performance.now();
const seed = buildSeedClassifier(DEFAULT_TAXONOMY);
const seedBuildMs = performance.now() - t0;
const zeroShot = scorePredictions(
  data.map((d) => predictAt(seed, d.text, d.label)),
  { labels },
);

t0 = performance.now();
const cv = crossValidate(data, folds, {
  solver,
  onFold: (f) => process.stderr.write(`fold ${f}/${folds} done\n`),
});
const cvMs = performance.now() - t0;

if (json) {
  process.stdout.write(
    JSON.stringify({
      data: dataFile,
      messages: data.length,
      seedBuildMs,
      zeroShot,
      crossValidation: { folds, solver, ms: cvMs, ...cv.report },
    }) + '\n',
  );
} else {
  print(
    `(a) shipped zero-shot default (built in ${seedBuildMs.toFixed(0)} ms from the taxonomy and seed examples only)`,
    zeroShot,
  );
  print(
    `(b) trainable pipeline (${solver}), ${folds}-fold stratified cross-validation (${(cvMs / 1000).toFixed(1)} s)`,
    cv.report,
  );
}
