import { connectAsync, type MqttClient } from 'mqtt';
import { ConnectorSettings, type ConnectorStatus } from '@shared/contract';
import { ConnectorManager, type ConnectorTuning } from '../../src-main/core/connectors/connector-manager';
import type {
  ConnectorConfig,
  ConnectorRecord,
  ConnectorSecrets,
} from '../../src-main/core/connectors/types';
import { systemClock, type Logger } from '../../src-main/core/ports';
import { waitFor } from '../helpers/mosquitto';

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
  options: { embeddedUrl?: string | null; tuning?: Partial<ConnectorTuning> } = {},
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
      secrets: (id) => secrets.get(id) ?? { password: null, tlsKey: null },
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
