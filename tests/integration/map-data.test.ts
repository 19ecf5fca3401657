import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISTRICTS, gridId, pointNear, streetsOf } from '../../src-main/core/demo/geo';
import { Rng } from '../../src-main/core/demo/prng';
import {
  BASE_FILE,
  CELLS_FILE,
  CELLS_PER_SIDE,
  DEFAULT_OUT_DIR,
  GRID_KM,
  SPREAD_KM,
  buildMapData,
} from '../../scripts/generate-map-data';

type Pos = [number, number];
interface Feature {
  type: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: unknown };
}
interface Collection {
  type: string;
  features: Feature[];
}

const committed = (name: string): string => readFileSync(join(DEFAULT_OUT_DIR, name), 'utf8');
const parse = (text: string): Collection => JSON.parse(text) as Collection;

/** Shoelace area (positive = counter-clockwise, as RFC 7946 wants exterior rings). */
const signedArea = (ring: Pos[]): number => {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return a / 2;
};

function isPosition(p: unknown): p is Pos {
  return (
    Array.isArray(p) &&
    p.length === 2 &&
    p.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
    Math.abs(p[0] as number) <= 180 &&
    Math.abs(p[1] as number) <= 90
  );
}

/** The structural rules of RFC 7946 for the geometry types these files use. */
function checkGeometry(f: Feature): void {
  expect(f.type).toBe('Feature');
  expect(typeof f.properties).toBe('object');
  const { type, coordinates } = f.geometry;
  if (type === 'Point') {
    expect(isPosition(coordinates)).toBe(true);
  } else if (type === 'LineString') {
    const line = coordinates as unknown[];
    expect(line.length).toBeGreaterThanOrEqual(2);
    expect(line.every(isPosition)).toBe(true);
  } else if (type === 'Polygon') {
    const rings = coordinates as Pos[][];
    expect(rings.length).toBeGreaterThanOrEqual(1);
    for (const ring of rings) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring.every(isPosition)).toBe(true);
      expect(ring[0]).toEqual(ring.at(-1));
    }
    expect(signedArea(rings[0]!)).toBeGreaterThan(0);
  } else {
    throw new Error(`unexpected geometry ${type}`);
  }
}

function inRing(p: Pos, ring: Pos[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

describe('generated map data', () => {
  const generated = buildMapData();

  it('is exactly what the generator writes, and the generator is deterministic', () => {
    expect(generated[BASE_FILE]).toBe(committed(BASE_FILE));
    expect(generated[CELLS_FILE]).toBe(committed(CELLS_FILE));
    const again = buildMapData();
    expect(again[BASE_FILE]).toBe(generated[BASE_FILE]);
    expect(again[CELLS_FILE]).toBe(generated[CELLS_FILE]);
  });

  it('stays commit-sized', () => {
    const bytes = Buffer.byteLength(generated[BASE_FILE]) + Buffer.byteLength(generated[CELLS_FILE]);
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
  });

  it('is valid GeoJSON: feature collections of well-formed, counter-clockwise geometries', () => {
    for (const name of [BASE_FILE, CELLS_FILE]) {
      const fc = parse(generated[name as keyof typeof generated]);
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features.length).toBeGreaterThan(0);
      fc.features.forEach(checkGeometry);
    }
  });

  it('draws every demo district around its own centre, and roads between districts', () => {
    const base = parse(generated[BASE_FILE]);
    const byKind = (kind: string) => base.features.filter((f) => f.properties.kind === kind);
    expect(byKind('city')).toHaveLength(1);
    const districts = byKind('district');
    expect(districts.map((f) => f.properties.code).sort()).toEqual(DISTRICTS.map((d) => d.code).sort());
    for (const d of DISTRICTS) {
      const f = districts.find((x) => x.properties.code === d.code)!;
      expect(f.properties.name).toBe(d.name);
      expect(inRing([d.lng, d.lat], (f.geometry.coordinates as Pos[][])[0]!)).toBe(true);
      // No other district claims this centre: the cells tile the city.
      for (const other of districts) {
        if (other !== f)
          expect(inRing([d.lng, d.lat], (other.geometry.coordinates as Pos[][])[0]!)).toBe(false);
      }
    }
    const roads = byKind('road');
    expect(roads.length).toBeGreaterThanOrEqual(DISTRICTS.length - 1);
    const codes = new Set(DISTRICTS.map((d) => d.code));
    for (const r of roads) {
      expect(codes.has(r.properties.from as string)).toBe(true);
      expect(codes.has(r.properties.to as string)).toBe(true);
    }
    expect(byKind('label')).toHaveLength(DISTRICTS.length);
  });

  it('has a cell, with a named manager, for every grid id the demo geography can produce', () => {
    const cells = parse(generated[CELLS_FILE]).features;
    const byId = new Map(cells.map((f) => [f.properties.id as string, f]));
    expect(byId.size).toBe(cells.length); // unique ids
    let expected = 0;
    for (const d of DISTRICTS) {
      for (const street of streetsOf(d)) {
        for (let cell = 1; cell <= CELLS_PER_SIDE * CELLS_PER_SIDE; cell++) {
          const f = byId.get(gridId(street, cell));
          expect(f, gridId(street, cell)).toBeDefined();
          expect(f!.properties.district).toBe(d.name);
          expect(f!.properties.street).toBe(street.name);
          expected++;
        }
      }
    }
    expect(cells.length).toBe(expected);
    for (const f of cells) {
      expect(f.properties.manager).toMatch(/^\p{Script=Han}{2,3}$/u);
    }
    // Names vary (not one placeholder repeated).
    expect(new Set(cells.map((f) => f.properties.manager)).size).toBeGreaterThan(500);
  });

  it('puts every point the demo places inside the cell of its grid id', () => {
    const cells = new Map(
      parse(generated[CELLS_FILE]).features.map((f) => [
        f.properties.id as string,
        (f.geometry.coordinates as Pos[][])[0]!,
      ]),
    );
    const rng = new Rng(20261124);
    const seen = new Set<string>();
    const slack = 1.5e-6; // pointNear and the cells both round to 1e-6°
    for (const d of DISTRICTS) {
      for (const street of streetsOf(d)) {
        for (let i = 0; i < 400; i++) {
          const p = pointNear(rng, street);
          const ring = cells.get(p.gridId);
          expect(ring, p.gridId).toBeDefined();
          seen.add(p.gridId);
          const [sw, , ne] = ring!;
          expect(p.lng).toBeGreaterThanOrEqual(sw![0] - slack);
          expect(p.lng).toBeLessThanOrEqual(ne![0] + slack);
          expect(p.lat).toBeGreaterThanOrEqual(sw![1] - slack);
          expect(p.lat).toBeLessThanOrEqual(ne![1] + slack);
        }
      }
    }
    // Sampling reaches most cells (corner cells hold only a sliver of the circle: rarely hit).
    expect(seen.size).toBeGreaterThan(0.9 * cells.size);
    // And every cell, corners included, overlaps the circle pointNear draws from: none is decoration.
    for (let cell = 0; cell < CELLS_PER_SIDE * CELLS_PER_SIDE; cell++) {
      const nearest = (i: number): number => {
        const lo = -SPREAD_KM + i * GRID_KM;
        return lo > 0 ? lo : Math.min(0, lo + GRID_KM);
      };
      const dx = nearest(cell % CELLS_PER_SIDE);
      const dy = nearest(Math.floor(cell / CELLS_PER_SIDE));
      expect(Math.hypot(dx, dy)).toBeLessThan(SPREAD_KM);
    }
  });
});
