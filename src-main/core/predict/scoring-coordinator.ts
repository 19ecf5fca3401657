import { MAX_MESSAGE_BYTES, type ScoringJob } from '@shared/contract';
import type { ModelManifest } from '@shared/contract/model-manifest';
import { blankRefused, checkOutputs, markRefused, outputSpecs, windowSize } from '@shared/domain/model-math';
import type { Clock } from '../ports';
import type { ScoreResult, WindowScorer } from './scorer';

/**
 * Decides who scores a prediction cycle: a console's Web Worker when one is attached, else the
 * hub's Node scorer. A console attaches by calling `predict/scoringJob` (it keeps doing so while it
 * can score), which holds a lease; while the lease runs, a cycle's windows are published as a job
 * and the cycle waits for the console's outputs until the job's deadline. A late, malformed or
 * implausible answer is rejected with a reason and the Node scorer takes over, so a console can make
 * scoring faster but never wrong and never missing.
 */

export interface CycleAnnouncement {
  cycleId: number;
  modelId: string;
  count: number;
}

export interface ScoringCoordinatorOptions {
  /** The model this coordinator schedules (one coordinator per model). */
  manifest: ModelManifest;
  /** The hub's scorer for the model, created on first use (or by {@link ScoringCoordinator.warmUp}). */
  node: () => Promise<WindowScorer>;
  /** Announces a job to consoles (the service emits `predict/cycle`). */
  onJob: (job: CycleAnnouncement) => void;
  /** Wall clock for leases and deadlines. */
  clock?: Clock;
  /** How long a cycle waits for a console (ms). */
  deadlineMs?: number;
  /** A console that asked for a job within this long counts as attached (ms). */
  leaseMs?: number;
  /** After a console missed or spoiled a job, this many cycles go to Node directly. */
  backoffCycles?: number;
  /**
   * Largest cycle handed to consoles. Default: what fits a `predict/submitScores` message under the
   * RPC size limit (≈ 25,000 windows for 7 output values each); bigger cycles are scored by Node.
   */
  maxConsoleWindows?: number;
}

/** Windows whose outputs (float32, base64) fit one RPC message, with a tenth kept for the envelope. */
export function maxWindowsPerSubmit(m: ModelManifest, limitBytes = MAX_MESSAGE_BYTES): number {
  const perWindow = outputSpecs(m).reduce((n, s) => n + s.width, 0) * 4 * (4 / 3);
  return Math.floor((limitBytes * 0.9) / perWindow);
}

export interface CoordinatedResult extends ScoreResult {
  scoredBy: 'node' | 'renderer';
  /** Why a console did not score the cycle when one was attached (null: it did, or none was). */
  fallback: string | null;
  /** Wall milliseconds from `score()` to the result. */
  ms: number;
}

export interface SubmitParams {
  cycleId: number;
  modelId: string;
  modelVersion: string;
  outputs: Record<string, string>;
}

export interface SubmitResult {
  accepted: boolean;
  reason: string | null;
}

type Outcome = { outputs: ScoreResult['outputs'] } | { fallback: string };

interface PendingJob {
  cycleId: number;
  windows: Float32Array;
  count: number;
  refused: Uint8Array;
  deadlineAt: number;
  /** Base64 of the windows, made on the first request and shared by every console asking. */
  encoded: string | null;
  settle: (outcome: Outcome) => void;
}

const systemClock: Clock = { now: () => Date.now() };
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Float32 values from base64 into an aligned array (Buffer slices may start at any byte). */
function decodeFloats(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length >> 2);
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}

function encodeFloats(data: Float32Array, count: number): string {
  return Buffer.from(data.buffer, data.byteOffset, count * 4).toString('base64');
}

export class ScoringCoordinator {
  readonly manifest: ModelManifest;
  readonly deadlineMs: number;
  readonly leaseMs: number;
  private readonly node: () => Promise<WindowScorer>;
  private readonly onJob: (job: CycleAnnouncement) => void;
  private readonly clock: Clock;
  private readonly backoffCycles: number;
  private readonly maxConsoleWindows: number;
  private leaseUntil = -Infinity;
  /** Cycles left to skip consoles after one failed. */
  private backoff = 0;
  private pending: PendingJob | null = null;
  private closed = false;

  constructor(options: ScoringCoordinatorOptions) {
    this.manifest = options.manifest;
    this.node = options.node;
    this.onJob = options.onJob;
    this.clock = options.clock ?? systemClock;
    this.deadlineMs = options.deadlineMs ?? 3_000;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.backoffCycles = options.backoffCycles ?? 3;
    this.maxConsoleWindows = options.maxConsoleWindows ?? maxWindowsPerSubmit(options.manifest);
  }

  /** Creates the Node scorer now, so a model onnxruntime cannot load fails at start-up, visibly. */
  async warmUp(): Promise<void> {
    await this.node();
  }

  /** A console can score: the next cycles within the lease wait for it. */
  attach(): void {
    this.leaseUntil = this.clock.now() + this.leaseMs;
  }

  /** Whether a console holds a lease. */
  attached(): boolean {
    return this.leaseUntil > this.clock.now();
  }

