import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts the built hub on free ports with 3,000 demo tickets, the embedded broker and a simulated
 * fleet of 600 PV inverters; returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const hub = join(root, 'out', 'main', 'hub.js');
  if (!existsSync(hub))
    throw new Error(`${hub} is missing: run \`npm run build\` before the end-to-end tests`);
  const dir = mkdtempSync(join(tmpdir(), 'wf-e2e-'));
  const child = spawn(
    process.execPath,
    [
      hub,
      'serve',
      '--port',
      '0',
      '--mqtt-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--demo',
      '--demo-count',
      '3000',
      // A smaller fleet than the product default keeps the shared hub light for the board tests.
      '--sim-devices',
      '600',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
      const broker = /MQTT broker \(embedded\) at (mqtt:\/\/\S+)/.exec(out);
      if (m && broker) {
        process.env.WATCHFLOOR_E2E_MQTT = broker[1]!;
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the hub exited (${code}) before it was ready:\n${stderr}`)),
    );
  });
  process.env.WATCHFLOOR_E2E_URL = url;
  process.env.WATCHFLOOR_E2E_DATA = join(dir, 'data');
  return async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  };
}
