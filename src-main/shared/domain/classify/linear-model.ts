import { tokenize } from './tokenizer';

/**
 * TF-IDF features (sublinear tf, L2-normalised) and a linear model over them — one-vs-rest linear SVMs
 * (L2-regularised squared hinge, dual coordinate descent as in LIBLINEAR) or a multinomial logistic
 * regression trained with full-batch Adam — with temperature scaling fitted on out-of-fold logits (for
 * the SVMs the decision values play the logits' role). Pure code (typed arrays only): runs in Node and
 * in a browser Web Worker.
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
  /** Logits (SVM: decision values) are divided by this before the softmax (temperature scaling). */
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
  /**
   * `svm`: one binary L2-regularised squared-hinge linear SVM per class against the rest, by dual
   * coordinate descent (LIBLINEAR's default solver); `logistic`: multinomial logistic regression by
   * full-batch Adam. Default `svm` (5-fold CV on the TipDM sample: macro-F1 0.836 against 0.814).
   */
  solver?: 'svm' | 'logistic';
  /** SVM cost C of a row (× its class weight when `balanced`). Default 1, LIBLINEAR's. */
  c?: number;
  /** Logistic: L2 penalty on the weights. Default 1e-4. */
  l2?: number;
  /** Logistic: full-batch Adam steps. Default 120. */
  epochs?: number;
  /** Logistic: Adam step size. Default 0.1. */
  learningRate?: number;
  /** Weight classes inversely to their frequency (SVM: the cost of each row). Default true. */
  balanced?: boolean;
  /** Folds used to fit the temperature on out-of-fold logits (0 = keep temperature 1). Default 3. */
  calibrationFolds?: number;
  /** Seed of the calibration folds and of the SVM's row order (class i's problem uses seed + i). Default 1. */
  seed?: number;
}

export interface LabelledText {
  text: string;
  label: string;
}

/**
 * How far a training is. Every training here is written as a generator that yields one of these at each
 * point where it may pause; `runSteps` drives it without pausing (CLI, workers: blocking is fine there),
 * `runStepsSliced` gives the event loop back whenever a time budget is used up (the hub). Both run the
 * same code in the same order, so they produce bit-identical models.
 */
export interface TrainProgress {
  /**
   * `features`: texts counted and vectorised (done/total counts each text twice: n-grams, then the
   * vector); `steps`: the optimiser — full-batch Adam steps (logistic) or the classes whose one-vs-rest
   * SVM is solved (svm; the passes inside one are not counted, their number is not known in advance);
   * `calibration`: likelihood evaluations of the temperature fit.
   */
  stage: 'features' | 'steps' | 'calibration';
  done: number;
  total: number;
  /** The fit this belongs to (1-based) of `fits`: the model on all rows first, then the calibration folds. */
  fit: number;
  fits: number;
}

export type TrainingSteps<T> = Generator<TrainProgress, T, void>;

/** Runs a training to its end in one go. */
export function runSteps<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

interface TimerGlobals {
  setImmediate?: (callback: () => void) => unknown;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: (() => void) | null; close(): void };
    port2: { postMessage(message: unknown): void };
  };
  performance?: { now(): number };
}

const timers = globalThis as unknown as TimerGlobals;

/**
 * Resolves in a later macrotask, so timers, I/O and messages queued meanwhile run first. Shared code
 * runs in Node and in a browser Web Worker: setImmediate where it exists (Node), else a MessageChannel
 * round trip (browsers clamp nested setTimeout(0) to 4 ms), else setTimeout.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (typeof timers.setImmediate === 'function') timers.setImmediate(resolve);
    else if (typeof timers.MessageChannel === 'function') {
      const channel = new timers.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else if (typeof timers.setTimeout === 'function') timers.setTimeout(resolve, 0);
    else resolve();
  });
}

const monotonicNow = (): number => (timers.performance ? timers.performance.now() : Date.now());

export interface SliceOptions<P = TrainProgress> {
  /** Longest stretch of work before the event loop gets a turn (ms). Default 16. */
  budgetMs?: number;
  /** Gives the event loop a turn. Default `yieldToEventLoop`. */
  yieldToLoop?: () => Promise<void>;
  /** Clock of the budget (ms). Default performance.now(). */
  now?: () => number;
  /** Called with the latest progress each time the training pauses. */
  onProgress?: (progress: P) => void;
}

