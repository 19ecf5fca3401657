import { describe, expect, it } from 'vitest';
import type { ConfigDocument } from '@shared/contract';
import {
  columnCount,
  columnFilter,
  isFilterEmpty,
  kanbanColumns,
  queryKey,
  statusOptions,
  toQueryFilter,
} from './board-query';
import { testConfig } from '../testing/test-config';

const config: ConfigDocument = testConfig();

describe('board query', () => {
  it('drops empty parts of a filter', () => {
    expect(
      toQueryFilter({ status: [], priority: ['P1'], text: '  ', businessKey: { key: '', value: ' SN-1 ' } }),
    ).toEqual({ priority: ['P1'], businessKey: { value: 'SN-1' } });
    expect(isFilterEmpty({ typeId: [], text: '' })).toBe(true);
    expect(queryKey({ priority: ['P1'], open: true }, { field: 'updatedAt', dir: 'desc' })).toBe(
      queryKey({ open: true, priority: ['P1'], status: [] }, { field: 'updatedAt', dir: 'desc' }),
    );
  });

  it('makes category columns, or the workflow states of one filtered type', () => {
    const cats = kanbanColumns(config, {});
    expect(cats.map((c) => c.id)).toEqual([
      'cat:new',
      'cat:active',
      'cat:waiting',
      'cat:resolved',
      'cat:closed',
    ]);
    expect(cats[0]!.statuses).toContain('received');
    const wf = kanbanColumns(config, { typeId: ['citizen-request'] });
    expect(wf.map((c) => c.id)).toEqual([
      'state:received',
      'state:dispatched',
      'state:accepted',
      'state:returned',
      'state:replied',
      'state:closed',
    ]);
    expect(kanbanColumns(config, { typeId: ['citizen-request', 'device-fault'] })).toHaveLength(5);
  });

  it('narrows a column to the filtered statuses and counts it from facets', () => {
    const [newCol, activeCol] = kanbanColumns(config, {});
    expect(columnFilter({ status: ['assigned'] }, newCol!)).toBeNull();
    expect(columnFilter({ status: ['assigned', 'new'], open: true }, activeCol!)).toEqual({
      status: ['assigned'],
      open: true,
    });
    const facets = {
      total: 9,
      byStatus: { assigned: 2, in_progress: 3, new: 4 },
      byPriority: { P1: 0, P2: 0, P3: 9, P4: 0 },
    };
    expect(columnCount(facets, activeCol!)).toBe(5);
    expect(columnCount(null, activeCol!)).toBeNull();
  });

  it('offers each status once, with every label it carries', () => {
    const all = statusOptions(config, undefined);
    const isNew = all.find((s) => s.id === 'new')!;
    expect(isNew.labels.map((l) => l.en)).toEqual(['New', 'To confirm']);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
    expect(statusOptions(config, ['citizen-request']).map((s) => s.id)).toEqual([
      'received',
      'dispatched',
      'accepted',
      'returned',
      'replied',
      'closed',
    ]);
  });
});
