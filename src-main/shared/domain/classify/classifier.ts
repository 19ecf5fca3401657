import {
  DEFAULT_TAXONOMY,
  PATH_SEPARATOR,
  pathDepth,
  pathPrefix,
  type Taxonomy,
  taxonomyLeaves,
} from '../taxonomy';
import { assertClassifyInput } from './input';
import {
  type LabelledText,
  type LinearModel,
  logits,
  runSteps,
  runStepsSliced,
  type SliceOptions,
  softmax,
  type TrainingSteps,
  type TrainOptions,
  trainLinearModelSteps,
  vectorize,
} from './linear-model';
import { SEED_EXAMPLES } from './seed-examples';

/**
 * The classifier the hosts use: a calibrated linear model over category paths of one depth, and (when
 * that depth is above the leaves) the seed model to choose the lower levels inside the predicted class.
 *
 * Errors: `classify` THROWS a ClassifyInputError (code `empty`, `too-long` or `unsupported-language`)
 * instead of returning a flagged result, so no caller can mistake a guess on bad text for a
 * classification; `checkClassifyInput` gives the same verdict without throwing.
 */

export interface TopWord {
  /** A character n-gram or ASCII word of the text. */
  word: string;
  /** Its contribution to the chosen class's logit (tf-idf value × weight), > 0. */
  weight: number;
}

export interface ClassifyResult {
  /** `<level1>/<level2>/<level3>` in Chinese names. */
  category: string;
  /** `environment.pollution.noise` */
  leafId: string;
  /**
   * Calibrated probability (0..1) of the class the model decided, i.e. of the first `depth` levels of
   * `category`. The double-dispatch threshold applies to this figure.
   */
  confidence: number;
  /** Levels the model was trained on (1–3); deeper levels come from the seed model. */
  depth: number;
  /** Probability of each level's prefix of `category` (deeper than `depth`: P(prefix) × the seed model's share). */
  levels: number[];
  topWords: TopWord[];
  /** The next most likely classes, as full paths, with their confidence. */
  alternatives: { category: string; confidence: number }[];
}

export interface ClassifierInfo {
  kind: 'seed' | 'trained';
  taxonomy: { id: string; version: string };
  depth: number;
  classes: string[];
  trainedAt: string;
  rows: number;
}

export class TextClassifier {
  private readonly leafIds = new Map<string, string>();
  private readonly leafPaths: string[];

  constructor(
    readonly model: LinearModel,
    readonly info: ClassifierInfo,
    readonly taxonomy: Taxonomy,
    /** Chooses the lower levels when `info.depth` < 3 (a leaf-level model). */
    private readonly refiner: TextClassifier | null,
  ) {
    const leaves = taxonomyLeaves(taxonomy);
    for (const l of leaves) this.leafIds.set(l.path, l.id);
    this.leafPaths = leaves.map((l) => l.path);
    if (info.depth < 3 && (!refiner || refiner.info.depth !== 3))
      throw new Error('a model above leaf depth needs a leaf-level refiner');
  }

  /** Class probabilities of the model (calibrated), in `model.classes` order. */
  probabilities(text: string): Float64Array {
    assertClassifyInput(text);
    return softmax(logits(this.model, vectorize(this.model, text)), this.model.temperature);
  }

  classify(text: string, options: { alternatives?: number; topWords?: number } = {}): ClassifyResult {
    assertClassifyInput(text);
    const m = this.model;
    const x = vectorize(m, text);
    const p = softmax(logits(m, x), m.temperature);
    const order = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
    const best = order[0]!;
    const leafProbs = this.refiner ? this.refiner.probabilities(text) : null;
    const leafOf = (cls: string): { path: string; share: number } => {
      if (!leafProbs || !this.refiner) return { path: cls, share: 1 };
      const classes = this.refiner.model.classes;
      const prefix = cls + PATH_SEPARATOR;
      let bestLeaf = -1;
      let total = 0;
      for (let i = 0; i < classes.length; i++)
        if (classes[i]!.startsWith(prefix)) {
          total += leafProbs[i]!;
          if (bestLeaf < 0 || leafProbs[i]! > leafProbs[bestLeaf]!) bestLeaf = i;
        }
      if (bestLeaf < 0) {
        // The seed model knows no leaf below this class: take the taxonomy's first leaf under it.
        return { path: this.leafPaths.find((l) => l.startsWith(prefix)) ?? cls, share: 0 };
      }
      return { path: classes[bestLeaf]!, share: total > 0 ? leafProbs[bestLeaf]! / total : 0 };
    };
    const top = leafOf(m.classes[best]!);
    const depth = this.info.depth;
    const cls = m.classes[best]!;
    const levels: number[] = [];
    for (let d = 1; d <= 3; d++) {
      const prefix = pathPrefix(top.path, d);
      if (d <= depth) {
        let s = 0;
        m.classes.forEach((c, i) => {
          if (c === prefix || c.startsWith(prefix + PATH_SEPARATOR)) s += p[i]!;
        });
        levels.push(s);
      } else {
        // Below the model's depth: P(class) × the seed model's share of this prefix inside the class.
        levels.push(p[best]! * (d === 3 ? top.share : this.seedShare(cls, prefix, leafProbs)));
      }
    }
    return {
      category: top.path,
      leafId: this.leafIds.get(top.path) ?? '',
      confidence: p[best]!,
      depth,
      levels: levels.map((v) => Math.min(1, Math.max(0, v))),
      topWords: this.topWords(x, best, options.topWords ?? 5),
      alternatives: order.slice(1, 1 + (options.alternatives ?? 3)).map((i) => ({
        category: leafOf(m.classes[i]!).path,
        confidence: p[i]!,
      })),
    };
  }

