import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, type SecretsPort } from './ports';
import { brokerFromEnv, DEFAULT_MQTT_PORT, openTelemetryPorts, parseBrokerUrl } from './telemetry-ports';

const plainSecrets: SecretsPort = { kind: 'test', encrypt: (p) => `x:${p}`, decrypt: (b) => b.slice(2) };

describe('telemetry ports', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('reads the broker from the environment: an external URL turns the embedded broker off', () => {
    expect(brokerFromEnv({})).toEqual({
      embeddedBroker: { port: DEFAULT_MQTT_PORT, fallbackToFreePort: true },
      externalBrokerUrl: null,
    });
    expect(brokerFromEnv({ WATCHFLOOR_MQTT_PORT: '2000' })).toEqual({
      embeddedBroker: { port: 2000, fallbackToFreePort: false },
      externalBrokerUrl: null,
    });
    expect(brokerFromEnv({ WATCHFLOOR_BROKER_URL: ' mqtt://10.0.0.5:1883 ' })).toEqual({
      embeddedBroker: null,
      externalBrokerUrl: 'mqtt://10.0.0.5:1883',
    });
    expect(() => brokerFromEnv({ WATCHFLOOR_BROKER_URL: 'http://x' })).toThrow(/WATCHFLOOR_BROKER_URL/);
    expect(() => brokerFromEnv({ WATCHFLOOR_MQTT_PORT: '70000' })).toThrow(/WATCHFLOOR_MQTT_PORT/);
    expect(parseBrokerUrl('wss://broker.example:443/mqtt')).toBe('wss://broker.example:443/mqtt');
    expect(parseBrokerUrl('mqtt://')).toBeNull();
  });

  it('gives a taken default port way to a free one, and refuses a taken explicit port clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-tp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as { port: number }).port;

    const wiring = await openTelemetryPorts(
      dir,
      { secrets: plainSecrets, embeddedBroker: { port: taken, fallbackToFreePort: true } },
      silentLogger,
      () => null,
    );
    cleanups.push(() => wiring.ports.dispose?.());
    expect(wiring.broker!.port).not.toBe(taken);
    expect(wiring.ports.embeddedBrokerUrl!()).toBe(`mqtt://127.0.0.1:${wiring.broker!.port}`);

    await expect(
      openTelemetryPorts(
        dir,
        { secrets: plainSecrets, embeddedBroker: { port: taken } },
        silentLogger,
        () => null,
      ),
    ).rejects.toThrow(/port is in use/);
  });

  it('runs no broker for an external one, and keeps secrets encrypted beside the journal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-tp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const wiring = await openTelemetryPorts(
      dir,
      { secrets: plainSecrets, embeddedBroker: null },
      silentLogger,
      () => null,
    );
    expect(wiring.broker).toBeNull();
    expect(wiring.ports.embeddedBrokerUrl!()).toBeNull();
    wiring.ports.vault.set('c1', 'password', 'hunter2');
    expect(wiring.ports.vault.get('c1', 'password')).toBe('hunter2');
    await wiring.ports.dispose?.();
  });
});
