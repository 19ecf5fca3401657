import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src-main/core/broker/embedded-broker';
import { freePort, waitFor } from '../helpers/mosquitto';
import {
  FAST_TUNING,
  connectorRecord,
  managerHarness,
  plainClient,
  sleep,
  trapUnhandled,
} from './mqtt-harness';

/** ConnectorManager on its own (no core): set-up faults, sink failures, restarts by version. */
describe('ConnectorManager', () => {
  let broker: EmbeddedBroker;
  let trap: ReturnType<typeof trapUnhandled>;
  beforeAll(async () => {
    trap = trapUnhandled();
    broker = await startEmbeddedBroker();
  });
  afterAll(async () => {
    await broker.close();
    trap.release();
    expect(trap.errors).toEqual([]);
  });

  it('resolves embedded:// to the hub broker, and explains when there is none', async () => {
    const h = managerHarness({ embeddedUrl: broker.url, tuning: FAST_TUNING });
    h.manager.apply([connectorRecord('emb', 'embedded://')]);
    await h.waitState('emb', 'connected');
    await h.manager.close();

    const none = managerHarness({ embeddedUrl: null, tuning: FAST_TUNING });
    none.manager.apply([connectorRecord('emb', 'embedded://')]);
    const s = await none.waitState('emb', 'error');
    expect(s.lastError).toBe('embedded:// was chosen but this hub runs no embedded broker');
    await none.manager.close();
  });

  it('a refused connection backs off with growing delays and logs the problem once', async () => {
    const port = await freePort();
    const h = managerHarness({ tuning: FAST_TUNING });
    h.manager.apply([connectorRecord('down', `mqtt://127.0.0.1:${port}`)]);
    await waitFor('4 attempts', () => h.manager.status('down').reconnects >= 4);
    const s = h.manager.status('down');
    expect(s.state).toBe('disconnected');
    expect(s.lastError).toBe(
      `Connection refused by 127.0.0.1:${port}: is the broker running and listening there?`,
    );
    expect(h.logs.filter((l) => l.includes('Connection refused'))).toHaveLength(1);
    await h.manager.close();
  });

  it('unreadable secrets are a connector error, not a crash; other connectors keep working', async () => {
    const h = managerHarness({
      tuning: FAST_TUNING,
      readSecrets: (id) => {
        if (id === 'bad') throw new Error('the key file changed');
        return { password: null, tlsKey: null };
      },
    });
    const good = connectorRecord('good', broker.url);
    const bad = connectorRecord('bad', broker.url, { username: 'u' });
    h.manager.apply([good, bad]);
    await h.waitState('good', 'connected');
    const s = await h.waitState('bad', 'error');
    expect(s.lastError).toBe("The connector's secrets cannot be read: the key file changed");
    await h.manager.close();
  });

  it('a message handler that throws is counted, never passed to mqtt.js', async () => {
    const h = managerHarness({ tuning: FAST_TUNING });
    h.setSink(() => {
      throw new Error('sink broke');
    });
    h.manager.apply([connectorRecord('sink', broker.url)]);
    await h.waitState('sink', 'connected');
    const pub = await plainClient(broker.url);
    await waitFor('3 failures', async () => {
      await pub.publishAsync('t/A', '{"v":1}', { qos: 1 });
      return h.manager.messageHandlerFailures >= 3;
    });
    expect(h.manager.status('sink').state).toBe('connected');
    expect(h.logs.filter((l) => l.includes('mqtt message handler failed'))).toHaveLength(1);
    await pub.endAsync(true);
    await h.manager.close();
  });

  it('restarts a connection only when the version or enabled flag changes', async () => {
    const h = managerHarness({ tuning: FAST_TUNING });
    const rec = connectorRecord('v', broker.url);
    h.manager.apply([rec]);
    await h.waitState('v', 'connected');
    const first = h.manager.debugClient('v');
    h.manager.apply([rec]);
    expect(h.manager.debugClient('v')).toBe(first);
    h.manager.apply([{ ...rec, version: 2 }]);
    await waitFor('a new client', () => {
      const c = h.manager.debugClient('v');
      return c !== null && c !== first && c.connected;
    });
    h.manager.apply([{ ...rec, version: 2, settings: { ...rec.settings, enabled: false } }]);
    await h.waitState('v', 'disabled');
    await sleep(50);
    expect(h.manager.debugClient('v')).toBeNull();
    h.manager.apply([]);
    expect(h.manager.status('v').state).toBe('disabled');
    await h.manager.close();
    expect(() => h.manager.apply([rec])).toThrow('The connector manager is closed');
  });
});
