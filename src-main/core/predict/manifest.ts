import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelManifest, type ModelFile } from '@shared/contract/model-manifest';
import { compileSpec, FeatureSpecError, type CompiledSpec, type WindowSpec } from './features';

export { ModelManifest };

/**
 * Loading a health model from its folder (`models/<id>/manifest.json` + the ONNX file it names).
 * Every way a model can be unusable ends in a {@link ModelLoadError} that names the file and the
 * problem, so the predict service can show it and fall back to rules only — never score with a
 * model that does not match what it says it is.
 */

export type ModelLoadReason = 'missing' | 'corrupt' | 'mismatch' | 'invalid-manifest';

export class ModelLoadError extends Error {
  readonly reason: ModelLoadReason;
  /** The file the problem is in. */
  readonly file: string;
  /** From the manifest, when it could be read that far (for status lines: whose model failed). */
  readonly modelId: string | null;
  readonly deviceKind: string | null;
  constructor(
    reason: ModelLoadReason,
    file: string,
    problem: string,
    about: { modelId?: string; deviceKind?: string } = {},
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelLoadError';
    this.reason = reason;
    this.file = file;
    this.modelId = about.modelId ?? null;
    this.deviceKind = about.deviceKind ?? null;
  }
}

export interface LoadedModel {
  dir: string;
  manifest: ModelManifest;
  /** The ONNX file, checked against the manifest's size and sha256. */
  bytes: Uint8Array;
  /** The window the features module must produce for this model (all features, manifest order). */
  spec: WindowSpec;
  /** {@link spec} checked against the device kind's metrics, ready for `new FeatureWindows(...)`. */
  compiled: CompiledSpec;
}

/** Metric keys of a device kind in the configuration, or null when the kind is not configured. */
export type MetricKeysOf = (deviceKind: string) => readonly string[] | null;

export const MANIFEST_FILE = 'manifest.json';

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

async function readOrFail(
  file: string,
  what: string,
  about?: { modelId?: string; deviceKind?: string },
): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = errno(err);
    const problem =
      code === 'ENOENT'
        ? `${what} does not exist`
        : code === 'EISDIR'
          ? `${what} is a folder, not a file`
          : `${what} cannot be read (${code ?? String(err)})`;
    throw new ModelLoadError('missing', file, problem, about);
  }
}

