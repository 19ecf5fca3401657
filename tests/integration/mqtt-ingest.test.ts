import { spawn } from 'node:child_process';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, QuarantineSample } from '@shared/contract';
import { startEmbeddedBroker } from '../../src-main/core/broker/embedded-broker';
import { MOSQUITTO_PUB, MOSQUITTO_SUB, requireBinary, startMosquitto, waitFor } from '../helpers/mosquitto';
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

interface BrokerUnderTest {
  url: string;
  stop(): Promise<void>;
}

/** The same behaviour is required of the embedded broker and of a real Mosquitto. */
const brokers: [string, () => Promise<BrokerUnderTest>][] = [
  [
    'aedes (embedded)',
    async () => {
      const b = await startEmbeddedBroker();
      return { url: b.url, stop: b.close };
    },
  ],
  [
    'mosquitto',
    async () => {
      const b = await startMosquitto();
      return { url: b.url, stop: b.stop };
    },
  ],
];

/** Runs a Mosquitto client binary to completion; rejects with its output on failure. */
function run(bin: string, args: string[], timeoutMs = 10_000): Promise<string> {
  requireBinary(bin);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${bin} ${args.join(' ')} exited with ${code}: ${out}`));
    });
  });
}

describe.each(brokers)('MQTT ingest through createCore — %s', (_name, startBroker) => {
  let broker: BrokerUnderTest;
  let t: TelemetryCore;
  let publisher: MqttClient;
  let trap: ReturnType<typeof trapUnhandled>;
  const sns = Array.from({ length: 20 }, (_, i) => `INV-${String(i).padStart(3, '0')}`);

  beforeAll(async () => {
    broker = await startBroker();
    publisher = await plainClient(broker.url);
  });
  afterAll(async () => {
    await publisher?.endAsync(true);
    await broker?.stop();
  });
  afterEach(async () => {
    trap.release();
    await t.stop();
    expect(trap.errors).toEqual([]);
  });

  const setup = async (): Promise<void> => {
    trap = trapUnhandled();
    t = await startTelemetryCore({ embeddedUrl: broker.url });
    await t.addDevices(sns);
  };

  it('subscribes with topic patterns and QoS per subscription; samples reach the pipeline', async () => {
    await setup();
    const saved = await t.call<Connector>('connectors/save', {
      settings: simSettings(broker.url, {
        subscriptions: [
          { topic: 'watchfloor/sim/pv-inverter/+/telemetry', qos: 1 },
          { topic: 'plant/{sn}/#', qos: 0 },
        ],
        mappings: [
          ...simSettings(broker.url).mappings,
          {
            topic: 'plant/{sn}/#',
            sn: { from: 'topic' },
            timestamp: { from: 'json', path: '$.t', format: 's' },
            metrics: [{ metric: 'power', path: '$.p.kw' }],
          },
        ],
      }),
    });
    await t.waitConnector(saved.id, 'connected');
    // Wait for the SUBACK: the mqtt.js client lists its granted subscriptions.
    const client = t.manager().debugClient(saved.id)!;
    const qosSeen = new Map<string, number[]>();
    client.on('message', (topic, _payload, packet) => {
      const key = topic.startsWith('plant/') ? 'plant' : 'sim';
      qosSeen.set(key, [...(qosSeen.get(key) ?? []), packet.qos]);
    });
    await waitFor('the subscriptions', async () => {
      await publisher.publishAsync(SIM_TOPIC('probe'), simPayload('probe', Date.now()), { qos: 1 });
      return (await t.stats()).refused['unknown-device'] > 0;
    });

    const now = Date.now();
    for (const [i, sn] of sns.entries()) {
      await publisher.publishAsync(SIM_TOPIC(sn), simPayload(sn, now - 10_000 + i, { ripple: 1 + i / 100 }), {
        qos: 1,
      });
      await publisher.publishAsync(
        `plant/${sn}/inverter/1`,
        JSON.stringify({ t: now / 1000, p: { kw: 7 } }),
        {
          qos: 1,
        },
      );
    }
    await waitFor('40 accepted samples', async () => (await t.stats()).accepted >= 40);
    const d = await t.call<{ metrics: Record<string, { recent: { v: (number | null)[] } }> }>(
      'telemetry/device',
      { sn: 'INV-005' },
    );
    expect(d.metrics.ripple!.recent.v[0]).toBeCloseTo(1.05, 5);
    expect(d.metrics.irradiance!.recent.v[0]).toBe(640);
    expect(d.metrics.power!.recent.v).toEqual([42.5, 7]);
    // Published at QoS 1: delivered at QoS 1 on the QoS 1 subscription, downgraded to 0 on the other.
    expect(new Set(qosSeen.get('sim'))).toEqual(new Set([1]));
    expect(new Set(qosSeen.get('plant'))).toEqual(new Set([0]));
    const status = await t.connectorStatus(saved.id);
    expect(status.messages).toBeGreaterThanOrEqual(40);
    expect(t.events.some((e) => e.event === 'connectors/changed')).toBe(true);
  });

  it('counts malformed payloads per reason, samples them into the quarantine, never crashes', async () => {
    await setup();
    const saved = await t.call<Connector>('connectors/save', {
      settings: simSettings(broker.url, { maxPayloadBytes: 4096, subscriptions: [{ topic: '#', qos: 0 }] }),
    });
    await t.waitConnector(saved.id, 'connected');
    await waitFor('the subscription', async () => {
      await publisher.publishAsync(SIM_TOPIC('probe'), simPayload('probe', Date.now()), { qos: 1 });
      return (await t.stats()).refused['unknown-device'] > 0;
    });
    // A broker may acknowledge a probe before delivering it: let the last one arrive first.
    await sleep(150);
    const before = await t.stats();
    const now = Date.now();
    const bad: [string, string | Buffer][] = [
      [SIM_TOPIC('INV-001'), Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef])],
      [SIM_TOPIC('INV-001'), '{"ts": 1, "ripple": '],
      [SIM_TOPIC('INV-001'), '[1,2,3]'],
      [SIM_TOPIC('INV-002'), simPayload('INV-002', now, { pad: 'x'.repeat(200_000) })],
      [SIM_TOPIC('INV-003'), simPayload('INV-003', now, { ripple: 'high' })],
      [SIM_TOPIC('INV-004'), simPayload('INV-004', now, { ripple: 999 })],
      [SIM_TOPIC('NOT-REGISTERED'), simPayload('NOT-REGISTERED', now)],
      [SIM_TOPIC('INV-005'), simPayload('INV-005', now, { ts: 'yesterday' })],
      [SIM_TOPIC('INV-006'), simPayload('INV-006', now + 3_600_000)],
      ['somewhere/else', simPayload('INV-007', now)],
    ];
    for (const [topic, payload] of bad) await publisher.publishAsync(topic, payload, { qos: 1 });
    // A good sample after the garbage proves the connection and the pipeline survived.
    await publisher.publishAsync(SIM_TOPIC('INV-009'), simPayload('INV-009', now), { qos: 1 });
    const after = await waitFor('every message counted', async () => {
      const s = await t.stats();
      return s.received - before.received >= bad.length + 1 ? s : null;
    });
    const delta = (r: keyof typeof after.refused): number => after.refused[r] - before.refused[r];
    expect(delta('malformed-json')).toBe(3);
    expect(delta('oversized')).toBe(1);
    expect(delta('wrong-type')).toBe(1);
    expect(delta('out-of-range')).toBe(1);
    expect(delta('unknown-device')).toBe(1);
    expect(delta('bad-timestamp')).toBe(1);
    expect(delta('future')).toBe(1);
    expect(delta('no-mapping')).toBe(1);
    // Wrong type / out of range refuse the field, the other five metrics of the message are kept.
    expect(after.accepted - before.accepted).toBe(3);
    const q = await t.call<QuarantineSample[]>('telemetry/quarantine', { limit: 50 });
    const reasons = new Set(q.map((s) => s.reason));
    for (const r of ['malformed-json', 'oversized', 'wrong-type', 'out-of-range', 'unknown-device', 'future'])
      expect(reasons).toContain(r);
    expect(q.every((s) => s.payload.length <= 200)).toBe(true);
    expect((await t.connectorStatus(saved.id)).state).toBe('connected');
  });

  it('interoperates: mosquitto_pub → the core; the core’s connection → mosquitto_sub', async () => {
    await setup();
    const saved = await t.call<Connector>('connectors/save', { settings: simSettings(broker.url) });
    await t.waitConnector(saved.id, 'connected');
    const { port } = new URL(broker.url);
    const pubArgs = (topic: string, message: string): string[] => [
      ...['-h', '127.0.0.1', '-p', port, '-q', '1', '-t', topic, '-m', message],
    ];
    await waitFor(
      'mosquitto_pub to reach the core',
      async () => {
        await run(MOSQUITTO_PUB, pubArgs(SIM_TOPIC('INV-010'), simPayload('INV-010', Date.now())));
        return (await t.stats()).accepted > 0;
      },
      10_000,
      200,
    );
    expect(t.core.telemetry.device('INV-010')!.metrics.power!.recent.v.at(-1)).toBe(42.5);

    const sub = run(MOSQUITTO_SUB, [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-t',
      'wf/out/#',
      '-C',
      '1',
      '-v',
      '-q',
      '1',
    ]);
    const client = t.manager().debugClient(saved.id)!;
    // mosquitto_sub has no "subscribed" signal: publish until it has received one message.
    let done = false;
    void sub.finally(() => (done = true));
    while (!done) {
      await client.publishAsync('wf/out/ack', 'from the hub', { qos: 1 });
      await sleep(100);
    }
    expect(await sub).toContain('wf/out/ack from the hub');
  });

  it('removing a connector disconnects it', async () => {
    await setup();
    const saved = await t.call<Connector>('connectors/save', { settings: simSettings(broker.url) });
    await t.waitConnector(saved.id, 'connected');
    const client = t.manager().debugClient(saved.id)!;
    expect(client.connected).toBe(true);
    await t.call('connectors/remove', { id: saved.id, version: saved.version });
    await waitFor('the client to close', () => client.disconnected || !client.connected);
    expect(t.manager().debugClient(saved.id)).toBeNull();
    expect(await t.call<Connector[]>('connectors/list')).toEqual([]);
    const received = (await t.stats()).received;
    await publisher.publishAsync(SIM_TOPIC('INV-001'), simPayload('INV-001', Date.now()), { qos: 1 });
    await sleep(200);
    expect((await t.stats()).received).toBe(received);
    expect(t.events).toContainEqual({ event: 'connectors/changed', payload: { id: saved.id, status: null } });
  });
});
