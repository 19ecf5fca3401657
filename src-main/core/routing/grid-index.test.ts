import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, haversineMeters, wgs84ToGcj02 } from '@shared/domain/geo';
import { GridDataError, GridIndex } from './grid-index';

type Ring = [number, number][];
/**
 * Fixture coordinates are multiples of 1/256° (about 430 m), exact in binary floating point, so
 * neighbouring cells share bit-identical vertices, as they do in a real grid file.
 */
const U = 1 / 256;
const X = (i: number): number => 120 + i * U;
const Y = (j: number): number => 30 + j * U;
const square = (i: number, j: number, size = 1): Ring => [
  [X(i), Y(j)],
  [X(i + size), Y(j)],
  [X(i + size), Y(j + size)],
  [X(i), Y(j + size)],
  [X(i), Y(j)],
];
const cell = (id: string, rings: Ring[], street = 'S') => ({
  type: 'Feature',
  properties: { id, district: 'D', street, manager: `m-${id}` },
  geometry: { type: 'Polygon', coordinates: rings },
});
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });

/** A 3 × 3 tiling of squares, ids c<col><row>. */
function tiling(): GridIndex {
  const features = [];
  for (let col = 0; col < 3; col++)
    for (let row = 0; row < 3; row++) features.push(cell(`c${col}${row}`, [square(col, row)]));
  return GridIndex.fromGeoJSON(fc(features));
}

describe('GridIndex: the border rule', () => {
  const index = tiling();
  const x = X;
  const y = Y;
  const half = U / 2;

  it('finds the cell of an interior point', () => {
    expect(index.cellAt(x(1) + half, y(1) + half)?.id).toBe('c11');
    expect(index.cellAt(x(0) + U / 10, y(2) + (U * 9) / 10)?.id).toBe('c02');
  });

  it('gives a point on a shared vertical edge to the eastern cell only', () => {
    const p = [x(1), y(0) + half] as const;
    expect(index.cellsAt(...p).map((c) => c.id)).toEqual(['c10']);
  });

  it('gives a point on a shared horizontal edge to the northern cell only', () => {
    const p = [x(2) + U / 3, y(1)] as const;
    expect(index.cellsAt(...p).map((c) => c.id)).toEqual(['c21']);
  });

  it('gives a vertex shared by four cells to the north-eastern one only', () => {
    expect(index.cellsAt(x(1), y(1)).map((c) => c.id)).toEqual(['c11']);
    expect(index.cellsAt(x(2), y(2)).map((c) => c.id)).toEqual(['c22']);
  });

  it('puts every point of a dense lattice over the tiling in exactly one cell', () => {
    // Quarter-cell steps land on every edge and vertex of the tiling as well as inside the cells.
    for (let i = 0; i < 12; i++)
      for (let j = 0; j < 12; j++) expect(index.cellsAt(X(i / 4), Y(j / 4))).toHaveLength(1);
  });

  it('keeps the outer eastern and northern borders outside, the western and southern inside', () => {
    expect(index.cellAt(x(3), y(1) + half)).toBeNull();
    expect(index.cellAt(x(1) + half, y(3))).toBeNull();
    expect(index.cellAt(x(0), y(1) + half)?.id).toBe('c01');
    expect(index.cellAt(x(1) + half, y(0))?.id).toBe('c10');
  });

  it('shares slanted edges between two triangles without gaps or overlaps', () => {
    const a = cell('lower', [
      [
        [120, 30],
        [120.03, 30],
        [120.03, 30.017],
        [120, 30],
      ],
    ]);
    const b = cell('upper', [
      [
        [120, 30],
        [120.03, 30.017],
        [120, 30.017],
        [120, 30],
      ],
    ]);
    const tri = GridIndex.fromGeoJSON(fc([a, b]));
    for (let k = 1; k < 50; k++) {
      // Points computed on the diagonal itself: each belongs to exactly one triangle.
      const t = k / 50;
      expect(tri.cellsAt(120 + 0.03 * t, 30 + 0.017 * t)).toHaveLength(1);
    }
  });
});

