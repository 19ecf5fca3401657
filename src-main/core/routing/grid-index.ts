import Flatbush from 'flatbush';
import { gcj02ToWgs84 } from '@shared/domain/geo';

/**
 * The management grid (网格) as a spatial index: which cell, street (街道) and district (区) a WGS84
 * point lies in, and who its grid manager (网格员) is.
 *
 * Cells are GeoJSON Polygons or MultiPolygons (holes allowed). A flatbush R-tree over their bounding
 * boxes finds the few candidates; an exact point-in-polygon test decides.
 *
 * **Inside rule** (docs/routing.md): even-odd crossing number with a half-open ray towards +x. An edge
 * counts when exactly one end lies strictly above the point's latitude and the edge's crossing with
 * that latitude lies strictly east of the point. Every edge is evaluated with its end points in one
 * canonical order (lower latitude first), so two cells that share an edge compute the very same
 * floating-point crossing. Consequences:
 * - a point on an edge shared by two cells belongs to exactly one of them: the cell to the east of a
 *   vertical (or slanted) edge, the cell to the north of a horizontal edge; a vertex shared by four
 *   square cells belongs to the north-east one;
 * - on a hole's border the same rule applies, so a hole filled by another cell shares its border
 *   without doubt; a point inside a hole is not in the holed cell;
 * - a MultiPolygon contains a point when one of its parts does.
 *
 * **Overlaps**: real grids should tile, but the demo grid's cell blocks overlap where sub-districts lie
 * close together. When several cells contain a point, the cell whose bounding-box centre is nearest
 * wins; equal distances go to the cell listed first. {@link GridIndex.cellsAt} returns all of them in
 * that order, and a caller with a hint (the street an address named) may pick another.
 */

export interface GridCell {
  id: string;
  district: string;
  street: string;
  /** The grid manager (网格员); empty when the source has none. */
  manager: string;
}

export type LocateFailureCode = 'invalid-coordinates' | 'outside-city' | 'no-cell';

export interface LocateFailure {
  code: LocateFailureCode;
  /** A sentence an agent or a caller can be shown as it is. */
  message: string;
}

export interface LocateResult {
  /** The point looked up (WGS84). */
  lng: number;
  lat: number;
  cell: GridCell | null;
  /** From the cell, else from the district layer; null outside every district. */
  district: string | null;
  /** From the cell (streets have no polygons of their own). */
  street: string | null;
  /** Other cells that also contain the point (overlapping grids), in the rule's order. */
  alsoIn: string[];
  /** Why `cell` is null; null when a cell was found. */
  failure: LocateFailure | null;
}

type Position = readonly number[];
interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

/** One area (cell or district) in flat typed arrays: fast to scan, no per-point allocation. */
interface Shape {
  /** x,y pairs of every ring of every part, rings closed or not. */
  coords: Float64Array;
  /** Start (in pairs) of each ring, plus a final end marker. */
  rings: Uint32Array;
  /** First ring index of each part, plus a final end marker. */
  parts: Uint32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  cx: number;
  cy: number;
}

export class GridDataError extends Error {
  override name = 'GridDataError';
}

function isPosition(p: unknown): p is Position {
  return (
    Array.isArray(p) &&
    p.length >= 2 &&
    typeof p[0] === 'number' &&
    typeof p[1] === 'number' &&
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1])
  );
}

function checkRings(rings: unknown, where: string): Position[][] {
  if (!Array.isArray(rings) || rings.length === 0) throw new GridDataError(`${where}: a polygon needs rings`);
  rings.forEach((ring: unknown, r) => {
    if (!Array.isArray(ring) || ring.length < 3 || !ring.every(isPosition))
      throw new GridDataError(`${where}: ring ${r} needs at least 3 [lng, lat] positions`);
  });
  return rings as Position[][];
}

/** Polygon → one part; MultiPolygon → its parts. Anything else is refused with its place in the file. */
function partsOf(geometry: unknown, where: string): Position[][][] {
  const g = geometry as Partial<PolygonGeometry | MultiPolygonGeometry> | null;
  if (g?.type === 'Polygon') return [checkRings(g.coordinates, where)];
  if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0)
    return g.coordinates.map((rings, i) => checkRings(rings, `${where} part ${i}`));
  throw new GridDataError(`${where}: geometry must be a Polygon or MultiPolygon`);
}

