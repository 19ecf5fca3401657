import type { TicketSummary } from '@shared/contract';

/**
 * A bounded window onto a long server-side list: pages of `pageSize` rows fetched by offset, kept
 * in least-recently-used order and evicted beyond `maxPages`. Immutable: every change returns a new
 * cache (or the same object when nothing changed), so it can live in a zustand store as is.
 */
export interface PageCache {
  readonly pageSize: number;
  readonly maxPages: number;
  /** Rows in the whole list as the server last said; null before the first page arrives. */
  readonly total: number | null;
  /** Page index → rows; Map order is LRU order (oldest first). */
  readonly pages: ReadonlyMap<number, readonly TicketSummary[]>;
  /** Newest summaries pushed live, applied over pages fetched before the push arrived. */
  readonly patches: ReadonlyMap<string, TicketSummary>;
}

export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_MAX_PAGES = 40;
const MAX_PATCHES = 2_000;

export function createPageCache(pageSize = DEFAULT_PAGE_SIZE, maxPages = DEFAULT_MAX_PAGES): PageCache {
  return { pageSize, maxPages, total: null, pages: new Map(), patches: new Map() };
}

export function pageOf(cache: PageCache, index: number): number {
  return Math.floor(index / cache.pageSize);
}

/** The row at `index`, or undefined while its page is not loaded (render a placeholder). */
export function rowAt(cache: PageCache, index: number): TicketSummary | undefined {
  return cache.pages.get(pageOf(cache, index))?.[index % cache.pageSize];
}

/** Pages covering rows [start, end] (inclusive), clamped to the known total. */
export function pagesForRange(cache: PageCache, start: number, end: number): number[] {
  const last = cache.total === null ? end : Math.min(end, cache.total - 1);
  if (last < 0 || last < start) return cache.total === null ? [pageOf(cache, Math.max(0, start))] : [];
  const out: number[] = [];
  for (let p = pageOf(cache, Math.max(0, start)); p <= pageOf(cache, last); p++) out.push(p);
  return out;
}

/** Pages of [start, end] that are neither cached nor already being fetched. */
export function missingPages(
  cache: PageCache,
  start: number,
  end: number,
  inFlight: ReadonlySet<number>,
): number[] {
  return pagesForRange(cache, start, end).filter((p) => !cache.pages.has(p) && !inFlight.has(p));
}

function newer(a: TicketSummary, b: TicketSummary | undefined): boolean {
  return b === undefined || a.version > b.version;
}

function withPatches(
  rows: readonly TicketSummary[],
  patches: ReadonlyMap<string, TicketSummary>,
): TicketSummary[] {
  if (patches.size === 0) return rows.slice();
  return rows.map((r) => {
    const p = patches.get(r.id);
    return p && newer(p, r) ? p : r;
  });
}

/**
 * Stores one fetched page (most recently used) and evicts the oldest pages beyond the bound, never
 * one listed in `pinned` (the pages on screen).
 */
export function withPage(
  cache: PageCache,
  page: number,
  rows: readonly TicketSummary[],
  total: number,
  pinned: readonly number[] = [],
): PageCache {
  const pages = new Map(cache.pages);
  pages.delete(page);
  pages.set(page, withPatches(rows, cache.patches));
  if (total !== cache.total) {
    // Rows beyond the new end are gone.
    const lastPage = total === 0 ? -1 : Math.floor((total - 1) / cache.pageSize);
    for (const p of [...pages.keys()]) if (p > lastPage) pages.delete(p);
  }
  const keep = new Set([...pinned, page]);
  for (const p of pages.keys()) {
    if (pages.size <= cache.maxPages) break;
    if (!keep.has(p)) pages.delete(p);
  }
  return { ...cache, pages, total };
}

/** Replaces every page at once (a refetch of the visible window after live changes). */
export function replacePages(
  cache: PageCache,
  fetched: readonly { page: number; rows: readonly TicketSummary[] }[],
  total: number,
): PageCache {
  const pages = new Map<number, TicketSummary[]>();
  for (const f of fetched) pages.set(f.page, withPatches(f.rows, cache.patches));
  return { ...cache, pages, total, patches: new Map() };
}

/** Marks pages as most recently used (they are on screen). */
export function touchPages(cache: PageCache, pagesOnScreen: readonly number[]): PageCache {
  const last = [...cache.pages.keys()].slice(-pagesOnScreen.length);
  if (pagesOnScreen.every((p) => !cache.pages.has(p) || last.includes(p))) return cache;
  const pages = new Map(cache.pages);
  for (const p of pagesOnScreen) {
    const rows = pages.get(p);
    if (!rows) continue;
    pages.delete(p);
    pages.set(p, rows);
  }
  return { ...cache, pages };
}

/**
 * Replaces cached rows in place with newer summaries of the same tickets (live pushes). Rows keep
 * their positions; a refetch later re-sorts and inserts. The summaries are also remembered, so a
 * page that was in flight when the push arrived is corrected when it lands.
 */
export function patchRows(cache: PageCache, summaries: readonly TicketSummary[]): PageCache {
  if (summaries.length === 0) return cache;
  const byId = new Map<string, TicketSummary>();
  for (const s of summaries) if (newer(s, byId.get(s.id))) byId.set(s.id, s);

  const patches = new Map(cache.patches);
  for (const s of byId.values()) {
    if (newer(s, patches.get(s.id))) {
      patches.delete(s.id);
      patches.set(s.id, s);
    }
  }
  while (patches.size > MAX_PATCHES) patches.delete(patches.keys().next().value!);

  let pages: Map<number, readonly TicketSummary[]> | null = null;
  for (const [p, rows] of cache.pages) {
    let copy: TicketSummary[] | null = null;
    rows.forEach((r, i) => {
      const s = byId.get(r.id);
      if (s && newer(s, r)) {
        copy ??= rows.slice();
        copy[i] = s;
      }
    });
    if (copy) {
      pages ??= new Map(cache.pages);
      pages.set(p, copy);
    }
  }
  return { ...cache, pages: pages ?? cache.pages, patches };
}

/** Where a ticket sits among the cached rows, or -1. */
export function indexOfId(cache: PageCache, id: string): number {
  for (const [p, rows] of cache.pages) {
    const i = rows.findIndex((r) => r.id === id);
    if (i >= 0) return p * cache.pageSize + i;
  }
  return -1;
}
