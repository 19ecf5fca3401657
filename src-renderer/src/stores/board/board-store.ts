import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  BoardMode,
  ConfigDocument,
  SavedView,
  TicketChange,
  TicketFacetsResult,
  TicketFilter,
  TicketSort,
  TicketSummary,
} from '@shared/contract';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';
import {
  DEFAULT_SORT,
  columnFilter,
  kanbanColumns,
  queryKey,
  toQueryFilter,
  type BoardFilter,
  type KanbanColumn,
} from './board-query';
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
  type PageCache,
} from './page-cache';

export const LIST_ID = 'list';

/** One server-side list on screen: the board list, or one kanban column. */
export interface ListState {
  id: string;
  /** Query key (filter + sort); results for another key are dropped. */
  key: string;
  /** The list's query filter; null when the column can hold nothing under the board filter. */
  filter: TicketFilter | null;
  cache: PageCache;
  /** Pages being fetched. */
  inFlight: ReadonlySet<number>;
  /** Rows on screen, inclusive. */
  range: { start: number; end: number };
  /** Bumped by each full refetch; late answers of an older generation are dropped. */
  gen: number;
  error: AppError | null;
}

export interface Selection {
  listId: string;
  index: number;
  ticketId: string | null;
}

export interface BoardState {
  filter: BoardFilter;
  sort: TicketSort;
  mode: BoardMode;
  activeViewId: string | null;
  /** Lists on screen by id: `list`, or the kanban column ids. */
  lists: Record<string, ListState>;
  /** Kanban columns for the current filter (empty in list mode). */
  columns: KanbanColumn[];
  facets: TicketFacetsResult | null;
  facetsError: AppError | null;
  selection: Selection | null;
  /** Bumped on each filter/sort/mode change, so lists scroll back to the top. */
  epoch: number;

  start(): void;
  setFilter(patch: Partial<BoardFilter>): void;
  clearFilters(): void;
  setSort(sort: TicketSort): void;
  setMode(mode: BoardMode): void;
  toggleMode(): void;
  applyView(view: SavedView): void;
  setActiveView(id: string | null): void;
  /** A list reports the rows it shows; missing pages are fetched shortly after. */
  setRange(listId: string, start: number, end: number): void;
  select(listId: string, index: number): void;
  moveSelection(delta: number): void;
  moveColumn(delta: number): void;
  /** Live pushes: patch rows in place now, refetch what is on screen shortly after. */
  applyChanges(changes: readonly TicketChange[]): void;
  /** Refetches the rows on screen and the facets (after live changes, on reconnect). */
  refresh(): Promise<void>;
  /** The configuration changed: columns may differ. */
  configChanged(): void;
  dispose(): void;
}

export type BoardStore = StoreApi<BoardState>;

export interface BoardStoreOptions {
  client: RpcClient;
  getConfig: () => ConfigDocument | null;
  listPageSize?: number;
  columnPageSize?: number;
  maxPages?: number;
  /** Delay between a live push and the refetch of what is on screen. */
  refreshDelayMs?: number;
  /** Coalesces range-driven fetches while the user scrolls. */
  fetchDelayMs?: number;
  /** Extra rows fetched around the visible range. */
  overscanRows?: number;
}

