/**
 * Generates the offline base map of the demo city from the demo geography alone
 * (`src-main/core/demo/geo.ts`): nothing is copied from a boundary dataset.
 *
 *   npx tsx scripts/generate-map-data.ts            # writes src-renderer/public/map/*.geojson
 *   npx tsx scripts/generate-map-data.ts --out DIR  # writes them into DIR instead
 *
 * Output (WGS84, RFC 7946 GeoJSON, one feature per line, byte-identical on every run):
 *
 * - `hangzhou-base.geojson`: a schematic city, honest about being one.
 *   - `kind: "city"`: the outline, the convex hull of every district's circle (centre and radius
 *     from the demo geography, widened by {@link OUTLINE_SCALE}).
 *   - `kind: "district"`: the Voronoi cell of each district centre inside that outline, so the
 *     districts tile the city without gaps or overlaps. Real boundaries look nothing like this.
 *   - `kind: "road"`: straight "trunk roads" between neighbouring district centres (districts
 *     whose cells share an edge: the Delaunay edges), the shape of a road network, not its course.
 *   - `kind: "label"`: a point per district centre carrying its name.
 * - `grid-cells.geojson`: the management grid (网格) the demo tickets refer to. Around each
 *   sub-district (街道/镇) centre, `pointNear` draws points within {@link SPREAD_KM} and numbers
 *   them on a {@link GRID_KM} square grid, giving ids like `330106-003-012`. Every cell that
 *   numbering can produce is here as a square, with `id`, `district`, `street` and a grid
 *   manager's (网格员) name drawn deterministically from the cell id.
 *
 * `tests/integration/map-data.test.ts` checks that the committed files are exactly what this
 * script writes and that every point the demo places falls inside the cell of its grid id.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISTRICTS, gridId, streetsOf, type District } from '../src-main/core/demo/geo';
import { Rng, hash32 } from '../src-main/core/demo/prng';

/** Mirrors `pointNear` in core/demo/geo.ts (the test proves the two agree). */
export const GRID_KM = 0.4;
export const SPREAD_KM = 1.2;
export const CELLS_PER_SIDE = Math.ceil((2 * SPREAD_KM) / GRID_KM);
const KM_PER_DEG_LAT = 111.32;
const kmPerDegLng = (lat: number): number => KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

/** How much wider than the district circles the city outline is drawn. */
const OUTLINE_SCALE = 1.35;
/** Points per district circle when building the outline. */
const OUTLINE_STEPS = 48;

export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../src-renderer/public/map/', import.meta.url));
export const BASE_FILE = 'hangzhou-base.geojson';
export const CELLS_FILE = 'grid-cells.geojson';

type Pos = [number, number];
interface Feature {
  type: 'Feature';
  properties: Record<string, string | number>;
  geometry:
    | { type: 'Point'; coordinates: Pos }
    | { type: 'LineString'; coordinates: Pos[] }
    | { type: 'Polygon'; coordinates: Pos[][] };
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
};
const roundPos = (p: Pos, digits: number): Pos => [round(p[0], digits), round(p[1], digits)];

/**
 * One feature per line: readable diffs, and still valid JSON. Numbers go through
 * `JSON.stringify`, whose shortest round-trip form is the same on every platform.
 */
function featureCollection(name: string, features: Feature[]): string {
  const lines = features.map((f) => JSON.stringify(f));
  return `{"type":"FeatureCollection","name":${JSON.stringify(name)},"features":[\n${lines.join(',\n')}\n]}\n`;
}

// ---------- planar helpers (a local equirectangular plane in km) ----------

const ORIGIN = {
  lng: DISTRICTS.reduce((s, d) => s + d.lng, 0) / DISTRICTS.length,
  lat: DISTRICTS.reduce((s, d) => s + d.lat, 0) / DISTRICTS.length,
};
const toKm = (lng: number, lat: number): Pos => [
  (lng - ORIGIN.lng) * kmPerDegLng(ORIGIN.lat),
  (lat - ORIGIN.lat) * KM_PER_DEG_LAT,
];
const toLngLat = (p: Pos): Pos => [
  ORIGIN.lng + p[0] / kmPerDegLng(ORIGIN.lat),
  ORIGIN.lat + p[1] / KM_PER_DEG_LAT,
];

