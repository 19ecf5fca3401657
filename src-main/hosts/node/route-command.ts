import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { defaultConfig } from '@shared/domain';
import { defaultMatrixRows, matrixResponsibility } from '../../core/hotline/matrix';
import { createRouter, loadGridIndex, proposeDepartments, type RouteResult } from '../../core/routing/route';

const DEFAULT_RESPONSIBILITY = () =>
  matrixResponsibility(defaultMatrixRows(), defaultConfig(new Date(0).toISOString()));
import { decimal } from './cli-args';
import { defaultRendererDir } from './paths';

/**
 * `watchfloor route`: where a request is and who is responsible for that place (grid cell, street,
 * district, grid manager) and, given a category, the department of the default responsibility matrix.
 * With `--json` stdout carries exactly one JSON object.
 *
 * Exit codes: 0 located in a grid cell; 2 understood but not located (outside the city, no cell,
 * address not found or ambiguous: the JSON says why); 1 bad arguments.
 */

export interface RouteCommandOptions {
  /** stdout; tests capture it. */
  write?: (text: string) => void;
  /** Sets the process exit code; tests capture it. */
  setExitCode?: (code: number) => void;
}

interface RouteFlags {
  lng?: number;
  lat?: number;
  gcj02: boolean;
  address?: string;
  category?: string;
  grid?: string;
  base?: string;
  json: boolean;
}

const CELLS_FILE = 'grid-cells.geojson';
const BASE_FILE = 'hangzhou-base.geojson';

/** The map folder: the built renderer's, else the source tree's (tests, tsx), else under cwd. */
export function defaultMapDir(): string | null {
  const renderer = defaultRendererDir();
  const candidates = [
    ...(renderer ? [join(renderer, 'map')] : []),
    fileURLToPath(new URL('../../../src-renderer/public/map/', import.meta.url)),
    resolve('src-renderer', 'public', 'map'),
  ];
  return candidates.find((d) => existsSync(join(d, CELLS_FILE))) ?? null;
}

function category(raw: string): string {
  const parts = raw.split('/').map((p) => p.trim());
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => p === ''))
    throw new InvalidArgumentError('must be a category path such as 环境保护/噪音污染/施工噪音');
  return parts.join('/');
}

function text(r: RouteResult, flags: RouteFlags): string {
  const lines: string[] = [];
  if (r.location)
    lines.push(
      `Location:  ${r.location.lng.toFixed(6)}, ${r.location.lat.toFixed(6)} (WGS84${r.location.given ? `, from GCJ-02 ${r.location.given.lng}, ${r.location.given.lat}` : ''}${r.location.match ? `; address → ${r.location.match.path}, score ${r.location.match.score}` : ''})`,
    );
  lines.push(`District:  ${r.district ?? '—'}`, `Street:    ${r.street ?? '—'}`);
  lines.push(`Grid cell: ${r.cell ? `${r.cell.id} (grid manager ${r.cell.manager || '—'})` : '—'}`);
  if (r.alsoIn.length > 0) lines.push(`Also in:   ${r.alsoIn.join(', ')} (overlapping cells)`);
  if (flags.category) lines.push(`Category:  ${flags.category}`);
  lines.push('Department: — (no responsibility matrix yet)');
  for (const c of r.candidates ?? []) lines.push(`  candidate: ${c.path} (${c.level}, score ${c.score})`);
  if (r.reason) lines.push(`Not located: ${r.reason.message}`);
  return lines.join('\n') + '\n';
}