describe('GridIndex: holes, multipolygons, overlaps', () => {
  const holed = cell('ring', [square(0, 0, 3), square(1, 1, 1)]);
  const island = cell('island', [square(1, 1, 1)]);

  it('leaves a point in a hole out of the holed cell', () => {
    const index = GridIndex.fromGeoJSON(fc([holed]));
    expect(index.cellAt(X(1.5), Y(1.5))).toBeNull();
    expect(index.cellAt(X(0.5), Y(1.5))?.id).toBe('ring');
    expect(index.cellAt(X(2.5), Y(2.5))?.id).toBe('ring');
  });

  it('puts the border of a hole filled by another cell in exactly one of them', () => {
    const index = GridIndex.fromGeoJSON(fc([holed, island]));
    expect(index.cellAt(X(1.5), Y(1.5))?.id).toBe('island');
    expect(index.cellsAt(X(1), Y(1.5)).map((c) => c.id)).toEqual(['island']); // west edge of the island
    expect(index.cellsAt(X(2), Y(1.5)).map((c) => c.id)).toEqual(['ring']); // east edge of the island
    expect(index.cellsAt(X(1.5), Y(2)).map((c) => c.id)).toEqual(['ring']); // north edge
    expect(index.cellsAt(X(1.5), Y(1)).map((c) => c.id)).toEqual(['island']); // south edge
  });

  it('answers for every part of a MultiPolygon and not between them', () => {
    const multi = {
      type: 'Feature',
      properties: { id: 'islands', district: 'D', street: 'S' },
      geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0)], [square(5, 5)]] },
    };
    const index = GridIndex.fromGeoJSON(fc([multi]));
    expect(index.cellAt(X(0.5), Y(0.5))?.id).toBe('islands');
    expect(index.cellAt(X(5.5), Y(5.5))?.id).toBe('islands');
    expect(index.cellAt(X(3), Y(3))).toBeNull();
    expect(index.cellAt(X(5.5), Y(5.5))?.manager).toBe('');
  });

  it('resolves overlapping cells by the nearest centre, and lets a street hint choose', () => {
    const index = GridIndex.fromGeoJSON(
      fc([cell('west', [square(0, 0, 2)], 'W'), cell('east', [square(1, 0, 2)], 'E')]),
    );
    expect(index.cellsAt(X(1.2), Y(1)).map((c) => c.id)).toEqual(['west', 'east']);
    expect(index.cellsAt(X(1.9), Y(1)).map((c) => c.id)).toEqual(['east', 'west']);
    expect(index.locate(X(1.2), Y(1)).alsoIn).toEqual(['east']);
    expect(index.locate(X(1.2), Y(1), { district: 'D', street: 'E' }).cell?.id).toBe('east');
  });

  it('refuses malformed grid data with the place of the fault', () => {
    expect(() => GridIndex.fromGeoJSON({ type: 'Feature' })).toThrow(GridDataError);
    expect(() => GridIndex.fromGeoJSON(fc([cell('', [square(0, 0)])]))).toThrow(/grid cell 0/);
    expect(() =>
      GridIndex.fromGeoJSON(fc([{ ...cell('x', []), geometry: { type: 'Point', coordinates: [1, 2] } }])),
    ).toThrow(/Polygon or MultiPolygon/);
    expect(() => GridIndex.fromGeoJSON(fc([cell('a', [square(0, 0)]), cell('a', [square(4, 0)])]))).toThrow(
      /duplicate id a/,
    );
  });
});

const mapDir = new URL('../../../src-renderer/public/map/', import.meta.url);
const demoCells = JSON.parse(readFileSync(new URL('grid-cells.geojson', mapDir), 'utf8')) as unknown;
const demoBase = JSON.parse(readFileSync(new URL('hangzhou-base.geojson', mapDir), 'utf8')) as unknown;

