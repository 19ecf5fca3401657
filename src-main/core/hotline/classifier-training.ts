import {
  type ActorRef,
  type ClassifierReport,
  type ClassifierTrainingProgress,
  ErrorCode,
  RpcError,
  type Ticket,
} from '@shared/contract';
import {
  seedClassifierSteps,
  trainClassifierSteps,
  type TextClassifier,
} from '@shared/domain/classify/classifier';
import {
  chooseThreshold,
  predictAt,
  scorePredictions,
  type Prediction,
} from '@shared/domain/classify/evaluate';
import { checkClassifyInput } from '@shared/domain/classify/input';
import {
  fitTemperatureSteps,
  type LabelledText,
  logits,
  runStepsSliced,
  type SliceOptions,
  softmax,
  stratifiedFolds,
  type TrainingSteps,
  type TrainProgress,
  vectorize,
} from '@shared/domain/classify/linear-model';
import type { ClassifierModelJson } from '@shared/domain/classify/model-json';
import { pathDepth, pathPrefix, resolveCategory, type Taxonomy } from '@shared/domain/taxonomy';

/**
 * Training the hotline classifier from the organisation's own closed citizen requests.
 *
 * Rows: every closed ticket (status category resolved/closed) gives its text (title + description) with
 * its final `fields.category`; the misroute rows of the hotline are added. A submit's title is
 * `<leaf>：<first 40 characters of the call>` — the leaf of the FIRST category, which would leak a
 * possibly wrong label into the text — so such a title is left out and the description alone is used.
 *
 * Timing: one fit per fold plus one on all rows, each uncalibrated (the final temperature comes from
 * the folds' out-of-fold logits). The whole training is one chain of pausable steps (see
 * `TrainProgress` in linear-model.ts) run in slices of about 16 ms of work, so the hub's event loop
 * keeps serving requests, pushes and timers while it trains; no slice holds more than ~31 ms of work.
 * `npm run bench -- classify-training` (5 000 synthetic closed tickets over 20 leaves, 5 folds, the
 * 2-core dev VM, quiet): with the SVM solver the whole training took ~5.4 s and the loop's longest
 * block was 37–61 ms (garbage-collector pauses land inside slices; no step took more than ~2 ms).
 * Before slicing, the loop was blocked for seconds per fit.
 */

export interface TrainingExample extends LabelledText {
  source: 'ticket' | 'misroute';
}

/** What is journaled as the `hotline-classifier` record `current`. */
export interface StoredClassifier {
  model: ClassifierModelJson;
  trainedAt: string;
  trainedBy: ActorRef;
  examples: number;
  classes: string[];
  report: ClassifierReport;
}

/** The call text of a ticket: title + description, without a submit's leaf-prefixed title. */
export function ticketText(ticket: Pick<Ticket, 'title' | 'description'>): string {
  const title = ticket.title.trim();
  const description = ticket.description.trim();
  const sep = title.indexOf('：');
  const derived = sep > 0 && description !== '' && description.startsWith(title.slice(sep + 1).trim());
  if (derived || title === '') return description;
  if (description === '' || description.startsWith(title)) return description || title;
  return `${title}\n${description}`;
}

/**
 * Labelled rows from closed tickets and misroute rows. Labels are resolved to taxonomy paths; rows whose
 * category is not in the taxonomy or whose text the classifier would refuse are skipped. A misroute row
 * of a ticket that is among the closed tickets is left out: the closed ticket's category is the final
 * word, and the same text twice would let cross-validation see a held-out text in training. When labels
 * have different depths, every one is cut to the shallowest. With `maxPerClass`, only the last rows of
 * each class are kept (pass tickets oldest first: the newest describe today's requests best), so a
 * large history trains in seconds rather than minutes.
 */
