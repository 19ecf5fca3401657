import { z } from 'zod';

/**
 * `manifest.json` of a health model (`models/<id>/`): everything the runtime must know to feed the
 * ONNX file and read its outputs. It lives in the contract because consoles score with it too
 * (`predict/model` hands a console the manifest and the model bytes).
 *
 * The schema checks the manifest on its own (shapes, lengths, names); whether the model file and
 * the device kind's metrics match it is checked where they are known (core/predict/manifest.ts).
 */

const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits or _ . : -');
const Finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** The horizons the contract reports ({@link FailureProbabilities}); a model must predict each. */
export const REQUIRED_HORIZONS_HOURS = [4, 8, 24] as const;

export const ModelManifest = z
  .object({
    format: z.literal('watchfloor-model'),
    formatVersion: z.literal(1),
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits or . _ -'),
    version: z.string().min(1).max(64),
    deviceKind: Name,
    createdAt: z.iso.datetime({ offset: true }),
    /** A file name beside the manifest (no folders: a manifest never points outside its model folder). */
    file: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/, 'must be a plain file name ending in .onnx'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
    bytes: z.number().int().positive(),
    input: z.object({
      name: Name,
      dtype: z.literal('float32'),
      /** `[-1 (batch), steps, features]`. */
      shape: z.tuple([z.literal(-1), z.number().int().positive(), z.number().int().positive()]),
    }),
    window: z.object({
      stepMinutes: z.number().positive().max(1440),
      steps: z.number().int().positive().max(1024),
      minSteps: z.number().int().positive(),
    }),
    /** Feature names in the model's input order (`<metric>.<aggregate>` or `coverage`). */
    features: z.array(Name).min(1).max(256),
    normalisation: z.object({ mean: z.array(Finite), std: z.array(Finite) }),
    outputs: z.object({
      /** `[N, horizons]` probabilities of failing within each horizon. */
      failureProbability: z.object({
        name: Name,
        horizonsHours: z.array(z.number().positive()).min(1).max(16),
      }),
      /** `[N, 1]` hours to failure, capped at `capHours` (the cap means "not within sight"). */
      timeToFailure: z.object({ name: Name, capHours: z.number().positive() }),
      /** `[N, modes]` distribution over failure modes (ids of the knowledge graph). */
      failureMode: z.object({ name: Name, modes: z.array(Name).min(1).max(64) }),
    }),
    /** Features (listed in `features`) filled from the weather context rather than telemetry. */
    weatherFeatures: z.array(Name).default([]),
    training: z
      .object({
        dataHash: z.string().min(1),
        dataset: z.string(),
        command: z.string(),
        seed: z.number().int(),
        samples: z.number().int().min(0),
      })
      .loose(),
    metrics: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const n = m.features.length;
    if (new Set(m.features).size !== n) issue(['features'], 'feature names must be distinct');
    if (m.normalisation.mean.length !== n)
      issue(['normalisation', 'mean'], `has ${m.normalisation.mean.length} values for ${n} features`);
    if (m.normalisation.std.length !== n)
      issue(['normalisation', 'std'], `has ${m.normalisation.std.length} values for ${n} features`);
    m.normalisation.std.forEach((s, i) => {
      if (!(s > 0))
        issue(['normalisation', 'std', i], `must be > 0 (feature ${m.features[i] ?? i}), got ${s}`);
    });
    if (m.input.shape[1] !== m.window.steps)
      issue(['input', 'shape', 1], `is ${m.input.shape[1]} but window.steps is ${m.window.steps}`);
    if (m.input.shape[2] !== n)
      issue(['input', 'shape', 2], `is ${m.input.shape[2]} but there are ${n} features`);
    if (m.window.minSteps > m.window.steps)
      issue(['window', 'minSteps'], `(${m.window.minSteps}) exceeds window.steps (${m.window.steps})`);
    const h = m.outputs.failureProbability.horizonsHours;
    if (h.some((x, i) => i > 0 && x <= h[i - 1]!))
      issue(['outputs', 'failureProbability', 'horizonsHours'], 'must be strictly ascending');
    for (const need of REQUIRED_HORIZONS_HOURS)
      if (!h.includes(need))
        issue(
          ['outputs', 'failureProbability', 'horizonsHours'],
          `must include ${need} h (got ${h.join(', ')})`,
        );
    if (new Set(m.outputs.failureMode.modes).size !== m.outputs.failureMode.modes.length)
      issue(['outputs', 'failureMode', 'modes'], 'mode ids must be distinct');
    const names = [
      m.input.name,
      m.outputs.failureProbability.name,
      m.outputs.timeToFailure.name,
      m.outputs.failureMode.name,
    ];
    if (new Set(names).size !== names.length) issue(['outputs'], 'input and output names must be distinct');
    for (const w of m.weatherFeatures)
      if (!m.features.includes(w)) issue(['weatherFeatures'], `${w} is not one of the features`);
  });
export type ModelManifest = z.infer<typeof ModelManifest>;

/** A model as `predict/model` hands it to a console: the manifest and the ONNX bytes (base64). */
export const ModelFile = z.object({
  manifest: ModelManifest,
  model: z.string(),
});
export type ModelFile = z.infer<typeof ModelFile>;
