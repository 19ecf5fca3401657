import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyModel, pvMetricKeys, TINY_LSTM_DIR } from '../../../tests/fixtures/models/fixture';
import {
  firstModelsDir,
  listModelDirs,
  loadModel,
  loadModels,
  ModelLoadError,
  modelFile,
  type ModelLoadReason,
} from './manifest';

async function failure(p: Promise<unknown>): Promise<ModelLoadError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ModelLoadError);
    return err as ModelLoadError;
  }
  throw new Error('expected loadModel to fail');
}

async function expectReason(dir: string, reason: ModelLoadReason, text: RegExp): Promise<ModelLoadError> {
  const err = await failure(loadModel(dir, pvMetricKeys));
  expect(err.reason).toBe(reason);
  expect(err.message).toMatch(text);
  return err;
}

/** Rewrites the model file and makes the manifest's size and hash match it. */
function replaceModelBytes(dir: string, bytes: Uint8Array): void {
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const file = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  m.bytes = bytes.length;
  m.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(file, JSON.stringify(m));
}

describe('loadModel', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'wf-model-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads the fixture with its manifest, bytes and window spec', async () => {
    const model = await loadModel(TINY_LSTM_DIR, pvMetricKeys);
    expect(model.manifest.id).toBe('tiny-lstm');
    expect(model.bytes.length).toBe(model.manifest.bytes);
    expect(model.spec).toEqual({
      stepMinutes: 30,
      steps: 48,
      minSteps: 12,
      features: model.manifest.features,
    });
    expect(model.compiled.features).toHaveLength(9);
    expect(model.compiled.stepMs).toBe(30 * 60_000);
    const file = modelFile(model);
    expect(Buffer.from(file.model, 'base64').equals(readFileSync(join(TINY_LSTM_DIR, 'model.onnx')))).toBe(
      true,
    );
    expect(file.manifest).toBe(model.manifest);
  });

  it('missing folder or manifest → missing, naming manifest.json', async () => {
    const err = await expectReason(
      join(tmp, 'nope'),
      'missing',
      /manifest\.json: the model manifest does not exist/,
    );
    expect(err.file).toBe(join(tmp, 'nope', 'manifest.json'));
  });

  it('missing model file → missing, naming the model file', async () => {
    const dir = copyModel(join(tmp, 'm'));
    unlinkSync(join(dir, 'model.onnx'));
    const err = await expectReason(dir, 'missing', /model\.onnx: the model file of tiny-lstm does not exist/);
    expect(err.file).toBe(join(dir, 'model.onnx'));
  });

  it('sha256 differs from the manifest → mismatch', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      m.sha256 = '0'.repeat(64);
    });
    await expectReason(dir, 'mismatch', /sha256 is [0-9a-f]{64} but manifest\.json says 0{64}/);
  });

  it('a model file of another size than the manifest says → mismatch', async () => {
    const dir = copyModel(join(tmp, 'm'));
    const bytes = readFileSync(join(dir, 'model.onnx'));
    writeFileSync(join(dir, 'model.onnx'), bytes.subarray(0, 1000));
    await expectReason(dir, 'mismatch', /is 1000 bytes but manifest\.json says \d+/);
  });

  it('a feature the device kind has no metric for → mismatch', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.features as string[])[0] = 'voltage.mean';
    });
    await expectReason(dir, 'mismatch', /features do not fit device kind "pv-inverter".*no metric "voltage"/);
  });

  it('an unknown aggregate → mismatch', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.features as string[])[1] = 'ripple.median';
    });
    await expectReason(dir, 'mismatch', /aggregate "median"/);
  });

  it('a device kind that is not configured → mismatch, naming the kind', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      m.deviceKind = 'wind-turbine';
    });
    const err = await expectReason(dir, 'mismatch', /device kind "wind-turbine" is not in the configuration/);
    expect(err.deviceKind).toBe('wind-turbine');
    expect(err.modelId).toBe('tiny-lstm');
  });

  it('weather features the feature windows cannot provide → mismatch', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      m.weatherFeatures = ['ambient.mean'];
    });
    await expectReason(dir, 'mismatch', /uses weather features \(ambient\.mean\)/);
  });

  it('normalisation of the wrong length → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.normalisation as { mean: number[] }).mean.pop();
    });
    await expectReason(dir, 'invalid-manifest', /normalisation\.mean has 8 values for 9 features/);
  });

  it('a std of zero → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.normalisation as { std: number[] }).std[3] = 0;
    });
    await expectReason(dir, 'invalid-manifest', /std\.3 must be > 0 \(feature tempGradient\.max\)/);
  });

  it('an input shape that contradicts the window → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.input as { shape: number[] }).shape = [-1, 24, 9];
    });
    await expectReason(dir, 'invalid-manifest', /input\.shape\.1 is 24 but window\.steps is 48/);
  });

  it('a model file path that leaves the folder → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      m.file = '../../etc/passwd.onnx';
    });
    await expectReason(dir, 'invalid-manifest', /file must be a plain file name/);
  });

  it('horizons without 8 h → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'), (m) => {
      (m.outputs as { failureProbability: { horizonsHours: number[] } }).failureProbability.horizonsHours = [
        4, 12, 24,
      ];
    });
    await expectReason(dir, 'invalid-manifest', /must include 8 h/);
  });

  it('a manifest that is not JSON → invalid-manifest', async () => {
    const dir = copyModel(join(tmp, 'm'));
    writeFileSync(join(dir, 'manifest.json'), '{"format": "watchfloor-model",');
    await expectReason(dir, 'invalid-manifest', /not valid JSON/);
  });

  it('non-ONNX bytes whose hash the manifest matches → corrupt', async () => {
    const dir = copyModel(join(tmp, 'm'));
    replaceModelBytes(dir, new TextEncoder().encode('<html><body>404 Not Found</body></html>'));
    await expectReason(dir, 'corrupt', /model\.onnx: is not an ONNX model/);
  });
});

