import { readFileSync } from 'node:fs';
import { gcj02ToWgs84 } from '@shared/domain/geo';
import { buildDemoGazetteer, type Gazetteer, type GeocodeMatch } from './gazetteer';
import { GridIndex, type GridCell } from './grid-index';

/**
 * Routing, first half: where a request is (coordinates or an address) and which grid cell, street and
 * district are responsible for that place. The second half, (category × place) → department, is the
 * responsibility matrix in configuration; {@link ResolveResponsibility} is the seam it plugs into.
 *
 * WGS84 inside: GCJ-02 input (AMap, Tencent, most government GIS exports) is converted here, at the edge.
 */

export type Crs = 'wgs84' | 'gcj02';

export type RouteInput = { lng: number; lat: number; crs?: Crs } | { address: string };

export type RouteFailureCode =
  | 'invalid-coordinates'
  | 'outside-city'
  | 'no-cell'
  | 'empty'
  | 'too-long'
  | 'not-chinese'
  | 'elsewhere'
  | 'not-found'
  | 'ambiguous';

export interface RouteLocation {
  /** WGS84. */
  lng: number;
  lat: number;
  source: 'coordinates' | 'address';
  /** The coordinates as given, when they were GCJ-02 (so a reviewer can see the conversion). */
  given?: { lng: number; lat: number; crs: Crs };
  /** The gazetteer's answer, when the location came from an address. */
  match?: GeocodeMatch;
}

export interface RouteResult {
  /** True when a grid cell was found. */
  ok: boolean;
  location: RouteLocation | null;
  cell: GridCell | null;
  district: string | null;
  street: string | null;
  /** Other cells containing the point where the grid overlaps. */
  alsoIn: string[];
  /** The places an ambiguous address could mean; the agent chooses one. */
  candidates?: GeocodeMatch[];
  reason: { code: RouteFailureCode; message: string } | null;
}

export interface Router {
  readonly grid: GridIndex;
  readonly gazetteer: Gazetteer;
  routeLocation(input: RouteInput): RouteResult;
}

export function createRouter(grid: GridIndex, gazetteer: Gazetteer = buildDemoGazetteer(grid)): Router {
  const fromPoint = (lng: number, lat: number, location: RouteLocation, hint?: GeocodeMatch): RouteResult => {
    const prefer = hint?.district && hint.street ? { district: hint.district, street: hint.street } : null;
    const found = grid.locate(lng, lat, prefer);
    return {
      ok: found.cell !== null,
      location: found.failure?.code === 'invalid-coordinates' ? null : location,
      cell: found.cell,
      // Without a cell, an address still tells its district and street.
      district: found.district ?? hint?.district ?? null,
      street: found.street ?? hint?.street ?? null,
      alsoIn: found.alsoIn,
      reason: found.failure,
    };
  };

  return {
    grid,
    gazetteer,
    routeLocation(input: RouteInput): RouteResult {
      if ('address' in input) {
        const g = gazetteer.geocode(input.address);
        const empty = { ok: false, location: null, cell: null, district: null, street: null, alsoIn: [] };
        if (g.ambiguous) return { ...empty, candidates: g.matches, reason: g.reason };
        const m = g.matches[0];
        if (!m) return { ...empty, reason: g.reason ?? { code: 'not-found', message: 'no place matched' } };
        return fromPoint(m.lng, m.lat, { lng: m.lng, lat: m.lat, source: 'address', match: m }, m);
      }
      const crs = input.crs ?? 'wgs84';
      const { lng, lat } = input;
      if (crs === 'gcj02' && Number.isFinite(lng) && Number.isFinite(lat)) {
        const w = gcj02ToWgs84(lng, lat);
        return fromPoint(w.lng, w.lat, {
          lng: w.lng,
          lat: w.lat,
          source: 'coordinates',
          given: { lng, lat, crs },
        });
      }
      return fromPoint(lng, lat, { lng, lat, source: 'coordinates' });
    },
  };
}

// ---------- the seam for the responsibility matrix ----------

/** What the responsibility matrix is asked: a category path and the place the router found. */
export interface ResponsibilityQuery {
  /** `<level1>/<level2>/<level3>` of the complaint taxonomy. */
  category: string;
  district: string | null;
  street: string | null;
  cellId: string | null;
}

export interface DepartmentProposal {
  departmentId: string;
  name: string;
  /** Which row of the matrix decided (default or exception), for the agent and the audit trail. */
  rule: string;
}

/**
 * The responsibility matrix (category × district/street/grid → department), supplied by the
 * configuration once it exists. Two proposals mean two owners (double dispatch).
 */
export type ResolveResponsibility = (query: ResponsibilityQuery) => DepartmentProposal[];

/**
 * Departments for a routed request. Without a matrix there is no department: the answer says so
 * instead of guessing one.
 */
export function proposeDepartments(
  route: RouteResult,
  category: string,
  resolve: ResolveResponsibility | null,
): { departments: DepartmentProposal[]; note: string | null } {
  if (!resolve) return { departments: [], note: 'no responsibility matrix is configured yet' };
  return {
    departments: resolve({
      category,
      district: route.district,
      street: route.street,
      cellId: route.cell?.id ?? null,
    }),
    note: null,
  };
}

/** Reads the grid cells (and optionally the base map) from GeoJSON files. */
export function loadGridIndex(cellsFile: string, baseFile?: string | null): GridIndex {
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return GridIndex.fromGeoJSON(read(cellsFile), baseFile ? { areas: read(baseFile) } : {});
}
