import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Degradation, type DegradationShares, defaultShares, planDegradations } from './degradation';
import { FLEET_KIND } from './fleet';
import {
  GROUND_TRUTH_FORMAT,
  GROUND_TRUTH_VERSION,
  type GroundTruth,
  groundTruthEntries,
  writeGroundTruth,
} from './ground-truth';
import { AMBIENT, FleetModel, GRADIENT, IRRADIANCE, LOSS, POWER, RIPPLE, type SimDevice } from './model';
import { hash2, hashString, unit } from './noise';

export const SIMULATOR_TOPIC_ROOT = 'watchfloor/sim';
export const DEFAULT_INTERVAL_SEC = 60;
/** A sensible ceiling for one publisher on one core next to a broker and the hub. */
export const DEFAULT_MAX_MESSAGES_PER_SECOND = 20_000;

export function simulatorTopic(sn: string): string {
  return `${SIMULATOR_TOPIC_ROOT}/${FLEET_KIND}/${sn}/telemetry`;
}

export interface FleetSimulatorOptions {
  fleet: readonly SimDevice[];
  seed: number;
  /** Simulated seconds per real second (3600 = an hour a second). */
  speed: number;
  /** Simulated epoch ms at the start of the run. */
  simStart: number;
  /** Simulated seconds between two samples of one device; default {@link DEFAULT_INTERVAL_SEC}. */
  intervalSec?: number;
  publish(topic: string, payload: Buffer): void | Promise<void>;
  /** Written (atomically) by `start()`, before the first sample. */
  groundTruthFile?: string;
  now?: () => number;
  /**
   * Ceiling on real messages per second. When `devices × speed / interval` exceeds it, the
   * simulated interval is raised (status: `effectiveIntervalSec`): samples get sparser in
   * simulated time instead of the run falling behind real time.
   */
  maxMessagesPerSecond?: number;
  /**
   * Upper bound on the real time between two samples of one device. At low speeds a long
   * simulated interval would leave devices quiet for longer than a hub's offline window; the
   * interval is then lowered to `speed × maxRealGapSec`. Off by default.
   */
  maxRealGapSec?: number;
  /** Real milliseconds between publishing rounds (default 100). */
  tickMs?: number;
  /** Messages published per event-loop turn before yielding (default 500). */
  batch?: number;
  /** No timer: the caller drives {@link FleetSimulator.pump} (tests, benchmarks). */
  manual?: boolean;
  /** How much of the fleet degrades; default {@link defaultShares} of the seed. */
  shares?: DegradationShares;
  /** A publish that threw or rejected (counted either way; the run goes on). */
  onPublishError?: (err: unknown) => void;
}

export interface FleetSimulatorStatus {
  running: boolean;
  devices: number;
  seed: number;
  speed: number;
  /** ISO of the simulated start. */
  simStart: string;
  /** ISO of the simulated time reached by publishing (the schedule's cursor). */
  simTime: string;
  simTimeMs: number;
  intervalSec: number;
  effectiveIntervalSec: number;
  /** Real messages per second the schedule asks for (devices × speed / effective interval). */
  targetMessagesPerSecond: number;
  /** Measured over the last second or so. */
  messagesPerSecond: number;
  maxMessagesPerSecond: number;
  published: number;
  publishErrors: number;
  /** Samples a loose contact swallowed (intermittent loss before the failure). */
  dropped: number;
  /** Samples never produced because publishing fell too far behind real time and jumped ahead. */
  skipped: number;
  /** Failures reached so far (those devices are silent from their failure time on). */
  failures: number;
  plannedFailures: number;
  /** Simulated ms the cursor is behind where real time says it should be. */
  lagMs: number;
  lastError: string | null;
  groundTruthFile: string | null;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function r1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Publishes the fleet's telemetry on a schedule in simulated time. Each device reports every
 * `effectiveInterval` simulated ms at its own fixed phase, so the global stream is a merge of the
 * devices in phase order, cycle after cycle — a cursor `(cycle, position)` walks it in time order
 * with no heap and no per-device timers. Samples come from the stateless model, so a run that
 * skips ahead, or a test that probes one instant, sees the same values as a run that published
 * everything.
 */
export class FleetSimulator {
  readonly model: FleetModel;
  readonly plan: readonly Degradation[];
  readonly intervalMs: number;
  readonly effectiveIntervalMs: number;

