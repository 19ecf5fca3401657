import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '@shared/contract';
import { freePort, startMosquitto, waitFor, type MosquittoBroker } from '../helpers/mosquitto';
import { tempDir } from '../helpers/temp-dir';
import {
  SIM_TOPIC,
  simPayload,
  simSettings,
  startTelemetryCore,
  trapUnhandled,
  type TelemetryCore,
} from './mqtt-harness';

const USER = 'hub';
const PASSWORD = 'Pa55-w0rd-$ecret!';
const WRONG = 'not-the-password-9f2c';
const TLS_KEY_MARKER = 'PRIVATE KEY';

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
}

/** A throw-away CA, a server certificate for 127.0.0.1/localhost and a client certificate. */
function makePki(
  dir: string,
): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=wf-test-ca'],
    dir,
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const who of ['server', 'client']) {
    openssl(
      ['req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=wf-test-${who}`],
      dir,
    );
    openssl(
      [
        ...['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
        ...['-out', `${who}.crt`, '-days', '2'],
        ...(who === 'server' ? ['-extfile', 'server.ext'] : []),
      ],
      dir,
    );
  }
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    ca: read('ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
  };
}

/** Every file under a folder, as text (to prove a secret was never written in the clear). */
function allText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

describe('MQTT against Mosquitto: password, TLS, WebSocket', () => {
  const pkiDir = tempDir('wf-pki-');
  let pki: ReturnType<typeof makePki>;
  let mosquitto: MosquittoBroker;
  let tlsPort: number;
  let mtlsPort: number;
  let wsPort: number;
  let t: TelemetryCore;
  let trap: ReturnType<typeof trapUnhandled>;

  beforeAll(async () => {
    pki = makePki(pkiDir.path);
    [tlsPort, mtlsPort, wsPort] = [await freePort(), await freePort(), await freePort()];
    const tls = [
      `cafile ${join(pkiDir.path, 'ca.crt')}`,
      `certfile ${pki.serverCert}`,
      `keyfile ${pki.serverKey}`,
    ];
    mosquitto = await startMosquitto({
      users: { [USER]: PASSWORD },
      extraConfig: [
        `listener ${tlsPort} 127.0.0.1`,
        ...tls,
        `listener ${mtlsPort} 127.0.0.1`,
        ...tls,
        'require_certificate true',
        `listener ${wsPort} 127.0.0.1`,
        'protocol websockets',
      ],
    });
    trap = trapUnhandled();
    t = await startTelemetryCore();
    await t.addDevices(['INV-001', 'INV-002']);
  });

  afterAll(async () => {
    trap?.release();
    await t?.stop();
    await mosquitto?.stop();
    pkiDir.cleanup();
    expect(trap?.errors ?? []).toEqual([]);
  });

  /** Publishes as the broker's user until the core accepted one more sample. */
  const publishUntilAccepted = async (sn: string): Promise<void> => {
    const client = await connectAsync(mosquitto.url, {
      username: USER,
      password: PASSWORD,
      reconnectPeriod: 0,
    });
    const before = t.core.telemetry.stats().accepted;
    try {
      await waitFor(`a sample of ${sn}`, async () => {
        await client.publishAsync(SIM_TOPIC(sn), simPayload(sn, Date.now()), { qos: 1 });
        return t.core.telemetry.stats().accepted > before;
      });
    } finally {
      await client.endAsync(true);
    }
  };

  it('logs in with username and password from the vault; secrets never leave the core', async () => {
    const saved = await t.call<Connector>('connectors/save', {
      settings: simSettings(mosquitto.url, { username: USER }),
      password: PASSWORD,
    });
    expect(saved.hasPassword).toBe(true);
    await t.waitConnector(saved.id, 'connected');
    await publishUntilAccepted('INV-001');

    const listed = await t.call<Connector[]>('connectors/list');
    expect(listed[0]).toMatchObject({ id: saved.id, hasPassword: true, hasTlsKey: false });
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    expect(t.logs.join('\n')).not.toContain(PASSWORD);
    expect(JSON.stringify(t.events)).not.toContain(PASSWORD);
    // Not in the journal, the snapshot or the secrets file either: only the encrypted blob is stored.
    expect(allText(t.dir)).not.toContain(PASSWORD);
    expect((statSync(join(t.dir, 'secrets.json')).mode & 0o777).toString(8)).toBe('600');
    await t.call('connectors/remove', { id: saved.id, version: saved.version });
  });

  it('a wrong password is a clear error state with backoff retries, never a crash', async () => {
    const saved = await t.call<Connector>('connectors/save', {
      settings: simSettings(mosquitto.url, { username: USER }),
      password: WRONG,
    });
    const failing = await waitFor('two retries after the refusal', async () => {
      const s = await t.connectorStatus(saved.id);
      return s.state === 'error' && s.reconnects >= 2 ? s : null;
    });
    expect(failing.lastError).toMatch(/user name or password|Not authorized/);
    const changes = t.events
      .filter((e) => e.event === 'connectors/changed')
      .map((e) => e.payload as { id: string; status: { state: string } | null })
      .filter((p) => p.id === saved.id && p.status)
      .map((p) => p.status!.state);
    expect(changes).toContain('error');
    expect(t.logs.join('\n')).not.toContain(WRONG);
    expect(JSON.stringify(await t.call('connectors/list'))).not.toContain(WRONG);

    // Fixing the password recovers without a restart.
    const fixed = await t.call<Connector>('connectors/save', {
      id: saved.id,
      version: saved.version,
      settings: simSettings(mosquitto.url, { username: USER, clientId: saved.clientId }),
      password: PASSWORD,
    });
    await t.waitConnector(saved.id, 'connected');
    await t.call('connectors/remove', { id: saved.id, version: fixed.version });
  });

  it('mqtts: connects with the CA, and without it fails with a clear untrusted-certificate error', async () => {
    const url = `mqtts://127.0.0.1:${tlsPort}`;
    const untrusted = await t.call<Connector>('connectors/save', {
      settings: simSettings(url, { username: USER }),
      password: PASSWORD,
    });
    const err = await t.waitConnector(untrusted.id, 'error');
    expect(err.lastError).toMatch(/certificate is not trusted/);
    await t.call('connectors/remove', { id: untrusted.id, version: untrusted.version });

    const trusted = await t.call<Connector>('connectors/save', {
      settings: simSettings(url, { username: USER, tls: { ca: pki.ca } }),
      password: PASSWORD,
    });
    await t.waitConnector(trusted.id, 'connected');
    await publishUntilAccepted('INV-002');
    await t.call('connectors/remove', { id: trusted.id, version: trusted.version });
  });

  it('mqtts with a client certificate: the private key comes from the vault and is never listed', async () => {
    const url = `mqtts://127.0.0.1:${mtlsPort}`;
    const noCert = await t.call<Connector>('connectors/save', {
      settings: simSettings(url, { username: USER, tls: { ca: pki.ca } }),
      password: PASSWORD,
    });
    const refused = await waitFor('the handshake to fail', async () => {
      const s = await t.connectorStatus(noCert.id);
      return s.lastError !== null && s.reconnects >= 1 ? s : null;
    });
    expect(refused.state).not.toBe('connected');
    await t.call('connectors/remove', { id: noCert.id, version: noCert.version });

    const withCert = await t.call<Connector>('connectors/save', {
      settings: simSettings(url, { username: USER, tls: { ca: pki.ca, cert: pki.clientCert } }),
      password: PASSWORD,
      tlsKey: pki.clientKey,
    });
    expect(withCert.hasTlsKey).toBe(true);
    await t.waitConnector(withCert.id, 'connected');
    const listed = JSON.stringify(await t.call('connectors/list'));
    expect(listed).not.toContain(TLS_KEY_MARKER);
    expect(allText(t.dir)).not.toContain(TLS_KEY_MARKER);
    await t.call('connectors/remove', { id: withCert.id, version: withCert.version });
  });

  it('ws:// to Mosquitto’s websockets listener', async () => {
    const saved = await t.call<Connector>('connectors/save', {
      settings: simSettings(`ws://127.0.0.1:${wsPort}`, { username: USER }),
      password: PASSWORD,
    });
    await t.waitConnector(saved.id, 'connected');
    await publishUntilAccepted('INV-001');
    await t.call('connectors/remove', { id: saved.id, version: saved.version });
  });
});
