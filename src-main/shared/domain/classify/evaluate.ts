import { trainClassifier, type TextClassifier, type TrainClassifierOptions } from './classifier';
import { type LabelledText, stratifiedFolds } from './linear-model';

/**
 * Held-out measurement of a classifier: accuracy, per-class and macro F1, a reliability table
 * (confidence bins vs accuracy) and the lowest confidence threshold that keeps accuracy on the retained
 * share at or above a target (the double-dispatch threshold). Pure code.
 */

export interface Prediction {
  truth: string;
  predicted: string;
  confidence: number;
}

export interface ClassScore {
  label: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface ThresholdChoice {
  target: number;
  /** Lowest confidence threshold whose retained predictions reach `target` accuracy (null: none does). */
  threshold: number | null;
  retainedShare: number;
  retainedAccuracy: number | null;
}

export interface EvaluationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassScore[];
  reliability: ReliabilityBin[];
  /** Expected calibration error over the reliability bins. */
  ece: number;
  threshold: ThresholdChoice;
}

/** `labels` lists every class to score (default: those seen as truth); macro-F1 averages over them. */
export function scorePredictions(
  preds: readonly Prediction[],
  options: { labels?: string[]; bins?: number; accuracyTarget?: number; minRetained?: number } = {},
): EvaluationReport {
  const labels = options.labels ?? [...new Set(preds.map((p) => p.truth))].sort();
  const perClass = labels.map((label): ClassScore => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of preds) {
      if (p.predicted === label && p.truth === label) tp++;
      else if (p.predicted === label) fp++;
      else if (p.truth === label) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    return { label, support: tp + fn, precision, recall, f1 };
  });
  const correct = preds.filter((p) => p.truth === p.predicted).length;
  const bins = options.bins ?? 10;
  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = preds.filter(
      (p) => p.confidence >= from && (b === bins - 1 ? p.confidence <= to : p.confidence < to),
    );
    const meanConfidence = inBin.length ? inBin.reduce((s, p) => s + p.confidence, 0) / inBin.length : null;
    const accuracy = inBin.length ? inBin.filter((p) => p.truth === p.predicted).length / inBin.length : null;
    if (meanConfidence !== null && accuracy !== null)
      ece += (inBin.length / Math.max(1, preds.length)) * Math.abs(meanConfidence - accuracy);
    reliability.push({ from, to, count: inBin.length, meanConfidence, accuracy });
  }
  return {
    n: preds.length,
    accuracy: preds.length ? correct / preds.length : 0,
    macroF1: perClass.length ? perClass.reduce((s, c) => s + c.f1, 0) / perClass.length : 0,
    perClass,
    reliability,
    ece,
    threshold: chooseThreshold(preds, options.accuracyTarget ?? 0.9, options.minRetained ?? 20),
  };
}

/**
 * The lowest threshold t such that the predictions with confidence ≥ t are at least `target` accurate,
 * considering only thresholds that keep `minRetained` predictions or more.
 */
export function chooseThreshold(
  preds: readonly Prediction[],
  target: number,
  minRetained = 20,
): ThresholdChoice {
  const sorted = [...preds].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let best: ThresholdChoice = { target, threshold: null, retainedShare: 0, retainedAccuracy: null };
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.truth === sorted[i]!.predicted) correct++;
    // Only cut between different confidences: all predictions at the threshold are kept.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    const kept = i + 1;
    if (kept >= minRetained && correct / kept >= target)
      best = {
        target,
        threshold: sorted[i]!.confidence,
        retainedShare: kept / sorted.length,
        retainedAccuracy: correct / kept,
      };
  }
  return best;
}

/** Level-1 (or model-depth) prediction of a classifier for scoring. */
export function predictAt(classifier: TextClassifier, text: string, truth: string): Prediction {
  const r = classifier.classify(text, { alternatives: 0, topWords: 0 });
  const depth = truth.split('/').length;
  return {
    truth,
    predicted: r.category.split('/').slice(0, depth).join('/'),
    confidence: r.levels[depth - 1] ?? r.confidence,
  };
}

export interface CrossValidation {
  folds: number;
  predictions: Prediction[];
  report: EvaluationReport;
}

/** k-fold stratified cross-validation of `trainClassifier` on labelled texts of one depth. */
export function crossValidate(
  data: LabelledText[],
  folds: number,
  options: TrainClassifierOptions & { onFold?: (fold: number) => void } = {},
): CrossValidation {
  if (folds < 2) throw new Error('cross-validation needs at least 2 folds');
  const fold = stratifiedFolds(
    data.map((d) => d.label),
    folds,
    options.seed ?? 1,
  );
  const predictions: Prediction[] = [];
  for (let f = 0; f < folds; f++) {
    const train = data.filter((_, i) => fold[i] !== f);
    const held = data.filter((_, i) => fold[i] === f);
    if (held.length === 0) continue;
    const classifier = trainClassifier(train, options);
    for (const d of held) predictions.push(predictAt(classifier, d.text, d.label));
    options.onFold?.(f + 1);
  }
  const labels = [...new Set(data.map((d) => d.label))].sort();
  return { folds, predictions, report: scorePredictions(predictions, { labels }) };
}
