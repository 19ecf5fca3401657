/**
 * Child processes of the ingest benchmark, so that neither the broker nor the publishers share the
 * measured process's thread:
 *
 *   node --import tsx ingest-children.ts broker
 *     runs the embedded broker (aedes) and sends `{ port }` over IPC.
 *   node --import tsx ingest-children.ts publish <port> <index> <publishers> <devices>
 *     publishes simulator-shaped telemetry at QoS 0 as fast as the broker takes it, for the devices
 *     whose number ≡ index (mod publishers); on `stop` it sends `{ published }` and exits.
 *
 * The publisher writes hand-encoded MQTT 3.1.1 packets straight to the socket (what mqtt.js would
 * send, without its per-message overhead): the publisher must not be the bottleneck on 2 cores. It
 * honours TCP backpressure, so it never runs ahead of what the broker reads.
 */
import { connect, type Socket } from 'node:net';
import { startEmbeddedBroker } from '../../src-main/core/broker/embedded-broker';

export const SIM_FILTER = 'watchfloor/sim/pv-inverter/+/telemetry';

export function deviceSn(i: number): string {
  return `PV-${String(i).padStart(6, '0')}`;
}

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  // "MQTT", level 4 (3.1.1), flags: clean session, keepalive 60 s.
  const header = Buffer.from([
    0,
    4,
    0x4d,
    0x51,
    0x54,
    0x54,
    4,
    0x02,
    0,
    60,
    id.length >> 8,
    id.length & 0xff,
  ]);
  return Buffer.concat([Buffer.from([0x10, ...remainingLength(header.length + id.length)]), header, id]);
}

/** Writes one QoS 0 PUBLISH into `buf` at `at`; returns the new offset. */
function writePublish(buf: Buffer, at: number, topic: string, payload: string): number {
  const tLen = Buffer.byteLength(topic);
  const pLen = Buffer.byteLength(payload);
  let o = at;
  buf[o++] = 0x30;
  for (const b of remainingLength(2 + tLen + pLen)) buf[o++] = b;
  buf[o++] = tLen >> 8;
  buf[o++] = tLen & 0xff;
  o += buf.write(topic, o, 'latin1');
  o += buf.write(payload, o, 'latin1');
  return o;
}

async function publish(port: number, index: number, publishers: number, devices: number): Promise<void> {
  const socket: Socket = connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(connectPacket(`wf-bench-pub-${process.pid}-${index}`));
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (d: Buffer) =>
      d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error('CONNACK refused')),
    );
  });
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);

  // The fleet simulator's topic and payload shape (SN in the topic, the 6 metrics and `ts` in JSON).
  const mine: { topic: string; last: number; n: number }[] = [];
  for (let i = index; i < devices; i += publishers) {
    mine.push({ topic: `watchfloor/sim/pv-inverter/${deviceSn(i)}/telemetry`, last: 0, n: i });
  }
  let published = 0;
  let stopping = false;
  process.on('message', (m: unknown) => {
    if (m === 'stop') stopping = true;
  });

  let k = 0;
  const CHUNK = 64 * 1024;
  while (!stopping) {
    const buf = Buffer.allocUnsafe(CHUNK);
    let o = 0;
    const now = Date.now();
    while (o < CHUNK - 512) {
      const d = mine[k]!;
      k = (k + 1) % mine.length;
      // Strictly increasing per device, so no sample is a duplicate.
      const ts = Math.max(now, d.last + 1);
      d.last = ts;
      const phase = (d.n * 7 + published) % 1000;
      const payload =
        `{"ts":${ts},"ripple":${(0.6 + phase / 1250).toFixed(3)},` +
        `"tempGradient":${((phase - 500) / 400).toFixed(3)},"packetLoss":${(phase / 400).toFixed(2)},` +
        `"power":${(35 + phase / 20).toFixed(2)},"ambient":${(14 + phase / 100).toFixed(1)},` +
        `"irradiance":${(200 + phase * 0.8).toFixed(1)}}`;
      o = writePublish(buf, o, d.topic, payload);
      published++;
    }
    if (!socket.write(buf.subarray(0, o))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
    if (socket.destroyed) break;
    // Let the IPC "stop" through.
    await new Promise((r) => setImmediate(r));
  }
  process.send?.({ published }, () => {
    socket.destroy();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const [role, ...args] = process.argv.slice(2);
  if (role === 'broker') {
    const broker = await startEmbeddedBroker();
    process.send?.({ port: broker.port });
    process.on('message', (m: unknown) => {
      if (m === 'stop') void broker.close().then(() => process.exit(0));
    });
    process.on('disconnect', () => process.exit(0));
    return;
  }
  if (role === 'publish') {
    const [port, index, publishers, devices] = args.map(Number) as [number, number, number, number];
    process.on('disconnect', () => process.exit(0));
    await publish(port, index, publishers, devices);
    return;
  }
  throw new Error(`unknown role ${role}`);
}

if (process.argv[1]?.endsWith('ingest-children.ts')) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
