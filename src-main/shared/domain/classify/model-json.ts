import { z } from 'zod';
import { DEFAULT_TAXONOMY, type Taxonomy } from '../taxonomy';
import { getDefaultClassifier, TextClassifier, buildSeedClassifier } from './classifier';
import type { LinearModel } from './linear-model';

/**
 * A classifier as JSON (what `watchfloor classifier train --out` writes). Weights are rounded to 1e-5
 * and stored flat, row-major [feature][class]; features whose weights all round to zero are dropped.
 */

export const MODEL_FORMAT = 'watchfloor-text-classifier';

export const ClassifierModelJson = z
  .object({
    format: z.literal(MODEL_FORMAT),
    formatVersion: z.literal(1),
    kind: z.enum(['seed', 'trained']),
    taxonomy: z.object({ id: z.string(), version: z.string() }),
    depth: z.number().int().min(1).max(3),
    trainedAt: z.string(),
    rows: z.number().int().nonnegative(),
    maxN: z.number().int().min(1).max(3),
    temperature: z.number().positive().finite(),
    classes: z.array(z.string().min(1)).min(2),
    features: z.array(z.string().min(1)),
    idf: z.array(z.number().finite()),
    bias: z.array(z.number().finite()),
    weights: z.array(z.number().finite()),
  })
  .superRefine((m, ctx) => {
    const bad = (message: string): void => void ctx.addIssue({ code: 'custom', message });
    if (m.idf.length !== m.features.length) bad('idf must have one entry per feature');
    if (m.bias.length !== m.classes.length) bad('bias must have one entry per class');
    if (m.weights.length !== m.features.length * m.classes.length)
      bad('weights must have features × classes entries');
  });
export type ClassifierModelJson = z.infer<typeof ClassifierModelJson>;

const round = (v: number): number => Math.round(v * 1e5) / 1e5;

export function classifierToJson(c: TextClassifier): ClassifierModelJson {
  const m = c.model;
  const k = m.classes.length;
  const keep: number[] = [];
  for (let j = 0; j < m.features.length; j++) {
    let any = false;
    for (let i = 0; i < k && !any; i++) any = round(m.weights[j * k + i]!) !== 0;
    if (any) keep.push(j);
  }
  const weights: number[] = [];
  for (const j of keep) for (let i = 0; i < k; i++) weights.push(round(m.weights[j * k + i]!));
  return {
    format: MODEL_FORMAT,
    formatVersion: 1,
    kind: c.info.kind,
    taxonomy: c.info.taxonomy,
    depth: c.info.depth,
    trainedAt: c.info.trainedAt,
    rows: c.info.rows,
    maxN: m.maxN,
    temperature: m.temperature,
    classes: m.classes,
    features: keep.map((j) => m.features[j]!),
    idf: keep.map((j) => round(m.idf[j]!)),
    bias: Array.from(m.bias, round),
    weights,
  };
}

export class ClassifierModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierModelError';
  }
}

/** Rebuilds a classifier from its JSON; the taxonomy must be the one it was trained with. */
export function classifierFromJson(raw: unknown, taxonomy: Taxonomy = DEFAULT_TAXONOMY): TextClassifier {
  const parsed = ClassifierModelJson.safeParse(raw);
  if (!parsed.success)
    throw new ClassifierModelError(
      `not a Watchfloor classifier model: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const j = parsed.data;
  if (j.taxonomy.id !== taxonomy.id || j.taxonomy.version !== taxonomy.version)
    throw new ClassifierModelError(
      `the model was trained for taxonomy ${j.taxonomy.id} ${j.taxonomy.version}, not ${taxonomy.id} ${taxonomy.version}; train it again`,
    );
  const model: LinearModel = {
    classes: j.classes,
    features: j.features,
    vocab: new Map(j.features.map((f, i) => [f, i])),
    idf: Float32Array.from(j.idf),
    weights: Float32Array.from(j.weights),
    bias: Float32Array.from(j.bias),
    temperature: j.temperature,
    maxN: j.maxN,
  };
  const refiner =
    j.depth < 3
      ? taxonomy === DEFAULT_TAXONOMY
        ? getDefaultClassifier()
        : buildSeedClassifier(taxonomy)
      : null;
  return new TextClassifier(
    model,
    {
      kind: j.kind,
      taxonomy: j.taxonomy,
      depth: j.depth,
      classes: j.classes,
      trainedAt: j.trainedAt,
      rows: j.rows,
    },
    taxonomy,
    refiner,
  );
}