export function createBoardStore(options: BoardStoreOptions): BoardStore {
  const { client, getConfig } = options;
  const listPageSize = options.listPageSize ?? 200;
  const columnPageSize = options.columnPageSize ?? 50;
  const maxPages = options.maxPages ?? 40;
  const refreshDelayMs = options.refreshDelayMs ?? 150;
  const fetchDelayMs = options.fetchDelayMs ?? 40;
  const overscan = options.overscanRows ?? 20;

  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  const fetchTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let facetsSeq = 0;
  let disposed = false;
  /** Nothing is fetched until a board is on screen (the wall shares these stores). */
  let started = false;

  const store = createStore<BoardState>()((set, get) => {
    const patchList = (id: string, fn: (l: ListState) => ListState | null): void => {
      set((s) => {
        const l = s.lists[id];
        if (!l) return s;
        const next = fn(l);
        return next && next !== l ? { lists: { ...s.lists, [id]: next } } : s;
      });
    };

    const wantedRange = (l: ListState): { start: number; end: number } => ({
      start: Math.max(0, l.range.start - overscan),
      end: l.range.end + overscan,
    });

    const fetchPage = async (id: string, page: number): Promise<void> => {
      const l = get().lists[id];
      if (!l || !l.filter) return;
      const { key, gen, filter } = l;
      patchList(id, (x) => ({ ...x, inFlight: new Set([...x.inFlight, page]) }));
      try {
        const res = await client.call('tickets/list', {
          filter,
          sort: get().sort,
          offset: page * l.cache.pageSize,
          limit: l.cache.pageSize,
        });
        patchList(id, (x) => {
          if (x.key !== key || x.gen !== gen) return x;
          const inFlight = new Set(x.inFlight);
          inFlight.delete(page);
          const pinned = pagesForRange(x.cache, x.range.start, x.range.end);
          return {
            ...x,
            inFlight,
            error: null,
            cache: withPage(x.cache, page, res.items, res.total, pinned),
          };
        });
        relocateSelection();
      } catch (err) {
        patchList(id, (x) => {
          if (x.key !== key || x.gen !== gen) return x;
          const inFlight = new Set(x.inFlight);
          inFlight.delete(page);
          return { ...x, inFlight, error: toAppError(err) };
        });
      }
    };

    const fetchMissing = (id: string): void => {
      const l = get().lists[id];
      if (!l) return;
      if (!l.filter) {
        if (l.cache.total === null) patchList(id, (x) => ({ ...x, cache: { ...x.cache, total: 0 } }));
        return;
      }
      const r = wantedRange(l);
      for (const p of missingPages(l.cache, r.start, r.end, l.inFlight)) void fetchPage(id, p);
    };

    const scheduleFetch = (id: string): void => {
      if (fetchTimers.has(id) || disposed) return;
      fetchTimers.set(
        id,
        setTimeout(() => {
          fetchTimers.delete(id);
          fetchMissing(id);
        }, fetchDelayMs),
      );
    };

    const fetchFacets = async (): Promise<void> => {
      const seq = ++facetsSeq;
      try {
        const facets = await client.call('tickets/facets', { filter: toQueryFilter(get().filter) });
        if (seq === facetsSeq) set({ facets, facetsError: null });
      } catch (err) {
        if (seq === facetsSeq) set({ facetsError: toAppError(err) });
      }
    };

    /** After rows moved (refetch), keep the selection on the same ticket when it is still loaded. */
    const relocateSelection = (): void => {
      const sel = get().selection;
      if (!sel?.ticketId) {
        if (sel) {
          const l = get().lists[sel.listId];
          const row = l ? rowAt(l.cache, sel.index) : undefined;
          if (row) set({ selection: { ...sel, ticketId: row.id } });
        }
        return;
      }
      const l = get().lists[sel.listId];
      if (!l) return;
      const at = rowAt(l.cache, sel.index);
      if (at?.id === sel.ticketId) return;
      const found = indexOfId(l.cache, sel.ticketId);
      if (found >= 0) set({ selection: { ...sel, index: found } });
      else if (at) set({ selection: { ...sel, ticketId: at.id } });
    };

    const newList = (id: string, filter: TicketFilter | null, pageSize: number): ListState => ({
      id,
      key: queryKey(filter ?? {}, get().sort) + (filter ? '' : ':none'),
      filter,
      cache: createPageCache(pageSize, maxPages),
      inFlight: new Set(),
      range: { start: 0, end: 30 },
      gen: 0,
      error: null,
    });

    /** Rebuilds the lists for the current mode and filter, and loads their first pages. */
    const rebuild = (): void => {
      if (!started) return;
      const { mode, filter } = get();
      const lists: Record<string, ListState> = {};
      let columns: KanbanColumn[] = [];
      if (mode === 'list') {
        lists[LIST_ID] = newList(LIST_ID, toQueryFilter(filter), listPageSize);
      } else {
        const config = getConfig();
        columns = config ? kanbanColumns(config, filter) : [];
        for (const c of columns) lists[c.id] = newList(c.id, columnFilter(filter, c), columnPageSize);
      }
      set((s) => ({ lists, columns, epoch: s.epoch + 1, selection: null }));
      for (const id of Object.keys(lists)) fetchMissing(id);
      void fetchFacets();
    };

    const refresh = async (): Promise<void> => {
      if (refreshTimer) {
        clearTimeout(refreshTimer);
        refreshTimer = null;
      }
      if (!started) return;
      const facets = fetchFacets();
      const jobs = Object.values(get().lists).map(async (l) => {
        if (!l.filter) return;
        const gen = l.gen + 1;
        const r = wantedRange(l);
        const pages = l.cache.total === null ? [0] : pagesForRange(l.cache, r.start, r.end);
        if (pages.length === 0) pages.push(0);
        const { key } = l;
        patchList(l.id, (x) => ({ ...x, gen, inFlight: new Set(pages) }));
        try {
          const sort = get().sort;
          const results = await Promise.all(
            pages.map((page) =>
              client.call('tickets/list', {
                filter: l.filter!,
                sort,
                offset: page * l.cache.pageSize,
                limit: l.cache.pageSize,
              }),
            ),
          );
          const total = results[results.length - 1]!.total;
          patchList(l.id, (x) => {
            if (x.key !== key || x.gen !== gen) return x;
            const fetched = results.map((res, i) => ({ page: pages[i]!, rows: res.items }));
            return { ...x, inFlight: new Set(), error: null, cache: replacePages(x.cache, fetched, total) };
          });
          // The window may have shifted while we fetched (or the list shrank): fill any gap.
          fetchMissing(l.id);
        } catch (err) {
          patchList(l.id, (x) =>
            x.key !== key || x.gen !== gen ? x : { ...x, inFlight: new Set(), error: toAppError(err) },
          );
        }
      });
      await Promise.all([facets, ...jobs]);
      relocateSelection();
    };

    const listOrder = (): string[] => (get().mode === 'list' ? [LIST_ID] : get().columns.map((c) => c.id));

    const selectAt = (listId: string, index: number): void => {
      const l = get().lists[listId];
      if (!l) return;
      const total = l.cache.total ?? 0;
      if (total === 0) {
        set({ selection: { listId, index: 0, ticketId: null } });
        return;
      }
      const i = Math.max(0, Math.min(total - 1, index));
      set({ selection: { listId, index: i, ticketId: rowAt(l.cache, i)?.id ?? null } });
    };

    return {
      filter: {},
      sort: DEFAULT_SORT,
      mode: 'list',
      activeViewId: null,
      lists: {},
      columns: [],
      facets: null,
      facetsError: null,
      selection: null,
      epoch: 0,

      start() {
        if (started) return;
        started = true;
        rebuild();
      },
      setFilter(patch) {
        set((s) => ({ filter: { ...s.filter, ...patch } }));
        rebuild();
      },
      clearFilters() {
        set({ filter: {} });
        rebuild();
      },
      setSort(sort) {
        set({ sort });
        rebuild();
      },
      setMode(mode) {
        if (mode === get().mode) return;
        set({ mode });
        rebuild();
      },
      toggleMode() {
        get().setMode(get().mode === 'list' ? 'kanban' : 'list');
      },
      applyView(view) {
        set({ filter: { ...view.filter }, sort: { ...view.sort }, mode: view.mode, activeViewId: view.id });
        rebuild();
      },
      setActiveView(id) {
        set({ activeViewId: id });
      },
      setRange(listId, start, end) {
        const l = get().lists[listId];
        if (!l) return;
        if (l.range.start !== start || l.range.end !== end) {
          const onScreen = pagesForRange(l.cache, start, end);
          patchList(listId, (x) => ({ ...x, range: { start, end }, cache: touchPages(x.cache, onScreen) }));
        }
        const now = get().lists[listId]!;
        const r = wantedRange(now);
        if (now.filter && missingPages(now.cache, r.start, r.end, now.inFlight).length > 0)
          scheduleFetch(listId);
      },
      select(listId, index) {
        selectAt(listId, index);
      },
      moveSelection(delta) {
        const sel = get().selection;
        const listId =
          sel?.listId ?? listOrder().find((id) => (get().lists[id]?.cache.total ?? 0) > 0) ?? listOrder()[0];
        if (!listId) return;
        selectAt(listId, sel ? sel.index + delta : 0);
      },
      moveColumn(delta) {
        const order = listOrder();
        if (order.length < 2 || delta === 0) return;
        const sel = get().selection;
        const from = sel ? order.indexOf(sel.listId) : delta > 0 ? -1 : order.length;
        const step = delta > 0 ? 1 : -1;
        for (let i = from + step; i >= 0 && i < order.length; i += step) {
          const l = get().lists[order[i]!];
          const total = l?.cache.total ?? 0;
          if (!l || total === 0) continue;
          const want = sel?.index ?? 0;
          selectAt(l.id, Math.max(l.range.start, Math.min(want, l.range.end, total - 1)));
          return;
        }
      },
      applyChanges(changes) {
        const summaries: TicketSummary[] = changes.map((c) => c.ticket);
        set((s) => {
          const lists: Record<string, ListState> = {};
          let changed = false;
          for (const [id, l] of Object.entries(s.lists)) {
            const cache = patchRows(l.cache, summaries);
            lists[id] = cache === l.cache ? l : { ...l, cache };
            changed ||= cache !== l.cache;
          }
          return changed ? { lists } : s;
        });
        if (!refreshTimer && !disposed && started) {
          refreshTimer = setTimeout(() => {
            refreshTimer = null;
            void refresh();
          }, refreshDelayMs);
        }
      },
      refresh,
      configChanged() {
        if (started && get().mode === 'kanban') rebuild();
      },
      dispose() {
        disposed = true;
        if (refreshTimer) clearTimeout(refreshTimer);
        for (const t of fetchTimers.values()) clearTimeout(t);
        fetchTimers.clear();
      },
    };
  });
  return store;
}

/** Named reads of the board state. */
export const boardSelectors = {
  list: (id: string) => (s: BoardState) => s.lists[id],
  /** Total matching the board filter: facets when known, else the list's total. */
  total: (s: BoardState): number | null => s.facets?.total ?? s.lists[LIST_ID]?.cache.total ?? null,
  selectedTicket: (s: BoardState): TicketSummary | undefined => {
    const sel = s.selection;
    if (!sel) return undefined;
    const l = s.lists[sel.listId];
    return l ? rowAt(l.cache, sel.index) : undefined;
  },
  isSelected: (listId: string, index: number) => (s: BoardState) =>
    s.selection?.listId === listId && s.selection.index === index,
};
