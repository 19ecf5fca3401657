import { describe, expect, it } from 'vitest';
import { ConnectorSettings, type Device } from '@shared/contract';
import { defaultConfig } from '@shared/domain';
import { FlatScanner, flatKeyOf } from './json-path';
import { TelemetryPipeline, matchTopic } from './pipeline';
import { compileTopicPattern } from './topic-pattern';

/** A seeded generator, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const device = (sn: string): Device => ({
  sn,
  kind: 'pv-inverter',
  site: 's',
  region: 'r',
  lng: null,
  lat: null,
  model: '',
  installDate: null,
  metadata: {},
  version: 1,
  updatedAt: '2026-11-24T00:00:00.000Z',
});

describe('matchTopic', () => {
  it('matches exactly like compileTopicPattern on split levels', () => {
    const rnd = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const words = ['a', 'b', 'sim', '', 'telemetry', 'INV-1'];
    for (let i = 0; i < 20_000; i++) {
      const n = 1 + Math.floor(rnd() * 4);
      const levels = Array.from({ length: n }, () => pick(['a', 'b', 'sim', '+', '{sn}', 'telemetry']));
      if (rnd() < 0.3) levels.push('#');
      const pattern = levels.join('/');
      const topic = Array.from({ length: Math.floor(rnd() * 6) }, () => pick(words)).join('/');
      const multi = levels.at(-1) === '#';
      expect(matchTopic(multi ? levels.slice(0, -1) : levels, multi, topic), `${pattern} ~ ${topic}`).toBe(
        compileTopicPattern(pattern).match(topic.split('/')),
      );
    }
  });
});

describe('FlatScanner', () => {
  const keys = ['ts', 'v', 's', 'x'];
  const scanner = new FlatScanner(keys);

  const check = (text: string): boolean => {
    const out = new Array<unknown>(keys.length);
    const fast = scanner.scan(Buffer.from(text, 'utf8'), out);
    if (!fast) return false;
    // Accepted only if JSON.parse agrees: an object with the same values.
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(typeof body === 'object' && body !== null && !Array.isArray(body), text).toBe(true);
    keys.forEach((k, i) => expect(Object.is(out[i], body[k]), `${k} in ${text}`).toBe(true));
    return true;
  };

  it('reads flat objects like JSON.parse, numbers included', () => {
    expect(check('{"ts":1764000000000,"v":1.234,"s":"INV-1","x":true}')).toBe(true);
    expect(check(' {\n "v" : -0 , "x":null,"s":"中文 ✓"}\t')).toBe(true);
    expect(check('{}')).toBe(true);
    expect(check('{"v":1e3,"ts":-2.5E-7,"x":false}')).toBe(true);
    expect(check('{"v":0.1,"v":0.30000000000000004}')).toBe(true);
    expect(check('{"v":123456789012345678901234567890.5}')).toBe(true);
    const rnd = prng(11);
    for (let i = 0; i < 20_000; i++) {
      const int = String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 17)));
      const frac = rnd() < 0.6 ? `.${String(Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 16))))}` : '';
      const exp = rnd() < 0.1 ? `e${rnd() < 0.5 ? '-' : ''}${Math.floor(rnd() * 30)}` : '';
      const num = `${rnd() < 0.3 ? '-' : ''}${int}${frac}${exp}`;
      expect(check(`{"v":${num}}`), num).toBe(true);
    }
  });

  it('leaves nested values, escapes and every kind of invalid JSON to JSON.parse', () => {
    for (const text of [
      '{"v":{"a":1}}',
      '{"v":[1]}',
      '{"s":"a\\"b"}',
      '{"v\\u0041":1}',
      '{"v":01}',
      '{"v":-}',
      '{"v":1.}',
      '{"v":.5}',
      '{"v":1e}',
      '{"v":1,}',
      '{,}',
      '{"v":1}}',
      '{"v":1} x',
      '{"v" 1}',
      '{"v":tru}',
      '{"v":NaN}',
      '{"v":Infinity}',
      '{"s":"a\tb"}',
      '[1,2]',
      '"text"',
      '{"v":1',
      '',
    ]) {
      expect(check(text.replace('\\t', '\t')), text).toBe(false);
    }
  });

  it('never accepts what JSON.parse refuses, over random mutations', () => {
    const rnd = prng(3);
    const base = '{"ts":1764000000000,"v":-12.5,"s":"PV-000001","x":false,"y":null}';
    const alphabet = '{}[]":,.-+eE0123456789 \ntrufalsn\\x';
    for (let i = 0; i < 50_000; i++) {
      const chars = [...base];
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (chars.length + 1));
        const r = rnd();
        if (r < 0.4) chars.splice(at, 1);
        else if (r < 0.8) chars.splice(at, 0, alphabet[Math.floor(rnd() * alphabet.length)]!);
        else chars[at] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      }
      const text = chars.join('');
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      if (check(text)) expect(valid, text).toBe(true);
    }
  });

  it('flatKeyOf takes only one-step paths', () => {
    expect(flatKeyOf('$.ripple')).toBe('ripple');
    expect(flatKeyOf('$.a.b')).toBeNull();
    expect(flatKeyOf('$.a[0]')).toBeNull();
    expect(flatKeyOf('$')).toBeNull();
  });
});

describe('TelemetryPipeline rate limit and the clock', () => {
  it('a receive time before the last refill (clock stepped back) does not drain the token bucket', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const p = new TelemetryPipeline(
      { now: () => now },
      { register: () => undefined, frame: () => undefined },
    );
    p.useConfig(defaultConfig('2026-01-01T00:00:00.000Z'));
    p.useConnectors([
      {
        id: 'c1',
        settings: ConnectorSettings.parse({
          name: 'c1',
          url: 'embedded://',
          clientId: 'c1',
          maxMessagesPerSecond: 1000,
          subscriptions: [{ topic: 'd/+', qos: 0 }],
          mappings: [
            {
              topic: 'd/{sn}',
              sn: { from: 'topic' },
              timestamp: { from: 'receive' },
              metrics: [{ metric: 'ripple', path: '$.r' }],
            },
          ],
        }),
      },
    ]);
    p.useRegistry(1, [device('A')]);
    // The wall clock steps back an hour, then runs on: traffic goes on being accepted.
    const back = now - 3_600_000;
    for (let i = 0; i < 100; i++) p.ingest('c1', 'd/A', Buffer.from('{"r":1}'), back + i * 10);
    expect(p.stats().refused['rate-limited']).toBe(0);
    expect(p.stats().accepted).toBe(100);
  });
});