export function collectTrainingRows(
  tickets: readonly Pick<Ticket, 'id' | 'title' | 'description' | 'fields'>[],
  misroutes: readonly { ticketId: string; text: string; category: string }[],
  taxonomy: Taxonomy,
  options: { maxPerClass?: number } = {},
): { rows: TrainingExample[]; skipped: number; capped: number; depth: number } {
  const parsed: { text: string; path: string; source: TrainingExample['source'] }[] = [];
  let skipped = 0;
  const add = (text: string, raw: unknown, source: TrainingExample['source']): void => {
    const path = typeof raw === 'string' && raw.trim() !== '' ? resolveCategory(taxonomy, raw) : null;
    if (!path || checkClassifyInput(text)) {
      skipped++;
      return;
    }
    parsed.push({ text, path, source });
  };
  const closed = new Set(tickets.map((t) => t.id));
  for (const t of tickets) add(ticketText(t), t.fields['category'], 'ticket');
  for (const m of misroutes) if (!closed.has(m.ticketId)) add(m.text, m.category, 'misroute');
  const depth = parsed.length === 0 ? 3 : Math.min(...parsed.map((p) => pathDepth(p.path)));
  const labelled = parsed.map((p) => ({ text: p.text, label: pathPrefix(p.path, depth), source: p.source }));
  const max = options.maxPerClass ?? Infinity;
  const left = new Map<string, number>();
  const kept: TrainingExample[] = [];
  for (let i = labelled.length - 1; i >= 0; i--) {
    const row = labelled[i]!;
    const n = left.get(row.label) ?? max;
    if (n <= 0) continue;
    left.set(row.label, n - 1);
    kept.push(row);
  }
  return { rows: kept.reverse(), skipped, capped: labelled.length - kept.length, depth };
}

/** Throws INVALID_ARGUMENT (naming the classes that lack examples) unless the rows can train a model. */
export function checkEnoughRows(rows: readonly LabelledText[], minPerClass: number, folds: number): void {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const need = Math.max(minPerClass, 2);
  const minTotal = Math.max(2 * need, 2 * folds);
  const short = [...counts].filter(([, n]) => n < need).sort((a, b) => a[1] - b[1]);
  if (rows.length < minTotal || counts.size < 2 || short.length > 0) {
    const parts: string[] = [];
    if (rows.length < minTotal) parts.push(`${rows.length} examples, at least ${minTotal} are needed`);
    if (counts.size < 2)
      parts.push(`${counts.size} categor${counts.size === 1 ? 'y' : 'ies'}, at least 2 are needed`);
    if (short.length > 0)
      parts.push(
        `categories with fewer than ${need} examples: ${short.map(([c, n]) => `${c} (${n})`).join(', ')}`,
      );
    throw new RpcError(ErrorCode.InvalidArgument, `too few closed tickets to train: ${parts.join('; ')}`, {
      issues: [{ path: 'tickets', message: parts.join('; ') }],
      code: 'too-few-examples',
      examples: rows.length,
      minTotal,
      minPerClass: need,
      classes: short.map(([category, count]) => ({ category, count })),
    });
  }
}

/** How far `trainWithReport` is (the hub adds the phases around it and sends `hotline/classifierProgress`). */
export interface ReportProgress {
  /** `seed`: building the seed refiner (only when it was not built yet); `fold`: a cross-validation fit and
   * its held-out predictions; `final`: the fit on all rows; `calibration`: the temperature fit. */
  phase: 'seed' | 'fold' | 'final' | 'calibration';
  /** 1-based fold in phase `fold` (else 0), of `folds`. */
  fold: number;
  folds: number;
  /** Inside a fit: texts vectorised, or optimiser steps (null: the phase counts its own units). */
  stage: 'features' | 'steps' | null;
  done: number;
  total: number;
  /** Share of the training done (0..1), never decreasing. */
  fraction: number;
}

/** Held-out texts classified between two pause points (~0.7 ms each; below leaf depth also the refiner). */
const PREDICT_CHUNK = 8;
/** Of one fit's share: featurising, the rest the optimiser's steps. */
const FEATURES_SHARE = 0.1;
/** Of the whole: the fits (with their predictions); the temperature fit gets the rest. */
const FITS_SHARE = 0.97;

function* relabel<T>(
  steps: TrainingSteps<T>,
  to: (p: TrainProgress) => ReportProgress,
): Generator<ReportProgress, T, void> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    yield to(r.value);
  }
}

export interface ProgressThrottle {
  /** Progress of the fits; dropped when the last event went out less than `minIntervalMs` ago. */
  report(progress: ReportProgress): void;
  /** A phase around the fits: `rows` and `saving` are throttled like `report`; `done` and `failed` always go out. */
  phase(phase: 'rows' | 'saving' | 'done' | 'failed'): void;
}