function run(flags: RouteFlags, options: RouteCommandOptions): void {
  const write = options.write ?? ((s: string) => void process.stdout.write(s));
  const hasLng = flags.lng !== undefined;
  const hasLat = flags.lat !== undefined;
  if (hasLng !== hasLat)
    throw new Error(`--lng and --lat go together; --${hasLng ? 'lat' : 'lng'} is missing`);
  if (!hasLng && flags.address === undefined) throw new Error('give --lng and --lat, or --address');
  if (flags.gcj02 && !hasLng) throw new Error('--gcj02 describes --lng/--lat; it needs them');
  if (flags.address !== undefined && flags.address.trim() === '') throw new Error('--address is empty');

  const mapDir = defaultMapDir();
  const cellsFile = flags.grid ? resolve(flags.grid) : mapDir && join(mapDir, CELLS_FILE);
  if (!cellsFile || !existsSync(cellsFile))
    throw new Error(
      `no grid cells file${cellsFile ? ` at ${cellsFile}` : ''}; pass --grid <file> (GeoJSON of the grid cells)`,
    );
  const baseFile = flags.base ? resolve(flags.base) : flags.grid ? null : mapDir && join(mapDir, BASE_FILE);
  if (flags.base && !existsSync(baseFile!)) throw new Error(`no base map at ${baseFile}`);
  const router = createRouter(loadGridIndex(cellsFile, baseFile && existsSync(baseFile) ? baseFile : null));

  // Coordinates from the caller system win; an address given with them is geocoded for comparison.
  const result = hasLng
    ? router.routeLocation({ lng: flags.lng!, lat: flags.lat!, crs: flags.gcj02 ? 'gcj02' : 'wgs84' })
    : router.routeLocation({ address: flags.address! });
  const addressCheck = hasLng && flags.address !== undefined ? router.gazetteer.geocode(flags.address) : null;
  // The department needs a category; without one the answer says so instead of guessing.
  const { departments, note } = flags.category
    ? proposeDepartments(result, flags.category, DEFAULT_RESPONSIBILITY())
    : { departments: [], note: 'give --category to get the responsible department' };

  if (flags.json) {
    write(
      JSON.stringify({
        ok: result.ok,
        input: {
          ...(hasLng && { lng: flags.lng, lat: flags.lat, crs: flags.gcj02 ? 'gcj02' : 'wgs84' }),
          ...(flags.address !== undefined && { address: flags.address }),
          ...(flags.category !== undefined && { category: flags.category }),
        },
        location: result.location,
        cell: result.cell?.id ?? null,
        district: result.district,
        street: result.street,
        gridManager: result.cell ? result.cell.manager || null : null,
        alsoIn: result.alsoIn,
        department: departments[0] ?? null,
        // Two departments: a joint responsibility (the hub dispatches to both).
        departments,
        departmentNote: note,
        ...(result.candidates && { candidates: result.candidates }),
        ...(addressCheck && {
          addressCheck: { matches: addressCheck.matches, ambiguous: addressCheck.ambiguous },
        }),
        reason: result.reason,
      }) + '\n',
    );
  } else write(text(result, flags));
  if (!result.ok) (options.setExitCode ?? ((c: number) => void (process.exitCode = c)))(2);
}

/** Adds `watchfloor route` to the hub CLI. */
export function registerRouteCommand(program: Command, options: RouteCommandOptions = {}): Command {
  return program
    .command('route')
    .description(
      'Place a request on the management grid (网格): the cell, street (街道), district and grid manager for coordinates or an address',
    )
    .addOption(new Option('--lng <x>', 'longitude (WGS84 unless --gcj02)').argParser(decimal(-180, 180)))
    .addOption(new Option('--lat <y>', 'latitude (WGS84 unless --gcj02)').argParser(decimal(-90, 90)))
    .option('--gcj02', 'the coordinates are GCJ-02 (AMap/Tencent); they are converted to WGS84', false)
    .option(
      '--address <text>',
      'a Chinese address of the demo city (浙江省杭州市西湖区文三路268号); used when no coordinates are given',
    )
    .addOption(
      new Option('--category <path>', 'complaint category path level1/level2/level3').argParser(category),
    )
    .option('--grid <file>', `grid cells GeoJSON (default: the map's ${CELLS_FILE})`)
    .option(
      '--base <file>',
      `base map GeoJSON with the city outline and districts (default: the map's ${BASE_FILE})`,
    )
    .option('--json', 'print one JSON object', false)
    .addHelpText(
      'after',
      `
With --category, the department comes from the default responsibility matrix (category × district/street/
grid; a hub uses its own, edited matrix); without one, departmentNote says a category is needed. Border rule, gazetteer and fuzzy matching: docs/routing.md.

Exit codes: 0 located in a grid cell; 2 not located (outside the city, no cell, address not found or
ambiguous; the reason is printed); 1 bad arguments.

Examples:
  watchfloor route --lng 120.130 --lat 30.280 --json
  watchfloor route --lng 120.1345 --lat 30.2776 --gcj02 --json
  watchfloor route --address 杭州市西湖区古荡街道文三路268号 --json`,
    )
    .action((flags: RouteFlags) => run(flags, options));
}