  /** The seed model's probability of `prefix` inside `cls` (both paths, `prefix` below `cls`). */
  private seedShare(cls: string, prefix: string, leafProbs: Float64Array | null): number {
    if (!leafProbs || !this.refiner) return 0;
    let inClass = 0;
    let inPrefix = 0;
    this.refiner.model.classes.forEach((c, i) => {
      if (c.startsWith(cls + PATH_SEPARATOR)) inClass += leafProbs[i]!;
      if (c.startsWith(prefix + PATH_SEPARATOR)) inPrefix += leafProbs[i]!;
    });
    return inClass > 0 ? inPrefix / inClass : 0;
  }

  private topWords(x: ReturnType<typeof vectorize>, cls: number, count: number): TopWord[] {
    const m = this.model;
    const k = m.classes.length;
    const scored: TopWord[] = [];
    for (let i = 0; i < x.index.length; i++) {
      const weight = x.value[i]! * m.weights[x.index[i]! * k + cls]!;
      if (weight > 0) scored.push({ word: m.features[x.index[i]!]!, weight });
    }
    scored.sort((a, b) => b.weight - a.weight);
    // A shorter n-gram inside one already shown adds nothing for the agent.
    const out: TopWord[] = [];
    for (const s of scored) {
      if (out.length >= count) break;
      if (out.some((o) => o.word.includes(s.word))) continue;
      out.push({ word: s.word, weight: Math.round(s.weight * 1e4) / 1e4 });
    }
    return out;
  }
}

/** Training texts the project wrote for every leaf: the seed examples, and the leaf's names and keywords. */
export function seedTrainingTexts(
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
  examples: Readonly<Record<string, readonly string[]>> = SEED_EXAMPLES,
): LabelledText[] {
  const out: LabelledText[] = [];
  for (const leaf of taxonomyLeaves(taxonomy)) {
    const label = leaf.path;
    out.push({ text: `${leaf.names.join('，')}：${leaf.keywords.join('，')}`, label });
    out.push({ text: `${leaf.names[2]}问题，${leaf.keywords.slice(0, 4).join('、')}`, label });
    for (const k of leaf.keywords) out.push({ text: k, label });
    for (const e of examples[leaf.id] ?? []) out.push({ text: e, label });
  }
  return out;
}

/**
 * The seed model's training options: tiny texts, so every n-gram counts and the fit runs briefly. It
 * stays the logistic regression its thresholds (docs/classifier.md, the matrix's default) were measured
 * on; the SVM that trained models use was not evaluated as the zero-shot default.
 */
const SEED_TRAIN_OPTIONS: Readonly<TrainOptions> = {
  solver: 'logistic',
  minDf: 1,
  epochs: 40,
  learningRate: 0.2,
  calibrationFolds: 2,
};

/**
 * The shipped zero-shot default: a leaf-level model trained only on the taxonomy's names, keywords and
 * the project's seed examples. Deterministic; about 1–2 s of CPU (see `buildSeedClassifierAsync` for
 * a build that leaves the event loop free).
 */
export function buildSeedClassifier(
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
  examples: Readonly<Record<string, readonly string[]>> = SEED_EXAMPLES,
  now: () => Date = () => new Date(0),
): TextClassifier {
  return runSteps(buildSeedClassifierSteps(taxonomy, examples, now));
}

/** `buildSeedClassifier` giving the event loop a turn every `slice.budgetMs`; the same model, bit for bit. */
export function buildSeedClassifierAsync(
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
  examples: Readonly<Record<string, readonly string[]>> = SEED_EXAMPLES,
  now: () => Date = () => new Date(0),
  slice: SliceOptions = {},
): Promise<TextClassifier> {
  return runStepsSliced(buildSeedClassifierSteps(taxonomy, examples, now), slice);
}

