import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  flatInputs,
  pvMetricKeys,
  readReference,
  TINY_LSTM_DIR,
} from '../../../tests/fixtures/models/fixture';
import { loadModel, ModelLoadError, type LoadedModel } from './manifest';
import { createNodeScorer, interpretRow, normalise, type WindowScorer } from './scorer';

const ref = readReference(TINY_LSTM_DIR);
const K = ref.inputs.length;

let model: LoadedModel;
let scorer: WindowScorer;
beforeAll(async () => {
  model = await loadModel(TINY_LSTM_DIR, pvMetricKeys);
  scorer = await createNodeScorer(model, { chunk: 3 });
});
afterAll(() => scorer.close());

function withManifest(edit: (m: LoadedModel['manifest']) => void): LoadedModel {
  const manifest = structuredClone(model.manifest);
  edit(manifest);
  return { ...model, manifest };
}

async function loadError(p: Promise<unknown>): Promise<ModelLoadError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelLoadError);
  return err as ModelLoadError;
}

describe('normalise', () => {
  it('subtracts the mean and divides by the std per feature, zeroing refused windows', () => {
    const m = { ...model.manifest, window: { ...model.manifest.window, steps: 1 }, features: ['a', 'b'] };
    m.normalisation = { mean: [1, 10], std: [2, 5] };
    const src = Float32Array.from([3, 20, 5, 0, 1, 10]);
    const out = new Float32Array(4);
    normalise(src, 1, 2, m, Uint8Array.from([0, 0, 1]), out);
    expect([...out]).toEqual([2, -2, 0, 0]);
  });
});

describe('createNodeScorer on the tiny LSTM', () => {
  it('matches the reference outputs computed by torch, across chunk boundaries', async () => {
    const { outputs, refused } = await scorer.score(flatInputs(ref), K);
    expect([...refused]).toEqual(new Array(K).fill(0));
    for (const [name, rows] of Object.entries(ref.outputs)) {
      const got = outputs[name]!;
      const want = rows.flat();
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(ref.tolerance);
    }
  });

  it('refuses windows with NaN or Infinity and scores the others unchanged', async () => {
    const windows = flatInputs(ref);
    const size = 48 * 9;
    windows[2 * size + 100] = NaN;
    windows[5 * size + 7] = Infinity;
    const { outputs, refused } = await scorer.score(windows, K);
    expect([...refused]).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
    const p = outputs.p_fail!;
    expect(Number.isNaN(p[2 * 3])).toBe(true);
    expect(Number.isNaN(outputs.ttf_hours![5])).toBe(true);
    expect(interpretRow(model.manifest, outputs, 2)).toBeNull();
    expect(Math.abs(p[3]! - ref.outputs.p_fail![1]![0]!)).toBeLessThanOrEqual(ref.tolerance);
  });

  it('reads a row as monotone probabilities, hours to failure and modes', async () => {
    const { outputs } = await scorer.score(flatInputs(ref), K);
    for (let i = 0; i < K; i++) {
      const row = interpretRow(model.manifest, outputs, i)!;
      expect(row.probabilities.h4).toBeLessThanOrEqual(row.probabilities.h8);
      expect(row.probabilities.h8).toBeLessThanOrEqual(row.probabilities.h24);
      expect(row.probabilities.h24).toBeCloseTo(Math.max(...ref.outputs.p_fail![i]!), 5);
      expect(row.ttfHours).toBeCloseTo(ref.outputs.ttf_hours![i]![0]!, 4);
      expect(Object.keys(row.modes)).toEqual(['capacitor-ageing', 'loose-contact', 'fan-failure']);
      expect(Object.values(row.modes).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('scores zero windows and refuses too short a buffer', async () => {
    const empty = await scorer.score(new Float32Array(0), 0);
    expect(empty.outputs.p_fail!.length).toBe(0);
    await expect(scorer.score(new Float32Array(10), 1)).rejects.toThrow(/need 432/);
  });

  it('queues concurrent calls on the one session', async () => {
    const w = flatInputs(ref);
    const [a, b] = await Promise.all([scorer.score(w, K), scorer.score(w, K)]);
    expect([...a.outputs.ttf_hours!]).toEqual([...b.outputs.ttf_hours!]);
  });

  it('bytes that are no ONNX model → corrupt', async () => {
    const junk = new Uint8Array(2000).fill(0x08);
    const err = await loadError(createNodeScorer({ ...model, bytes: junk }));
    expect(err.reason).toBe('corrupt');
    expect(err.message).toMatch(/model\.onnx: onnxruntime cannot load the model/);
  });

  it('an input name other than the manifest says → mismatch', async () => {
    const err = await loadError(
      createNodeScorer(
        withManifest((m) => {
          m.input.name = 'x';
        }),
      ),
    );
    expect(err.reason).toBe('mismatch');
    expect(err.message).toMatch(/inputs are \[window\], the manifest expects \[x\]/);
  });

  it('an output the model does not have → mismatch', async () => {
    const err = await loadError(
      createNodeScorer(
        withManifest((m) => {
          m.outputs.timeToFailure.name = 'rul';
        }),
      ),
    );
    expect(err.reason).toBe('mismatch');
    expect(err.message).toMatch(/has no output "rul"/);
  });

  it('a feature count the model was not built for → mismatch', async () => {
    const err = await loadError(
      createNodeScorer(
        withManifest((m) => {
          m.features = m.features.slice(0, 8);
          m.normalisation = { mean: m.normalisation.mean.slice(0, 8), std: m.normalisation.std.slice(0, 8) };
        }),
      ),
    );
    expect(err.message).toMatch(/input has 9 features, the manifest lists 8/);
  });

  it('an output width the manifest does not expect → mismatch', async () => {
    const err = await loadError(
      createNodeScorer(
        withManifest((m) => {
          m.outputs.failureMode.modes = ['a', 'b'];
        }),
      ),
    );
    expect(err.reason).toBe('mismatch');
    expect(err.message).toMatch(/output "mode_prob" has width 3, the manifest implies 2/);
  });
});