/** Parses and checks a manifest's text; `file` names it in errors. */
export function parseManifest(text: string, file: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ModelLoadError('invalid-manifest', file, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    throw new ModelLoadError('invalid-manifest', file, `invalid manifest: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * A serialized ONNX ModelProto starts with field 1 (ir_version, a varint): tag byte 0x08. Anything
 * else is not an ONNX file (a text file, an HTML error page, a truncated download's zeros…).
 */
export function looksLikeOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 16 && bytes[0] === 0x08;
}

/**
 * Reads `dir/manifest.json` and the model file it names, and checks: the manifest's schema, the
 * file's size and sha256, that it looks like ONNX, and that the features exist for the model's
 * device kind (weather features excepted: they come from the weather context).
 */
export async function loadModel(dir: string, metricKeysOf: MetricKeysOf): Promise<LoadedModel> {
  const folder = resolve(dir);
  const manifestFile = join(folder, MANIFEST_FILE);
  const manifest = parseManifest(
    (await readOrFail(manifestFile, 'the model manifest')).toString('utf8'),
    manifestFile,
  );
  const about = { modelId: manifest.id, deviceKind: manifest.deviceKind };
  const modelFile = join(folder, manifest.file);
  const bytes = await readOrFail(modelFile, `the model file of ${manifest.id}`, about);
  if (bytes.length !== manifest.bytes)
    throw new ModelLoadError(
      'mismatch',
      modelFile,
      `is ${bytes.length} bytes but ${MANIFEST_FILE} says ${manifest.bytes}: the model file does not match its manifest`,
      about,
    );
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== manifest.sha256)
    throw new ModelLoadError(
      'mismatch',
      modelFile,
      `sha256 is ${sha} but ${MANIFEST_FILE} says ${manifest.sha256}: the model file does not match its manifest`,
      about,
    );
  if (!looksLikeOnnx(bytes)) throw new ModelLoadError('corrupt', modelFile, 'is not an ONNX model', about);
  const keys = metricKeysOf(manifest.deviceKind);
  if (!keys)
    throw new ModelLoadError(
      'mismatch',
      manifestFile,
      `device kind "${manifest.deviceKind}" is not in the configuration`,
      about,
    );
  if (manifest.weatherFeatures.length > 0)
    // Feature windows are built from telemetry only; a model that also reads weather would be fed
    // a window of the wrong width, so it is refused rather than scored wrongly.
    throw new ModelLoadError(
      'mismatch',
      manifestFile,
      `uses weather features (${manifest.weatherFeatures.join(', ')}), which this runtime's feature windows do not provide`,
      about,
    );
  const spec: WindowSpec = { ...manifest.window, features: manifest.features };
  let compiled: CompiledSpec;
  try {
    compiled = compileSpec(spec, keys);
  } catch (err) {
    if (err instanceof FeatureSpecError)
      throw new ModelLoadError(
        'mismatch',
        manifestFile,
        `features do not fit device kind "${manifest.deviceKind}" (metrics ${keys.join(', ')}): ${err.message}`,
        about,
      );
    throw err;
  }
  return {
    dir: folder,
    manifest,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    spec,
    compiled,
  };
}

/** Names of the folders under `modelsDir` that hold a manifest.json (sorted); [] when there is no such folder. */
export async function listModelDirs(modelsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(resolve(modelsDir), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names)
    if (
      await stat(join(modelsDir, name, MANIFEST_FILE)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      out.push(name);
  return out;
}

export interface ModelScan {
  models: LoadedModel[];
  /** Folders with a manifest that failed to load. */
  errors: ModelLoadError[];
}

/**
 * Loads every `<modelsDir>/<folder>/manifest.json`. Folders without a manifest (training code,
 * data) are skipped; two models for one device kind: the later id (by name) is reported as an error.
 */
export async function loadModels(modelsDir: string, metricKeysOf: MetricKeysOf): Promise<ModelScan> {
  const root = resolve(modelsDir);
  const models: LoadedModel[] = [];
  const errors: ModelLoadError[] = [];
  const kinds = new Map<string, string>();
  for (const name of await listModelDirs(root)) {
    try {
      const model = await loadModel(join(root, name), metricKeysOf);
      const { id, deviceKind } = model.manifest;
      const taken = kinds.get(deviceKind);
      if (taken) {
        errors.push(
          new ModelLoadError(
            'mismatch',
            join(root, name, MANIFEST_FILE),
            `device kind "${deviceKind}" already has model ${taken}; only one model per kind is used`,
            { modelId: id, deviceKind },
          ),
        );
        continue;
      }
      kinds.set(deviceKind, id);
      models.push(model);
    } catch (err) {
      if (err instanceof ModelLoadError) errors.push(err);
      else throw err;
    }
  }
  return { models, errors };
}

/**
 * The models folder a host should use: the first candidate that is a folder. Hosts list theirs
 * (an environment override, the folder next to the built bundle, `models/` under the working
 * directory); null when none exists, and the predict service runs on rules only.
 */
export async function firstModelsDir(
  candidates: readonly (string | null | undefined)[],
): Promise<string | null> {
  for (const c of candidates) {
    if (!c) continue;
    const dir = resolve(c);
    if (
      await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      return dir;
  }
  return null;
}

/** What `predict/model` answers for a loaded model: its manifest and ONNX bytes (base64). */
export function modelFile(model: LoadedModel): ModelFile {
  return {
    manifest: model.manifest,
    model: Buffer.from(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength).toString('base64'),
  };
}