/** Runs a training, pausing for the event loop whenever `budgetMs` of work has run since the last pause. */
export async function runStepsSliced<T, P>(
  steps: Generator<P, T, void>,
  options: SliceOptions<P> = {},
): Promise<T> {
  const budget = options.budgetMs ?? 16;
  const pause = options.yieldToLoop ?? yieldToEventLoop;
  const now = options.now ?? monotonicNow;
  let since = now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (now() - since >= budget) {
      options.onProgress?.(r.value);
      await pause();
      since = now();
    }
  }
}

/** Texts between two pause points while computing the gradient (~0.5 ms at 20 classes). */
const DOC_CHUNK = 64;
/** Texts between two pause points while counting n-grams and vectorising (slow while not yet compiled). */
const TEXT_CHUNK = 16;
/** Weights between two pause points of the Adam update (a 80,000 × 20 model has 1.6 M). */
const PARAM_CHUNK = 1 << 16;

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

/**
 * `softmax(z)` (temperature 1) written into `out`: the same arithmetic in the same order, without a new
 * array per text and step (millions of them in one training, and the garbage collector's pauses).
 */
function softmaxInto(z: Float64Array, out: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]!);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i]! - max);
    sum += out[i]!;
  }
  for (let i = 0; i < z.length; i++) out[i]! /= sum;
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
  return runSteps(fitTemperatureSteps(rows));
}

/** `fitTemperature` as pausable steps: one pause point per likelihood evaluation (a pass over `rows`). */
export function* fitTemperatureSteps(
  rows: { logits: ArrayLike<number>; truth: number }[],
  tag: { fit: number; fits: number } = { fit: 1, fits: 1 },
): TrainingSteps<number> {
  if (rows.length === 0) return 1;
  const evaluations = 42;
  let evaluated = 0;
  const nll = (logT: number): number => {
    const t = Math.exp(logT);
    let s = 0;
    for (const r of rows) s -= Math.log(Math.max(1e-12, softmax(r.logits, t)[r.truth]!));
    evaluated++;
    return s / rows.length;
  };
  const progress = (): TrainProgress => ({
    stage: 'calibration',
    done: evaluated,
    total: evaluations,
    ...tag,
  });
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(a);
  yield progress();
  let fb = nll(b);
  yield progress();
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
    yield progress();
  }
  return Math.exp((lo + hi) / 2);
}

/** Adds the gradient of docs [from, to) to `gw`/`gb` (the parameters are read from `w`/`b`). */
function accumulateGradient(
  docs: SparseVector[],
  y: Int32Array,
  k: number,
  from: number,
  to: number,
  sampleWeight: Float64Array,
  w: Float32Array,
  b: Float32Array,
  gw: Float32Array,
  gb: Float64Array,
  z: Float64Array,
  p: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const x = docs[i]!;
    for (let c = 0; c < k; c++) z[c] = b[c]!;
    for (let t = 0; t < x.index.length; t++) {
      const row = x.index[t]! * k;
      const v = x.value[t]!;
      for (let c = 0; c < k; c++) z[c]! += v * w[row + c]!;
    }
    softmaxInto(z, p);
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
}

/** One Adam update of the weights [from, to) (L2 on the weights). */
function adamWeights(
  from: number,
  to: number,
  lr: number,
  l2: number,
  w: Float32Array,
  gw: Float32Array,
  mw: Float32Array,
  vw: Float32Array,
): void {
  for (let j = from; j < to; j++) {
    const g = gw[j]! + l2 * w[j]!;
    mw[j] = ADAM_BETA1 * mw[j]! + (1 - ADAM_BETA1) * g;
    vw[j] = ADAM_BETA2 * vw[j]! + (1 - ADAM_BETA2) * g * g;
    w[j]! -= (lr * mw[j]!) / (Math.sqrt(vw[j]!) + 1e-8);
  }
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;

/**
 * Full-batch Adam. The arithmetic sits in plain functions (`accumulateGradient`, `adamWeights`) that the
 * generator calls chunk by chunk: the pause points cost nothing inside the hot loops.
 */
function* fitWeightsSteps(
  docs: SparseVector[],
  y: Int32Array,
  classCount: number,
  featureCount: number,
  o: Required<TrainOptions>,
  tag: { fit: number; fits: number },
): TrainingSteps<{ weights: Float32Array; bias: Float32Array }> {
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
  const z = new Float64Array(k);
  const p = new Float64Array(k);
  const progress = (done: number): TrainProgress => ({ stage: 'steps', done, total: o.epochs, ...tag });
  // Allocating and zeroing the optimiser's arrays (4 × features × classes) is a slice of its own.
  yield progress(0);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    gw.fill(0);
    gb.fill(0);
    for (let from = 0; from < n; from += DOC_CHUNK) {
      if (from > 0) yield progress(epoch - 1);
      accumulateGradient(docs, y, k, from, Math.min(n, from + DOC_CHUNK), sampleWeight, w, b, gw, gb, z, p);
    }
    const lr = (o.learningRate * Math.sqrt(1 - ADAM_BETA2 ** epoch)) / (1 - ADAM_BETA1 ** epoch);
    for (let from = 0; from < size; from += PARAM_CHUNK) {
      if (from > 0) yield progress(epoch - 1);
      adamWeights(from, Math.min(size, from + PARAM_CHUNK), lr, o.l2, w, gw, mw, vw);
    }
    for (let c = 0; c < k; c++) {
      const g = gb[c]!;
      mb[c] = ADAM_BETA1 * mb[c]! + (1 - ADAM_BETA1) * g;
      vb[c] = ADAM_BETA2 * vb[c]! + (1 - ADAM_BETA2) * g * g;
      b[c]! -= (lr * mb[c]!) / (Math.sqrt(vb[c]!) + 1e-8);
    }
    yield progress(epoch);
  }
  return { weights: w, bias: b };
}

