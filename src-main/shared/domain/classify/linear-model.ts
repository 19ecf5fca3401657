import { tokenize } from './tokenizer';

/**
 * TF-IDF features (sublinear tf, L2-normalised) and a multinomial logistic regression over them, trained
 * with full-batch Adam, with temperature scaling fitted on out-of-fold logits. Pure code (typed arrays
 * only): runs in Node and in a browser Web Worker.
 */

export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

export interface LinearModel {
  /** Class labels (category paths at one depth). */
  classes: string[];
  /** Feature strings; the position is the feature index. */
  features: string[];
  /** feature → index (built from `features`). */
  vocab: Map<string, number>;
  idf: Float32Array;
  /** Row-major [feature][class]. */
  weights: Float32Array;
  bias: Float32Array;
  /** Logits are divided by this before the softmax (temperature scaling). */
  temperature: number;
  maxN: number;
}

export interface TrainOptions {
  /** Longest character n-gram. Default 3. */
  maxN?: number;
  /** A feature must occur in this many training texts. Default 2 (1 when there are under 200 texts). */
  minDf?: number;
  /** Keep at most this many features (the most frequent by document frequency). Default 80,000. */
  maxFeatures?: number;
  /** L2 penalty on the weights. Default 1e-4. */
  l2?: number;
  /** Full-batch Adam steps. Default 120. */
  epochs?: number;
  /** Adam step size. Default 0.1. */
  learningRate?: number;
  /** Weight classes inversely to their frequency. Default true. */
  balanced?: boolean;
  /** Folds used to fit the temperature on out-of-fold logits (0 = keep temperature 1). Default 3. */
  calibrationFolds?: number;
  /** Seed of the calibration folds. Default 1. */
  seed?: number;
}

export interface LabelledText {
  text: string;
  label: string;
}

function countTokens(text: string, maxN: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokenize(text, { maxN })) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

function vectorFromCounts(counts: Map<string, number>, vocab: Map<string, number>, idf: Float32Array) {
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const [t, c] of counts) {
    const j = vocab.get(t);
    if (j === undefined) continue;
    const v = (1 + Math.log(c)) * idf[j]!;
    idx.push(j);
    val.push(v);
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const value = new Float32Array(val.length);
  for (let i = 0; i < val.length; i++) value[i] = val[i]! * inv;
  return { index: Int32Array.from(idx), value };
}

export function vectorize(model: Pick<LinearModel, 'vocab' | 'idf' | 'maxN'>, text: string): SparseVector {
  return vectorFromCounts(countTokens(text, model.maxN), model.vocab, model.idf);
}

export function logits(model: LinearModel, x: SparseVector): Float64Array {
  const k = model.classes.length;
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) out[c] = model.bias[c]!;
  for (let i = 0; i < x.index.length; i++) {
    const row = x.index[i]! * k;
    const v = x.value[i]!;
    for (let c = 0; c < k; c++) out[c]! += v * model.weights[row + c]!;
  }
  return out;
}

export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]! / temperature);
  const out = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < z.length; i++) out[i]! /= sum;
  return out;
}

export function predictProba(model: LinearModel, text: string): Float64Array {
  return softmax(logits(model, vectorize(model, text)), model.temperature);
}

/** Deterministic PRNG (mulberry32) for fold assignment. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fold number (0..k-1) of every item, stratified by label: each class is spread evenly over the folds. */
export function stratifiedFolds(labels: readonly string[], k: number, seed = 1): number[] {
  const rand = seededRandom(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const fold = new Array<number>(labels.length).fill(0);
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const items = byLabel.get(label)!;
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    // Continue the round-robin where the previous class stopped so small classes do not pile into fold 0.
    items.forEach((item, n) => (fold[item] = (offset + n) % k));
    offset = (offset + items.length) % k;
  }
  return fold;
}

