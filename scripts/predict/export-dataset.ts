/**
 * Exports the pv-inverter training set: `windows.f32` ([n][48][9] raw features, little-endian
 * float32), `labels.f32` ([n][LABEL_COLUMNS]) and `meta.json` (shapes, runs, splits, devices,
 * sha256 of each file and of the data as a whole). models/train.py reads the folder.
 *
 *   npx tsx scripts/predict/export-dataset.ts [--out <dir>] [--scale <x>]
 *
 * The default folder is outside the repository (the files are a few hundred MB and are
 * regenerated deterministically in about a minute).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DatasetChunk,
  type DeviceRecord,
  HORIZONS_HOURS,
  LABEL_COLUMNS,
  MODES,
  NEAR_HOURS,
  PV_WINDOW_SPEC,
  type RunSpec,
  SPLITS,
  TTF_CAP_HOURS,
  exportRun,
  standardRuns,
} from './dataset';

export const DATASET_FORMAT = 'watchfloor-training-windows';
export const DEFAULT_OUT = join(tmpdir(), 'watchfloor-train', 'pv-inverter');

export interface Dataset {
  windows: Float32Array;
  labels: Float32Array;
  count: number;
  devices: DeviceRecord[];
  runs: RunSpec[];
  samples: number;
  dropped: number;
}

/** Runs every spec in order and concatenates the windows; device ids are unique across runs. */
export function buildDataset(
  runs: readonly RunSpec[],
  onRun?: (run: RunSpec, chunk: DatasetChunk, ms: number) => void,
): Dataset {
  const chunks: DatasetChunk[] = [];
  const devices: DeviceRecord[] = [];
  for (const run of runs) {
    const t0 = Date.now();
    const chunk = exportRun(run, devices.length);
    devices.push(...chunk.devices);
    chunks.push(chunk);
    onRun?.(run, chunk, Date.now() - t0);
  }
  const count = chunks.reduce((s, c) => s + c.count, 0);
  const windows = new Float32Array(chunks.reduce((s, c) => s + c.windows.length, 0));
  const labels = new Float32Array(chunks.reduce((s, c) => s + c.labels.length, 0));
  let w = 0;
  let l = 0;
  for (const c of chunks) {
    windows.set(c.windows, w);
    labels.set(c.labels, l);
    w += c.windows.length;
    l += c.labels.length;
  }
  return {
    windows,
    labels,
    count,
    devices,
    runs: [...runs],
    samples: chunks.reduce((s, c) => s + c.samples, 0),
    dropped: chunks.reduce((s, c) => s + c.dropped, 0),
  };
}

function bytesOf(a: Float32Array): Buffer {
  // float32 files are little-endian by contract; every platform Node runs on here is.
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function sha256(...parts: Buffer[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Per-split counts that the model card quotes. */
export function summarise(ds: Dataset): Record<string, unknown> {
  const width = LABEL_COLUMNS.length;
  const out: Record<string, unknown> = {};
  SPLITS.forEach((split, code) => {
    let windows = 0;
    const positives = [0, 0, 0];
    const modes = [0, 0, 0];
    for (let i = 0; i < ds.count; i++) {
      const r = i * width;
      if (ds.labels[r + 6] !== code) continue;
      windows++;
      for (let k = 0; k < 3; k++) positives[k]! += ds.labels[r + k]!;
      const m = ds.labels[r + 4]!;
      if (m >= 0) modes[m]!++;
    }
    const devs = ds.devices.filter((d) => d.split === split);
    const failing = devs.filter((d) => d.mode !== null);
    out[split] = {
      windows,
      devices: devs.length,
      degradingDevices: failing.length,
      degradingByMode: Object.fromEntries(MODES.map((m) => [m, failing.filter((d) => d.mode === m).length])),
      positiveWindows: Object.fromEntries(HORIZONS_HOURS.map((h, k) => [`${h}h`, positives[k]])),
      modeWindows: Object.fromEntries(MODES.map((m, k) => [m, modes[k]])),
      seeds: [...new Set(devs.map((d) => d.seed))],
    };
  });
  return out;
}

export function writeDataset(ds: Dataset, dir: string, command: string): Record<string, unknown> {
  mkdirSync(dir, { recursive: true });
  const wb = bytesOf(ds.windows);
  const lb = bytesOf(ds.labels);
  const files = {
    windows: {
      file: 'windows.f32',
      bytes: wb.byteLength,
      sha256: sha256(wb),
      shape: [ds.count, PV_WINDOW_SPEC.steps, PV_WINDOW_SPEC.features.length],
    },
    labels: {
      file: 'labels.f32',
      bytes: lb.byteLength,
      sha256: sha256(lb),
      shape: [ds.count, LABEL_COLUMNS.length],
    },
  };
  const meta = {
    format: DATASET_FORMAT,
    formatVersion: 1,
    deviceKind: 'pv-inverter',
    window: PV_WINDOW_SPEC,
    horizonsHours: HORIZONS_HOURS,
    ttfCapHours: TTF_CAP_HOURS,
    nearHours: NEAR_HOURS,
    modes: MODES,
    labelColumns: LABEL_COLUMNS,
    splits: SPLITS,
    dtype: 'float32',
    byteOrder: 'little',
    count: ds.count,
    files,
    // Both files, in that order: what the model manifest records as its training data.
    dataHash: `sha256:${sha256(wb, lb)}`,
    samples: ds.samples,
    droppedSamples: ds.dropped,
    command,
    summary: summarise(ds),
    runs: ds.runs.map((r) => ({ ...r, simStart: new Date(r.simStart).toISOString() })),
    devices: ds.devices,
  };
  // Write beside, then rename: a reader never sees a meta that does not match the data.
  for (const [name, buf] of [
    [files.windows.file, wb],
    [files.labels.file, lb],
  ] as const) {
    writeFileSync(join(dir, `${name}.tmp`), buf);
    renameSync(join(dir, `${name}.tmp`), join(dir, name));
  }
  writeFileSync(join(dir, 'meta.json.tmp'), JSON.stringify(meta, null, 1) + '\n');
  renameSync(join(dir, 'meta.json.tmp'), join(dir, 'meta.json'));
  return meta;
}

export interface CliOptions {
  out: string;
  scale: number;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { out: DEFAULT_OUT, scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--out') opts.out = resolve(value());
    else if (arg === '--scale') {
      const raw = value();
      const s = Number(raw);
      if (!(Number.isFinite(s) && s > 0 && s <= 4))
        throw new Error(`--scale must be a number in (0, 4], got ${raw}`);
      opts.scale = s;
    } else if (arg === '--help' || arg === '-h') {
      throw new Error('usage: npx tsx scripts/predict/export-dataset.ts [--out <dir>] [--scale <x>]');
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return opts;
}

function main(): void {
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const t0 = Date.now();
  const runs = standardRuns(opts.scale);
  const ds = buildDataset(runs, (run, chunk, ms) =>
    process.stdout.write(
      `${run.split.padEnd(5)} seed ${run.seed} every ${String(run.intervalSec).padStart(3)} s: ` +
        `${chunk.devices.length} devices, ${chunk.count} windows, ${chunk.samples} samples in ${(ms / 1000).toFixed(1)} s\n`,
    ),
  );
  const command = `npx tsx scripts/predict/export-dataset.ts${opts.scale !== 1 ? ` --scale ${opts.scale}` : ''}`;
  const meta = writeDataset(ds, opts.out, command);
  process.stdout.write(
    `${ds.count} windows (${ds.devices.length} devices) → ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${String(meta.dataHash)}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