const cross = (o: Pos, a: Pos, b: Pos): number =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Andrew's monotone chain; counter-clockwise, no repeated end point. */
function convexHull(points: Pos[]): Pos[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const lower: Pos[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower.at(-2)!, lower.at(-1)!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pos[] = [];
  for (const p of pts.reverse()) {
    while (upper.length >= 2 && cross(upper.at(-2)!, upper.at(-1)!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** Keeps the part of a convex polygon closer to `a` than to `b` (Sutherland–Hodgman, one plane). */
function clipCloserTo(poly: Pos[], a: Pos, b: Pos): Pos[] {
  const n: Pos = [b[0] - a[0], b[1] - a[1]];
  const m: Pos = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const side = (p: Pos): number => (p[0] - m[0]) * n[0] + (p[1] - m[1]) * n[1];
  const out: Pos[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

const closeRing = (ring: Pos[]): Pos[] => [...ring, ring[0]!];

// ---------- the base layer ----------

function cityOutline(): Pos[] {
  const samples: Pos[] = [];
  for (const d of DISTRICTS) {
    const c = toKm(d.lng, d.lat);
    const r = d.radiusKm * OUTLINE_SCALE;
    for (let i = 0; i < OUTLINE_STEPS; i++) {
      const a = (2 * Math.PI * i) / OUTLINE_STEPS;
      samples.push([c[0] + r * Math.cos(a), c[1] + r * Math.sin(a)]);
    }
  }
  return convexHull(samples);
}

function districtCells(outline: Pos[]): Pos[][] {
  const sites = DISTRICTS.map((d) => toKm(d.lng, d.lat));
  return sites.map((site, i) => {
    let cell = outline;
    sites.forEach((other, j) => {
      if (j !== i) cell = clipCloserTo(cell, site, other);
    });
    return cell;
  });
}

/** Districts whose cells share an edge (two vertices within a metre). */
function neighbours(cells: Pos[][]): [number, number][] {
  const pairs: [number, number][] = [];
  const near = (p: Pos, q: Pos): boolean => Math.hypot(p[0] - q[0], p[1] - q[1]) < 1e-3;
  for (let i = 0; i < cells.length; i++) {
    for (let j = i + 1; j < cells.length; j++) {
      const shared = cells[i]!.filter((p) => cells[j]!.some((q) => near(p, q))).length;
      if (shared >= 2) pairs.push([i, j]);
    }
  }
  return pairs;
}

export function buildBase(): string {
  const outline = cityOutline();
  const cells = districtCells(outline);
  const features: Feature[] = [];
  const ring = (poly: Pos[]): Pos[] => closeRing(poly.map((p) => roundPos(toLngLat(p), 5)));
  features.push({
    type: 'Feature',
    properties: { kind: 'city', name: '杭州市' },
    geometry: { type: 'Polygon', coordinates: [ring(outline)] },
  });
  DISTRICTS.forEach((d, i) => {
    features.push({
      type: 'Feature',
      properties: { kind: 'district', code: d.code, name: d.name },
      geometry: { type: 'Polygon', coordinates: [ring(cells[i]!)] },
    });
  });
  for (const [i, j] of neighbours(cells)) {
    const a: District = DISTRICTS[i]!;
    const b: District = DISTRICTS[j]!;
    features.push({
      type: 'Feature',
      properties: { kind: 'road', class: 'trunk', from: a.code, to: b.code },
      geometry: {
        type: 'LineString',
        coordinates: [roundPos([a.lng, a.lat], 5), roundPos([b.lng, b.lat], 5)],
      },
    });
  }
  for (const d of DISTRICTS) {
    features.push({
      type: 'Feature',
      properties: { kind: 'label', code: d.code, name: d.name },
      geometry: { type: 'Point', coordinates: roundPos([d.lng, d.lat], 5) },
    });
  }
  return featureCollection('hangzhou-base', features);
}

// ---------- the management grid ----------

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
  '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾',
  '沈', '蒋', '姚', '叶', '钱', '汪', '金', '方', '俞', '楼', '应', '潘', '童', '施', '毛', '陆',
]; // prettier-ignore
const GIVEN = [
  '伟', '芳', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超',
  '霞', '平', '刚', '红', '玲', '丹', '斌', '浩', '宇', '鑫', '婷', '雪', '琳', '晨', '俊', '峰',
  '慧', '颖', '凯', '亮', '建华', '建国', '晓燕', '海燕', '志强', '春梅', '国平', '秀英', '立新',
  '建平', '丽萍', '海峰', '晓东', '美华', '文杰', '佳怡', '子涵', '雨轩', '振华', '卫东', '红英',
]; // prettier-ignore

/** A plausible grid manager's name, the same for a cell id on every run. */
export function managerName(cellId: string): string {
  const rng = new Rng(hash32(`grid-manager/${cellId}`));
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

/** The square of a cell (1-based, row-major from the south-west), as `pointNear` numbers them. */
export function cellSquare(street: { lng: number; lat: number }, cell: number): Pos[] {
  const cx = (cell - 1) % CELLS_PER_SIDE;
  const cy = Math.floor((cell - 1) / CELLS_PER_SIDE);
  const x0 = -SPREAD_KM + cx * GRID_KM;
  const y0 = -SPREAD_KM + cy * GRID_KM;
  const lng = (dx: number): number => street.lng + dx / kmPerDegLng(street.lat);
  const lat = (dy: number): number => street.lat + dy / KM_PER_DEG_LAT;
  const sw: Pos = [lng(x0), lat(y0)];
  const se: Pos = [lng(x0 + GRID_KM), lat(y0)];
  const ne: Pos = [lng(x0 + GRID_KM), lat(y0 + GRID_KM)];
  const nw: Pos = [lng(x0), lat(y0 + GRID_KM)];
  return [sw, se, ne, nw, sw].map((p) => roundPos(p, 6));
}

export function buildCells(): string {
  const features: Feature[] = [];
  for (const d of DISTRICTS) {
    for (const street of streetsOf(d)) {
      for (let cell = 1; cell <= CELLS_PER_SIDE * CELLS_PER_SIDE; cell++) {
        const id = gridId(street, cell);
        features.push({
          type: 'Feature',
          properties: { id, district: d.name, street: street.name, manager: managerName(id) },
          geometry: { type: 'Polygon', coordinates: [cellSquare(street, cell)] },
        });
      }
    }
  }
  return featureCollection('grid-cells', features);
}

export function buildMapData(): Record<typeof BASE_FILE | typeof CELLS_FILE, string> {
  return { [BASE_FILE]: buildBase(), [CELLS_FILE]: buildCells() };
}

function main(argv: string[]): void {
  const i = argv.indexOf('--out');
  const outDir = i >= 0 && argv[i + 1] ? resolve(argv[i + 1]!) : DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(buildMapData())) {
    const file = join(outDir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    process.stdout.write(`${file}: ${Buffer.byteLength(text)} bytes\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main(process.argv.slice(2));