/**
 * Rows of one SVM pass between two pause points: each costs about twice its n-grams (a dot product and
 * an update), so 1,024 ticket-length texts are well under a millisecond.
 */
const SVM_ROW_CHUNK = 1024;
/** LIBLINEAR's limits: at most 1,000 passes; stop when the projected gradients span ≤ 0.1. */
const SVM_MAX_PASSES = 1000;
const SVM_EPS = 0.1;

/**
 * Cost of every row: `c`, times n / (classes × rows of its class) when balanced (each class then
 * weighs the same in total, as scikit-learn's `class_weight="balanced"`). The weight is that of the
 * row's own class in every one-vs-rest problem.
 */
export function svmRowCosts(y: Int32Array, classCount: number, c: number, balanced: boolean): Float64Array {
  const n = y.length;
  const counts = new Float64Array(classCount);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  const classCost = Float64Array.from(counts, (m) => (balanced && m > 0 ? (c * n) / (classCount * m) : c));
  return Float64Array.from(y, (l) => classCost[l]!);
}

/** The state of one binary problem's dual coordinate descent, kept between pause points. */
interface SvmProblem {
  docs: SparseVector[];
  /** +1 for the class, -1 for the rest. */
  sign: Int8Array;
  /** 1 / (2 × cost) of each row: the squared hinge's term on the diagonal of the dual. */
  diag: Float64Array;
  /** Diagonal of the dual's matrix: |x|² + 1 (the bias feature) + diag. */
  qd: Float64Array;
  w: Float64Array;
  b: number;
  alpha: Float64Array;
  /** Rows in the order of this pass; the first `active` are not shrunk. */
  order: Int32Array;
  active: number;
  /** Position in `order` of the next row of this pass. */
  at: number;
  pgMax: number;
  pgMin: number;
  /** The previous pass's largest projected gradient (the shrinking threshold). */
  pgMaxOld: number;
}

/**
 * Up to `limit` positions of the current pass (Hsieh et al. 2008, algorithm 3, as in LIBLINEAR's
 * solve_l2r_l1l2_svc with the squared hinge: no upper bound on alpha). A plain function so the pause
 * points cost nothing inside the loop.
 */
function svmRows(p: SvmProblem, limit: number): void {
  const { docs, sign, diag, qd, w, alpha, order } = p;
  for (let done = 0; done < limit && p.at < p.active; done++) {
    const s = p.at;
    const i = order[s]!;
    const x = docs[i]!;
    let score = p.b;
    for (let t = 0; t < x.index.length; t++) score += w[x.index[t]!]! * x.value[t]!;
    const g = sign[i]! * score - 1 + alpha[i]! * diag[i]!;
    let pg = g;
    if (alpha[i] === 0) {
      if (g > p.pgMaxOld) {
        // Shrinking: a row at its bound whose gradient points outward sits out until the final check.
        p.active--;
        order[s] = order[p.active]!;
        order[p.active] = i;
        continue;
      }
      pg = Math.min(g, 0);
    }
    p.pgMax = Math.max(p.pgMax, pg);
    p.pgMin = Math.min(p.pgMin, pg);
    if (Math.abs(pg) > 1e-12) {
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qd[i]!, 0);
      const step = (alpha[i]! - old) * sign[i]!;
      for (let t = 0; t < x.index.length; t++) w[x.index[t]!]! += step * x.value[t]!;
      p.b += step;
    }
    p.at++;
  }
}

