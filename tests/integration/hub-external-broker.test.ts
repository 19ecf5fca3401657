import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connector, TelemetryStats } from '@shared/contract';
import { startMosquitto, waitFor, type MosquittoBroker } from '../helpers/mosquitto';
import { tempDir } from '../helpers/temp-dir';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hubJs = join(root, 'out', 'main', 'hub.js');

function rpcCall(hub: string, method: string, params: unknown): Promise<unknown> {
  const url = new URL('/rpc', hub);
  url.protocol = 'ws:';
  const ws = new WebSocket(url);
  return new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 10 s`)), 10_000);
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      if (msg.error) reject(new Error(msg.error.message));
      else resolve(msg.result);
    });
  });
}

/** Starts the built hub and resolves with its URL and what it printed. */
function startHub(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [hubJs, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve({ child, url: m[1]!, out: () => out });
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`the hub exited (${code}):\n${err}`));
    });
  });
}

describe('the hub against an external Mosquitto, by one setting', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('WATCHFLOOR_BROKER_URL: no embedded broker, the demo connector and the simulator use Mosquitto', async () => {
    const broker: MosquittoBroker = await startMosquitto();
    cleanups.push(() => broker.stop());
    const dir = tempDir('wf-ext-broker-');
    cleanups.push(dir.cleanup);

    const hub = await startHub(
      ['--data-dir', join(dir.path, 'data'), '--demo', '--demo-count', '50', '--sim-devices', '60'],
      { WATCHFLOOR_BROKER_URL: broker.url },
    );
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (hub.child.exitCode !== null) return resolve();
          hub.child.once('exit', () => resolve());
          hub.child.kill('SIGTERM');
        }),
    );
    expect(hub.out()).not.toContain('MQTT broker (embedded)');

    const connectors = (await rpcCall(hub.url, 'connectors/list', {})) as Connector[];
    expect(connectors.map((c) => c.url)).toEqual([broker.url]);
    const stats = await waitFor(
      'samples through Mosquitto',
      async () => {
        const s = (await rpcCall(hub.url, 'telemetry/stats', {})) as TelemetryStats;
        return s.accepted >= 60 ? s : null;
      },
      20_000,
      200,
    );
    expect(stats.devices.online).toBeGreaterThan(0);
    expect(broker.log()).not.toMatch(/error/i);
  });
});
