import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../simulator/model';
import { flatInputs, readReference, TINY_LSTM_DIR } from '../../../tests/fixtures/models/fixture';
import { loadModel } from './manifest';
import { createNodeScorer, interpretRow } from './scorer';

/**
 * Parity: the ONNX file scored by onnxruntime-web in Node (the runtime's path, normalisation
 * included) gives the outputs the training pipeline computed with torch for the same raw windows.
 * A drift here means the runtime would score differently from what the model card measured.
 */

const SHIPPED_DIR = fileURLToPath(new URL('../../../models/pv-inverter-lstm/', import.meta.url));
const metricKeys = (kind: string): readonly string[] | null => (kind === 'pv-inverter' ? METRICS : null);

async function checkParity(dir: string): Promise<number> {
  const model = await loadModel(dir, metricKeys);
  const ref = readReference(dir);
  const k = ref.inputs.length;
  expect(k).toBeGreaterThan(0);
  expect(ref.tolerance).toBeGreaterThan(0);
  expect(ref.tolerance).toBeLessThanOrEqual(1e-3);
  expect(ref.inputs[0]!.length).toBe(model.manifest.window.steps);
  expect(ref.inputs[0]![0]!.length).toBe(model.manifest.features.length);
  const scorer = await createNodeScorer(model);
  try {
    const { outputs, refused } = await scorer.score(flatInputs(ref), k);
    expect(refused.every((r) => r === 0)).toBe(true);
    let worst = 0;
    for (const [name, rows] of Object.entries(ref.outputs)) {
      const got = outputs[name];
      expect(got, `output ${name} of the reference is not produced by the model`).toBeDefined();
      const want = rows.flat();
      expect(got!.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        const d = Math.abs(got![i]! - want[i]!);
        worst = Math.max(worst, d);
        if (d > ref.tolerance)
          expect.fail(
            `${name}[${i}]: onnxruntime-web gives ${got![i]}, the pipeline ${want[i]} (tolerance ${ref.tolerance})`,
          );
      }
    }
    for (let i = 0; i < k; i++) expect(interpretRow(model.manifest, outputs, i)).not.toBeNull();
    return worst;
  } finally {
    await scorer.close();
  }
}

describe('model parity (onnxruntime-web in Node vs the training pipeline)', () => {
  it('tiny fixture LSTM', async () => {
    expect(await checkParity(TINY_LSTM_DIR)).toBeLessThanOrEqual(1e-4);
  });

  it('shipped models/pv-inverter-lstm', async () => {
    if (!existsSync(join(SHIPPED_DIR, 'manifest.json')))
      expect.fail(`${SHIPPED_DIR} has no manifest.json: the shipped model is missing (see models/README.md)`);
    await checkParity(SHIPPED_DIR);
  });
});