  /** `predict/scoringJob`: renews the caller's lease and returns the open job, or null. */
  job(): ScoringJob | null {
    this.attach();
    const p = this.pending;
    if (!p || p.deadlineAt <= this.clock.now()) return null;
    const m = this.manifest;
    p.encoded ??= encodeFloats(p.windows, p.count * windowSize(m));
    return {
      cycleId: p.cycleId,
      modelId: m.id,
      modelVersion: m.version,
      count: p.count,
      steps: m.window.steps,
      width: m.features.length,
      windows: p.encoded,
      deadline: new Date(p.deadlineAt).toISOString(),
    };
  }

  /** `predict/submitScores`: accepts a console's outputs for the open job, or says why not. */
  submit(params: SubmitParams): SubmitResult {
    const m = this.manifest;
    const p = this.pending;
    const reject = (reason: string): SubmitResult => ({ accepted: false, reason });
    if (params.modelId !== m.id) return reject(`this is model ${m.id}, not ${params.modelId}`);
    if (!p) return reject(`no open scoring job for model ${m.id} (already scored, or past its deadline)`);
    if (params.cycleId !== p.cycleId)
      return reject(`cycle ${params.cycleId} is not the open cycle ${p.cycleId} of model ${m.id}`);
    if (params.modelVersion !== m.version)
      return reject(`model version ${params.modelVersion} is not the hub's ${m.version}`);
    if (this.clock.now() > p.deadlineAt) return reject(`cycle ${p.cycleId} is past its deadline`);
    const outputs: ScoreResult['outputs'] = {};
    let problem: string | null = null;
    const specs = outputSpecs(m);
    for (const name of Object.keys(params.outputs))
      if (!specs.some((s) => s.name === name)) problem ??= `unknown output "${name}"`;
    for (const s of specs) {
      if (problem) break;
      const b64 = params.outputs[s.name];
      const chars = Math.ceil((p.count * s.width * 4) / 3) * 4;
      if (b64 === undefined) problem = `output "${s.name}" is missing`;
      else if (b64.length !== chars || !BASE64.test(b64))
        problem = `output "${s.name}" is ${b64.length} base64 characters, expected ${chars} for ${p.count} × ${s.width} float32`;
      else outputs[s.name] = decodeFloats(b64);
    }
    problem ??= checkOutputs(m, outputs, p.count, p.refused);
    if (problem) {
      // A spoiled answer ends the wait at once: the hub scores now rather than at the deadline.
      p.settle({ fallback: `the console's scores were rejected: ${problem}` });
      return reject(problem);
    }
    p.settle({ outputs });
    return { accepted: true, reason: null };
  }

  /**
   * Scores a cycle's raw windows `[count][steps][features]`: through an attached console when there
   * is one, else (or when it fails) with the Node scorer.
   */
  async score(cycleId: number, windows: Float32Array, count: number): Promise<CoordinatedResult> {
    const started = this.clock.now();
    const m = this.manifest;
    const size = windowSize(m);
    if (windows.length < count * size)
      throw new RangeError(
        `windows hold ${windows.length} floats, ${count} windows of ${size} need ${count * size}`,
      );
    // A new cycle supersedes a job still waiting.
    this.pending?.settle({ fallback: `superseded by cycle ${cycleId}` });
    const skip = this.backoff;
    if (skip > 0) this.backoff--;
    let fallback: string | null = null;
    if (count > this.maxConsoleWindows && this.attached())
      fallback = `${count} windows exceed the ${this.maxConsoleWindows} a console can return in one message`;
    else if (!this.closed && count > 0 && skip === 0 && this.attached()) {
      const refused = new Uint8Array(count);
      const anyRefused = markRefused(windows, count, size, refused) > 0;
      // Consoles get zeros for refused windows; their rows are NaN in the result whatever comes back.
      let sent = windows.subarray(0, count * size);
      if (anyRefused) {
        sent = sent.slice();
        for (let w = 0; w < count; w++) if (refused[w]) sent.fill(0, w * size, (w + 1) * size);
      }
      const outcome = await new Promise<Outcome>((resolve) => {
        const job: PendingJob = {
          cycleId,
          windows: sent,
          count,
          refused,
          deadlineAt: this.clock.now() + this.deadlineMs,
          encoded: null,
          settle: (o) => {
            clearTimeout(timer);
            if (this.pending === job) this.pending = null;
            job.settle = () => undefined;
            resolve(o);
          },
        };
        const timer = setTimeout(
          () => job.settle({ fallback: `no valid scores from a console within ${this.deadlineMs} ms` }),
          this.deadlineMs,
        );
        this.pending = job;
        try {
          this.onJob({ cycleId, modelId: m.id, count });
        } catch (err) {
          job.settle({
            fallback: `the job could not be announced: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      });
      if ('outputs' in outcome) {
        blankRefused(m, outcome.outputs, refused, count);
        return {
          outputs: outcome.outputs,
          refused,
          scoredBy: 'renderer',
          fallback: null,
          ms: this.clock.now() - started,
        };
      }
      fallback = outcome.fallback;
      if (!fallback.startsWith('superseded')) this.backoff = this.backoffCycles;
    }
    const scorer = await this.node();
    const result = await scorer.score(windows, count);
    return { ...result, scoredBy: 'node', fallback, ms: this.clock.now() - started };
  }

  /** Ends the wait (an open cycle falls back to Node) and stops handing work to consoles. */
  close(): void {
    this.closed = true;
    this.pending?.settle({ fallback: 'the coordinator is closing' });
    this.leaseUntil = -Infinity;
  }
}
