import { describe, expect, it } from 'vitest';
import { makeSummary } from '../testing/fake-transport';
import {
  createPageCache,
  indexOfId,
  missingPages,
  pagesForRange,
  patchRows,
  replacePages,
  rowAt,
  touchPages,
  withPage,
} from './page-cache';

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => makeSummary(from + i));

describe('page cache', () => {
  it('finds rows by index and reports missing pages of a range', () => {
    let c = createPageCache(10, 5);
    expect(rowAt(c, 0)).toBeUndefined();
    expect(missingPages(c, 0, 5, new Set())).toEqual([0]);
    c = withPage(c, 0, rows(0, 10), 100_000);
    expect(rowAt(c, 3)?.id).toBe(makeSummary(3).id);
    expect(rowAt(c, 10)).toBeUndefined();
    expect(missingPages(c, 5, 25, new Set())).toEqual([1, 2]);
    expect(missingPages(c, 5, 25, new Set([1]))).toEqual([2]);
    expect(pagesForRange(c, 99_995, 100_050)).toEqual([9999]);
  });

  it('clamps ranges to the total and handles an empty list', () => {
    let c = createPageCache(10, 5);
    c = withPage(c, 0, [], 0);
    expect(c.total).toBe(0);
    expect(pagesForRange(c, 0, 30)).toEqual([]);
    expect(missingPages(c, 0, 30, new Set())).toEqual([]);
  });

  it('stays bounded, evicting the least recently used pages but never pinned ones', () => {
    let c = createPageCache(10, 3);
    for (let p = 0; p < 3; p++) c = withPage(c, p, rows(p * 10, 10), 1000);
    c = touchPages(c, [0]); // page 0 is on screen again
    c = withPage(c, 3, rows(30, 10), 1000, [0]);
    expect([...c.pages.keys()].sort()).toEqual([0, 2, 3]);
    c = withPage(c, 4, rows(40, 10), 1000, [0, 2, 3, 4]);
    // Every page pinned: the bound yields rather than dropping a visible page.
    expect(c.pages.size).toBe(4);
    // 100,000 rows scrolled through page by page never hold more than the bound.
    let big = createPageCache(200, 40);
    for (let p = 0; p < 500; p++) big = withPage(big, p, rows(p * 200, 200), 100_000, [p]);
    expect(big.pages.size).toBe(40);
    expect(rowAt(big, 99_999)?.id).toBe(makeSummary(99_999).id);
  });

  it('drops pages beyond a shrunken total', () => {
    let c = createPageCache(10, 10);
    c = withPage(c, 0, rows(0, 10), 30);
    c = withPage(c, 2, rows(20, 10), 30);
    c = withPage(c, 0, rows(0, 10), 12);
    expect([...c.pages.keys()]).toEqual([0]);
  });

  it('patches rows in place with newer versions only', () => {
    let c = createPageCache(10, 10);
    c = withPage(c, 0, rows(0, 10), 10);
    const v2 = makeSummary(4, { title: 'changed', version: 2 });
    c = patchRows(c, [v2]);
    expect(rowAt(c, 4)?.title).toBe('changed');
    const stale = makeSummary(4, { title: 'old', version: 1 });
    c = patchRows(c, [stale]);
    expect(rowAt(c, 4)?.title).toBe('changed');
    expect(indexOfId(c, v2.id)).toBe(4);
    expect(indexOfId(c, 'nope')).toBe(-1);
  });

  it('applies remembered patches to pages that were in flight during the push', () => {
    let c = createPageCache(10, 10);
    c = patchRows(c, [makeSummary(15, { title: 'live', version: 3 })]);
    c = withPage(c, 1, rows(10, 10), 20);
    expect(rowAt(c, 15)?.title).toBe('live');
    // A full refetch is authoritative and forgets the patches.
    c = replacePages(c, [{ page: 1, rows: rows(10, 10).map((r) => ({ ...r, version: 4 })) }], 20);
    expect(c.patches.size).toBe(0);
    expect(rowAt(c, 15)?.title).toBe('ticket 15');
  });
});
