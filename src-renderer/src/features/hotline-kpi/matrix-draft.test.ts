import { describe, expect, it } from 'vitest';
import type { ResponsibilityMatrix } from '@shared/contract';
import {
  draftOf,
  emptyRow,
  isDirty,
  localIssues,
  rowFromSuggestion,
  rowsOf,
  thresholdOf,
} from './matrix-draft';

const M: ResponsibilityMatrix = {
  version: 4,
  doubleDispatchBelow: 0.5,
  changes: [],
  rows: [
    {
      id: 'r-1',
      category: '环境保护/环境污染',
      district: null,
      street: null,
      cellId: null,
      departmentIds: ['env'],
      note: '',
    },
    {
      id: 'r-2',
      category: '城乡建设',
      district: '西湖区',
      street: null,
      cellId: null,
      departmentIds: ['city', 'xihu'],
      note: '联合',
    },
  ],
};

describe('matrix draft', () => {
  it('round-trips the matrix rows and is clean until edited', () => {
    const d = draftOf(M);
    expect(rowsOf(d)).toEqual(M.rows);
    expect(isDirty(d, M)).toBe(false);
    expect(isDirty({ ...d, threshold: '0.6' }, M)).toBe(true);
    expect(isDirty({ ...d, rows: d.rows.slice(1) }, M)).toBe(true);
  });

  it('turns blank places into "everywhere" and drops an empty or repeated second department', () => {
    const d = draftOf(M);
    d.rows[0] = { ...d.rows[0]!, district: '  ', dept2: 'env' };
    expect(rowsOf(d)[0]).toMatchObject({ district: null, departmentIds: ['env'] });
  });

  it('adds rows with fresh ids, from suggestions too, and flags what is missing', () => {
    const d = draftOf(M);
    const row = emptyRow(d.rows);
    expect(row.id).toBe('r-3');
    const s = rowFromSuggestion(
      d.rows,
      { category: '交通运输', district: '上城区', departmentId: 'traffic', misroutes: 5 },
      'kpi',
    );
    expect(s).toMatchObject({ category: '交通运输', district: '上城区', dept1: 'traffic', note: 'kpi' });
    const issues = localIssues({ ...d, rows: [...d.rows, row], threshold: '2' });
    expect(issues).toEqual({
      'rows.2.category': 'required',
      'rows.2.departmentIds': 'required',
      doubleDispatchBelow: '0–1',
    });
    expect(thresholdOf({ ...d, threshold: '' })).toBeNull();
  });
});
