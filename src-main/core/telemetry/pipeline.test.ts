import { describe, expect, it } from 'vitest';
import { ConnectorSettings, HEALTH_NO_DATA, HEALTH_OFFLINE, type Device } from '@shared/contract';
import { DEFAULT_DEVICE_KINDS, defaultConfig } from '@shared/domain';
import { BUCKETS, RING, TelemetryPipeline } from './pipeline';

const device = (sn: string, kind = 'pv-inverter'): Device => ({
  sn,
  kind,
  site: '屋顶光伏',
  region: '西湖区',
  lng: 120.1,
  lat: 30.2,
  model: 'X',
  installDate: null,
  metadata: {},
  version: 1,
  updatedAt: '2026-11-24T00:00:00.000Z',
});

const settings = (over: Partial<ConnectorSettings> = {}) =>
  ConnectorSettings.parse({
    name: 'test',
    url: 'embedded://',
    clientId: 'c1',
    subscriptions: [{ topic: 'plant/#', qos: 0 }],
    mappings: [
      {
        topic: 'plant/+/{sn}/telemetry',
        sn: { from: 'topic' },
        timestamp: { from: 'json', path: '$.ts', format: 'ms' },
        metrics: [
          { metric: 'ripple', path: '$.ripple' },
          { metric: 'tempGradient', path: '$.temp.gradient' },
          { metric: 'power', path: '$.powerW', scale: 0.001 },
        ],
      },
      {
        topic: 'gw/batch',
        sn: { from: 'json', path: '$.device' },
        timestamp: { from: 'receive' },
        metrics: [{ metric: 'packetLoss', path: '$.values[0]' }],
      },
    ],
    ...over,
  });

function setup(now = Date.UTC(2026, 10, 24, 12)) {
  const clock = { t: now, now: () => clock.t };
  const frames: unknown[] = [];
  const registered: { sn: string; kind: string }[][] = [];
  const p = new TelemetryPipeline(clock, {
    register: (f) => registered.push(f),
    frame: (f) => frames.push(f),
  });
  p.useConfig(defaultConfig('2026-01-01T00:00:00.000Z'));
  p.useConnectors([{ id: 'c1', settings: settings() }]);
  p.useRegistry(1, [device('INV-1'), device('INV-2')]);
  const send = (topic: string, body: unknown, at = clock.t): void =>
    p.ingest('c1', topic, Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), at);
  return { p, clock, frames, registered, send };
}

