import type { ConfigDocument, MatrixRow, ResponsibilityMatrix } from '@shared/contract';
import { DEFAULT_TAXONOMY, PATH_SEPARATOR, type Taxonomy } from '@shared/domain/taxonomy';
import type { ResolveResponsibility } from '../routing/route';

/**
 * The responsibility matrix: (category prefix × place) → department(s).
 *
 * A row matches a request when its category is the request's category or a prefix of it (whole
 * levels: `环境保护/环境污染` covers `环境保护/环境污染/噪音污染`, not `环境保护/环境污染物`) and its place
 * fields (those that are set) equal the request's. Of the matching rows the most specific wins: the
 * place first (cell > street > district > everywhere), then the deeper category, then the earlier row.
 * A row with two departments is a joint responsibility: the request goes to both (double dispatch).
 */

export interface MatrixQuery {
  category: string;
  district: string | null;
  street: string | null;
  cellId: string | null;
}

export interface MatrixDecision {
  row: MatrixRow;
  departmentIds: string[];
  /** `default:<category>` for a row without a place, `exception:<row id>` otherwise. */
  rule: string;
}

/**
 * The default double-dispatch threshold for the shipped zero-shot classifier, on the probability of its
 * level-1 class (docs/classifier.md: the seed model needs ≥ 0.93 for accuracy 0.9). A trained model's
 * report suggests its own threshold from its held-out answers (0.82 on the evaluation sample).
 */
export const SEED_DOUBLE_DISPATCH_BELOW = 0.93;

export function categoryCovers(prefix: string, category: string): boolean {
  return category === prefix || category.startsWith(prefix + PATH_SEPARATOR);
}

function placeRank(row: MatrixRow): number {
  if (row.cellId) return 3;
  if (row.street) return 2;
  if (row.district) return 1;
  return 0;
}

function depthOf(path: string): number {
  return path.split(PATH_SEPARATOR).length;
}

export function rowMatches(row: MatrixRow, q: MatrixQuery): boolean {
  if (!categoryCovers(row.category, q.category)) return false;
  if (row.cellId && row.cellId !== q.cellId) return false;
  if (row.street && row.street !== q.street) return false;
  if (row.district && row.district !== q.district) return false;
  return true;
}

/** The deciding row for a request, or null when no row covers its category. */
export function resolveMatrix(rows: readonly MatrixRow[], q: MatrixQuery): MatrixDecision | null {
  let best: MatrixRow | null = null;
  for (const row of rows) {
    if (!rowMatches(row, q)) continue;
    if (
      !best ||
      placeRank(row) > placeRank(best) ||
      (placeRank(row) === placeRank(best) && depthOf(row.category) > depthOf(best.category))
    )
      best = row;
  }
  if (!best) return null;
  return {
    row: best,
    departmentIds: [...best.departmentIds],
    rule: placeRank(best) === 0 ? `default:${best.category}` : `exception:${best.id}`,
  };
}

/**
 * The matrix as the routing seam asks for it: the deciding row's departments with their names. The
 * command-line tools use it with the default rows; the hub uses its own, edited matrix.
 */
export function matrixResponsibility(
  rows: readonly MatrixRow[],
  config: ConfigDocument,
): ResolveResponsibility {
  return (q) => {
    const decision = resolveMatrix(rows, q);
    if (!decision) return [];
    return decision.departmentIds.map((id) => ({
      departmentId: id,
      name: config.directory.departments.find((d) => d.id === id)?.name['zh-CN'] ?? id,
      rule: decision.rule,
    }));
  };
}

/** True when `path` is a class of the taxonomy at depth 1–3 (Chinese names). */
export function isTaxonomyPath(taxonomy: Taxonomy, path: string): boolean {
  const parts = path.split(PATH_SEPARATOR);
  if (parts.length < 1 || parts.length > 3) return false;
  let level: { zh: string; children?: unknown }[] = taxonomy.classes;
  for (const part of parts) {
    const node = level.find((n) => n.zh === part);
    if (!node) return false;
    level = (node.children as { zh: string; children?: unknown }[] | undefined) ?? [];
  }
  return true;
}

export interface MatrixIssue {
  path: string;
  message: string;
}

