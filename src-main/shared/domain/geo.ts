/**
 * Coordinates. Watchfloor keeps every coordinate in WGS84 (what GNSS receivers and the device
 * registry report). Chinese map and address services (AMap/Gaode, Tencent, and most government
 * GIS exports) publish GCJ-02, the officially obfuscated datum; these conversions are for data
 * crossing that edge, in either direction. Pure functions, no imports.
 *
 * GCJ-02 is the public reverse-engineered algorithm (Krasovsky 1940 ellipsoid constants and the
 * polynomial-plus-sine offsets); it agrees with the published reference pairs in geo.test.ts to
 * better than a micro-degree. The inverse has no closed form: {@link gcj02ToWgs84} iterates the
 * forward transform until it reproduces the input to < 1e-7° (≈ 1 cm), usually in 2–4 steps.
 */

export interface LngLat {
  lng: number;
  lat: number;
}

/** Semi-major axis of the Krasovsky 1940 ellipsoid (m) and its first eccentricity squared. */
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.006693421622965943;

/** Mean Earth radius (IUGG, m) for great-circle distances. */
export const EARTH_RADIUS_M = 6371008.8;

/**
 * The rectangle inside which GCJ-02 applies (the usual coarse bounding box of China). Outside it,
 * GCJ-02 and WGS84 are the same coordinates.
 */
export function outOfChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** The GCJ-02 offset (degrees) added to a WGS84 point inside China. */
function gcjDelta(lng: number, lat: number): LngLat {
  const dLat0 = offsetLat(lng - 105.0, lat - 35.0);
  const dLng0 = offsetLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - KRASOVSKY_EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  return {
    lat: (dLat0 * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI),
    lng: (dLng0 * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI),
  };
}

/** WGS84 → GCJ-02. Points outside China come back unchanged. */
export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || outOfChina(lng, lat)) return { lng, lat };
  const d = gcjDelta(lng, lat);
  return { lng: lng + d.lng, lat: lat + d.lat };
}

/** Convergence of the inverse: the forward image must match the input within this (degrees). */
const INVERSE_TOLERANCE_DEG = 1e-7;
const INVERSE_MAX_STEPS = 30;

/**
 * GCJ-02 → WGS84 by fixed-point iteration: start from `gcj − delta(gcj)` and correct by the
 * residual of the forward transform until it is below 1e-7° in both axes. The offset varies
 * slowly (its derivative is ~1e-5 per degree), so each step shrinks the error by about that factor.
 * Points outside China come back unchanged.
 */
export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || outOfChina(lng, lat)) return { lng, lat };
  let wLng = lng;
  let wLat = lat;
  for (let i = 0; i < INVERSE_MAX_STEPS; i++) {
    const g = wgs84ToGcj02(wLng, wLat);
    const eLng = g.lng - lng;
    const eLat = g.lat - lat;
    if (Math.abs(eLng) < INVERSE_TOLERANCE_DEG && Math.abs(eLat) < INVERSE_TOLERANCE_DEG) break;
    wLng -= eLng;
    wLat -= eLat;
  }
  return { lng: wLng, lat: wLat };
}

/** Great-circle distance in metres between two WGS84 points (haversine, spherical Earth). */
export function haversineMeters(a: LngLat, b: LngLat): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
