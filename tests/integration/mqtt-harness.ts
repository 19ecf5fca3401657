import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import {
  ConnectorSettings,
  type Connector,
  type ConnectorStatus,
  type TelemetryStats,
} from '@shared/contract';
import { ConnectorManager, type ConnectorTuning } from '../../src-main/core/connectors/connector-manager';
import type {
  ConnectorConfig,
  ConnectorRecord,
  ConnectorSecrets,
} from '../../src-main/core/connectors/types';
import { SecretStore } from '../../src-main/core/connectors/secret-store';
import { createCore, type Core } from '../../src-main/core/create-core';
import { systemClock, type Logger } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { keyFileSecrets } from '../../src-main/hosts/node/key-file-secrets';
import { waitFor } from '../helpers/mosquitto';
import { tempDir } from '../helpers/temp-dir';

export interface Received {
  id: string;
  topic: string;
  payload: Buffer;
  receivedAt: number;
}

let serial = 0;

/** A validated connector record; the client id is unique per call unless given. */
export function connectorRecord(
  id: string,
  url: string,
  overrides: Partial<ConnectorSettings> = {},
  version = 1,
): ConnectorRecord {
  const settings: ConnectorConfig = ConnectorSettings.parse({
    name: id,
    url,
    clientId: `wf-test-${id}-${process.pid}-${++serial}`,
    subscriptions: [{ topic: 't/#', qos: 1 }],
    mappings: [
      {
        topic: 't/{sn}',
        sn: { from: 'topic' },
        timestamp: { from: 'receive' },
        metrics: [{ metric: 'v', path: '$.v' }],
      },
    ],
    ...overrides,
  });
  return { id, settings, version };
}

/** A ConnectorManager wired to recorders: messages, every onStatus call, log lines (as text). */
export function managerHarness(
  options: {
    embeddedUrl?: string | null;
    tuning?: Partial<ConnectorTuning>;
    /** Replaces the `secrets` map (e.g. to make reading a secret fail). */
    readSecrets?: (id: string) => ConnectorSecrets;
  } = {},
) {
  const messages: Received[] = [];
  const statuses: { id: string; status: ConnectorStatus }[] = [];
  const logs: string[] = [];
  const secrets = new Map<string, ConnectorSecrets>();
  let sink: (m: Received) => void = (m) => messages.push(m);
  const log =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      logs.push(JSON.stringify({ level, message, ...data }));
    };
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const manager = new ConnectorManager(
    {
      secrets: options.readSecrets ?? ((id) => secrets.get(id) ?? { password: null, tlsKey: null }),
      resolveEmbeddedUrl: () => options.embeddedUrl ?? null,
      onMessage: (id, topic, payload, receivedAt) => sink({ id, topic, payload, receivedAt }),
      onStatus: (id, status) => statuses.push({ id, status }),
      logger,
      clock: systemClock,
    },
    options.tuning,
  );
  return {
    manager,
    messages,
    statuses,
    logs,
    secrets,
    setSink(fn: (m: Received) => void): void {
      sink = fn;
    },
    statesOf(id: string): string[] {
      return statuses.filter((s) => s.id === id).map((s) => s.status.state);
    },
    waitState(id: string, state: ConnectorStatus['state'], timeoutMs = 10_000): Promise<ConnectorStatus> {
      return waitFor(
        `${id} to be ${state} (is ${manager.status(id).state}: ${manager.status(id).lastError ?? ''})`,
        () => {
          const s = manager.status(id);
          return s.state === state ? s : null;
        },
        timeoutMs,
      );
    },
    waitMessages(count: number, filter: (m: Received) => boolean = () => true, timeoutMs = 10_000) {
      return waitFor(
        `${count} messages (have ${messages.filter(filter).length})`,
        () => {
          const got = messages.filter(filter);
          return got.length >= count ? got : null;
        },
        timeoutMs,
      );
    },
  };
}

/** A plain mqtt.js client for publishing (or subscribing) from the test. */
export async function plainClient(
  url: string,
  clientId = `wf-test-pub-${process.pid}-${++serial}`,
): Promise<MqttClient> {
  const client = await connectAsync(url, {
    clientId,
    clean: true,
    reconnectPeriod: 100,
    connectTimeout: 5_000,
  });
  client.on('error', () => undefined);
  return client;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects unhandled rejections and uncaught exceptions while a test runs. */
export function trapUnhandled(): { errors: unknown[]; release: () => void } {
  const errors: unknown[] = [];
  const onError = (err: unknown): void => {
    errors.push(err);
  };
  process.on('unhandledRejection', onError);
  process.on('uncaughtException', onError);
  return {
    errors,
    release: () => {
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    },
  };
}

/** Fast reconnects for tests: backoff 50 ms → 800 ms, no jitter (so growth is exact). */
export const FAST_TUNING: Partial<ConnectorTuning> = {
  minDelayMs: 50,
  maxDelayMs: 800,
  stableMs: 2_000,
  connectTimeoutMs: 3_000,
  endTimeoutMs: 500,
  random: () => 0,
};

/** The simulator's topic and payload shape: the 6 metrics of the pv-inverter kind. */
export const SIM_TOPIC = (sn: string): string => `watchfloor/sim/pv-inverter/${sn}/telemetry`;

export function simPayload(sn: string, ts: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    sn,
    ts,
    ripple: 1.1,
    tempGradient: 0.2,
    packetLoss: 0.4,
    power: 42.5,
    ambient: 18.2,
    irradiance: 640,
    ...over,
  });
}