/** Everything wrong with a set of rows, each with its path (`rows.3.departmentIds.0`). */
export function checkMatrixRows(
  rows: readonly MatrixRow[],
  config: ConfigDocument,
  places: {
    districts: ReadonlySet<string>;
    streets: ReadonlySet<string>;
    cells: (id: string) => boolean;
  } | null,
  taxonomy: Taxonomy = DEFAULT_TAXONOMY,
): MatrixIssue[] {
  const issues: MatrixIssue[] = [];
  const departments = new Set(config.directory.departments.map((d) => d.id));
  const ids = new Set<string>();
  const keys = new Set<string>();
  rows.forEach((row, i) => {
    const at = `rows.${i}`;
    if (ids.has(row.id)) issues.push({ path: `${at}.id`, message: `duplicate row id ${row.id}` });
    ids.add(row.id);
    if (!isTaxonomyPath(taxonomy, row.category))
      issues.push({ path: `${at}.category`, message: `${row.category} is not a class of the taxonomy` });
    row.departmentIds.forEach((d, j) => {
      if (!departments.has(d))
        issues.push({ path: `${at}.departmentIds.${j}`, message: `no department ${d} in the directory` });
    });
    if (new Set(row.departmentIds).size !== row.departmentIds.length)
      issues.push({ path: `${at}.departmentIds`, message: 'the same department twice' });
    if (places) {
      if (row.district && !places.districts.has(row.district))
        issues.push({ path: `${at}.district`, message: `no district ${row.district} in the grid` });
      if (row.street && !places.streets.has(row.street))
        issues.push({ path: `${at}.street`, message: `no street ${row.street} in the grid` });
      if (row.cellId && !places.cells(row.cellId))
        issues.push({ path: `${at}.cellId`, message: `no grid cell ${row.cellId}` });
    }
    const key = [row.category, row.district ?? '', row.street ?? '', row.cellId ?? ''].join('|');
    if (keys.has(key))
      issues.push({
        path: `${at}`,
        message: 'another row has the same category and place; one would never apply',
      });
    keys.add(key);
  });
  return issues;
}

const row = (
  id: string,
  category: string,
  departmentIds: string[],
  note: string,
  place: { district?: string; street?: string; cellId?: string } = {},
): MatrixRow => ({
  id,
  category,
  district: place.district ?? null,
  street: place.street ?? null,
  cellId: place.cellId ?? null,
  departmentIds,
  note,
});

/**
 * The demo city's matrix (Hangzhou demo grid, the default directory). The default directory has five
 * civic departments, so the classes without a bureau of their own (education, labour, health …) go to
 * the city management bureau as the general intake (综合受理); a site replaces these rows with its own.
 */
export function defaultMatrixRows(): MatrixRow[] {
  const intake = '演示目录无对应委办局，由城市管理局综合受理';
  return [
    // Defaults: every level-1 class.
    row('d-urban', '城乡建设', ['dept-housing'], '住建局主管城乡建设'),
    row('d-env', '环境保护', ['dept-env'], '生态环境局'),
    row('d-transport', '交通运输', ['dept-transport'], '交通运输局'),
    row('d-education', '教育文体', ['dept-urban'], intake),
    row('d-labour', '劳动和社会保障', ['dept-urban'], intake),
    row('d-commerce', '商贸旅游', ['dept-urban'], '市场与占道经营由城管综合执法'),
    row('d-health', '卫生计生', ['dept-urban'], intake),
    row('d-civil', '民政', ['dept-urban'], intake),
    row('d-law', '政法', ['dept-urban'], intake),
    row('d-agriculture', '农村农业', ['dept-water'], '农田水利由水务局牵头'),
    row('d-land', '国土资源', ['dept-housing'], '规划和自然资源并入住建'),
    row('d-economy', '经济管理', ['dept-urban'], intake),
    row('d-technology', '科技与信息产业', ['dept-urban'], intake),
    row('d-government', '党务政务', ['dept-urban'], intake),
    // Deeper defaults.
    row('d-municipal', '城乡建设/市政管理', ['dept-urban'], '市政设施与环卫归城管'),
    row('d-water-supply', '城乡建设/市政管理/供水供气', ['dept-water'], '供水归水务局'),
    row('d-illegal-building', '城乡建设/城乡规划/违章建筑', ['dept-urban'], '违建查处归城管执法'),
    row('d-parking', '交通运输/道路交通/停车管理', ['dept-urban'], '违停与停车秩序归城管'),
    // A joint responsibility: water pollution → ecology bureau and water bureau.
    row(
      'j-water-pollution',
      '环境保护/环境污染/水污染',
      ['dept-env', 'dept-water'],
      '河道水质由生态环境局与水务局共管',
    ),
    // Exceptions by place.
    row('x-xihu-noise', '环境保护/环境污染/噪音污染', ['dept-urban'], '西湖区社会生活噪音由城管执法', {
      district: '西湖区',
    }),
    row('x-binjiang-roads', '城乡建设/市政管理/道路与路灯', ['dept-transport'], '滨江区道路养护交通局代管', {
      district: '滨江区',
    }),
    row('x-hubin-stalls', '商贸旅游/商贸流通/占道经营', ['dept-transport'], '湖滨街道步行街由交通局管理', {
      district: '上城区',
      street: '湖滨街道',
    }),
    row('x-qingbo-cell', '城乡建设', ['dept-urban'], '清波街道试点网格：城建事项城管先行处置', {
      district: '上城区',
      street: '清波街道',
      cellId: '330102-001-001',
    }),
  ];
}

export function defaultMatrix(at: string, actor: { id: string; name: string }): ResponsibilityMatrix {
  const rows = defaultMatrixRows();
  return {
    version: 1,
    rows,
    doubleDispatchBelow: SEED_DOUBLE_DISPATCH_BELOW,
    changes: [{ version: 1, at, actor, note: 'default matrix of the demo city', rows: rows.length }],
  };
}
