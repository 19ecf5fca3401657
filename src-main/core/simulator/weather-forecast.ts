import { hash2, valueNoise } from './noise';
import {
  HOUR_MS,
  MINUTE_MS,
  ambient,
  ambientAnomaly,
  equationOfTime,
  regime,
  solarHour,
  yearAngle,
} from './physics';

/**
 * The demo's weather forecast: the simulator's own weather (regime, passing clouds, air
 * temperature) read ahead, so the "forecast" a preventive ticket shows in demo mode is what the
 * simulated devices will actually live through. The response is a subset of Open-Meteo's
 * `/v1/forecast` (hourly `temperature_2m`, `cloud_cover` in %, times in GMT without a zone
 * suffix), so the weather connector reads this endpoint and the real API alike.
 */

/** Keys derived exactly as FleetModel derives them (model.ts), so the weather is the same. */
const SEED_SALT = 0x51a7_0e11;
const CITY_SALT = 0xc17;
const CELL_DEG = 0.15;

export const MAX_FORECAST_HOURS = 16 * 24;
export const DEFAULT_FORECAST_HOURS = 24;

export interface ForecastResponse {
  latitude: number;
  longitude: number;
  timezone: 'GMT';
  utc_offset_seconds: 0;
  hourly_units: { time: 'iso8601'; temperature_2m: '°C'; cloud_cover: '%' };
  hourly: { time: string[]; temperature_2m: number[]; cloud_cover: number[] };
}

function keys(seed: number, lat: number, lng: number): { city: number; cell: number } {
  const seedKey = hash2(SEED_SALT, seed);
  const cx = Math.floor(lng / CELL_DEG);
  const cy = Math.floor(lat / CELL_DEG);
  return { city: hash2(seedKey, CITY_SALT), cell: hash2(hash2(seedKey, cx), cy) };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Hourly forecast from the top of the hour at or before `fromMs`. Cloud cover is the regional
 * regime plus the region's passing clouds (the model's per-plant small clouds are left out: a
 * forecast speaks for an area).
 */
export function forecast(
  seed: number,
  lat: number,
  lng: number,
  fromMs: number,
  hours: number,
): ForecastResponse {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);
  if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90))
    throw new RangeError(`latitude ${lat} is outside -90…90`);
  if (!(Number.isFinite(lng) && lng >= -180 && lng <= 180))
    throw new RangeError(`longitude ${lng} is outside -180…180`);
  if (!Number.isFinite(fromMs)) throw new RangeError('the start time must be epoch milliseconds');
  if (!(Number.isInteger(hours) && hours >= 1 && hours <= MAX_FORECAST_HOURS))
    throw new RangeError(`hours must be an integer from 1 to ${MAX_FORECAST_HOURS}, not ${hours}`);
  const { city, cell } = keys(seed, lat, lng);
  const start = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const time: string[] = [];
  const temperature: number[] = [];
  const cloud: number[] = [];
  for (let h = 0; h < hours; h++) {
    const t = start + h * HOUR_MS;
    const g = yearAngle(t);
    const reg = regime(t, city, cell, g);
    const variability = 1.2 * reg * (1 - reg);
    const passing = (valueNoise(cell ^ 0x2f1b, t / (25 * MINUTE_MS)) - 0.5) * variability;
    const c = Math.min(1, Math.max(0, reg + passing));
    const hour = solarHour(t, lng, equationOfTime(g));
    time.push(new Date(t).toISOString().slice(0, 16));
    temperature.push(round1(ambient(g, hour, reg, ambientAnomaly(t, city, cell))));
    cloud.push(Math.round(c * 100));
  }
  return {
    latitude: lat,
    longitude: lng,
    timezone: 'GMT',
    utc_offset_seconds: 0,
    hourly_units: { time: 'iso8601', temperature_2m: '°C', cloud_cover: '%' },
    hourly: { time, temperature_2m: temperature, cloud_cover: cloud },
  };
}

export interface ForecastHttpResult {
  status: 200 | 400 | 503;
  /** Open-Meteo's error shape on 400/503: `{error: true, reason}`. */
  body: ForecastResponse | { error: true; reason: string };
}

function param(url: URL, names: readonly string[]): string | null {
  for (const n of names) {
    const v = url.searchParams.get(n);
    if (v !== null) return v;
  }
  return null;
}

function bad(reason: string): ForecastHttpResult {
  return { status: 400, body: { error: true, reason } };
}

function number(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

/**
 * `GET /api/weather/forecast?lat=..&lng=..&hours=..` (Open-Meteo's `latitude`, `longitude` and
 * `forecast_hours` are accepted too). `hours` defaults to 24. `nowMs` is the simulator's time, so
 * the forecast starts where the simulated devices are.
 */
export function handleForecastRequest(url: URL, seed: number, nowMs: number): ForecastHttpResult {
  const rawLat = param(url, ['lat', 'latitude']);
  const rawLng = param(url, ['lng', 'longitude']);
  const rawHours = param(url, ['hours', 'forecast_hours']);
  if (rawLat === null) return bad('lat is required (decimal degrees, WGS84)');
  if (rawLng === null) return bad('lng is required (decimal degrees, WGS84)');
  const lat = number(rawLat);
  const lng = number(rawLng);
  if (!(Number.isFinite(lat) && lat >= -90 && lat <= 90))
    return bad(`lat must be a number from -90 to 90, got ${JSON.stringify(rawLat.slice(0, 40))}`);
  if (!(Number.isFinite(lng) && lng >= -180 && lng <= 180))
    return bad(`lng must be a number from -180 to 180, got ${JSON.stringify(rawLng.slice(0, 40))}`);
  let hours = DEFAULT_FORECAST_HOURS;
  if (rawHours !== null) {
    hours = number(rawHours);
    if (!(Number.isInteger(hours) && hours >= 1 && hours <= MAX_FORECAST_HOURS))
      return bad(
        `hours must be an integer from 1 to ${MAX_FORECAST_HOURS}, got ${JSON.stringify(rawHours.slice(0, 40))}`,
      );
  }
  if (!Number.isInteger(seed) || !Number.isFinite(nowMs))
    return { status: 503, body: { error: true, reason: 'the simulator has no seed or time yet' } };
  return { status: 200, body: forecast(seed, lat, lng, nowMs, hours) };
}
