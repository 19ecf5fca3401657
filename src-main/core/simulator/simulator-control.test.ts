import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorSettings, type DeviceFields, ErrorCode, RpcError, SimulatorStatus } from '@shared/contract';
import { type EmbeddedBroker, startEmbeddedBroker } from '../broker/embedded-broker';
import { FleetSimulator } from './fleet-simulator';
import { generateFleet } from './fleet';
import { parseGroundTruth } from './ground-truth';
import { connectMqttPublisher } from './mqtt-publisher';
import {
  GROUND_TRUTH_FILE_NAME,
  SIMULATOR_TOPIC_PATTERN,
  SimulatorControl,
  simulatorConnectorSettings,
} from './simulator-control';

let broker: EmbeddedBroker;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker();
});
afterAll(async () => {
  await broker.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wf-simctl-'));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

async function subscriber(
  url: string,
  topic = 'watchfloor/sim/#',
): Promise<{ client: MqttClient; got: string[] }> {
  const client = connect(url, { reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync(true));
  const got: string[] = [];
  client.on('message', (t, payload) => got.push(`${t} ${payload.toString()}`));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(topic, { qos: 0 });
  return { client, got };
}

/** A port nobody listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const waitFor = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('publishing to the embedded broker', () => {
  it('a plain mqtt.js subscriber receives the fleet’s telemetry', async () => {
    const { got } = await subscriber(broker.url);
    const publisher = await connectMqttPublisher(broker.url, { clientId: 'sim-test-1' });
    cleanups.push(() => publisher.close());
    const fleet = generateFleet({ count: 200, seed: 1 });
    const sim = new FleetSimulator({
      fleet,
      seed: 1,
      speed: 3600,
      simStart: Date.UTC(2026, 5, 1, 4),
      publish: (t, p) => publisher.publish(t, p),
      tickMs: 20,
    });
    await sim.start();
    await waitFor(() => got.length >= 2000);
    await sim.stop();
    const s = sim.status();
    await waitFor(() => got.length === s.published);
    const [topic, body] = got[0]!.split(' ');
    expect(topic).toMatch(/^watchfloor\/sim\/pv-inverter\/[A-Z0-9-]+\/telemetry$/);
    expect(Object.keys(JSON.parse(body!) as object)).toEqual([
      'ts',
      'ripple',
      'tempGradient',
      'packetLoss',
      'power',
      'ambient',
      'irradiance',
    ]);
    expect(new Set(got.map((g) => g.split('/')[3])).size).toBe(200);
  });

  it('sustains a high message rate to aedes (measured)', async () => {
    const { got } = await subscriber(broker.url);
    const publisher = await connectMqttPublisher(broker.url, { clientId: 'sim-test-rate' });
    cleanups.push(() => publisher.close());
    const fleet = generateFleet({ count: 20_000, seed: 1 });
    const sim = new FleetSimulator({
      fleet,
      seed: 1,
      speed: 3600,
      simStart: Date.UTC(2026, 5, 1, 4),
      publish: (t, p) => publisher.publish(t, p),
      maxMessagesPerSecond: 40_000,
      tickMs: 50,
    });
    await sim.start();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    await sim.stop();
    const seconds = (Date.now() - t0) / 1000;
    const { published } = sim.status();
    await waitFor(() => got.length >= published, 20_000);
    const rate = published / seconds;
    process.stdout.write(
      `simulator → aedes → subscriber: ${published} messages in ${seconds.toFixed(2)} s = ${Math.round(rate)} msg/s (target ${sim.status().targetMessagesPerSecond})\n`,
    );
    expect(got.length).toBe(published);
    expect(rate).toBeGreaterThan(5_000);
  });
});

describe('MQTT publisher', () => {
  it('survives a broker restart: errors while it is away, publishes again once it is back', async () => {
    const first = await startEmbeddedBroker();
    const port = first.port;
    const publisher = await connectMqttPublisher(first.url, { clientId: 'sim-restart', reconnectMs: 100 });
    cleanups.push(() => publisher.close());
    publisher.publish('watchfloor/sim/x', Buffer.from('{}'));
    await first.close();
    await waitFor(() => !publisher.connected());
    expect(() => publisher.publish('watchfloor/sim/x', Buffer.from('{}'))).toThrow(/not connected/);
    const second = await startEmbeddedBroker({ port });
    cleanups.push(() => second.close());
    await waitFor(() => publisher.connected());
    const { got } = await subscriber(second.url);
    publisher.publish('watchfloor/sim/x', Buffer.from('{"back":true}'));
    await waitFor(() => got.length === 1);
  });
});

describe('SimulatorControl (SimulatorPort)', () => {
  it('starts, reports, writes the ground truth, registers the fleet, stops', async () => {
    const dir = await tempDir();
    const { got } = await subscriber(broker.url);
    const registered: DeviceFields[][] = [];
    const changes: SimulatorStatus[] = [];
    const control = new SimulatorControl({
      brokerUrl: 'embedded://',
      resolveEmbeddedUrl: () => broker.url,
      dir,
      register: async (devices) => {
        registered.push(devices);
      },
      statusIntervalMs: 100,
    });
    cleanups.push(() => control.stop());
    control.onChange((s) => changes.push(s));
    expect(SimulatorStatus.parse(control.status())).toMatchObject({ available: true, running: false });

    const started = await control.start({ devices: 300, speed: 3600, seed: 4 });
    expect(SimulatorStatus.parse(started)).toMatchObject({
      available: true,
      running: true,
      devices: 300,
      speed: 3600,
      seed: 4,
      groundTruthFile: join(dir, GROUND_TRUTH_FILE_NAME),
    });
    expect(started.startedAt).not.toBeNull();
    expect(registered).toHaveLength(1);
    expect(registered[0]).toHaveLength(300);

    const truth = parseGroundTruth(await readFile(join(dir, GROUND_TRUTH_FILE_NAME), 'utf8'));
    expect(truth.header).toMatchObject({ seed: 4, speed: 3600, count: 300 });

    await waitFor(() => control.status().published > 500 && got.length > 0);
    expect(changes.some((c) => c.running && c.published > 0)).toBe(true);
    expect(control.details()?.effectiveIntervalSec).toBeGreaterThanOrEqual(60);

    const stopped = await control.stop();
    expect(stopped.running).toBe(false);
    expect(stopped.published).toBeGreaterThan(500);
    expect(changes[changes.length - 1]!.running).toBe(false);
    // Everything published arrives; nothing after the stop.
    await waitFor(() => got.length >= stopped.published);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.length).toBe(stopped.published);
    // Stopping twice is harmless.
    expect((await control.stop()).running).toBe(false);
  });

  it('a second start replaces the run, and simulated time never goes back', async () => {
    const dir = await tempDir();
    const control = new SimulatorControl({ brokerUrl: broker.url, dir });
    cleanups.push(() => control.stop());
    await control.start({ devices: 50, speed: 86_400 });
    await waitFor(() => (control.details()?.simTimeMs ?? 0) > Date.now() + 2 * 86_400_000);
    const reached = control.details()!.simTimeMs;
    const second = await control.start({ devices: 80, seed: 9, speed: 600 });
    expect(second).toMatchObject({ running: true, devices: 80, seed: 9, speed: 600 });
    expect(broker.broker.connectedClients).toBeLessThanOrEqual(2);
    const truth = parseGroundTruth(await readFile(join(dir, GROUND_TRUTH_FILE_NAME), 'utf8'));
    expect(truth.header.count).toBe(80);
    expect(Date.parse(truth.header.simStart)).toBeGreaterThan(reached);
  });

  it('fails fast with UNAVAILABLE when the broker is unreachable, and with INVALID_ARGUMENT on bad values', async () => {
    const dir = await tempDir();
    const port = await deadPort();
    const control = new SimulatorControl({
      brokerUrl: `mqtt://127.0.0.1:${port}`,
      dir,
      connectTimeoutMs: 1_000,
    });
    const t0 = Date.now();
    const err = await control.start({ devices: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(ErrorCode.Unavailable);
    expect((err as RpcError).message).toMatch(
      /Cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+: Connection refused/,
    );
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(control.status().running).toBe(false);

    // A host that swallows packets: the connect timeout ends it.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const mute = new SimulatorControl({
      brokerUrl: `mqtt://127.0.0.1:${(silent.address() as { port: number }).port}`,
      dir,
      connectTimeoutMs: 500,
    });
    const t1 = Date.now();
    const err2 = await mute.start({}).catch((e: unknown) => e);
    expect((err2 as RpcError).code).toBe(ErrorCode.Unavailable);
    expect((err2 as RpcError).message).toMatch(/No answer from the broker|timed out/);
    expect(Date.now() - t1).toBeLessThan(3_000);

    const embeddedDown = new SimulatorControl({
      brokerUrl: 'embedded://',
      resolveEmbeddedUrl: () => null,
      dir,
    });
    await expect(embeddedDown.start({})).rejects.toMatchObject({ code: ErrorCode.Unavailable });

    await expect(control.start({ devices: 20_001 })).rejects.toMatchObject({
      code: ErrorCode.InvalidArgument,
    });
    await expect(control.start({ speed: 0 })).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
    await expect(control.start({ seed: -1 })).rejects.toMatchObject({ code: ErrorCode.InvalidArgument });
  });
});

describe('simulatorConnectorSettings', () => {
  it('is a valid connector that maps the simulator’s topic and payload', () => {
    const parsed = ConnectorSettings.parse(simulatorConnectorSettings());
    expect(parsed.url).toBe('embedded://');
    expect(parsed.name).toBe('演示模拟器 / Demo simulator');
    expect(parsed.subscriptions).toEqual([{ topic: 'watchfloor/sim/pv-inverter/{sn}/telemetry', qos: 0 }]);
    expect(parsed.mappings[0]).toMatchObject({
      topic: SIMULATOR_TOPIC_PATTERN,
      sn: { from: 'topic' },
      timestamp: { from: 'json', path: '$.ts', format: 'ms' },
      kind: 'pv-inverter',
    });
    expect(parsed.mappings[0]!.metrics.map((m) => m.metric)).toEqual([
      'ripple',
      'tempGradient',
      'packetLoss',
      'power',
      'ambient',
      'irradiance',
    ]);
    expect(parsed.maxFutureSec).toBe(0);
    expect(ConnectorSettings.parse(simulatorConnectorSettings('mqtt://10.0.0.5:1883')).url).toBe(
      'mqtt://10.0.0.5:1883',
    );
  });
});