/** `buildSeedClassifier` as pausable steps (see `TrainProgress` in linear-model.ts). */
export function* buildSeedClassifierSteps(
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
  examples: Readonly<Record<string, readonly string[]>> = SEED_EXAMPLES,
  now: () => Date = () => new Date(0),
): TrainingSteps<TextClassifier> {
  const data = seedTrainingTexts(taxonomy, examples);
  const model = yield* trainLinearModelSteps(data, SEED_TRAIN_OPTIONS);
  return new TextClassifier(
    model,
    {
      kind: 'seed',
      taxonomy: { id: taxonomy.id, version: taxonomy.version },
      depth: 3,
      classes: model.classes,
      trainedAt: now().toISOString(),
      rows: data.length,
    },
    taxonomy,
    null,
  );
}

let defaultClassifier: TextClassifier | null = null;
let defaultBuild: Promise<TextClassifier> | null = null;

/** The seed classifier of DEFAULT_TAXONOMY, built once per process or worker. */
export function getDefaultClassifier(): TextClassifier {
  defaultClassifier ??= buildSeedClassifier();
  return defaultClassifier;
}

/**
 * `getDefaultClassifier` built in slices (the hub's start-up: the event loop stays free). Concurrent
 * callers share one build; `slice` applies to the build this call starts.
 */
export function getDefaultClassifierAsync(slice: SliceOptions = {}): Promise<TextClassifier> {
  if (defaultClassifier) return Promise.resolve(defaultClassifier);
  defaultBuild ??= buildSeedClassifierAsync(DEFAULT_TAXONOMY, SEED_EXAMPLES, undefined, slice).then(
    (built) => {
      // A synchronous caller may have built it meanwhile: keep the first so every user shares one.
      defaultClassifier ??= built;
      defaultBuild = null;
      return defaultClassifier;
    },
    (err: unknown) => {
      defaultBuild = null;
      throw err;
    },
  );
  return defaultBuild;
}

/** The seed classifier of `taxonomy` as steps (DEFAULT_TAXONOMY's is built once and then reused). */
export function* seedClassifierSteps(taxonomy: Taxonomy = DEFAULT_TAXONOMY): TrainingSteps<TextClassifier> {
  if (taxonomy !== DEFAULT_TAXONOMY) return yield* buildSeedClassifierSteps(taxonomy);
  if (!defaultClassifier) {
    const built = yield* buildSeedClassifierSteps();
    defaultClassifier ??= built;
  }
  return defaultClassifier;
}

export interface TrainClassifierOptions extends TrainOptions {
  taxonomy?: Taxonomy;
  /**
   * Also train on the seed texts of the classes present in the data (labels cut to the data's depth):
   * the taxonomy's words as a prior for small data sets. Default true.
   */
  taxonomyPrior?: boolean;
  /** The leaf-level refiner (default: the seed classifier of the taxonomy). */
  refiner?: TextClassifier;
  now?: () => Date;
}

/**
 * Trains a classifier from labelled texts whose labels are resolved category paths of ONE depth
 * (see `prepareTrainingRows` in training-csv.ts, which cuts mixed depths to the shallowest).
 */
export function trainClassifier(data: LabelledText[], options: TrainClassifierOptions = {}): TextClassifier {
  return runSteps(trainClassifierSteps(data, options));
}

/** `trainClassifier` giving the event loop a turn every `slice.budgetMs`; the same model, bit for bit. */
export function trainClassifierAsync(
  data: LabelledText[],
  options: TrainClassifierOptions = {},
  slice: SliceOptions = {},
): Promise<TextClassifier> {
  return runStepsSliced(trainClassifierSteps(data, options), slice);
}

/**
 * `trainClassifier` as pausable steps. Without `options.refiner`, a model above leaf depth also builds
 * the seed refiner when it is not built yet; those steps report the seed build's own progress.
 */
export function* trainClassifierSteps(
  data: LabelledText[],
  options: TrainClassifierOptions = {},
): TrainingSteps<TextClassifier> {
  const taxonomy = options.taxonomy ?? DEFAULT_TAXONOMY;
  const depths = new Set(data.map((d) => pathDepth(d.label)));
  if (depths.size !== 1) throw new Error('all training labels must have the same depth');
  const depth = [...depths][0]!;
  const present = new Set(data.map((d) => d.label));
  const prior =
    options.taxonomyPrior === false
      ? []
      : seedTrainingTexts(taxonomy)
          .map((d) => ({ text: d.text, label: pathPrefix(d.label, depth) }))
          .filter((d) => present.has(d.label));
  const model = yield* trainLinearModelSteps([...data, ...prior], options);
  const refiner = depth < 3 ? (options.refiner ?? (yield* seedClassifierSteps(taxonomy))) : null;
  return new TextClassifier(
    model,
    {
      kind: 'trained',
      taxonomy: { id: taxonomy.id, version: taxonomy.version },
      depth,
      classes: model.classes,
      trainedAt: (options.now ?? (() => new Date()))().toISOString(),
      rows: data.length,
    },
    taxonomy,
    refiner,
  );
}