export interface BinarySvmResult {
  w: Float64Array;
  b: number;
  /** Dual variables (≥ 0), one per row. */
  alpha: Float64Array;
  passes: number;
  /** False when `maxPasses` ran out first. */
  converged: boolean;
}

/**
 * One binary L2-regularised squared-hinge SVM, min ½|w|² + ½b² + Σ cost_i · max(0, 1 − y_i(w·x_i + b))²,
 * by dual coordinate descent with shrinking; the bias is a constant feature of value 1, regularised as
 * in LIBLINEAR, so `c` keeps its usual meaning. Rows are visited in a seeded random order. One pause
 * point per `SVM_ROW_CHUNK` rows and one per pass.
 */
export function* fitBinarySvmSteps(
  docs: SparseVector[],
  sign: Int8Array,
  cost: Float64Array,
  featureCount: number,
  seed: number,
  options: { maxPasses?: number; qd?: Float64Array } = {},
): Generator<void, BinarySvmResult, void> {
  const n = docs.length;
  const diag = Float64Array.from(cost, (c) => 0.5 / c);
  const qd = options.qd ?? svmDiagonal(docs, diag);
  const maxPasses = options.maxPasses ?? SVM_MAX_PASSES;
  const p: SvmProblem = {
    docs,
    sign,
    diag,
    qd,
    w: new Float64Array(featureCount),
    b: 0,
    alpha: new Float64Array(n),
    order: Int32Array.from({ length: n }, (_, i) => i),
    active: n,
    at: 0,
    pgMax: -Infinity,
    pgMin: Infinity,
    pgMaxOld: Infinity,
  };
  const rand = seededRandom(seed);
  let passes = 0;
  let converged = false;
  while (passes < maxPasses) {
    passes++;
    p.pgMax = -Infinity;
    p.pgMin = Infinity;
    for (let i = 0; i < p.active; i++) {
      const j = i + Math.floor(rand() * (p.active - i));
      const t = p.order[i]!;
      p.order[i] = p.order[j]!;
      p.order[j] = t;
    }
    p.at = 0;
    for (;;) {
      svmRows(p, SVM_ROW_CHUNK);
      if (p.at >= p.active) break;
      yield;
    }
    if (p.pgMax - p.pgMin <= SVM_EPS) {
      // Converged on the active rows: stop only if no row was shrunk, else check them all once more.
      if (p.active === n) {
        converged = true;
        break;
      }
      p.active = n;
      p.pgMaxOld = Infinity;
    } else p.pgMaxOld = p.pgMax <= 0 ? Infinity : p.pgMax;
    if (passes < maxPasses) yield;
  }
  return { w: p.w, b: p.b, alpha: p.alpha, passes, converged };
}

/** |x|² + 1 + diag of every row (the same in every one-vs-rest problem: computed once per fit). */
function svmDiagonal(docs: SparseVector[], diag: Float64Array): Float64Array {
  const qd = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    let s = 1 + diag[i]!;
    for (const v of docs[i]!.value) s += v * v;
    qd[i] = s;
  }
  return qd;
}

/** One-vs-rest SVMs, one class after the other; their decision values are the logits. */
function* fitSvmWeightsSteps(
  docs: SparseVector[],
  y: Int32Array,
  classCount: number,
  featureCount: number,
  o: Required<TrainOptions>,
  tag: { fit: number; fits: number },
): TrainingSteps<{ weights: Float32Array; bias: Float32Array }> {
  const k = classCount;
  const cost = svmRowCosts(y, k, o.c, o.balanced);
  const qd = svmDiagonal(
    docs,
    Float64Array.from(cost, (c) => 0.5 / c),
  );
  const weights = new Float32Array(featureCount * k);
  const bias = new Float32Array(k);
  const sign = new Int8Array(docs.length);
  const progress = (done: number): TrainProgress => ({ stage: 'steps', done, total: k, ...tag });
  yield progress(0);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < y.length; i++) sign[i] = y[i] === c ? 1 : -1;
    const steps = fitBinarySvmSteps(docs, sign, cost, featureCount, o.seed + c, { qd });
    let r = steps.next();
    for (; !r.done; r = steps.next()) yield progress(c);
    const { w, b } = r.value;
    for (let j = 0; j < featureCount; j++) weights[j * k + c] = w[j]!;
    bias[c] = b;
    yield progress(c + 1);
  }
  return { weights, bias };
}

