import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connector, ConnectorStatus } from '@shared/contract';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src-main/core/broker/embedded-broker';
import { startMosquitto, waitFor, type MosquittoBroker } from '../helpers/mosquitto';
import {
  SIM_TOPIC,
  plainClient,
  simPayload,
  simSettings,
  sleep,
  startTelemetryCore,
  trapUnhandled,
  type TelemetryCore,
} from './mqtt-harness';

/** A broker the test can take away and bring back on the same port. */
interface RestartableBroker {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const brokers: [string, () => Promise<RestartableBroker>][] = [
  [
    'aedes (embedded)',
    async () => {
      let b: EmbeddedBroker | null = await startEmbeddedBroker();
      const port = b.port;
      return {
        url: b.url,
        down: async () => {
          await b?.close();
          b = null;
        },
        up: async () => {
          b ??= await startEmbeddedBroker({ port });
        },
        stop: async () => {
          await b?.close();
        },
      };
    },
  ],
  [
    'mosquitto',
    async () => {
      const m: MosquittoBroker = await startMosquitto();
      return { url: m.url, down: m.stop, up: m.start, stop: m.stop };
    },
  ],
];

describe.each(brokers)('MQTT sessions and reconnects — %s', (_name, startBroker) => {
  let broker: RestartableBroker;
  let t: TelemetryCore;
  let publisher: MqttClient | null = null;
  let trap: ReturnType<typeof trapUnhandled>;
  const sns = ['INV-001', 'INV-002', 'INV-003'];

  const setup = async (): Promise<void> => {
    trap = trapUnhandled();
    broker = await startBroker();
    t = await startTelemetryCore();
    await t.addDevices(sns);
  };
  afterEach(async () => {
    trap.release();
    await publisher?.endAsync(true);
    publisher = null;
    await t.stop();
    await broker.stop();
    expect(trap.errors).toEqual([]);
  });

  /** Publishes probes until the connector's subscription delivers one (unknown device, refused). */
  const subscribed = (): Promise<unknown> =>
    waitFor('the subscription to deliver', async () => {
      await publisher!.publishAsync(SIM_TOPIC('probe'), simPayload('probe', Date.now()), { qos: 1 });
      return t.core.telemetry.stats().refused['unknown-device'] > 0;
    });

  it('a persistent session receives the QoS 1 messages published while the connector was away', async () => {
    await setup();
    publisher = await plainClient(broker.url);
    const settings = simSettings(broker.url, {
      persistentSession: true,
      clientId: `wf-persistent-${process.pid}`,
    });
    let saved = await t.call<Connector>('connectors/save', { settings });
    await t.waitConnector(saved.id, 'connected');
    await subscribed();

    saved = await t.call<Connector>('connectors/save', {
      id: saved.id,
      version: saved.version,
      settings: { ...settings, enabled: false },
    });
    await t.waitConnector(saved.id, 'disabled');
    await waitFor('the broker to see the client go', () => t.manager().debugClient(saved.id) === null);
    await sleep(100);

    const accepted = t.core.telemetry.stats().accepted;
    const start = Date.now();
    for (let i = 0; i < 30; i++) {
      const sn = sns[i % 3]!;
      await publisher.publishAsync(SIM_TOPIC(sn), simPayload(sn, start + i), { qos: 1 });
    }
    await sleep(100);
    expect(t.core.telemetry.stats().accepted).toBe(accepted);

    saved = await t.call<Connector>('connectors/save', {
      id: saved.id,
      version: saved.version,
      settings: { ...settings, enabled: true },
    });
    await t.waitConnector(saved.id, 'connected');
    await waitFor('the 30 queued messages', () => t.core.telemetry.stats().accepted - accepted >= 30);
    await sleep(100);
    expect(t.core.telemetry.stats().accepted - accepted).toBe(30);
    expect(t.core.telemetry.device('INV-003')!.metrics.ripple!.recent.v).toHaveLength(10);
  });

  it('reconnects after the broker restarts, backing off while it is away, and reports the gap', async () => {
    await setup();
    publisher = await plainClient(broker.url);
    const saved = await t.call<Connector>('connectors/save', { settings: simSettings(broker.url) });
    await t.waitConnector(saved.id, 'connected');
    await subscribed();
    const states: string[] = [];
    t.core.subscribe((event, payload) => {
      if (event !== 'connectors/changed') return;
      const p = payload as { id: string; status: ConnectorStatus | null };
      if (p.id === saved.id && p.status) states.push(p.status.state);
    });

    // Record when each reconnect attempt starts.
    const attempts: number[] = [];
    let lastCount = t.manager().status(saved.id).reconnects;
    const poll = setInterval(() => {
      const n = t.manager().status(saved.id).reconnects;
      if (n !== lastCount) attempts.push(performance.now());
      lastCount = n;
    }, 2);
    try {
      await broker.down();
      await waitFor('five attempts while the broker is away', () => attempts.length >= 5, 10_000);
      const away = t.manager().status(saved.id);
      expect(away.state).toBe('disconnected');
      expect(away.lastError).toMatch(/closed the connection|refused|reset/);
      expect(away.gaps.at(-1)?.to).toBeNull();
      await broker.up();
    } finally {
      clearInterval(poll);
    }
    const intervals = attempts.slice(1).map((a, i) => a - attempts[i]!);
    // Backoff 50 → 100 → 200 → 400 ms (no jitter in the test tuning): each wait longer than the last.
    for (let i = 1; i < Math.min(intervals.length, 3); i++) {
      expect(intervals[i]!).toBeGreaterThan(intervals[i - 1]! * 1.4);
    }
    const back = await t.waitConnector(saved.id, 'connected', 10_000);
    expect(back.gaps).toHaveLength(1);
    expect(back.gaps[0]!.to).not.toBeNull();
    expect(back.reconnects).toBeGreaterThanOrEqual(5);
    expect(states[0]).toBe('disconnected');
    expect(states.at(-1)).toBe('connected');

    // The broker lost the session: the connector subscribed again and telemetry flows.
    const accepted = t.core.telemetry.stats().accepted;
    await waitFor('telemetry after the restart', async () => {
      await publisher!.publishAsync(SIM_TOPIC('INV-001'), simPayload('INV-001', Date.now()), { qos: 1 });
      return t.core.telemetry.stats().accepted > accepted;
    });
  });
});