/** Connector settings for simulator-shaped telemetry (SN from the topic, time from `$.ts`). */
export function simSettings(url: string, overrides: Partial<ConnectorSettings> = {}): ConnectorSettings {
  return {
    name: 'sim',
    url,
    clientId: `wf-test-core-${process.pid}-${++serial}`,
    persistentSession: false,
    subscriptions: [{ topic: 'watchfloor/sim/pv-inverter/+/telemetry', qos: 1 }],
    mappings: [
      {
        topic: 'watchfloor/sim/pv-inverter/{sn}/telemetry',
        sn: { from: 'topic' },
        timestamp: { from: 'json', path: '$.ts', format: 'ms' },
        metrics: ['ripple', 'tempGradient', 'packetLoss', 'power', 'ambient', 'irradiance'].map((m) => ({
          metric: m,
          path: `$.${m}`,
        })),
      },
    ],
    ...overrides,
  };
}

export interface TelemetryCore {
  core: Core;
  /** The ConnectorManager the core built (for its mqtt.js clients). */
  manager: () => ConnectorManager;
  /** Every log line, as JSON text. */
  logs: string[];
  events: { event: string; payload: unknown }[];
  dir: string;
  call<T>(method: string, params?: unknown): Promise<T>;
  /** Registers pv-inverter devices INV-0…INV-(n-1) (or the given SNs). */
  addDevices(sns: string[]): Promise<void>;
  stats(): Promise<TelemetryStats>;
  connectorStatus(id: string): Promise<ConnectorStatus>;
  waitConnector(id: string, state: ConnectorStatus['state'], timeoutMs?: number): Promise<ConnectorStatus>;
  stop(): Promise<void>;
}

/**
 * A real core (file store in a temp folder) with the MQTT ports wired as the Node host wires them:
 * a SecretStore encrypted by a 0600 key file, and a ConnectorManager with fast reconnects.
 */
export async function startTelemetryCore(
  options: { embeddedUrl?: string | null; tuning?: Partial<ConnectorTuning> } = {},
): Promise<TelemetryCore> {
  const tmp = tempDir('wf-mqtt-core-');
  const dir = join(tmp.path, 'data');
  const logs: string[] = [];
  const log =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      logs.push(JSON.stringify({ level, message, ...data }));
    };
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const storage = await FileStore.open({ dir, logger });
  const vault = new SecretStore(
    join(dir, 'secrets.json'),
    keyFileSecrets(join(tmp.path, 'key', 'secret.key')),
  );
  let manager: ConnectorManager | null = null;
  const core = await createCore({
    storage,
    host: 'in-process',
    version: 'test',
    logger,
    telemetry: {
      vault,
      runtime: (o) => (manager = new ConnectorManager(o, { ...FAST_TUNING, ...options.tuning })),
      embeddedBrokerUrl: () => options.embeddedUrl ?? null,
    },
  });
  const events: { event: string; payload: unknown }[] = [];
  core.subscribe((event, payload) => events.push({ event, payload }));
  const call = <T>(method: string, params: unknown = {}): Promise<T> =>
    core.call(method, params) as Promise<T>;
  const connectorStatus = async (id: string): Promise<ConnectorStatus> => {
    const list = await call<Connector[]>('connectors/list');
    const found = list.find((c) => c.id === id);
    if (!found) throw new Error(`connector ${id} is not listed`);
    return found.status;
  };
  return {
    core,
    manager: () => {
      if (!manager) throw new Error('the core built no connector runtime');
      return manager;
    },
    logs,
    events,
    dir,
    call,
    async addDevices(sns) {
      const content = JSON.stringify(
        sns.map((sn, i) => ({
          sn,
          kind: 'pv-inverter',
          site: `site-${i % 10}`,
          region: 'west',
          lng: 120.1,
          lat: 30.2,
        })),
      );
      const result = await call<{ errors: unknown[] }>('devices/import', { format: 'json', content });
      if (result.errors.length > 0) throw new Error(`device import failed: ${JSON.stringify(result.errors)}`);
      // The pipeline learns the registry after the import's journal write; wait for it.
      await waitFor('the pipeline to know the devices', () => core.telemetry.device(sns.at(-1)!) !== null);
    },
    stats: () => call<TelemetryStats>('telemetry/stats'),
    connectorStatus,
    waitConnector: (id, state, timeoutMs = 10_000) =>
      waitFor(
        `connector ${id} to be ${state}`,
        async () => {
          const s = await connectorStatus(id);
          return s.state === state ? s : null;
        },
        timeoutMs,
      ),
    async stop() {
      await core.close();
      tmp.cleanup();
    },
  };
}
