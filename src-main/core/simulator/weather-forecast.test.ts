import { describe, expect, it } from 'vitest';
import { AMBIENT, FleetModel } from './model';
import { HOUR_MS } from './physics';
import { type ForecastResponse, forecast, handleForecastRequest } from './weather-forecast';

const T0 = Date.parse('2026-07-20T00:00:00Z');
const LAT = 30.27;
const LNG = 120.16;

describe('forecast', () => {
  it('is shaped like Open-Meteo hourly data from the top of the hour', () => {
    const f = forecast(1, LAT, LNG, T0 + 25 * 60_000, 48);
    expect(f.latitude).toBe(LAT);
    expect(f.longitude).toBe(LNG);
    expect(f.hourly.time).toHaveLength(48);
    expect(f.hourly.time[0]).toBe('2026-07-20T00:00');
    expect(f.hourly.time[47]).toBe('2026-07-21T23:00');
    expect(f.hourly.temperature_2m).toHaveLength(48);
    for (const c of f.hourly.cloud_cover) expect(c >= 0 && c <= 100 && Number.isInteger(c)).toBe(true);
  });

  it('forecasts the air temperature the simulated devices will report', () => {
    // One device standing at the forecast point: its ambient reading is the model's air
    // temperature plus 0.15 °C of sensor noise.
    const model = new FleetModel([{ sn: 'W-1', kind: 'pv-inverter', lng: LNG, lat: LAT }], 7);
    const f = forecast(7, LAT, LNG, T0, 72);
    const out = new Float64Array(6);
    let worst = 0;
    for (let h = 0; h < 72; h++) {
      expect(model.sample(0, T0 + h * HOUR_MS, out)).toBe(true);
      worst = Math.max(worst, Math.abs(out[AMBIENT]! - f.hourly.temperature_2m[h]!));
    }
    expect(worst).toBeLessThan(0.8);
  });

  it('is a function of seed, place and time, and differs between seeds', () => {
    expect(forecast(3, LAT, LNG, T0, 24)).toEqual(forecast(3, LAT, LNG, T0, 24));
    const a = forecast(3, LAT, LNG, T0, 24).hourly.cloud_cover;
    const b = forecast(4, LAT, LNG, T0, 24).hourly.cloud_cover;
    expect(a).not.toEqual(b);
    // July afternoons in Hangzhou are warmer than nights.
    const temps = forecast(3, LAT, LNG, T0, 24).hourly.temperature_2m;
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(1);
  });

  it('refuses impossible arguments', () => {
    expect(() => forecast(1, 91, LNG, T0, 24)).toThrow(/latitude/);
    expect(() => forecast(1, LAT, LNG, T0, 0)).toThrow(/hours/);
    expect(() => forecast(1.5, LAT, LNG, T0, 24)).toThrow(/seed/);
  });
});

describe('handleForecastRequest', () => {
  const req = (q: string) => handleForecastRequest(new URL(`http://hub/api/weather/forecast?${q}`), 1, T0);

  it('answers a good request, defaulting to 24 hours', () => {
    const r = req('lat=30.3&lng=120.2');
    expect(r.status).toBe(200);
    expect((r.body as ForecastResponse).hourly.time).toHaveLength(24);
    const six = req('latitude=30.3&longitude=120.2&forecast_hours=6');
    expect((six.body as ForecastResponse).hourly.time).toHaveLength(6);
  });

  it.each([
    ['lng=120', /lat is required/],
    ['lat=30', /lng is required/],
    ['lat=abc&lng=120', /lat must be a number/],
    ['lat=&lng=120', /lat must be a number/],
    ['lat=30&lng=200', /lng must be a number from -180 to 180/],
    ['lat=30&lng=120&hours=0', /hours must be an integer/],
    ['lat=30&lng=120&hours=1.5', /hours must be an integer/],
    ['lat=30&lng=120&hours=10000', /hours must be an integer/],
  ])('gives 400 for %s', (q, reason) => {
    const r = req(q);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: true });
    expect((r.body as { reason: string }).reason).toMatch(reason);
  });

  it('gives 503 without a simulator time', () => {
    const r = handleForecastRequest(new URL('http://hub/api/weather/forecast?lat=30&lng=120'), 1, Number.NaN);
    expect(r.status).toBe(503);
  });
});
