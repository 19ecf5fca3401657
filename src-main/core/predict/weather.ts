import { z } from 'zod';
import type { LocalizedText, WeatherContext } from '@shared/contract';
import type { Clock } from '../ports';

/**
 * The weather connector: a forecast REST endpoint (Open-Meteo or the simulator's local one in demo
 * mode) read into a short context for a preventive ticket ("hot and clear for the next day"). It
 * sits beside the prediction cycle, so it never throws into it: a timeout, an HTTP error or an
 * unexpected body gives null and is kept in `status().lastError` for the UI.
 *
 * Answers are cached per cell of 0.1° (~10 km) for `pollMinutes` of wall-clock time, and only
 * while they still cover the requested instant: in demo mode telemetry time runs ahead of the wall
 * clock, and a forecast the devices have outlived is fetched again.
 */

export const CELL_DEG = 0.1;
export const DEFAULT_TIMEOUT_MS = 5_000;
/** Hours ahead the context summarises. */
export const CONTEXT_HOURS = 24;
/** After a failure a cell is not asked again for this long (each attempt may wait `timeoutMs`). */
const RETRY_AFTER_MS = 60_000;

const HOUR_MS = 3_600_000;

/** The part of an Open-Meteo `/v1/forecast?hourly=temperature_2m,cloud_cover` answer we read. */
export const ForecastBody = z
  .object({
    hourly: z.object({
      time: z.array(z.string()).min(1),
      temperature_2m: z.array(z.number().nullable()),
      cloud_cover: z.array(z.number().min(0).max(100).nullable()),
    }),
  })
  .refine(
    (b) =>
      b.hourly.time.length === b.hourly.temperature_2m.length &&
      b.hourly.time.length === b.hourly.cloud_cover.length,
    'hourly arrays differ in length',
  );

export interface WeatherClientOptions {
  /** `https://api.open-meteo.com/v1/forecast?latitude={lat}&longitude={lng}&hourly=temperature_2m,cloud_cover&forecast_days=3` */
  url: string;
  pollMinutes: number;
  fetch?: typeof fetch;
  /** Wall clock: cache ages and `fetchedAt`. */
  clock: Clock;
  timeoutMs?: number;
}

export interface WeatherClientStatus {
  url: string;
  requests: number;
  cacheHits: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: string | null;
}

interface Hour {
  t: number;
  temp: number | null;
  cloud: number | null;
}

interface CacheEntry {
  fetchedAt: number;
  hours: Hour[] | null;
}

/** Open-Meteo's `2026-06-01T14:00` is GMT without a suffix; a time with a zone is taken as given. */
function parseHour(text: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
}

export function weatherSummary(maxTempC: number, cloudCover: number): LocalizedText {
  const sky =
    cloudCover < 25
      ? { zh: '晴天', en: 'clear' }
      : cloudCover < 70
        ? { zh: '多云', en: 'partly cloudy' }
        : { zh: '阴天', en: 'overcast' };
  if (maxTempC >= 33) return { 'zh-CN': `高温${sky.zh}`, en: `Hot and ${sky.en}` };
  if (maxTempC <= 5) return { 'zh-CN': `低温${sky.zh}`, en: `Cold and ${sky.en}` };
  return { 'zh-CN': sky.zh, en: sky.en[0]!.toUpperCase() + sky.en.slice(1) };
}