function toShape(parts: Position[][][]): Shape {
  let pairs = 0;
  let ringCount = 0;
  for (const rings of parts)
    for (const ring of rings) {
      pairs += ring.length;
      ringCount++;
    }
  const coords = new Float64Array(pairs * 2);
  const rings = new Uint32Array(ringCount + 1);
  const partStarts = new Uint32Array(parts.length + 1);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let k = 0;
  let r = 0;
  parts.forEach((part, p) => {
    partStarts[p] = r;
    for (const ring of part) {
      rings[r++] = k / 2;
      for (const pos of ring) {
        const x = pos[0]!;
        const y = pos[1]!;
        coords[k++] = x;
        coords[k++] = y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  });
  rings[ringCount] = k / 2;
  partStarts[parts.length] = ringCount;
  return {
    coords,
    rings,
    parts: partStarts,
    minX,
    minY,
    maxX,
    maxY,
    cx: (minX + maxX) / 2,
    cy: (minY + maxY) / 2,
  };
}

/**
 * Even-odd crossing test of one part (outer ring and holes) with the half-open rule above. Edges are
 * read in canonical order so a shared edge gives the same answer to both of its polygons. A closing
 * position equal to the first one adds a zero-length edge, which never counts.
 */
function partContains(s: Shape, part: number, x: number, y: number): boolean {
  const c = s.coords;
  let inside = false;
  for (let r = s.parts[part]!; r < s.parts[part + 1]!; r++) {
    const start = s.rings[r]!;
    const end = s.rings[r + 1]!;
    let j = end - 1;
    for (let i = start; i < end; j = i++) {
      let ax = c[2 * i]!;
      let ay = c[2 * i + 1]!;
      let bx = c[2 * j]!;
      let by = c[2 * j + 1]!;
      if (ay > y === by > y) continue;
      if (ay > by || (ay === by && ax > bx)) {
        const tx = ax;
        const ty = ay;
        ax = bx;
        ay = by;
        bx = tx;
        by = ty;
      }
      const crossX = ax + ((y - ay) * (bx - ax)) / (by - ay);
      if (x < crossX) inside = !inside;
    }
  }
  return inside;
}

export function shapeContains(s: Shape, x: number, y: number): boolean {
  if (x < s.minX || x > s.maxX || y < s.minY || y > s.maxY) return false;
  for (let p = 0; p + 1 < s.parts.length; p++) if (partContains(s, p, x, y)) return true;
  return false;
}

/** A GeoJSON FeatureCollection's features, or a clear error. */
function featuresOf(geojson: unknown, what: string): { properties?: unknown; geometry?: unknown }[] {
  const fc = geojson as { type?: unknown; features?: unknown } | null;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new GridDataError(`${what}: expected a GeoJSON FeatureCollection`);
  return fc.features as { properties?: unknown; geometry?: unknown }[];
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** Cells as GeoJSON features: `properties.id`, `district`, `street` required, `manager` optional. */
export function parseCells(geojson: unknown): { cells: GridCell[]; shapes: Shape[] } {
  const cells: GridCell[] = [];
  const shapes: Shape[] = [];
  const seen = new Set<string>();
  featuresOf(geojson, 'grid cells').forEach((f, i) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const id = text(props.id);
    const district = text(props.district);
    const street = text(props.street);
    if (!id || !district || !street)
      throw new GridDataError(`grid cell ${i}: properties id, district and street are required`);
    if (seen.has(id)) throw new GridDataError(`grid cell ${i}: duplicate id ${id}`);
    seen.add(id);
    cells.push({ id, district, street, manager: text(props.manager) ?? '' });
    shapes.push(toShape(partsOf(f.geometry, `grid cell ${id}`)));
  });
  if (cells.length === 0) throw new GridDataError('grid cells: the collection has no cell');
  return { cells, shapes };
}

export interface AreaLayers {
  /** The city outline: outside it a point is "outside the city". */
  city: Shape | null;
  districts: { name: string; shape: Shape }[];
}

/**
 * The base layer of the map (`hangzhou-base.geojson`): the feature with `kind: "city"` is the outline,
 * features with `kind: "district"` and a `name` are the districts. Other kinds are ignored.
 */
export function parseAreas(geojson: unknown): AreaLayers {
  const layers: AreaLayers = { city: null, districts: [] };
  featuresOf(geojson, 'base map').forEach((f, i) => {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    if (props.kind === 'city') layers.city = toShape(partsOf(f.geometry, `base feature ${i} (city)`));
    else if (props.kind === 'district') {
      const name = text(props.name);
      if (!name) throw new GridDataError(`base feature ${i}: a district needs a name`);
      layers.districts.push({ name, shape: toShape(partsOf(f.geometry, `district ${name}`)) });
    }
  });
  return layers;
}

const fmt = (n: number): string => (Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : String(n));

export interface GridIndexOptions {
  /** The base map (city outline and districts); without it the city is the cells' bounding box. */
  areas?: unknown;
  /** Shown in messages ("outside 杭州市"). */
  cityName?: string;
}

export class GridIndex {
  readonly cells: readonly GridCell[];
  readonly cityName: string;
  private readonly shapes: Shape[];
  private readonly tree: Flatbush;
  private readonly areas: AreaLayers;
  private readonly byId = new Map<string, number>();
  /** Scratch buffer of candidate indexes; reused so a lookup allocates nothing of its own. */
  private readonly hits: number[] = [];

  private constructor(cells: GridCell[], shapes: Shape[], areas: AreaLayers, cityName: string) {
    this.cells = cells;
    this.shapes = shapes;
    this.areas = areas;
    this.cityName = cityName;
    this.tree = new Flatbush(shapes.length);
    for (const s of shapes) this.tree.add(s.minX, s.minY, s.maxX, s.maxY);
    this.tree.finish();
    cells.forEach((c, i) => this.byId.set(c.id, i));
  }

  /** Builds the index from a cells FeatureCollection (and optionally the base map). Throws {@link GridDataError}. */
  static fromGeoJSON(cellsGeojson: unknown, options: GridIndexOptions = {}): GridIndex {
    const { cells, shapes } = parseCells(cellsGeojson);
    const areas = options.areas === undefined ? { city: null, districts: [] } : parseAreas(options.areas);
    return new GridIndex(cells, shapes, areas, options.cityName ?? '杭州市');
  }

  get size(): number {
    return this.cells.length;
  }

  /** Bounding box of all cells: [minLng, minLat, maxLng, maxLat]. */
  get bounds(): [number, number, number, number] {
    return [this.tree.minX, this.tree.minY, this.tree.maxX, this.tree.maxY];
  }

  cell(id: string): GridCell | null {
    const i = this.byId.get(id);
    return i === undefined ? null : this.cells[i]!;
  }

  /** The bounding-box centre of a cell (a point for a label or a geocoded grid id). */
  cellCentre(id: string): { lng: number; lat: number } | null {
    const i = this.byId.get(id);
    if (i === undefined) return null;
    const s = this.shapes[i]!;
    // The centre of a concave or holed cell may lie outside it; then take the first vertex's side.
    return shapeContains(s, s.cx, s.cy) ? { lng: s.cx, lat: s.cy } : this.interiorPoint(s);
  }

  private interiorPoint(s: Shape): { lng: number; lat: number } {
    // Scan a few latitudes for the midpoint of the first inside stretch: cheap and deterministic.
    for (let k = 1; k < 16; k++) {
      const y = s.minY + ((s.maxY - s.minY) * k) / 16;
      for (let m = 1; m < 64; m++) {
        const x = s.minX + ((s.maxX - s.minX) * m) / 64;
        if (shapeContains(s, x, y)) return { lng: x, lat: y };
      }
    }
    return { lng: s.coords[0]!, lat: s.coords[1]! };
  }

  /** Indexes of the cells containing (x, y), best first (nearest centre, then file order). */
  private containing(x: number, y: number): number[] {
    const hits = this.hits;
    hits.length = 0;
    for (const i of this.tree.search(x, y, x, y)) if (shapeContains(this.shapes[i]!, x, y)) hits.push(i);
    if (hits.length > 1) {
      const d = (i: number): number => {
        const s = this.shapes[i]!;
        return (s.cx - x) ** 2 + (s.cy - y) ** 2;
      };
      hits.sort((a, b) => d(a) - d(b) || a - b);
    }
    return hits;
  }

  /** The cell a WGS84 point lies in, or null (outside every cell, or not a valid coordinate). */
  cellAt(lng: number, lat: number): GridCell | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    const hits = this.containing(lng, lat);
    return hits.length === 0 ? null : this.cells[hits[0]!]!;
  }

  /** Every cell containing the point, in the order the overlap rule ranks them. */
  cellsAt(lng: number, lat: number): GridCell[] {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return [];
    return this.containing(lng, lat).map((i) => this.cells[i]!);
  }

  /**
   * The district: the cell's when a cell covers the point (the grid is what requests are routed on,
   * and the demo's district shapes are schematic), else the district layer's.
   */
  districtAt(lng: number, lat: number): string | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    return this.cellAt(lng, lat)?.district ?? this.districtLayerAt(lng, lat);
  }

  private districtLayerAt(lng: number, lat: number): string | null {
    for (const d of this.areas.districts) if (shapeContains(d.shape, lng, lat)) return d.name;
    return null;
  }

  /** The street (街道/镇) of the cell the point lies in. */
  streetAt(lng: number, lat: number): string | null {
    return this.cellAt(lng, lat)?.street ?? null;
  }

  /** Inside the city: the base map's outline, else the cells' bounding box. */
  inCity(lng: number, lat: number): boolean {
    if (this.areas.city) return shapeContains(this.areas.city, lng, lat);
    return lng >= this.tree.minX && lng <= this.tree.maxX && lat >= this.tree.minY && lat <= this.tree.maxY;
  }

  /**
   * Cell, district and street of a WGS84 point, with a reason when there is no cell. `preferStreet`
   * (e.g. the street an address named) picks that street's cell where cells overlap.
   */
  locate(lng: number, lat: number, preferStreet?: { district: string; street: string } | null): LocateResult {
    const base = { lng, lat, cell: null, district: null, street: null, alsoIn: [] as string[] };
    if (!Number.isFinite(lng) || !Number.isFinite(lat) || lng < -180 || lng > 180 || lat < -90 || lat > 90)
      return {
        ...base,
        failure: {
          code: 'invalid-coordinates',
          message: `(${fmt(lng)}, ${fmt(lat)}) is not a coordinate: longitude must be -180..180 and latitude -90..90`,
        },
      };
    if (!this.inCity(lng, lat))
      return {
        ...base,
        failure: {
          code: 'outside-city',
          message: `(${fmt(lng)}, ${fmt(lat)}) is outside ${this.cityName}; check the coordinates (WGS84 longitude first) or enter the address`,
        },
      };
    const hits = this.containing(lng, lat);
    if (hits.length === 0) {
      const district = this.districtLayerAt(lng, lat);
      return {
        ...base,
        district,
        failure: {
          code: 'no-cell',
          message: `(${fmt(lng)}, ${fmt(lat)}) is in ${district ?? this.cityName} but no grid cell covers it; choose the cell on the map`,
        },
      };
    }
    let best = hits[0]!;
    if (preferStreet && hits.length > 1) {
      const match = hits.find(
        (i) =>
          this.cells[i]!.street === preferStreet.street && this.cells[i]!.district === preferStreet.district,
      );
      if (match !== undefined) best = match;
    }
    const cell = this.cells[best]!;
    return {
      lng,
      lat,
      cell,
      district: cell.district,
      street: cell.street,
      alsoIn: hits.filter((i) => i !== best).map((i) => this.cells[i]!.id),
      failure: null,
    };
  }

  /** {@link locate} for a GCJ-02 point (AMap/Tencent or a government GIS export): converted to WGS84 first. */
  locateGcj02(lng: number, lat: number): LocateResult {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return this.locate(lng, lat);
    const w = gcj02ToWgs84(lng, lat);
    return this.locate(w.lng, w.lat);
  }

  /** The exact answer without the R-tree: every cell tested. For tests and the benchmark's baseline. */
  bruteForceCellAt(lng: number, lat: number): GridCell | null {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < this.shapes.length; i++) {
      const s = this.shapes[i]!;
      if (!shapeContains(s, lng, lat)) continue;
      const d = (s.cx - lng) ** 2 + (s.cy - lat) ** 2;
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    }
    return best < 0 ? null : this.cells[best]!;
  }
}