/**
 * Turns a training's progress into `hotline/classifierProgress` payloads, at most one per
 * `minIntervalMs` (default 250: 4 a second) of real time, with a fraction that never decreases.
 */
export function createProgressThrottle(
  send: (progress: ClassifierTrainingProgress) => void,
  options: { startedAt: string; folds: number; minIntervalMs?: number | undefined; now?: () => number },
): ProgressThrottle {
  const every = options.minIntervalMs ?? 250;
  const now = options.now ?? (() => performance.now());
  let lastAt = -Infinity;
  let fraction = 0;
  const out = (p: Omit<ClassifierTrainingProgress, 'startedAt' | 'fraction'>, always: boolean): void => {
    const t = now();
    if (!always && t - lastAt < every) return;
    lastAt = t;
    send({ ...p, fraction, startedAt: options.startedAt });
  };
  return {
    report(p) {
      fraction = Math.min(1, Math.max(fraction, p.fraction));
      out(
        { phase: p.phase, fold: p.fold, folds: p.folds, stage: p.stage, done: p.done, total: p.total },
        false,
      );
    },
    phase(phase) {
      if (phase === 'saving' || phase === 'done') fraction = 1;
      const p = { phase, fold: 0, folds: options.folds, stage: null, done: 0, total: 0 };
      out(p, phase === 'done' || phase === 'failed');
    },
  };
}

export interface TrainWithReportOptions {
  folds: number;
  taxonomy: Taxonomy;
  now: () => Date;
  seed?: number;
  /** How the training shares the event loop and reports progress (at each pause). */
  slice?: SliceOptions<ReportProgress>;
}

/**
 * Cross-validates (stratified, `folds` folds), then trains on all rows. Every fit is uncalibrated; the
 * final model's temperature is fitted on the folds' out-of-fold logits (what `trainLinearModel` does
 * with its own calibration folds, without training those models a second time). Runs in slices: the
 * event loop gets a turn every `slice.budgetMs` (default 16 ms).
 */
export function trainWithReport(
  rows: readonly LabelledText[],
  options: TrainWithReportOptions,
): Promise<{ classifier: TextClassifier; report: ClassifierReport }> {
  return runStepsSliced(trainWithReportSteps(rows, options), options.slice);
}