export class WeatherClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly source: string;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<CacheEntry>>();
  private readonly counters = { requests: 0, cacheHits: 0, failures: 0 };
  private lastError: { message: string; at: number } | null = null;

  constructor(private readonly options: WeatherClientOptions) {
    const { url, pollMinutes } = options;
    let parsed: URL;
    try {
      parsed = new URL(url.replace('{lat}', '0').replace('{lng}', '0'));
    } catch {
      throw new RangeError(`weather URL is not a URL: ${url}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new RangeError(`weather URL must be http(s), not ${parsed.protocol}`);
    if (!url.includes('{lat}') || !url.includes('{lng}'))
      throw new RangeError('weather URL must contain {lat} and {lng}');
    if (!(Number.isFinite(pollMinutes) && pollMinutes > 0))
      throw new RangeError(`pollMinutes must be positive, not ${pollMinutes}`);
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.pollMs = pollMinutes * 60_000;
    this.source = parsed.host;
  }

  status(): WeatherClientStatus {
    return {
      url: this.options.url,
      ...this.counters,
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError ? new Date(this.lastError.at).toISOString() : null,
    };
  }

  /**
   * Weather for the next {@link CONTEXT_HOURS} at a place from `atMs` (telemetry time; default now
   * by the clock). Null when the forecast is unavailable; never throws.
   */
  async context(lat: number, lng: number, atMs?: number): Promise<WeatherContext | null> {
    try {
      if (!(Number.isFinite(lat) && Math.abs(lat) <= 90 && Number.isFinite(lng) && Math.abs(lng) <= 180)) {
        this.fail(`no forecast for an impossible place (${lat}, ${lng})`);
        return null;
      }
      const now = this.options.clock.now();
      const at = atMs ?? now;
      const cellLat = Math.round(lat / CELL_DEG) * CELL_DEG;
      const cellLng = Math.round(lng / CELL_DEG) * CELL_DEG;
      const key = `${cellLat.toFixed(1)},${cellLng.toFixed(1)}`;
      let entry = this.cache.get(key);
      const fresh =
        entry !== undefined &&
        (entry.hours === null
          ? now - entry.fetchedAt < Math.min(this.pollMs, RETRY_AFTER_MS)
          : now - entry.fetchedAt < this.pollMs && covers(entry.hours, at));
      if (fresh) this.counters.cacheHits++;
      else {
        let pending = this.inFlight.get(key);
        if (!pending) {
          pending = this.load(cellLat, cellLng).finally(() => this.inFlight.delete(key));
          this.inFlight.set(key, pending);
        }
        entry = await pending;
        this.cache.set(key, entry);
      }
      if (!entry!.hours) return null;
      return this.summarise(entry!, at);
    } catch (err) {
      this.fail(`weather: ${(err as Error).message}`);
      return null;
    }
  }

  private fail(message: string): void {
    this.counters.failures++;
    this.lastError = { message, at: this.options.clock.now() };
  }

  private async load(lat: number, lng: number): Promise<CacheEntry> {
    const url = this.options.url.replace('{lat}', lat.toFixed(2)).replace('{lng}', lng.toFixed(2));
    this.counters.requests++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const res = await this.fetch(url, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.source}`);
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        throw new Error(`${this.source} answered with something that is not JSON`);
      }
      const body = ForecastBody.safeParse(json);
      if (!body.success)
        throw new Error(
          `${this.source} answered with an unexpected forecast: ${body.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || '(body)'} ${i.message}`)
            .join('; ')}`,
        );
      const h = body.data.hourly;
      const hours: Hour[] = [];
      h.time.forEach((text, i) => {
        const t = parseHour(text);
        if (!Number.isNaN(t)) hours.push({ t, temp: h.temperature_2m[i]!, cloud: h.cloud_cover[i]! });
      });
      if (hours.length === 0) throw new Error(`${this.source} gave no readable forecast times`);
      return { fetchedAt: this.options.clock.now(), hours };
    } catch (err) {
      const message = controller.signal.aborted
        ? `no answer from ${this.source} within ${this.timeoutMs} ms`
        : (err as Error).message;
      this.fail(`weather: ${message}`);
      return { fetchedAt: this.options.clock.now(), hours: null };
    } finally {
      clearTimeout(timer);
    }
  }

  private summarise(entry: CacheEntry, at: number): WeatherContext | null {
    const from = Math.floor(at / HOUR_MS) * HOUR_MS;
    const ahead = entry.hours!.filter((x) => x.t >= from && x.t < from + CONTEXT_HOURS * HOUR_MS);
    const temps = ahead.map((x) => x.temp).filter((x): x is number => x !== null);
    const clouds = ahead.map((x) => x.cloud).filter((x): x is number => x !== null);
    if (temps.length === 0 || clouds.length === 0) {
      this.fail(`weather: the forecast from ${this.source} does not cover ${new Date(at).toISOString()}`);
      return null;
    }
    const maxTempC = Math.max(...temps);
    const cloudCover = Math.round(clouds.reduce((a, b) => a + b, 0) / clouds.length);
    return {
      source: this.source,
      fetchedAt: new Date(entry.fetchedAt).toISOString(),
      maxTempC,
      cloudCover,
      summary: weatherSummary(maxTempC, cloudCover),
    };
  }
}

function covers(hours: readonly Hour[], at: number): boolean {
  const from = Math.floor(at / HOUR_MS) * HOUR_MS;
  return hours.some((x) => x.t === from);
}
