/**
 * Checks a freshly trained model the way the app will load it: the manifest's sha256 and size
 * against model.onnx, then onnxruntime-web (wasm, in Node) on reference.json's raw windows,
 * normalised with the manifest, against the torch outputs the training pipeline wrote.
 *
 *   npx tsx scripts/predict/verify-onnx.ts [models/pv-inverter-lstm]
 *
 * Exit code 1 on any mismatch. The app's own parity test (src-main/core/predict) does the same
 * through the real scorer; this one runs at the end of train-all.sh so a bad export is caught at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';

interface Manifest {
  file: string;
  sha256: string;
  bytes: number;
  input: { name: string; shape: number[] };
  normalisation: { mean: number[]; std: number[] };
  outputs: Record<string, { name: string }>;
}

interface Reference {
  inputs: number[][][];
  outputs: Record<string, number[][]>;
  tolerance: number;
}

export async function verifyModel(dir: string): Promise<{ maxDiff: number; windows: number }> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const bytes = readFileSync(join(dir, manifest.file));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.byteLength !== manifest.bytes || sha !== manifest.sha256)
    throw new Error(
      `${manifest.file}: ${bytes.byteLength} bytes, sha256 ${sha}; the manifest says ${manifest.bytes}, ${manifest.sha256}`,
    );
  const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as Reference;
  const [, steps, width] = manifest.input.shape as [number, number, number];
  const { mean, std } = manifest.normalisation;
  const n = ref.inputs.length;
  const data = new Float32Array(n * steps * width);
  ref.inputs.forEach((win, k) => {
    if (win.length !== steps) throw new Error(`reference window ${k} has ${win.length} steps, not ${steps}`);
    win.forEach((row, s) =>
      row.forEach((v, f) => (data[(k * steps + s) * width + f] = (v - mean[f]!) / std[f]!)),
    );
  });
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(bytes));
  const result = await session.run({
    [manifest.input.name]: new ort.Tensor('float32', data, [n, steps, width]),
  });
  let maxDiff = 0;
  for (const { name } of Object.values(manifest.outputs)) {
    const got = result[name];
    const want = ref.outputs[name];
    if (!got || !want) throw new Error(`output ${name} missing from the ${got ? 'reference' : 'model'}`);
    const flat = want.flat();
    const values = got.data as Float32Array;
    if (values.length !== flat.length)
      throw new Error(`output ${name}: ${values.length} values, reference ${flat.length}`);
    flat.forEach((w, i) => (maxDiff = Math.max(maxDiff, Math.abs(values[i]! - w))));
  }
  if (!(maxDiff <= ref.tolerance))
    throw new Error(`onnxruntime-web differs from torch by ${maxDiff} (tolerance ${ref.tolerance})`);
  return { maxDiff, windows: n };
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = resolve(process.argv[2] ?? join(root, 'models', 'pv-inverter-lstm'));
  try {
    const { maxDiff, windows } = await verifyModel(dir);
    process.stdout.write(
      `${dir}: sha256 ok; onnxruntime-web matches torch on ${windows} windows (max |Δ| ${maxDiff.toExponential(2)})\n`,
    );
  } catch (err) {
    process.stderr.write(`verify-onnx: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