/** Temperature minimising the negative log-likelihood of the true classes (golden-section on log T). */
export function fitTemperature(rows: { logits: ArrayLike<number>; truth: number }[]): number {
  if (rows.length === 0) return 1;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let s = 0;
    for (const r of rows) s -= Math.log(Math.max(1e-12, softmax(r.logits, t)[r.truth]!));
    return s / rows.length;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

function fitWeights(
  docs: SparseVector[],
  y: Int32Array,
  classCount: number,
  featureCount: number,
  o: Required<TrainOptions>,
): { weights: Float32Array; bias: Float32Array } {
  const k = classCount;
  const n = docs.length;
  const size = featureCount * k;
  const w = new Float32Array(size);
  const b = new Float32Array(k);
  const gw = new Float32Array(size);
  const gb = new Float64Array(k);
  const mw = new Float32Array(size);
  const vw = new Float32Array(size);
  const mb = new Float64Array(k);
  const vb = new Float64Array(k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  const sampleWeight = new Float64Array(k);
  for (let c = 0; c < k; c++)
    sampleWeight[c] = o.balanced && counts[c]! > 0 ? n / (k * counts[c]!) / n : 1 / n;
  const beta1 = 0.9;
  const beta2 = 0.999;
  const z = new Float64Array(k);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      const x = docs[i]!;
      for (let c = 0; c < k; c++) z[c] = b[c]!;
      for (let t = 0; t < x.index.length; t++) {
        const row = x.index[t]! * k;
        const v = x.value[t]!;
        for (let c = 0; c < k; c++) z[c]! += v * w[row + c]!;
      }
      const p = softmax(z);
      const sw = sampleWeight[y[i]!]!;
      p[y[i]!]! -= 1;
      for (let c = 0; c < k; c++) {
        p[c]! *= sw;
        gb[c]! += p[c]!;
      }
      for (let t = 0; t < x.index.length; t++) {
        const row = x.index[t]! * k;
        const v = x.value[t]!;
        for (let c = 0; c < k; c++) gw[row + c]! += v * p[c]!;
      }
    }
    const lr = (o.learningRate * Math.sqrt(1 - beta2 ** epoch)) / (1 - beta1 ** epoch);
    for (let j = 0; j < size; j++) {
      const g = gw[j]! + o.l2 * w[j]!;
      mw[j] = beta1 * mw[j]! + (1 - beta1) * g;
      vw[j] = beta2 * vw[j]! + (1 - beta2) * g * g;
      w[j]! -= (lr * mw[j]!) / (Math.sqrt(vw[j]!) + 1e-8);
    }
    for (let c = 0; c < k; c++) {
      const g = gb[c]!;
      mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
      vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
      b[c]! -= (lr * mb[c]!) / (Math.sqrt(vb[c]!) + 1e-8);
    }
  }
  return { weights: w, bias: b };
}

function withDefaults(options: TrainOptions, rows: number): Required<TrainOptions> {
  return {
    maxN: options.maxN ?? 3,
    minDf: options.minDf ?? (rows < 200 ? 1 : 2),
    maxFeatures: options.maxFeatures ?? 80_000,
    l2: options.l2 ?? 1e-4,
    epochs: options.epochs ?? 120,
    learningRate: options.learningRate ?? 0.1,
    balanced: options.balanced ?? true,
    calibrationFolds: options.calibrationFolds ?? 3,
    seed: options.seed ?? 1,
  };
}

/** Trains without calibration (temperature 1). `classes` fixes the class order (default: sorted labels). */
function trainUncalibrated(
  data: readonly LabelledText[],
  o: Required<TrainOptions>,
  classes: string[],
): LinearModel {
  const tokenCounts = data.map((d) => countTokens(d.text, o.maxN));
  const df = new Map<string, number>();
  for (const counts of tokenCounts) for (const t of counts.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const features = [...df.entries()]
    .filter(([, n]) => n >= o.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, o.maxFeatures)
    .map(([t]) => t);
  const vocab = new Map(features.map((f, i) => [f, i]));
  const idf = new Float32Array(features.length);
  features.forEach((f, i) => (idf[i] = Math.log((1 + data.length) / (1 + df.get(f)!)) + 1));
  const docs = tokenCounts.map((c) => vectorFromCounts(c, vocab, idf));
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(data.map((d) => classIndex.get(d.label)!));
  const { weights, bias } = fitWeights(docs, y, classes.length, features.length, o);
  return { classes, features, vocab, idf, weights, bias, temperature: 1, maxN: o.maxN };
}

/**
 * Trains a calibrated model: the temperature is fitted on out-of-fold logits of `calibrationFolds`
 * models, then the final model is trained on all rows.
 */
export function trainLinearModel(data: readonly LabelledText[], options: TrainOptions = {}): LinearModel {
  if (data.length === 0) throw new Error('no training texts');
  const o = withDefaults(options, data.length);
  const classes = [...new Set(data.map((d) => d.label))].sort();
  if (classes.length < 2) throw new Error('training needs at least two categories');
  const model = trainUncalibrated(data, o, classes);
  if (o.calibrationFolds >= 2 && data.length >= o.calibrationFolds * 2) {
    const folds = stratifiedFolds(
      data.map((d) => d.label),
      o.calibrationFolds,
      o.seed,
    );
    const rows: { logits: Float64Array; truth: number }[] = [];
    for (let f = 0; f < o.calibrationFolds; f++) {
      const train = data.filter((_, i) => folds[i] !== f);
      const held = data.filter((_, i) => folds[i] === f);
      if (held.length === 0 || train.length === 0) continue;
      const inner = trainUncalibrated(train, o, classes);
      for (const d of held)
        rows.push({ logits: logits(inner, vectorize(inner, d.text)), truth: classes.indexOf(d.label) });
    }
    model.temperature = fitTemperature(rows);
  }
  return model;
}