describe('GridIndex on the demo map of Hangzhou', () => {
  const index = GridIndex.fromGeoJSON(demoCells, { areas: demoBase });

  it('agrees with a brute-force scan of every cell', () => {
    let found = 0;
    let none = 0;
    for (let i = 0; i < 2000; i++) {
      // Around a cell spread over the whole grid: inside it, on its borders and beyond them.
      const c = index.cells[(i * 7919) % index.size]!;
      const centre = index.cellCentre(c.id)!;
      const lng = centre.lng + 0.01 * (((i * 0.6180339887) % 1) - 0.5);
      const lat = centre.lat + 0.01 * (((i * 0.7548776662) % 1) - 0.5);
      const fast = index.cellAt(lng, lat);
      expect(fast?.id ?? null).toBe(index.bruteForceCellAt(lng, lat)?.id ?? null);
      if (fast) found++;
      else none++;
    }
    expect(found).toBeGreaterThan(1000);
    expect(none).toBeGreaterThan(0);
  });

  it('reports points outside the city with a reason, and points between cells as having none', () => {
    const shanghai = index.locate(121.4737, 31.2304);
    expect(shanghai.cell).toBeNull();
    expect(shanghai.failure?.code).toBe('outside-city');
    expect(shanghai.failure?.message).toMatch(/outside 杭州市/);
    // Swapped axes are a classic mistake: latitude 120 is no coordinate at all.
    expect(index.locate(30.27, 120.16).failure?.code).toBe('invalid-coordinates');
    expect(index.locate(Number.NaN, 30).failure?.code).toBe('invalid-coordinates');
    expect(index.locate(200, 30).failure?.code).toBe('invalid-coordinates');
    // The base map's city reaches beyond the grid: mountains of 淳安 have a district but no cell.
    const wild = index.locate(119.1, 29.7);
    expect(wild.failure?.code).toBe('no-cell');
    expect(wild.district).toBe('淳安县');
  });

  it('answers district and street for a point in the centre of 杭州', () => {
    const r = index.locate(120.16, 30.276);
    expect(r.cell?.id).toMatch(/^\d{6}-\d{3}-\d{3}$/);
    expect(r.district).toBe(index.districtAt(120.16, 30.276));
    expect(r.street).toBe(index.streetAt(120.16, 30.276));
    expect(r.cell?.manager).not.toBe('');
  });
});

/**
 * GCJ-02 against published pairs of two cities near Hangzhou (same longitude band): the
 * test fixture `test/fixtures/china-cities.json` of hujiulong/gcoord (MIT licence), whose WGS84 and
 * GCJ-02 columns come from the map services. The public algorithm reproduces them to well under a
 * metre, while the offset itself is about half a kilometre.
 */
const GCOORD_PAIRS = [
  { name: '金华市 (浙江省)', wgs: [119.6427465, 29.0820414], gcj: [119.6474509, 29.0790641] },
  { name: '泰州市 (江苏省)', wgs: [119.9183831, 32.4580023], gcj: [119.9231242, 32.4557802] },
] as const;

describe('GCJ-02 input at the edge', () => {
  it.each(GCOORD_PAIRS)('matches the published GCJ-02 of $name to under a metre', ({ wgs, gcj }) => {
    const fwd = wgs84ToGcj02(wgs[0], wgs[1]);
    expect(haversineMeters(fwd, { lng: gcj[0], lat: gcj[1] })).toBeLessThan(1);
    const back = gcj02ToWgs84(gcj[0], gcj[1]);
    expect(haversineMeters(back, { lng: wgs[0], lat: wgs[1] })).toBeLessThan(1);
    expect(haversineMeters({ lng: wgs[0], lat: wgs[1] }, { lng: gcj[0], lat: gcj[1] })).toBeGreaterThan(300);
  });

  it('locates a GCJ-02 point in the cell of its WGS84 original', () => {
    const index = GridIndex.fromGeoJSON(demoCells, { areas: demoBase });
    const wgs = { lng: 120.16, lat: 30.276 };
    const gcj = wgs84ToGcj02(wgs.lng, wgs.lat);
    expect(index.locateGcj02(gcj.lng, gcj.lat).cell?.id).toBe(index.cellAt(wgs.lng, wgs.lat)?.id);
    // Read as WGS84, the same numbers land about 500 m away.
    expect(haversineMeters(wgs, gcj)).toBeGreaterThan(300);
  });
});