describe('TelemetryPipeline', () => {
  it('maps topic segments and JSON paths to a device, a timestamp and scaled metrics', () => {
    const { p, clock, send } = setup();
    send('plant/west/INV-1/telemetry', {
      ts: clock.t - 1000,
      ripple: 1.2,
      temp: { gradient: 0.4 },
      powerW: 55_000,
    });
    send('gw/batch', { device: 'INV-2', values: [3.5] });
    const t = p.device('INV-1')!;
    expect(t.metrics.ripple!.recent.v).toEqual([1.2]);
    expect(t.metrics.tempGradient!.recent.v).toEqual([0.4]);
    expect(t.metrics.power!.recent.v).toEqual([55]);
    expect(t.metrics.ripple!.recent.t).toEqual([clock.t - 1000]);
    expect(p.device('INV-2')!.metrics.packetLoss!.recent.v).toEqual([3.5]);
    expect(p.stats()).toMatchObject({ received: 2, accepted: 2 });
  });

  it('refuses each kind of bad input with its reason, and keeps the good fields of a partly bad message', () => {
    const { p, clock, send } = setup();
    const ok = (dt: number) => ({ ts: clock.t + dt, ripple: 1 });
    send('nowhere/else', ok(0));
    send('plant/x/INV-1/telemetry', '{"ts": 1, "ripple": ');
    send('plant/x/INV-1/telemetry', 'not json at all');
    send('plant/x/INV-1/telemetry', '[1,2,3]');
    send('plant/x/GHOST/telemetry', ok(0));
    send('plant/x/INV-1/telemetry', { ts: 'yesterday', ripple: 1 });
    send('plant/x/INV-1/telemetry', ok(3_600_000));
    send('plant/x/INV-1/telemetry', ok(-3 * 86_400_000));
    send('plant/x/INV-1/telemetry', ok(-5_000));
    send('plant/x/INV-1/telemetry', ok(-5_000));
    send('plant/x/INV-1/telemetry', ok(-9_000));
    send('plant/x/INV-1/telemetry', { ts: clock.t - 1000, ripple: 'NaN', temp: { gradient: 0.5 } });
    send('plant/x/INV-1/telemetry', { ts: clock.t - 500, ripple: 999, temp: { gradient: 0.6 } });
    send(
      'plant/x/INV-1/telemetry',
      JSON.stringify({ ts: clock.t - 100, ripple: 1, junk: 'x'.repeat(20_000) }),
    );
    send('gw/batch', { values: [1] });
    const refused = p.stats().refused;
    expect(refused).toMatchObject({
      'no-mapping': 1,
      'malformed-json': 3,
      'unknown-device': 1,
      'bad-timestamp': 1,
      future: 1,
      late: 2,
      duplicate: 1,
      'wrong-type': 1,
      'out-of-range': 1,
      oversized: 1,
      'missing-sn': 1,
    });
    // The messages with a bad ripple kept their temperature gradients (the first sample had none).
    expect(p.device('INV-1')!.metrics.tempGradient!.recent.v).toEqual([null, 0.5, 0.6]);
    expect(p.device('INV-1')!.metrics.ripple!.recent.v).toEqual([1, null, null]);
    const samples = p.quarantineSamples(100);
    expect(samples[0]!.reason).toBe('missing-sn');
    expect(samples.map((s) => s.reason)).toContain('out-of-range');
    expect(samples.find((s) => s.reason === 'out-of-range')!.detail).toMatch(
      /ripple of INV-1 = 999 % outside 0…50/,
    );
  });

  it('cuts a flooding connection at its configured rate and counts the rest', () => {
    const { p, clock, send } = setup();
    p.useConnectors([{ id: 'c1', settings: settings({ maxMessagesPerSecond: 100 }) }]);
    for (let i = 0; i < 1000; i++) send('plant/x/INV-1/telemetry', { ts: clock.t - 10_000 + i, ripple: 1 });
    expect(p.stats().refused['rate-limited']).toBe(900);
    expect(p.stats().accepted).toBe(100);
  });

  it('registers unknown devices when the connector says so', () => {
    const { p, clock, send, registered } = setup();
    p.useConnectors([{ id: 'c1', settings: settings({ unknownDevices: 'register' }) }]);
    send('plant/x/NEW-7/telemetry', { ts: clock.t, ripple: 1 });
    p.tick();
    expect(registered).toEqual([[{ sn: 'NEW-7', kind: 'pv-inverter' }]]);
  });

  it('keeps a fixed ring of recent samples and 5-minute history', () => {
    const { p, clock, send } = setup();
    const start = clock.t - 2 * 3_600_000;
    for (let i = 0; i < 200; i++) send('plant/x/INV-1/telemetry', { ts: start + i * 30_000, ripple: i % 10 });
    const t = p.device('INV-1')!;
    expect(t.metrics.ripple!.recent.v).toHaveLength(RING);
    expect(t.metrics.ripple!.recent.t.at(-1)).toBe(start + 199 * 30_000);
    const hist = t.metrics.ripple!.history;
    expect(hist.t.length).toBeGreaterThan(15);
    expect(hist.t.length).toBeLessThanOrEqual(BUCKETS);
    expect(hist.v.every((v) => v !== null && v >= 0 && v <= 9)).toBe(true);
  });

  it('scores health from thresholds, marks silence as offline, and indexes frames by registry order', () => {
    const { p, clock, send, frames } = setup();
    send('plant/x/INV-1/telemetry', { ts: clock.t, ripple: 1, temp: { gradient: 0.2 } });
    send('plant/x/INV-2/telemetry', { ts: clock.t, ripple: 6.5 });
    let frame = p.tick();
    let health = Buffer.from(frame.health, 'base64');
    // INV-1 is below every warn threshold (good band, a little under 100 as it nears them); INV-2's
    // ripple is just past its alarm threshold (the alarm band starts at 40).
    expect([...health]).toEqual([92, 40]);
    expect(frame.states).toEqual([
      { sn: 'INV-1', state: 'online' },
      { sn: 'INV-2', state: 'online' },
    ]);
    clock.t += 31_000; // pv-inverter: 10 s interval × 3
    frame = p.tick();
    health = Buffer.from(frame.health, 'base64');
    expect([...health]).toEqual([HEALTH_OFFLINE, HEALTH_OFFLINE]);
    p.useRegistry(2, [device('INV-2'), device('INV-1'), device('INV-3')]);
    frame = p.tick();
    expect([...Buffer.from(frame.health, 'base64')]).toEqual([
      HEALTH_OFFLINE,
      HEALTH_OFFLINE,
      HEALTH_NO_DATA,
    ]);
    expect(frame.registryVersion).toBe(2);
    expect(frames).toHaveLength(3);
    const withRipple = p.frame('ripple');
    const values = new Float32Array(Uint8Array.from(Buffer.from(withRipple.values!, 'base64')).buffer);
    expect(values[0]).toBeCloseTo(6.5);
    expect(values[1]).toBeCloseTo(1);
    expect(Number.isNaN(values[2]!)).toBe(true);
  });

  it('survives 100,000 random and malformed payloads with every message accounted for', () => {
    const { p, clock } = setup();
    p.useConnectors([{ id: 'c1', settings: settings({ maxMessagesPerSecond: 1_000_000 }) }]);
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const junk = (): unknown =>
      pick([
        null,
        true,
        'NaN',
        'Infinity',
        -Infinity,
        Infinity,
        [],
        {},
        'x'.repeat(Math.floor(rnd() * 50)),
        rnd() * 100,
        -rnd() * 100,
        1e12,
        Number.MAX_VALUE,
      ]);
    const topics = [
      'plant/a/INV-1/telemetry',
      'plant/a/INV-2/telemetry',
      'plant/a/GHOST/telemetry',
      'gw/batch',
      'plant//telemetry',
      '',
      '#',
      'plant/a/INV-1/telemetry/extra',
      'x'.repeat(300),
    ];
    let threw = 0;
    for (let i = 0; i < 100_000; i++) {
      const kind = rnd();
      let payload: Buffer;
      if (kind < 0.2)
        payload = Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      else if (kind < 0.3) payload = Buffer.from('{"ts":' + junk() + ',"ripple":');
      else {
        const body: Record<string, unknown> = {
          ts: rnd() < 0.7 ? clock.t - 50_000_000 + i * 100 + Math.floor(rnd() * 50) : junk(),
          ripple: rnd() < 0.5 ? rnd() * 60 : junk(),
          temp: rnd() < 0.5 ? { gradient: junk() } : junk(),
          powerW: junk(),
          device: pick(['GHOST', 'PHANTOM-9', 7, null]),
          values: [junk()],
        };
        payload = Buffer.from(JSON.stringify(body));
      }
      try {
        p.ingest('c1', pick(topics), payload, clock.t);
      } catch {
        threw++;
      }
      if (i % 20_000 === 0) {
        clock.t += 1000;
        p.tick();
      }
    }
    expect(threw).toBe(0);
    const stats = p.stats();
    expect(stats.received).toBe(100_000);
    const refusedMessages = Object.entries(stats.refused)
      .filter(([reason]) => reason !== 'wrong-type' && reason !== 'out-of-range')
      .reduce((n, [, c]) => n + c, 0);
    // Every message is either stored, refused as a whole, or had all its fields refused.
    expect(stats.accepted + refusedMessages).toBeLessThanOrEqual(100_000);
    expect(stats.accepted).toBeGreaterThan(1_000);
    // Samples are capped per second (the counters still count every message): 6 clock seconds here.
    expect(p.quarantineSamples(500).length).toBeLessThanOrEqual(6 * 50);
    expect(p.quarantineSamples(500).length).toBeGreaterThan(200);
    for (const d of ['INV-1', 'INV-2']) {
      for (const series of Object.values(p.device(d)!.metrics)) {
        for (const v of series.recent.v) if (v !== null) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('reports a few kilobytes of fixed state per device', () => {
    const { p } = setup();
    p.useRegistry(
      2,
      Array.from({ length: 5000 }, (_, i) => device(`D-${i}`)),
    );
    expect(p.bytesPerDevice()).toBeLessThan(8_000);
    expect(DEFAULT_DEVICE_KINDS.length).toBeGreaterThan(0);
  });
});
