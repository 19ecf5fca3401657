import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ConnectorSettings,
  type DeviceFields,
  ErrorCode,
  RpcError,
  type SimulatorStatus,
} from '@shared/contract';
import { redactUrl } from '../connectors/connection-errors';
import { type Logger, type SimulatorPort, silentLogger } from '../ports';
import { DEFAULT_FLEET_SIZE, FLEET_KIND, MAX_FLEET_SIZE, fleetDeviceFields, generateFleet } from './fleet';
import {
  DEFAULT_INTERVAL_SEC,
  FleetSimulator,
  type FleetSimulatorStatus,
  SIMULATOR_TOPIC_ROOT,
} from './fleet-simulator';
import { METRICS } from './model';
import { BrokerUnreachableError, type MqttPublisher, connectMqttPublisher } from './mqtt-publisher';

export const GROUND_TRUTH_FILE_NAME = 'simulator-ground-truth.jsonl';
export const SIMULATOR_CONNECTOR_NAME = '演示模拟器 / Demo simulator';
/** The subscription and mapping topic: `{sn}` is the device's level. */
export const SIMULATOR_TOPIC_PATTERN = `${SIMULATOR_TOPIC_ROOT}/${FLEET_KIND}/{sn}/telemetry`;

const MAX_SPEED = 86_400;

/**
 * The connector that reads the simulator back into the hub. Simulated time runs ahead of the wall
 * clock at any speed above 1, so the late/future windows are off: the samples' own timestamps
 * order them, and offline detection goes by when they arrive.
 */
export function simulatorConnectorSettings(brokerUrl = 'embedded://'): ConnectorSettings {
  return {
    name: SIMULATOR_CONNECTOR_NAME,
    enabled: true,
    url: brokerUrl,
    clientId: 'watchfloor-hub-simulator',
    username: null,
    // QoS 0 telemetry: nothing is worth keeping on the broker while the hub is away.
    persistentSession: false,
    keepaliveSec: 30,
    subscriptions: [{ topic: SIMULATOR_TOPIC_PATTERN, qos: 0 }],
    mappings: [
      {
        topic: SIMULATOR_TOPIC_PATTERN,
        sn: { from: 'topic' },
        timestamp: { from: 'json', path: '$.ts', format: 'ms' },
        metrics: METRICS.map((metric) => ({ metric, path: `$.${metric}`, scale: 1 })),
        kind: FLEET_KIND,
      },
    ],
    // Registered devices keep their place; this only catches a fleet nobody registered.
    unknownDevices: 'register',
    maxPastSec: 0,
    maxFutureSec: 0,
    maxPayloadBytes: 1024,
    maxMessagesPerSecond: 100_000,
  };
}

export interface SimulatorControlOptions {
  /** `mqtt://…`, `ws://…`, or `embedded://` (resolved through `resolveEmbeddedUrl` at each start). */
  brokerUrl: string;
  resolveEmbeddedUrl?: () => string | null;
  /** Folder of the ground-truth file (created when missing). */
  dir: string;
  /** Puts the fleet into the device registry before it publishes (sites, places, models). */
  register?: (devices: DeviceFields[]) => Promise<void>;
  defaults?: { devices?: number; speed?: number; seed?: number };
  intervalSec?: number;
  /**
   * Real messages per second at most (default 5,000): the demo shares one process with the
   * broker and the hub's ingest.
   */
  maxMessagesPerSecond?: number;
  /** Default 10 s: the pv-inverter kind reports every 10 s and is offline after three silent intervals. */
  maxRealGapSec?: number;
  connectTimeoutMs?: number;
  clientId?: string;
  now?: () => number;
  /** Simulated start of a run; default: the current minute. */
  simStart?: () => number;
  logger?: Logger;
  /** How often a running simulator reports its status through `onChange` (default 1 s). */
  statusIntervalMs?: number;
}

interface Run {
  simulator: FleetSimulator;
  publisher: MqttPublisher;
  devices: number;
  speed: number;
  seed: number;
  startedAt: string;
  brokerUrl: string;
}

function invalid(path: string, message: string): RpcError {
  return new RpcError(ErrorCode.InvalidArgument, `${path}: ${message}`, { issues: [{ path, message }] });
}

/** The fleet simulator behind `simulator/*`: one run at a time, publishing over MQTT. */
export class SimulatorControl implements SimulatorPort {
  private run: Run | null = null;
  private last: { devices: number; speed: number; seed: number; startedAt: string | null } = {
    devices: 0,
    speed: 1,
    seed: 0,
    startedAt: null,
  };
  private lastCounts = { published: 0, failures: 0 };
  private groundTruthFile: string | null = null;
  private planned: { sn: string; failureAt: number }[] = [];
  /** Simulated time the last run reached (epoch ms). */
  private lastSimEnd: number | null = null;
  private readonly listeners: ((status: SimulatorStatus) => void)[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly options: SimulatorControlOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    const d = options.defaults ?? {};
    this.last = {
      devices: d.devices ?? DEFAULT_FLEET_SIZE,
      speed: d.speed ?? 3600,
      seed: d.seed ?? 1,
      startedAt: null,
    };
  }

  onChange(listener: (status: SimulatorStatus) => void): void {
    this.listeners.push(listener);
  }

  private emit(): void {
    const status = this.status();
    for (const l of this.listeners) {
      try {
        l(status);
      } catch (err) {
        this.logger.warn('simulator status listener failed', { error: String(err) });
      }
    }
  }