describe('loadModels', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'wf-models-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads good models, reports bad ones, skips folders without a manifest', async () => {
    copyModel(join(tmp, 'a-good'));
    copyModel(join(tmp, 'b-bad'), (m) => {
      m.id = 'bad';
      m.sha256 = 'f'.repeat(64);
    });
    mkdirSync(join(tmp, 'training'));
    writeFileSync(join(tmp, 'training', 'train.py'), 'print(1)\n');
    const scan = await loadModels(tmp, pvMetricKeys);
    expect(scan.models.map((m) => m.manifest.id)).toEqual(['tiny-lstm']);
    expect(scan.errors.map((e) => e.reason)).toEqual(['mismatch']);
    expect(scan.errors[0]!.file).toBe(join(tmp, 'b-bad', 'model.onnx'));
  });

  it('refuses a second model for the same device kind', async () => {
    copyModel(join(tmp, 'a'));
    copyModel(join(tmp, 'b'), (m) => {
      m.id = 'other';
    });
    const scan = await loadModels(tmp, pvMetricKeys);
    expect(scan.models).toHaveLength(1);
    expect(scan.errors[0]!.message).toMatch(/already has model tiny-lstm/);
  });

  it('a models folder that does not exist holds no models', async () => {
    expect(await loadModels(join(tmp, 'none'), pvMetricKeys)).toEqual({ models: [], errors: [] });
    expect(await listModelDirs(join(tmp, 'none'))).toEqual([]);
  });

  it('lists the folders with a manifest', async () => {
    copyModel(join(tmp, 'b'));
    copyModel(join(tmp, 'a'));
    mkdirSync(join(tmp, 'pipeline'));
    expect(await listModelDirs(tmp)).toEqual(['a', 'b']);
  });

  it('firstModelsDir picks the first candidate folder that exists', async () => {
    mkdirSync(join(tmp, 'models'));
    writeFileSync(join(tmp, 'file'), '');
    expect(await firstModelsDir([null, join(tmp, 'nope'), join(tmp, 'file'), join(tmp, 'models')])).toBe(
      join(tmp, 'models'),
    );
    expect(await firstModelsDir([undefined, join(tmp, 'nope')])).toBeNull();
  });
});