function withDefaults(options: TrainOptions, rows: number): Required<TrainOptions> {
  const solver = options.solver ?? 'svm';
  if (solver !== 'svm' && solver !== 'logistic')
    throw new Error(`unknown solver ${JSON.stringify(solver)}: use "svm" or "logistic"`);
  const c = options.c ?? 1;
  if (!(Number.isFinite(c) && c > 0)) throw new Error(`the SVM cost c must be a positive number, not ${c}`);
  return {
    solver,
    c,
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
function* trainUncalibratedSteps(
  data: readonly LabelledText[],
  o: Required<TrainOptions>,
  classes: string[],
  tag: { fit: number; fits: number },
): TrainingSteps<LinearModel> {
  const n = data.length;
  const progress = (done: number): TrainProgress => ({ stage: 'features', done, total: 2 * n, ...tag });
  const tokenCounts: Map<string, number>[] = [];
  const df = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (i % TEXT_CHUNK === 0) yield progress(i);
    const counts = countTokens(data[i]!.text, o.maxN);
    tokenCounts.push(counts);
    for (const t of counts.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  }
  yield progress(n);
  const features = [...df.entries()]
    .filter(([, c]) => c >= o.minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, o.maxFeatures)
    .map(([t]) => t);
  // Sorting the n-grams and building the vocabulary cannot be split: each gets a slice of its own.
  yield progress(n);
  const vocab = new Map(features.map((f, i) => [f, i]));
  const idf = new Float32Array(features.length);
  features.forEach((f, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(f)!)) + 1));
  yield progress(n);
  const docs: SparseVector[] = [];
  for (let i = 0; i < n; i++) {
    if (i % TEXT_CHUNK === 0) yield progress(n + i);
    docs.push(vectorFromCounts(tokenCounts[i]!, vocab, idf));
  }
  yield progress(2 * n);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(data.map((d) => classIndex.get(d.label)!));
  const fit = o.solver === 'svm' ? fitSvmWeightsSteps : fitWeightsSteps;
  const { weights, bias } = yield* fit(docs, y, classes.length, features.length, o, tag);
  return { classes, features, vocab, idf, weights, bias, temperature: 1, maxN: o.maxN };
}

/**
 * Trains a calibrated model: the temperature is fitted on out-of-fold logits of `calibrationFolds`
 * models, then the final model is trained on all rows.
 */
export function trainLinearModel(data: readonly LabelledText[], options: TrainOptions = {}): LinearModel {
  return runSteps(trainLinearModelSteps(data, options));
}

/** `trainLinearModel` giving the event loop a turn every `budgetMs`; the same model, bit for bit. */
export function trainLinearModelAsync(
  data: readonly LabelledText[],
  options: TrainOptions = {},
  slice: SliceOptions = {},
): Promise<LinearModel> {
  return runStepsSliced(trainLinearModelSteps(data, options), slice);
}

/** `trainLinearModel` as pausable steps (see `TrainProgress`). */
export function* trainLinearModelSteps(
  data: readonly LabelledText[],
  options: TrainOptions = {},
): TrainingSteps<LinearModel> {
  if (data.length === 0) throw new Error('no training texts');
  const o = withDefaults(options, data.length);
  const classes = [...new Set(data.map((d) => d.label))].sort();
  if (classes.length < 2) throw new Error('training needs at least two categories');
  const calibrate = o.calibrationFolds >= 2 && data.length >= o.calibrationFolds * 2;
  const fits = calibrate ? 1 + o.calibrationFolds : 1;
  // The optimiser's total (see `TrainProgress`), reported again while the held-out texts are scored.
  const fitTotal = o.solver === 'svm' ? classes.length : o.epochs;
  const model = yield* trainUncalibratedSteps(data, o, classes, { fit: 1, fits });
  if (calibrate) {
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
      const tag = { fit: 2 + f, fits };
      const inner = yield* trainUncalibratedSteps(train, o, classes, tag);
      for (let i = 0; i < held.length; i++) {
        if (i > 0 && i % TEXT_CHUNK === 0) yield { stage: 'steps', done: fitTotal, total: fitTotal, ...tag };
        const d = held[i]!;
        rows.push({ logits: logits(inner, vectorize(inner, d.text)), truth: classes.indexOf(d.label) });
      }
    }
    model.temperature = yield* fitTemperatureSteps(rows, { fit: fits, fits });
  }
  return model;
}
