import { valueNoise } from './noise';

/**
 * The environment of the demo city (Hangzhou, ~30.3°N): sun position, clear-sky irradiance,
 * cloudiness and air temperature. Plain functions of time and place so the model can evaluate
 * them at several instants per sample (the thermal lag needs the recent past).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const JAN1_2000 = 946_684_800_000;
const YEAR_DAYS = 365.2422;
const DEG = Math.PI / 180;

/** Fraction of the year as an angle (0 = 1 January 00:00 UTC), as the NOAA formulas expect. */
export function yearAngle(t: number): number {
  const days = (t - JAN1_2000) / DAY_MS;
  const inYear = ((days % YEAR_DAYS) + YEAR_DAYS) % YEAR_DAYS;
  return (2 * Math.PI * inYear) / YEAR_DAYS;
}

/** Solar declination in radians (NOAA / Spencer series). */
export function declination(g: number): number {
  return (
    0.006918 -
    0.399912 * Math.cos(g) +
    0.070257 * Math.sin(g) -
    0.006758 * Math.cos(2 * g) +
    0.000907 * Math.sin(2 * g) -
    0.002697 * Math.cos(3 * g) +
    0.00148 * Math.sin(3 * g)
  );
}

/** Equation of time in minutes: how far the sundial runs ahead of the mean clock. */
export function equationOfTime(g: number): number {
  return (
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(g) -
      0.032077 * Math.sin(g) -
      0.014615 * Math.cos(2 * g) -
      0.040849 * Math.sin(2 * g))
  );
}

/** True solar time in hours [0, 24): noon is when the sun is highest at that longitude. */
export function solarHour(t: number, lng: number, eotMin: number): number {
  const utcMin = (((t % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS;
  const h = (utcMin + eotMin + 4 * lng) / 60;
  return ((h % 24) + 24) % 24;
}

export function cosZenith(sinLat: number, cosLat: number, decl: number, hour: number): number {
  return sinLat * Math.sin(decl) + cosLat * Math.cos(decl) * Math.cos((hour - 12) * 15 * DEG);
}

/**
 * Global horizontal irradiance under a clear sky, W/m²: Haurwitz's model, scaled by 0.9 for the
 * Yangtze delta's usual haze (clear-day noon peaks there are ~900–950 W/m², not 1,050).
 */
export function clearSkyGhi(cosZ: number): number {
  return cosZ <= 0 ? 0 : 0.9 * 1098 * cosZ * Math.exp(-0.057 / cosZ);
}

/** Day of the year (0-based, fractional) from the year angle. */
function dayOfYear(g: number): number {
  return (g / (2 * Math.PI)) * YEAR_DAYS;
}

/**
 * Weather regime 0 (clear) … 1 (overcast) over a region: a city-wide synoptic process (fronts
 * take a day or two to pass) plus a regional deviation, biased by season — the plum rains
 * (梅雨, mid-June to mid-July) are cloudy, October is the clearest month.
 */
export function regime(t: number, cityKey: number, cellKey: number, g: number): number {
  const doy = dayOfYear(g);
  const plum = 0.25 * Math.exp(-(((doy - 176) / 18) ** 2));
  const autumn = -0.15 * Math.exp(-(((doy - 290) / 30) ** 2));
  const synoptic = (valueNoise(cityKey, t / (36 * HOUR_MS)) - 0.5) * 1.9 + 0.5;
  const local = (valueNoise(cellKey, t / (10 * HOUR_MS)) - 0.5) * 0.35;
  const r = synoptic + local + plum + autumn;
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/**
 * Cloud cover 0…1 at a plant: the regime, moved by passing clouds shared over the region
 * (~25 min) and by small local ones (~6 min). Broken-cloud days vary most; clear and overcast
 * days are steady. The time scales are slow enough that a healthy inverter's temperature follows
 * without a gradient near the warn threshold.
 */
export function cloudiness(t: number, reg: number, cellKey: number, plantKey: number): number {
  const variability = 1.2 * reg * (1 - reg);
  const passing = (valueNoise(cellKey ^ 0x2f1b, t / (25 * MINUTE_MS)) - 0.5) * variability;
  const local = (valueNoise(plantKey ^ 0x61c3, t / (6 * MINUTE_MS)) - 0.5) * 0.4 * variability;
  const c = reg + passing + local;
  return c < 0 ? 0 : c > 1 ? 1 : c;
}

/** Fraction of clear-sky irradiance that gets through (overcast still lets ~30 % diffuse light). */
export function cloudTransmission(c: number): number {
  return 1 - 0.72 * c;
}

/**
 * Slow temperature anomaly of the air, °C: a city-wide multi-day swing (cold waves, heat waves)
 * and a regional one. Evaluated once per sample: it barely moves within the thermal lag window.
 */
export function ambientAnomaly(t: number, cityKey: number, cellKey: number): number {
  return (
    (valueNoise(cityKey ^ 0x3a7, t / (3 * DAY_MS)) - 0.5) * 7 +
    (valueNoise(cellKey ^ 0x3a7, t / DAY_MS) - 0.5) * 1.5
  );
}

/**
 * Air temperature, °C. Hangzhou's monthly means run from ~4.6 °C (late January) to ~29 °C (late
 * July); the daily cycle peaks mid-afternoon and is damped under cloud.
 */
export function ambient(g: number, hour: number, reg: number, anomaly: number): number {
  const mean = 16.9 - 12.3 * Math.cos(g - (2 * Math.PI * 19) / YEAR_DAYS);
  const amp = 4.2 * (1 - 0.5 * reg);
  return mean + amp * Math.cos((2 * Math.PI * (hour - 14.5)) / 24) + anomaly;
}
