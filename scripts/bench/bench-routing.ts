import { readFileSync } from 'node:fs';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../src-main/shared/domain/geo';
import { DISTRICTS } from '../../src-main/core/demo/geo';
import { Rng, hash32 } from '../../src-main/core/demo/prng';
import { GridIndex } from '../../src-main/core/routing/grid-index';
import { createRouter, type RouteInput } from '../../src-main/core/routing/route';
import { emit, percentile, say } from './report';

/**
 * Routing throughput and latency with 10,000 grid cells (issue 5, item 8: ≥ 50,000/s on one core,
 * p99 ≤ 1 ms). The grid is the demo map's cells plus generated blocks of irregular cells (jittered
 * lattices with subdivided, shared edges: 12-vertex polygons) until there are 10,000. Each request is
 * `routeLocation` on coordinates: validation, GCJ-02 → WGS84 for half of them, R-tree query, exact
 * point-in-polygon, overlap rule. Points: 80 % near a random cell, 20 % anywhere in the city's box.
 *
 * Baseline, same run: the same requests answered by scanning every cell (no spatial index), on a
 * sample; its answers must equal the index's.
 *
 * The responsibility matrix is not in this measurement yet (it does not exist); docs/routing.md.
 */

const TARGET_CELLS = 10_000;
const LOOKUPS = Number(process.env.BENCH_ROUTING_LOOKUPS ?? 200_000);
const BASELINE_SAMPLE = 2_000;
const BLOCK = 6; // cells per side of a generated block
const SUBDIVIDE = 3; // segments per cell edge
const CELL_KM = 0.4;
const KM_PER_DEG_LAT = 111.32;
const kmPerDegLng = (lat: number): number => KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

type Pos = [number, number];
interface Feature {
  type: 'Feature';
  properties: Record<string, string>;
  geometry: { type: 'Polygon'; coordinates: Pos[][] };
}