  private readonly opts: Required<
    Pick<FleetSimulatorOptions, 'seed' | 'speed' | 'simStart' | 'tickMs' | 'batch' | 'maxMessagesPerSecond'>
  > &
    FleetSimulatorOptions;
  private readonly now: () => number;
  private readonly n: number;
  private readonly topics: string[];
  /** Device indices in phase order, and their phase within a cycle. */
  private readonly order: Int32Array;
  private readonly phase: Float64Array;
  private readonly failureAt: Float64Array;
  private readonly out = new Float64Array(6);

  private cycle = 0;
  private pos = 0;
  private failuresReached = 0;
  private realStart = 0;
  private running = false;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();

  private published = 0;
  private publishErrors = 0;
  private dropped = 0;
  private skipped = 0;
  private lastError: string | null = null;
  private rate = { at: 0, published: 0, perSecond: 0 };

  constructor(options: FleetSimulatorOptions) {
    const speed = options.speed;
    if (!(Number.isFinite(speed) && speed > 0))
      throw new RangeError(`speed must be a positive number, not ${speed}`);
    if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, not ${options.seed}`);
    if (!Number.isFinite(options.simStart)) throw new RangeError('simStart must be epoch milliseconds');
    const intervalSec = options.intervalSec ?? DEFAULT_INTERVAL_SEC;
    if (!(Number.isFinite(intervalSec) && intervalSec >= 1))
      throw new RangeError(`interval must be at least 1 simulated second, not ${intervalSec}`);
    const maxRate = options.maxMessagesPerSecond ?? DEFAULT_MAX_MESSAGES_PER_SECOND;
    if (!(Number.isFinite(maxRate) && maxRate > 0))
      throw new RangeError(`maxMessagesPerSecond must be positive, not ${maxRate}`);
    if (options.fleet.length === 0) throw new RangeError('the fleet is empty');
    this.opts = {
      tickMs: 100,
      batch: 500,
      ...options,
      maxMessagesPerSecond: maxRate,
      simStart: Math.round(options.simStart),
    };
    this.now = options.now ?? Date.now;
    this.n = options.fleet.length;

    // Whole simulated seconds keep timestamps tidy; the rate cap wins over the real-gap bound.
    this.intervalMs = Math.round(intervalSec * 1000);
    const rateFloor = Math.ceil((this.n * speed) / maxRate) * 1000;
    let interval = this.intervalMs;
    if (options.maxRealGapSec !== undefined)
      interval = Math.min(interval, options.maxRealGapSec * speed * 1000);
    interval = Math.max(1000, Math.ceil(interval / 1000) * 1000, rateFloor);
    this.effectiveIntervalMs = interval;

    this.model = new FleetModel(options.fleet, options.seed);
    const sns = options.fleet.map((d) => d.sn);
    this.plan = planDegradations(
      sns,
      options.seed,
      this.opts.simStart,
      options.shares ?? defaultShares(options.seed),
    );
    this.model.setPlan(this.plan);
    this.failureAt = new Float64Array(this.n).fill(Infinity);
    for (const d of this.plan) this.failureAt[d.index] = d.failureAt;

    this.topics = sns.map(simulatorTopic);
    const phaseKey = hash2(0x9a5e_0f75, options.seed);
    const phase = sns.map((sn) => Math.floor(unit(hash2(phaseKey, hashString(sn))) * interval));
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => phase[a]! - phase[b]! || a - b);
    this.order = Int32Array.from(order);
    this.phase = Float64Array.from(order, (i) => phase[i]!);
  }

  /** Simulated time of the sample under the cursor. */
  private cursorTime(): number {
    return this.opts.simStart + this.cycle * this.effectiveIntervalMs + this.phase[this.pos]!;
  }

  /** Where simulated time stands by the real clock. */
  simNow(): number {
    if (!this.started) return this.opts.simStart;
    return this.opts.simStart + (this.now() - this.realStart) * this.opts.speed;
  }

  /** The full plan, known before the first sample. */
  groundTruth(): GroundTruth {
    const o = this.opts;
    return {
      header: {
        format: GROUND_TRUTH_FORMAT,
        version: GROUND_TRUTH_VERSION,
        seed: o.seed,
        speed: o.speed,
        count: this.n,
        simStart: new Date(o.simStart).toISOString(),
        intervalSec: this.intervalMs / 1000,
        effectiveIntervalSec: this.effectiveIntervalMs / 1000,
        kind: FLEET_KIND,
        topicRoot: SIMULATOR_TOPIC_ROOT,
        degradations: this.plan.length,
      },
      entries: groundTruthEntries(this.plan),
    };
  }

  /** Writes the ground truth, then starts publishing. A simulator runs once; start it again and nothing happens. */
  async start(): Promise<void> {
    if (this.started) return;
    if (this.opts.groundTruthFile) await writeGroundTruth(this.opts.groundTruthFile, this.groundTruth());
    this.started = true;
    this.running = true;
    this.realStart = this.now();
    this.rate = { at: this.realStart, published: 0, perSecond: 0 };
    if (!this.opts.manual) this.schedule();
  }

  /** Stops publishing; resolves once the round in progress has ended. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump().then(() => {
        if (this.running) this.schedule();
      });
    }, this.opts.tickMs);
  }

  /** Publishes every sample due by now. Calls queue behind each other; each one covers the time it was called. */
  pump(): Promise<void> {
    this.chain = this.chain.then(() => this.round());
    return this.chain;
  }

  private async round(): Promise<void> {
    const o = this.opts;
    const out = this.out;
    const pending: Promise<void>[] = [];
    while (this.running) {
      const target = this.simNow();
      this.catchUp(target);
      let caughtUp = false;
      for (let b = 0; b < o.batch; b++) {
        const t = this.cursorTime();
        if (t > target) {
          caughtUp = true;
          break;
        }
        const i = this.order[this.pos]!;
        if (++this.pos === this.n) {
          this.pos = 0;
          this.cycle++;
        }
        while (this.failuresReached < this.plan.length && this.plan[this.failuresReached]!.failureAt <= t)
          this.failuresReached++;
        if (t >= this.failureAt[i]!) continue;
        if (!this.model.sample(i, t, out)) {
          this.dropped++;
          continue;
        }
        const payload = Buffer.from(
          `{"ts":${t},"ripple":${r3(out[RIPPLE]!)},"tempGradient":${r3(out[GRADIENT]!)},"packetLoss":${r3(out[LOSS]!)},"power":${r3(out[POWER]!)},"ambient":${r3(out[AMBIENT]!)},"irradiance":${r1(out[IRRADIANCE]!)}}`,
        );
        try {
          const r = o.publish(this.topics[i]!, payload);
          if (r) pending.push(r.then(this.onPublished, this.onFailed));
          else this.published++;
        } catch (err) {
          this.onFailed(err);
        }
      }
      // Back-pressure: a publisher that returns promises holds the next batch until these settle.
      if (pending.length > 0) {
        await Promise.all(pending);
        pending.length = 0;
      }
      this.measure();
      if (caughtUp) break;
      await nextTurn();
    }
  }

  /**
   * Too far behind (a slow broker, a suspended laptop): jump ahead rather than replay the past at
   * full speed. The samples in between are never produced, counted in `skipped`.
   */
  private catchUp(target: number): void {
    const o = this.opts;
    const interval = this.effectiveIntervalMs;
    const maxLag = Math.max(2 * interval, 5000 * o.speed);
    if (target - this.cursorTime() <= maxLag) return;
    const cycle = Math.floor((target - interval - o.simStart) / interval);
    if (cycle <= this.cycle) return;
    this.skipped += (cycle - this.cycle) * this.n - this.pos;
    this.cycle = cycle;
    this.pos = 0;
  }

  private readonly onPublished = (): void => {
    this.published++;
  };

  private readonly onFailed = (err: unknown): void => {
    this.publishErrors++;
    this.lastError = err instanceof Error ? err.message : String(err);
    this.opts.onPublishError?.(err);
  };

  private measure(): void {
    const at = this.now();
    const elapsed = at - this.rate.at;
    if (elapsed >= 1000) {
      this.rate = {
        at,
        published: this.published,
        perSecond: ((this.published - this.rate.published) * 1000) / elapsed,
      };
    }
  }

  status(): FleetSimulatorStatus {
    const o = this.opts;
    const cursor = this.cursorTime();
    const simNow = this.simNow();
    return {
      running: this.running,
      devices: this.n,
      seed: o.seed,
      speed: o.speed,
      simStart: new Date(o.simStart).toISOString(),
      simTime: new Date(cursor).toISOString(),
      simTimeMs: cursor,
      intervalSec: this.intervalMs / 1000,
      effectiveIntervalSec: this.effectiveIntervalMs / 1000,
      targetMessagesPerSecond: Math.round(((this.n * o.speed) / this.effectiveIntervalMs) * 1000 * 10) / 10,
      messagesPerSecond: Math.round(this.rate.perSecond * 10) / 10,
      maxMessagesPerSecond: o.maxMessagesPerSecond,
      published: this.published,
      publishErrors: this.publishErrors,
      dropped: this.dropped,
      skipped: this.skipped,
      failures: this.failuresReached,
      plannedFailures: this.plan.length,
      lagMs: Math.max(0, Math.round(simNow - cursor)),
      lastError: this.lastError,
      groundTruthFile: o.groundTruthFile ?? null,
    };
  }
}
