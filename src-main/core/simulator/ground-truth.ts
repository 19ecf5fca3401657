import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEGRADATION_MODES, type Degradation, type DegradationMode } from './degradation';

/**
 * The ground truth of a run: every planned degradation, written before the first sample so the
 * predictive tests can score a run that is still going (or was killed). JSON Lines: a header, then
 * one degradation per line, ordered by failure time. No wall-clock time goes into the file, so the
 * same seed, fleet, speed and start give byte-identical files.
 */

export const GROUND_TRUTH_FORMAT = 'watchfloor-simulator-ground-truth';
export const GROUND_TRUTH_VERSION = 1;

export interface GroundTruthHeader {
  format: typeof GROUND_TRUTH_FORMAT;
  version: typeof GROUND_TRUTH_VERSION;
  seed: number;
  speed: number;
  count: number;
  /** ISO-8601 UTC: simulated time at the start of the run. */
  simStart: string;
  intervalSec: number;
  /** The sample spacing actually used (raised when the message-rate cap applies). */
  effectiveIntervalSec: number;
  kind: string;
  topicRoot: string;
  degradations: number;
}

export interface GroundTruthEntry {
  sn: string;
  mode: DegradationMode;
  /** ISO-8601 UTC; before `simStart` for degradations already under way when the run starts. */
  onset: string;
  /** ISO-8601 UTC; from then on the device is silent. */
  failureAt: string;
}

export interface GroundTruth {
  header: GroundTruthHeader;
  entries: GroundTruthEntry[];
}

export function groundTruthEntries(plan: readonly Degradation[]): GroundTruthEntry[] {
  return plan.map((d) => ({
    sn: d.sn,
    mode: d.mode,
    onset: new Date(d.onsetAt).toISOString(),
    failureAt: new Date(d.failureAt).toISOString(),
  }));
}

export function formatGroundTruth(truth: GroundTruth): string {
  return [truth.header, ...truth.entries].map((x) => JSON.stringify(x)).join('\n') + '\n';
}

/**
 * Temp file, fsync, rename, fsync of the folder: a reader sees the old file or the whole new one,
 * never half a plan.
 */
export async function writeGroundTruth(file: string, truth: GroundTruth): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(formatGroundTruth(truth), 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  // Some file systems refuse to open a folder for fsync; the rename itself is already done.
  const dir = await open(dirname(file), 'r').catch(() => null);
  if (dir) {
    await dir.sync().catch(() => undefined);
    await dir.close();
  }
}

function isMode(x: unknown): x is DegradationMode {
  return typeof x === 'string' && (DEGRADATION_MODES as readonly string[]).includes(x);
}

/** Parses a ground-truth file; throws with the line number on anything unexpected. */
export function parseGroundTruth(text: string): GroundTruth {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error('ground truth: empty file');
  const header = JSON.parse(lines[0]!) as GroundTruthHeader;
  if (header.format !== GROUND_TRUTH_FORMAT || header.version !== GROUND_TRUTH_VERSION)
    throw new Error(`ground truth: line 1 is not a ${GROUND_TRUTH_FORMAT} v${GROUND_TRUTH_VERSION} header`);
  const entries = lines.slice(1).map((line, i) => {
    const e = JSON.parse(line) as Partial<GroundTruthEntry>;
    if (
      typeof e.sn !== 'string' ||
      !isMode(e.mode) ||
      typeof e.onset !== 'string' ||
      typeof e.failureAt !== 'string' ||
      Number.isNaN(Date.parse(e.onset)) ||
      Number.isNaN(Date.parse(e.failureAt))
    )
      throw new Error(`ground truth: line ${i + 2} is not a degradation`);
    return { sn: e.sn, mode: e.mode, onset: e.onset, failureAt: e.failureAt };
  });
  if (entries.length !== header.degradations)
    throw new Error(
      `ground truth: header announces ${header.degradations} degradations, found ${entries.length}`,
    );
  return { header, entries };
}

export async function readGroundTruth(file: string): Promise<GroundTruth> {
  return parseGroundTruth(await readFile(file, 'utf8'));
}