/** A block of BLOCK × BLOCK irregular cells that tile without gaps (shared vertices are identical). */
function block(b: number, rng: Rng): Feature[] {
  const d = DISTRICTS[rng.int(0, DISTRICTS.length - 1)]!;
  const r = d.radiusKm * Math.sqrt(rng.next());
  const a = rng.next() * 2 * Math.PI;
  const cLat = d.lat + (r * Math.sin(a)) / KM_PER_DEG_LAT;
  const cLng = d.lng + (r * Math.cos(a)) / kmPerDegLng(d.lat);
  const dLng = CELL_KM / kmPerDegLng(cLat);
  const dLat = CELL_KM / KM_PER_DEG_LAT;
  const jitter = (label: string): [number, number] => {
    const j = new Rng(hash32(`bench-routing/${b}/${label}`));
    return [(j.next() - 0.5) * 0.3, (j.next() - 0.5) * 0.3];
  };
  const lattice = (i: number, k: number): Pos => {
    const [jx, jy] = i === 0 || k === 0 || i === BLOCK || k === BLOCK ? [0, 0] : jitter(`v${i},${k}`);
    return [cLng + (i - BLOCK / 2 + jx) * dLng, cLat + (k - BLOCK / 2 + jy) * dLat];
  };
  /** The points of the edge from lattice p to q, computed once per undirected edge. */
  const edges = new Map<string, Pos[]>();
  const edge = (p: [number, number], q: [number, number]): Pos[] => {
    const forward = p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]);
    const [s, t] = forward ? [p, q] : [q, p];
    const key = `${s}-${t}`;
    let pts = edges.get(key);
    if (!pts) {
      const A = lattice(...s);
      const B = lattice(...t);
      pts = [A];
      for (let m = 1; m < SUBDIVIDE; m++) {
        const [jx, jy] = jitter(`e${key}/${m}`);
        pts.push([
          A[0] + ((B[0] - A[0]) * m) / SUBDIVIDE + jx * dLng * 0.3,
          A[1] + ((B[1] - A[1]) * m) / SUBDIVIDE + jy * dLat * 0.3,
        ]);
      }
      pts.push(B);
      edges.set(key, pts);
    }
    return forward ? pts : [...pts].reverse();
  };
  const cells: Feature[] = [];
  for (let k = 0; k < BLOCK; k++)
    for (let i = 0; i < BLOCK; i++) {
      const corners: [number, number][] = [
        [i, k],
        [i + 1, k],
        [i + 1, k + 1],
        [i, k + 1],
      ];
      const ring: Pos[] = [];
      for (let c = 0; c < 4; c++) ring.push(...edge(corners[c]!, corners[(c + 1) % 4]!).slice(0, -1));
      ring.push(ring[0]!);
      const id = `bench-${String(b).padStart(3, '0')}-${String(k * BLOCK + i + 1).padStart(3, '0')}`;
      cells.push({
        type: 'Feature',
        properties: { id, district: d.name, street: `bench-block-${b}`, manager: `manager-${id}` },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    }
  return cells;
}

function readMap(name: string): { features: unknown[] } {
  return JSON.parse(
    readFileSync(new URL(`../../src-renderer/public/map/${name}`, import.meta.url), 'utf8'),
  ) as { features: unknown[] };
}

export async function benchRouting(): Promise<void> {
  const demo = readMap('grid-cells.geojson');
  const base = readMap('hangzhou-base.geojson');
  const features: unknown[] = [...demo.features];
  const rng = new Rng(hash32('bench-routing'));
  for (let b = 0; features.length < TARGET_CELLS; b++) features.push(...block(b, rng));
  features.length = TARGET_CELLS;
  let t0 = performance.now();
  const grid = GridIndex.fromGeoJSON({ type: 'FeatureCollection', features }, { areas: base });
  const buildMs = performance.now() - t0;
  const router = createRouter(grid);
  say(
    `${grid.size} cells (${demo.features.length} from the demo map), index built in ${buildMs.toFixed(0)} ms`,
  );

  // Requests, drawn before timing.
  const [minX, minY, maxX, maxY] = grid.bounds;
  const requests: Extract<RouteInput, { lng: number }>[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    let lng: number;
    let lat: number;
    if (rng.next() < 0.8) {
      const c = grid.cellCentre(grid.cells[rng.int(0, grid.size - 1)]!.id)!;
      lng = c.lng + (rng.next() - 0.5) * 0.01;
      lat = c.lat + (rng.next() - 0.5) * 0.01;
    } else {
      lng = minX + rng.next() * (maxX - minX);
      lat = minY + rng.next() * (maxY - minY);
    }
    if (i % 2 === 0) requests.push({ lng, lat, crs: 'wgs84' });
    else requests.push({ ...wgs84ToGcj02(lng, lat), crs: 'gcj02' });
  }

  // Warm-up, then throughput (no per-call clock), then latency (each call timed).
  let inCell = 0;
  for (let i = 0; i < Math.min(20_000, LOOKUPS); i++) router.routeLocation(requests[i]!);
  t0 = performance.now();
  for (const r of requests) if (router.routeLocation(r).ok) inCell++;
  const perS = LOOKUPS / ((performance.now() - t0) / 1000);
  const lat: number[] = new Array<number>(LOOKUPS);
  for (let i = 0; i < LOOKUPS; i++) {
    const s = process.hrtime.bigint();
    router.routeLocation(requests[i]!);
    lat[i] = Number(process.hrtime.bigint() - s) / 1e6;
  }
  const p99 = percentile(lat, 99);
  say(
    `${LOOKUPS} lookups, ${((inCell / LOOKUPS) * 100).toFixed(1)} % inside a cell; p50 ${percentile(lat, 50).toFixed(4)} ms`,
  );

  // Baseline: every cell scanned, on a sample; the answers must agree.
  const sample = requests.slice(0, BASELINE_SAMPLE);
  const brute = (r: (typeof requests)[number]): string | null => {
    const w = r.crs === 'gcj02' ? gcj02ToWgs84(r.lng, r.lat) : r;
    return grid.bruteForceCellAt(w.lng, w.lat)?.id ?? null;
  };
  for (const r of sample.slice(0, 100)) brute(r);
  const bruteLat: number[] = [];
  let mismatches = 0;
  t0 = performance.now();
  for (const r of sample) {
    const s = process.hrtime.bigint();
    const id = brute(r);
    bruteLat.push(Number(process.hrtime.bigint() - s) / 1e6);
    if (id !== (router.routeLocation(r).cell?.id ?? null)) mismatches++;
  }
  const bruteTotal = bruteLat.reduce((a, b) => a + b, 0);
  const brutePerS = BASELINE_SAMPLE / (bruteTotal / 1000);
  if (mismatches > 0)
    throw new Error(`the index and the full scan disagree on ${mismatches} of ${BASELINE_SAMPLE} points`);

  const note = `${grid.size} cells, ${LOOKUPS} lookups (half GCJ-02), ${((inCell / LOOKUPS) * 100).toFixed(0)} % in a cell; baseline: full scan of every cell on ${BASELINE_SAMPLE} points, same answers`;
  emit({
    bench: 'routing',
    metric: 'routing_per_s',
    value: perS,
    unit: 'requests/s',
    baseline: brutePerS,
    note,
  });
  emit({
    bench: 'routing',
    metric: 'routing_p99_ms',
    value: p99,
    unit: 'ms',
    baseline: percentile(bruteLat, 99),
    note,
  });
}