  status(): SimulatorStatus {
    const run = this.run;
    const counts = run ? run.simulator.status() : this.lastCounts;
    return {
      available: true,
      running: run !== null,
      devices: run?.devices ?? this.last.devices,
      speed: run?.speed ?? this.last.speed,
      seed: run?.seed ?? this.last.seed,
      brokerUrl: run?.brokerUrl ?? redactUrl(this.options.brokerUrl),
      startedAt: run?.startedAt ?? this.last.startedAt,
      published: counts.published,
      failures: counts.failures,
      groundTruthFile: this.groundTruthFile,
    };
  }

  /**
   * Every failure the runs so far planned (simulated time): the demo's ground truth, which the
   * predictive loop records as real failures once telemetry time passes them.
   */
  groundTruth(): readonly { sn: string; failureAt: number }[] {
    return this.planned;
  }

  /** The running simulator's own counters (rates, lag, simulated time), or null. */
  details(): FleetSimulatorStatus | null {
    return this.run?.simulator.status() ?? null;
  }

  /** Starts and stops run one after another, never interleaved. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  start(params: { devices?: number; speed?: number; seed?: number }): Promise<SimulatorStatus> {
    return this.serial(async () => {
      const devices = params.devices ?? this.last.devices;
      const speed = params.speed ?? this.last.speed;
      const seed = params.seed ?? this.last.seed;
      if (!Number.isInteger(devices) || devices < 1 || devices > MAX_FLEET_SIZE)
        throw invalid('devices', `must be an integer from 1 to ${MAX_FLEET_SIZE}`);
      if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED)
        throw invalid('speed', `must be a number above 0 and at most ${MAX_SPEED}`);
      if (!Number.isInteger(seed) || seed < 0) throw invalid('seed', 'must be a non-negative integer');

      if (this.run) await this.halt();

      const configured = this.options.brokerUrl;
      let url = configured;
      if (configured === 'embedded://') {
        const resolved = this.options.resolveEmbeddedUrl?.() ?? null;
        if (!resolved)
          throw new RpcError(
            ErrorCode.Unavailable,
            'The simulator publishes to the embedded broker, which is not running',
          );
        url = resolved;
      }

      let publisher: MqttPublisher;
      try {
        publisher = await connectMqttPublisher(url, {
          clientId: this.options.clientId ?? `watchfloor-simulator-${process.pid}`,
          connectTimeoutMs: this.options.connectTimeoutMs ?? 5_000,
          onError: (message) => this.logger.warn('simulator broker connection', { message }),
        });
      } catch (err) {
        if (err instanceof BrokerUnreachableError)
          throw new RpcError(ErrorCode.Unavailable, err.message, { brokerUrl: err.url });
        throw err;
      }

      try {
        const fleet = generateFleet({ count: devices, seed });
        if (this.options.register) {
          await this.options.register(fleetDeviceFields(fleet)).catch((err: unknown) => {
            // The connector registers unknown devices itself; they only lack their places.
            this.logger.warn('registering the simulated fleet failed', { error: String(err) });
          });
        }
        await mkdir(this.options.dir, { recursive: true });
        const file = join(this.options.dir, GROUND_TRUTH_FILE_NAME);
        // A new run never goes back before where the last one got to: the hub keeps each device's
        // last timestamp and would refuse earlier samples as late until simulated time caught up.
        const simStart = Math.max(
          this.options.simStart?.() ?? Math.floor(this.now() / 60_000) * 60_000,
          this.lastSimEnd === null ? -Infinity : (Math.floor(this.lastSimEnd / 60_000) + 1) * 60_000,
        );
        const simulator = new FleetSimulator({
          fleet,
          seed,
          speed,
          simStart,
          intervalSec: this.options.intervalSec ?? DEFAULT_INTERVAL_SEC,
          maxMessagesPerSecond: this.options.maxMessagesPerSecond ?? 5_000,
          maxRealGapSec: this.options.maxRealGapSec ?? 10,
          publish: (topic, payload) => publisher.publish(topic, payload),
          groundTruthFile: file,
          now: this.now,
        });
        await simulator.start().catch((err: unknown) => {
          throw new RpcError(
            ErrorCode.Unavailable,
            `Cannot write the simulator's ground truth to ${file}: ${(err as Error).message}`,
          );
        });
        this.groundTruthFile = file;
        // A failure planned by an earlier run that a restart moved past stays a failure of that run.
        this.planned = [
          ...this.planned.filter((p) => p.failureAt < simStart),
          ...simulator.plan.map((d) => ({ sn: d.sn, failureAt: d.failureAt })),
        ];
        const startedAt = new Date(this.now()).toISOString();
        this.run = { simulator, publisher, devices, speed, seed, startedAt, brokerUrl: publisher.url };
        this.last = { devices, speed, seed, startedAt };
        this.logger.info('simulator started', {
          devices,
          speed,
          seed,
          broker: publisher.url,
          effectiveIntervalSec: simulator.effectiveIntervalMs / 1000,
          groundTruth: file,
        });
      } catch (err) {
        await publisher.close();
        throw err;
      }
      this.timer = setInterval(() => this.emit(), this.options.statusIntervalMs ?? 1_000);
      this.timer.unref();
      this.emit();
      return this.status();
    });
  }

  stop(): Promise<SimulatorStatus> {
    return this.serial(async () => {
      if (this.run) {
        await this.halt();
        this.emit();
      }
      return this.status();
    });
  }

  private async halt(): Promise<void> {
    const run = this.run;
    if (!run) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await run.simulator.stop();
    const s = run.simulator.status();
    this.lastCounts = { published: s.published, failures: s.failures };
    this.lastSimEnd = s.simTimeMs;
    this.run = null;
    await run.publisher.close();
    this.logger.info('simulator stopped', { published: s.published, failures: s.failures });
  }
}
