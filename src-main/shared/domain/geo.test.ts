import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, haversineMeters, outOfChina, wgs84ToGcj02 } from './geo';

/**
 * Published WGS84 → GCJ-02 pairs of the algorithm:
 * - Shanghai, Shenzhen, Beijing: the test table of googollee/eviltransform
 *   (go/transform_test.go, MIT licence), given there as (lat, lng) pairs.
 * - Beijing, Tiananmen area (116.404, 39.915): the documented example output of
 *   wandergis/coordtransform (test/app.js and its README, MIT licence).
 */
const REFERENCE = [
  { name: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { name: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { name: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
  { name: 'Tiananmen', wgs: [116.404, 39.915], gcj: [116.41024449916938, 39.91640428150164] },
] as const;

const metres = (a: { lng: number; lat: number }, b: readonly [number, number]): number =>
  haversineMeters(a, { lng: b[0], lat: b[1] });

describe('WGS84 ↔ GCJ-02', () => {
  it.each(REFERENCE)('matches the published GCJ-02 of $name', ({ wgs, gcj }) => {
    const got = wgs84ToGcj02(wgs[0], wgs[1]);
    expect(Math.abs(got.lng - gcj[0])).toBeLessThan(1e-9);
    expect(Math.abs(got.lat - gcj[1])).toBeLessThan(1e-9);
    // The offset itself is hundreds of metres: a wrong sign or a swapped axis cannot pass.
    expect(metres({ lng: wgs[0], lat: wgs[1] }, gcj)).toBeGreaterThan(100);
  });

  it.each(REFERENCE)('inverts the published GCJ-02 of $name back to its WGS84', ({ wgs, gcj }) => {
    const got = gcj02ToWgs84(gcj[0], gcj[1]);
    expect(Math.abs(got.lng - wgs[0])).toBeLessThan(1e-7);
    expect(Math.abs(got.lat - wgs[1])).toBeLessThan(1e-7);
    expect(metres(got, wgs)).toBeLessThan(0.05);
  });

  it('round-trips a grid over China to well under half a metre', () => {
    let worst = 0;
    let points = 0;
    for (let lng = 73.5; lng <= 135; lng += 0.7) {
      for (let lat = 18; lat <= 53.5; lat += 0.45) {
        const wgs = { lng, lat };
        const gcj = wgs84ToGcj02(lng, lat);
        const back = gcj02ToWgs84(gcj.lng, gcj.lat);
        worst = Math.max(worst, haversineMeters(wgs, back));
        // And the other way round: a GCJ-02 point, to WGS84, forward again.
        const fwd = wgs84ToGcj02(gcj02ToWgs84(lng, lat).lng, gcj02ToWgs84(lng, lat).lat);
        worst = Math.max(worst, haversineMeters(wgs, fwd));
        points++;
      }
    }
    expect(points).toBeGreaterThan(6000);
    expect(worst).toBeLessThan(0.5);
    // In fact the iteration stops at 1e-7 degrees, about a centimetre.
    expect(worst).toBeLessThan(0.02);
  });

  it('round-trips the demo city (Hangzhou) to centimetres', () => {
    for (let lng = 118.3; lng <= 120.8; lng += 0.05) {
      for (let lat = 29.1; lat <= 30.6; lat += 0.05) {
        const gcj = wgs84ToGcj02(lng, lat);
        expect(haversineMeters({ lng, lat }, gcj02ToWgs84(gcj.lng, gcj.lat))).toBeLessThan(0.02);
      }
    }
  });

  it('leaves points outside China unchanged, both ways', () => {
    const outside: [number, number][] = [
      [-0.1276, 51.5072], // London
      [139.6917, 35.6895], // Tokyo (east of the box)
      [-74.006, 40.7128], // New York
      [151.2093, -33.8688], // Sydney
      [70, 40], // west of the box
      [100, 56], // north of the box
    ];
    for (const [lng, lat] of outside) {
      expect(outOfChina(lng, lat)).toBe(true);
      expect(wgs84ToGcj02(lng, lat)).toEqual({ lng, lat });
      expect(gcj02ToWgs84(lng, lat)).toEqual({ lng, lat });
    }
    expect(outOfChina(120.15, 30.28)).toBe(false);
  });

  it('passes non-finite input through instead of producing NaN arithmetic', () => {
    expect(wgs84ToGcj02(Number.NaN, 30)).toEqual({ lng: Number.NaN, lat: 30 });
    expect(gcj02ToWgs84(120, Number.POSITIVE_INFINITY)).toEqual({ lng: 120, lat: Number.POSITIVE_INFINITY });
  });
});

describe('haversineMeters', () => {
  it('is zero for the same point and symmetric', () => {
    const a = { lng: 120.15, lat: 30.28 };
    const b = { lng: 121.47, lat: 31.23 };
    expect(haversineMeters(a, a)).toBe(0);
    expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 9);
  });

  it('gives a degree of latitude as ~111.2 km and a degree of longitude as cos(lat) of that', () => {
    expect(haversineMeters({ lng: 0, lat: 0 }, { lng: 0, lat: 1 })).toBeCloseTo(111_195, -1);
    expect(haversineMeters({ lng: 120, lat: 60 }, { lng: 121, lat: 60 })).toBeCloseTo(55_597, -1);
  });

  it('measures Hangzhou → Shanghai (city centres) at about 165 km', () => {
    const d = haversineMeters({ lng: 120.1551, lat: 30.2741 }, { lng: 121.4737, lat: 31.2304 });
    expect(d).toBeGreaterThan(160_000);
    expect(d).toBeLessThan(170_000);
  });

  it('handles antipodes without NaN', () => {
    expect(haversineMeters({ lng: 0, lat: 0 }, { lng: 180, lat: 0 })).toBeCloseTo(Math.PI * 6371008.8, 0);
  });
});
