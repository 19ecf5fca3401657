import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '@shared/contract';
import { defaultConfig } from '@shared/domain';
import { DEFAULT_TAXONOMY } from '@shared/domain/taxonomy';
import { categoryCovers, checkMatrixRows, defaultMatrixRows, resolveMatrix } from './matrix';

const r = (
  id: string,
  category: string,
  departmentIds: string[],
  place: Partial<MatrixRow> = {},
): MatrixRow => ({
  id,
  category,
  district: null,
  street: null,
  cellId: null,
  departmentIds,
  note: '',
  ...place,
});

const NOISE = '环境保护/环境污染/噪音污染';

describe('responsibility matrix', () => {
  const rows = [
    r('d1', '环境保护', ['dept-env']),
    r('d2', '环境保护/环境污染/噪音污染', ['dept-env']),
    r('x-d', '环境保护', ['dept-urban'], { district: '西湖区' }),
    r('x-s', NOISE, ['dept-transport'], { district: '西湖区', street: '古荡街道' }),
    r('x-c', '环境保护/环境污染', ['dept-water'], { district: '西湖区', street: '古荡街道', cellId: 'C1' }),
  ];
  const at = (district: string | null, street: string | null, cellId: string | null) => ({
    district,
    street,
    cellId,
  });

  it('matches categories by whole-level prefix', () => {
    expect(categoryCovers('环境保护/环境污染', NOISE)).toBe(true);
    expect(categoryCovers(NOISE, NOISE)).toBe(true);
    expect(categoryCovers('环境保护/环境', NOISE)).toBe(false);
    expect(categoryCovers(NOISE, '环境保护/环境污染')).toBe(false);
  });

  it('takes the deepest default where no exception applies', () => {
    expect(resolveMatrix(rows, { category: NOISE, ...at('上城区', '湖滨街道', 'C9') })).toMatchObject({
      departmentIds: ['dept-env'],
      rule: `default:${NOISE}`,
    });
    expect(
      resolveMatrix(rows, { category: '环境保护/环境污染/大气污染', ...at(null, null, null) })?.rule,
    ).toBe('default:环境保护');
  });

  it('lets the most specific place win: cell > street > district > default', () => {
    expect(resolveMatrix(rows, { category: NOISE, ...at('西湖区', '古荡街道', 'C1') })).toMatchObject({
      departmentIds: ['dept-water'],
      rule: 'exception:x-c',
    });
    expect(resolveMatrix(rows, { category: NOISE, ...at('西湖区', '古荡街道', 'C2') })?.rule).toBe(
      'exception:x-s',
    );
    expect(resolveMatrix(rows, { category: NOISE, ...at('西湖区', '西溪街道', 'C3') })?.rule).toBe(
      'exception:x-d',
    );
    // The street row is for noise only: air pollution on the same street falls back to the district row.
    expect(
      resolveMatrix(rows, { category: '环境保护/环境污染/大气污染', ...at('西湖区', '古荡街道', 'C2') })
        ?.rule,
    ).toBe('exception:x-d');
  });

  it('answers null for a category no row covers', () => {
    expect(
      resolveMatrix(rows, { category: '交通运输/道路交通/交通拥堵', ...at('西湖区', null, null) }),
    ).toBeNull();
  });

  it('covers every level-1 class of the taxonomy with valid rows, a joint row and exceptions', () => {
    const defaults = defaultMatrixRows();
    expect(checkMatrixRows(defaults, defaultConfig(new Date(0).toISOString()), null)).toEqual([]);
    for (const l1 of DEFAULT_TAXONOMY.classes)
      expect(
        resolveMatrix(defaults, { category: l1.zh, district: null, street: null, cellId: null }),
      ).not.toBeNull();
    expect(defaults.some((x) => x.departmentIds.length === 2)).toBe(true);
    expect(defaults.filter((x) => x.district || x.street || x.cellId).length).toBeGreaterThanOrEqual(3);
  });

  it('reports bad rows with their paths', () => {
    const issues = checkMatrixRows(
      [
        r('a', '环境保护/不存在', ['dept-nope']),
        r('a', '环境保护', ['dept-env', 'dept-env'], { district: '火星区' }),
      ],
      defaultConfig(new Date(0).toISOString()),
      { districts: new Set(['西湖区']), streets: new Set(), cells: () => false },
    );
    expect(issues.map((i) => i.path)).toEqual([
      'rows.0.category',
      'rows.0.departmentIds.0',
      'rows.1.id',
      'rows.1.departmentIds',
      'rows.1.district',
    ]);
  });
});
