/**
 * Loading the generated base map (`public/map/*.geojson`, written by
 * `scripts/generate-map-data.ts`) and small geometry helpers for the page.
 */
export const BASE_DATA_FILE = 'map/hangzhou-base.geojson';
export const CELLS_DATA_FILE = 'map/grid-cells.geojson';

export type Bounds = [west: number, south: number, east: number, north: number];

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: Record<string, unknown> | null;
    geometry: { type: string; coordinates: unknown };
  }[];
}

/**
 * The folder the app was loaded from. The hub serves the page at `/`, `/wall` or `/map` (maybe
 * under a prefix); Electron loads `index.html` from a file and routes by hash.
 */
export function appBaseUrl(location: Pick<Location, 'href' | 'protocol' | 'pathname' | 'origin'>): string {
  if (location.protocol === 'file:') return new URL('.', location.href).href;
  const path = location.pathname.replace(/\/(map|wall)\/?$/, '/').replace(/[^/]*$/, '');
  return `${location.origin}${path || '/'}`;
}

/**
 * Reads a JSON file of the app. XMLHttpRequest, not fetch: Electron's file:// pages may read
 * their own files with XHR but not with fetch.
 */
export function loadJson<T>(url: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    xhr.responseType = 'json';
    xhr.onload = () => {
      // file:// answers with status 0.
      if ((xhr.status === 200 || xhr.status === 0) && xhr.response) resolve(xhr.response as T);
      else reject(new Error(`${url}: HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error(`${url}: network error`));
    xhr.send();
  });
}

/** Extends a bounds with every position of a (nested) coordinates array. */
function extend(bounds: Bounds, coords: unknown): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const [x, y] = coords as [number, number];
    bounds[0] = Math.min(bounds[0], x);
    bounds[1] = Math.min(bounds[1], y);
    bounds[2] = Math.max(bounds[2], x);
    bounds[3] = Math.max(bounds[3], y);
    return;
  }
  for (const c of coords) extend(bounds, c);
}

/** Bounds of the features that pass `keep`, or null when none has coordinates. */
export function collectionBounds(
  fc: GeoJsonCollection,
  keep: (properties: Record<string, unknown> | null) => boolean = () => true,
): Bounds | null {
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of fc.features) if (keep(f.properties)) extend(b, f.geometry.coordinates);
  return Number.isFinite(b[0]) ? b : null;
}

/**
 * A bounds that can be fitted: a single device (or several at one spot) gets a small box around it
 * instead of an infinite zoom.
 */
export function padBounds(b: Bounds, minSpanDeg = 0.01): Bounds {
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  const hw = Math.max((b[2] - b[0]) / 2, minSpanDeg / 2);
  const hh = Math.max((b[3] - b[1]) / 2, minSpanDeg / 2);
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}
