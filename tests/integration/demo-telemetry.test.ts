import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connector, SimulatorStatus, TelemetryStats } from '@shared/contract';
import { openFolderCore } from '../../src-main/core/open-folder-core';
import { silentLogger, type SecretsPort } from '../../src-main/core/ports';
import { waitFor } from '../helpers/mosquitto';
import { tempDir } from '../helpers/temp-dir';

const secrets: SecretsPort = {
  kind: 'test',
  encrypt: (p) => Buffer.from(p).toString('base64'),
  decrypt: (b) => Buffer.from(b, 'base64').toString(),
};

async function open(dataDir: string, demo: boolean, secretsPort: SecretsPort = secrets) {
  return openFolderCore({
    dataDir,
    host: 'node',
    version: 'test',
    logger: silentLogger,
    telemetry: {
      secrets: secretsPort,
      embeddedBroker: { port: 0 },
      simulator: { devices: 40, speed: 600, seed: 7 },
    },
    demoTelemetry: demo,
  });
}

describe('demo telemetry: embedded broker → simulator → connector → pipeline', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('registers the fleet, ingests its samples, writes the ground truth, and survives a restart', async () => {
    const dir = tempDir('wf-demo-tel-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'data');

    const first = await open(dataDir, true);
    let closed = false;
    cleanups.push(() => (closed ? undefined : first.core.close()));
    const { core } = first;

    const list = (await core.call('devices/list', {})) as { devices: { sn: string; lng: number | null }[] };
    expect(list.devices).toHaveLength(40);
    expect(list.devices.every((d) => d.lng !== null)).toBe(true);

    const connectors = (await core.call('connectors/list', {})) as Connector[];
    expect(connectors).toHaveLength(1);
    expect(connectors[0]!.url).toBe('embedded://');

    const stats = await waitFor(
      'accepted samples',
      async () => {
        const s = (await core.call('telemetry/stats', {})) as TelemetryStats;
        return s.accepted >= 40 ? s : null;
      },
      15_000,
      100,
    );
    expect(Object.values(stats.refused).reduce((a, b) => a + b, 0)).toBe(0);

    const status = (await core.call('simulator/status', {})) as SimulatorStatus;
    expect(status).toMatchObject({ available: true, running: true, devices: 40, speed: 600, seed: 7 });
    expect(existsSync(status.groundTruthFile!)).toBe(true);
    expect(readFileSync(status.groundTruthFile!, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(
      1,
    );

    await core.call('simulator/stop', {});
    await core.close();
    closed = true;

    // A later start without demo mode keeps the registry and the connector, and starts no simulator.
    const second = await open(dataDir, false);
    cleanups.push(() => second.core.close());
    expect(((await second.core.call('devices/list', {})) as { devices: unknown[] }).devices).toHaveLength(40);
    expect((await second.core.call('connectors/list', {})) as Connector[]).toHaveLength(1);
    expect(((await second.core.call('simulator/status', {})) as SimulatorStatus).running).toBe(false);
  });

  it('lists connectors whose stored password can no longer be decrypted, never the secret', async () => {
    const dir = tempDir('wf-demo-tel-');
    cleanups.push(dir.cleanup);
    const dataDir = join(dir.path, 'data');
    const first = await open(dataDir, false);
    const saved = (await first.core.call('connectors/save', {
      settings: {
        name: 'SCADA',
        enabled: false,
        url: 'mqtt://127.0.0.1:1',
        clientId: 'wf-scada',
        username: 'ops',
        subscriptions: [{ topic: 'scada/+/m', qos: 1 }],
        mappings: [
          {
            topic: 'scada/{sn}/m',
            sn: { from: 'topic' },
            timestamp: { from: 'receive' },
            metrics: [{ metric: 'ripple', path: '$.r' }],
          },
        ],
      },
      password: 'hunter2',
    })) as Connector;
    expect(saved.hasPassword).toBe(true);
    await first.core.close();

    // Another key (a changed key file, another machine's keyring): nothing decrypts any more.
    const otherKey: SecretsPort = {
      kind: 'test',
      encrypt: secrets.encrypt,
      decrypt: () => {
        throw new Error('bad key');
      },
    };
    const second = await open(dataDir, false, otherKey);
    cleanups.push(() => second.core.close());
    const list = (await second.core.call('connectors/list', {})) as Connector[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: saved.id, hasPassword: true });
    expect(JSON.stringify(list)).not.toContain('hunter2');
  });
});
