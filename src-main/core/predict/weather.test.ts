import { describe, expect, it } from 'vitest';
import { forecast } from '../simulator/weather-forecast';
import { WeatherClient, weatherSummary } from './weather';

const NOW = Date.parse('2026-07-20T03:10:00Z');
const URL_TEMPLATE = 'http://hub.test/api/weather/forecast?lat={lat}&lng={lng}&hours=48';

function body(temps: number[], clouds: number[], start = '2026-07-20T00:00'): unknown {
  const t0 = Date.parse(`${start}Z`);
  return {
    latitude: 30.3,
    longitude: 120.2,
    hourly: {
      time: temps.map((_, i) => new Date(t0 + i * 3_600_000).toISOString().slice(0, 16)),
      temperature_2m: temps,
      cloud_cover: clouds,
    },
  };
}

type FakeFetch = typeof fetch & { calls: string[] };

function fakeFetch(answer: (url: string, init?: RequestInit) => Promise<Response>): FakeFetch {
  const calls: string[] = [];
  const f = ((input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push(url);
    return answer(url, init);
  }) as FakeFetch;
  f.calls = calls;
  return f;
}

const json = (x: unknown, status = 200): Promise<Response> =>
  Promise.resolve(
    new Response(JSON.stringify(x), { status, headers: { 'content-type': 'application/json' } }),
  );

function client(f: typeof fetch, clock = { now: () => NOW }, timeoutMs?: number): WeatherClient {
  return new WeatherClient({ url: URL_TEMPLATE, pollMinutes: 30, fetch: f, clock, timeoutMs });
}

describe('WeatherClient', () => {
  it('summarises the next 24 hours of a good response', async () => {
    // 48 hours from 00:00; from 03:00 the next 24 hours hold a peak of 35 °C and 10 % cloud.
    const temps = Array.from({ length: 48 }, (_, i) => (i === 10 ? 35 : i === 40 ? 40 : 28));
    const f = fakeFetch(() => json(body(temps, Array(48).fill(10))));
    const c = client(f);
    const ctx = await c.context(30.27, 120.16);
    expect(f.calls).toEqual(['http://hub.test/api/weather/forecast?lat=30.30&lng=120.20&hours=48']);
    expect(ctx).toEqual({
      source: 'hub.test',
      fetchedAt: new Date(NOW).toISOString(),
      maxTempC: 35,
      cloudCover: 10,
      summary: { 'zh-CN': '高温晴天', en: 'Hot and clear' },
    });
    expect(c.status().lastError).toBeNull();
  });

  it('reads the simulator forecast endpoint body as it is', async () => {
    const f = fakeFetch(() => json(forecast(1, 30.3, 120.2, NOW, 48)));
    const ctx = await client(f).context(30.3, 120.2);
    expect(ctx).not.toBeNull();
    expect(ctx!.cloudCover).toBeGreaterThanOrEqual(0);
    expect(ctx!.cloudCover).toBeLessThanOrEqual(100);
  });

  it('serves a cell from the cache within pollMinutes, and asks again after', async () => {
    let now = NOW;
    const f = fakeFetch(() => json(body(Array(48).fill(20), Array(48).fill(50))));
    const c = client(f, { now: () => now });
    await c.context(30.27, 120.16);
    // 30.31/120.19 rounds to the same 0.1° cell.
    const again = await c.context(30.31, 120.19);
    expect(again?.summary).toEqual({ 'zh-CN': '多云', en: 'Partly cloudy' });
    expect(f.calls).toHaveLength(1);
    expect(c.status().cacheHits).toBe(1);
    // Another cell is another request.
    await c.context(30.5, 120.16);
    expect(f.calls).toHaveLength(2);
    now += 31 * 60_000;
    await c.context(30.27, 120.16);
    expect(f.calls).toHaveLength(3);
  });

  it('fetches again when telemetry time has left the cached forecast', async () => {
    const f = fakeFetch(() => json(body(Array(24).fill(20), Array(24).fill(90))));
    const c = client(f);
    expect((await c.context(30.3, 120.2))?.summary.en).toBe('Overcast');
    // Two days later in telemetry time (demo runs faster than the wall clock): not covered.
    const later = await c.context(30.3, 120.2, NOW + 48 * 3_600_000);
    expect(f.calls).toHaveLength(2);
    expect(later).toBeNull();
    expect(c.status().lastError).toMatch(/does not cover 2026-07-22T03:10/);
  });

  it('gives null and records an HTTP error', async () => {
    const f = fakeFetch(() => json({ error: true, reason: 'boom' }, 500));
    const c = client(f);
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(c.status()).toMatchObject({ failures: 1, lastError: 'weather: HTTP 500 from hub.test' });
    // A failing cell is not asked again at once.
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(f.calls).toHaveLength(1);
  });

  it('gives null for a body that is not JSON', async () => {
    const f = fakeFetch(() => Promise.resolve(new Response('<html>oops</html>', { status: 200 })));
    const c = client(f);
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(c.status().lastError).toMatch(/not JSON/);
  });

  it('gives null for JSON of the wrong shape', async () => {
    const f = fakeFetch(() =>
      json({ hourly: { time: ['2026-07-20T00:00'], temperature_2m: ['hot'], cloud_cover: [10] } }),
    );
    const c = client(f);
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(c.status().lastError).toMatch(/unexpected forecast: hourly\.temperature_2m\.0/);
    const uneven = client(fakeFetch(() => json(body([20, 21], [10]))));
    expect(await uneven.context(30.3, 120.2)).toBeNull();
    expect(uneven.status().lastError).toMatch(/differ in length/);
  });

  it('gives null on a timeout', async () => {
    const f = fakeFetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const c = client(f, undefined, 30);
    const started = Date.now();
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(c.status().lastError).toBe('weather: no answer from hub.test within 30 ms');
  });

  it('never throws, even when fetch itself throws', async () => {
    const f = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const c = client(f);
    expect(await c.context(30.3, 120.2)).toBeNull();
    expect(c.status().lastError).toMatch(/fetch failed/);
    expect(await c.context(Number.NaN, 120.2)).toBeNull();
    expect(c.status().lastError).toMatch(/impossible place/);
  });

  it('refuses a bad configuration when built', () => {
    const base = { pollMinutes: 30, clock: { now: () => NOW } };
    expect(() => new WeatherClient({ ...base, url: 'not a url {lat} {lng}' })).toThrow(/not a URL/);
    expect(() => new WeatherClient({ ...base, url: 'ftp://x/{lat}/{lng}' })).toThrow(/http/);
    expect(() => new WeatherClient({ ...base, url: 'http://x/?lat={lat}' })).toThrow(/\{lng\}/);
    expect(() => new WeatherClient({ ...base, url: URL_TEMPLATE, pollMinutes: 0 })).toThrow(/pollMinutes/);
  });
});

describe('weatherSummary', () => {
  it('names temperature and sky in both languages', () => {
    expect(weatherSummary(36, 80)).toEqual({ 'zh-CN': '高温阴天', en: 'Hot and overcast' });
    expect(weatherSummary(2, 10)).toEqual({ 'zh-CN': '低温晴天', en: 'Cold and clear' });
    expect(weatherSummary(20, 30)).toEqual({ 'zh-CN': '多云', en: 'Partly cloudy' });
  });
});