/** `trainWithReport` as pausable steps. */
export function* trainWithReportSteps(
  rows: readonly LabelledText[],
  options: Omit<TrainWithReportOptions, 'slice'>,
): Generator<ReportProgress, { classifier: TextClassifier; report: ClassifierReport }, void> {
  const data = rows.map((r) => ({ text: r.text, label: r.label }));
  const seed = options.seed ?? 1;
  const folds = options.folds;
  const fold = stratifiedFolds(
    data.map((d) => d.label),
    folds,
    seed,
  );
  const heldCount = new Array<number>(folds).fill(0);
  for (const f of fold) heldCount[f]!++;
  // Work of each fit in rows: the folds', then the final one's; the progress bar moves by these.
  const fitRows = [...heldCount.map((h) => (h > 0 ? data.length - h : 0)), data.length];
  const allRows = fitRows.reduce((a, b) => a + b, 0) || 1;
  let rowsBefore = 0;
  let last = 0;
  const fraction = (fit: number, p: TrainProgress | null): number => {
    const inFit =
      p === null
        ? 1
        : p.stage === 'features'
          ? (FEATURES_SHARE * p.done) / Math.max(1, p.total)
          : FEATURES_SHARE + ((1 - FEATURES_SHARE) * p.done) / Math.max(1, p.total);
    last = Math.max(last, (FITS_SHARE * (rowsBefore + fitRows[fit]! * Math.min(1, inFit))) / allRows);
    return last;
  };
  const stageOf = (p: TrainProgress): ReportProgress['stage'] => (p.stage === 'calibration' ? null : p.stage);

  yield { phase: 'fold', fold: 1, folds, stage: 'features', done: 0, total: 1, fraction: 0 };
  const depths = new Set(data.map((d) => pathDepth(d.label)));
  // The seed refiner once for every fit (built here only when the hub has not built it yet).
  const refiner =
    depths.size === 1 && [...depths][0]! < 3
      ? yield* relabel(seedClassifierSteps(options.taxonomy), (p) => ({
          phase: 'seed',
          fold: 0,
          folds,
          stage: stageOf(p),
          done: p.done,
          total: p.total,
          fraction: last,
        }))
      : undefined;
  const train = (part: LabelledText[]): TrainingSteps<TextClassifier> =>
    trainClassifierSteps(part, {
      taxonomy: options.taxonomy,
      now: options.now,
      seed,
      calibrationFolds: 0,
      ...(refiner && { refiner }),
    });

  const predictions: Prediction[] = [];
  const outOfFold: { logits: Float64Array; truth: number }[] = [];
  const outOfFoldClasses: string[][] = [];
  for (let f = 0; f < folds; f++) {
    const held = data.filter((_, i) => fold[i] === f);
    if (held.length === 0) continue;
    const at = (p: TrainProgress): ReportProgress => ({
      phase: 'fold',
      fold: f + 1,
      folds,
      stage: stageOf(p),
      done: p.done,
      total: p.total,
      fraction: fraction(f, p),
    });
    const classifier = yield* relabel(train(data.filter((_, i) => fold[i] !== f)), at);
    const m = classifier.model;
    const epochs = { stage: 'steps', done: 1, total: 1, fit: 1, fits: 1 } as const;
    for (let i = 0; i < held.length; i++) {
      if (i > 0 && i % PREDICT_CHUNK === 0) yield at(epochs);
      const d = held[i]!;
      predictions.push(predictAt(classifier, d.text, d.label));
      const truth = m.classes.indexOf(d.label);
      if (truth >= 0) {
        outOfFold.push({ logits: logits(m, vectorize(m, d.text)), truth });
        outOfFoldClasses.push(m.classes);
      }
    }
    rowsBefore += fitRows[f]!;
  }
  const labels = [...new Set(data.map((d) => d.label))].sort();
  const scored = scorePredictions(predictions, { labels });
  yield { phase: 'final', fold: 0, folds, stage: 'features', done: 0, total: 1, fraction: last };
  const classifier = yield* relabel(train(data), (p) => ({
    phase: 'final',
    fold: 0,
    folds,
    stage: stageOf(p),
    done: p.done,
    total: p.total,
    fraction: fraction(folds, p),
  }));
  rowsBefore += fitRows[folds]!;
  classifier.model.temperature = yield* relabel(fitTemperatureSteps(outOfFold), (p) => {
    last = Math.max(last, FITS_SHARE + ((1 - FITS_SHARE) * p.done) / Math.max(1, p.total));
    return {
      phase: 'calibration',
      fold: 0,
      folds,
      stage: null,
      done: p.done,
      total: p.total,
      fraction: last,
    };
  });
  return {
    classifier,
    report: {
      accuracy: scored.accuracy,
      macroF1: scored.macroF1,
      perClass: scored.perClass.map((c) => ({ category: c.label, f1: c.f1, support: c.support })),
      folds,
      suggestedThreshold: suggestThreshold(outOfFold, outOfFoldClasses, classifier.model.temperature),
    },
  };
}

/** Share of held-out requests that must be right above the suggested double-dispatch threshold. */
const DISPATCH_ACCURACY_TARGET = 0.9;

/**
 * The double-dispatch threshold the held-out answers suggest, on the confidence dispatch compares with
 * it: the calibrated probability of the predicted level-1 class (the sum over its subclasses). The
 * out-of-fold logits come from the fold models; the final model's temperature calibrates them, as it
 * calibrates the final model's answers.
 */
function suggestThreshold(
  outOfFold: readonly { logits: Float64Array; truth: number }[],
  classes: readonly string[][],
  temperature: number,
): ClassifierReport['suggestedThreshold'] {
  const level1 = (label: string): string => label.split('/')[0]!;
  const answers: Prediction[] = outOfFold.map((o, i) => {
    const names = classes[i]!;
    const p = softmax(o.logits, temperature);
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    const predicted = level1(names[best]!);
    let confidence = 0;
    for (let k = 0; k < p.length; k++) if (level1(names[k]!) === predicted) confidence += p[k]!;
    return { truth: level1(names[o.truth]!), predicted, confidence };
  });
  const { threshold, retainedShare, retainedAccuracy } = chooseThreshold(answers, DISPATCH_ACCURACY_TARGET);
  return { threshold, retainedShare, retainedAccuracy };
}
