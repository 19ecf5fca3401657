import { describe, expect, it } from 'vitest';
import {
  UNASSIGNED,
  type ImpactDomain,
  type Priority,
  type TicketFilter,
  type TicketSort,
  type TicketSource,
} from '@shared/contract';
import { BoardIndex, PRIORITIES, selectNth, type BoardRow } from './board-index';

/** Small deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed'];
const OPEN = new Set(['new', 'assigned', 'in_progress', 'pending']);
const TYPES = ['device-fault', 'citizen-request', 'process-anomaly'];
const USERS = ['u-a', 'u-b', 'u-c'];
const SOURCES: TicketSource[] = ['manual', 'mqtt', 'hotline'];
const DOMAINS: ImpactDomain[] = ['production', 'quality', 'after-sales', 'rnd'];
const rank = (s: string): number => STATUSES.indexOf(s);

function makeRows(n: number, r: () => number): BoardRow[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const base = Date.UTC(2026, 10, 1);
  return Array.from({ length: n }, (_, i) => {
    const status = pick(STATUSES);
    const created = base + i * 60_000 + Math.floor(r() * 30_000);
    return {
      typeId: pick(TYPES),
      status,
      open: OPEN.has(status),
      priority: pick(PRIORITIES),
      assignee: r() < 0.3 ? null : { kind: 'user', id: pick(USERS) },
      source: pick(SOURCES),
      domains: DOMAINS.filter(() => r() < 0.3),
      createdAt: created,
      // Some ties on purpose, to check the sequence tie-break.
      updatedAt: created + Math.floor(r() * 5) * 3_600_000,
      dueAt: r() < 0.1 ? Number.NaN : created + Math.floor(r() * 48) * 3_600_000,
      resolvedAt: OPEN.has(status) ? Number.NaN : created + 3_600_000,
    };
  });
}

/** The obvious implementation the index must agree with. */
function reference(
  rows: BoardRow[],
  f: TicketFilter,
  sort: TicketSort,
  now: number,
  cand: Set<number> | null,
): number[] {
  const seqs = rows
    .map((row, i) => ({ row, seq: i + 1 }))
    .filter(({ row, seq }) => {
      if (cand && !cand.has(seq)) return false;
      if (f.typeId?.length && !f.typeId.includes(row.typeId)) return false;
      if (f.status?.length && !f.status.includes(row.status)) return false;
      if (f.priority?.length && !f.priority.includes(row.priority)) return false;
      if (f.source?.length && !f.source.includes(row.source)) return false;
      if (f.assigneeId?.length && !f.assigneeId.includes(row.assignee?.id ?? UNASSIGNED)) return false;
      if (f.domain?.length && !row.domains.some((d) => f.domain!.includes(d))) return false;
      if (f.open !== undefined && row.open !== f.open) return false;
      if (f.slaBreached !== undefined && (row.open && row.dueAt < now) !== f.slaBreached) return false;
      if (f.createdFrom !== undefined && row.createdAt < Date.parse(f.createdFrom)) return false;
      return true;
    });
  const dir = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: { row: BoardRow; seq: number }, b: { row: BoardRow; seq: number }): number => {
    switch (sort.field) {
      case 'updatedAt':
        return dir * (a.row.updatedAt - b.row.updatedAt || a.seq - b.seq);
      case 'createdAt':
        return dir * (a.row.createdAt - b.row.createdAt || a.seq - b.seq);
      case 'number':
        return dir * (a.seq - b.seq);
      case 'priority':
        return (
          dir * (PRIORITIES.indexOf(a.row.priority) - PRIORITIES.indexOf(b.row.priority)) ||
          b.row.updatedAt - a.row.updatedAt ||
          b.seq - a.seq
        );
      case 'status':
        return (
          dir * (rank(a.row.status) - rank(b.row.status)) ||
          b.row.updatedAt - a.row.updatedAt ||
          b.seq - a.seq
        );
      case 'resolveDueAt': {
        const x = a.row.dueAt;
        const y = b.row.dueAt;
        if (Number.isNaN(x) || Number.isNaN(y))
          return Number.isNaN(x) ? (Number.isNaN(y) ? a.seq - b.seq : 1) : -1;
        return dir * (x - y || a.seq - b.seq);
      }
    }
  };
  return seqs.sort(cmp).map((x) => x.seq);
}

describe('BoardIndex', () => {
  const r = rng(42);
  const rows = makeRows(3_000, r);
  const index = new BoardIndex(16);
  rows.forEach((row, i) => index.set(i + 1, row));
  const now = Date.UTC(2026, 10, 2);

  it('agrees with a brute-force reference on random filters, sorts and pages', () => {
    const pickSome = <T>(a: readonly T[]): T[] | undefined =>
      r() < 0.5 ? undefined : a.filter(() => r() < 0.5);
    for (let trial = 0; trial < 300; trial++) {
      const filter: TicketFilter = {
        typeId: pickSome(TYPES),
        status: pickSome(STATUSES),
        priority: pickSome(PRIORITIES) as Priority[] | undefined,
        source: pickSome(SOURCES),
        assigneeId: pickSome([...USERS, UNASSIGNED]),
        domain: pickSome(DOMAINS),
        ...(r() < 0.3 && { open: r() < 0.5 }),
        ...(r() < 0.2 && { slaBreached: r() < 0.5 }),
        ...(r() < 0.2 && {
          createdFrom: new Date(rows[Math.floor(r() * rows.length)]!.createdAt).toISOString(),
        }),
      };
      const sort: TicketSort = {
        field: (['updatedAt', 'createdAt', 'number', 'priority', 'status', 'resolveDueAt'] as const)[
          trial % 6
        ]!,
        dir: r() < 0.5 ? 'asc' : 'desc',
      };
      const cand =
        r() < 0.2 ? new Set(Array.from({ length: 800 }, () => 1 + Math.floor(r() * rows.length))) : null;
      const bitmap = cand ? new Uint8Array(rows.length + 1) : null;
      cand?.forEach((s) => (bitmap![s] = 1));
      const offset = r() < 0.3 ? Math.floor(r() * 200) : 0;
      const limit = 1 + Math.floor(r() * 120);
      const expected = reference(rows, filter, sort, now, cand);
      const got = index.query({ filter, sort, offset, limit, candidates: bitmap, statusRank: rank }, now);
      expect(got.total).toBe(expected.length);
      expect(got.seqs).toEqual(expected.slice(offset, offset + limit));
    }
  });

  it('agrees with the reference on deep pages, which take the in-place selection path', () => {
    const big = makeRows(12_000, rng(7));
    const deep = new BoardIndex(16);
    big.forEach((row, i) => deep.set(i + 1, row));
    const rr = rng(8);
    for (let trial = 0; trial < 30; trial++) {
      const filter: TicketFilter = trial % 3 === 0 ? {} : { open: trial % 2 === 0 };
      const sort: TicketSort = {
        field: (['updatedAt', 'createdAt', 'number', 'priority', 'status', 'resolveDueAt'] as const)[
          trial % 6
        ]!,
        dir: rr() < 0.5 ? 'asc' : 'desc',
      };
      const offset = 4_000 + Math.floor(rr() * 8_500);
      const limit = 1 + Math.floor(rr() * 300);
      const expected = reference(big, filter, sort, now, null);
      const got = deep.query({ filter, sort, offset, limit, candidates: null, statusRank: rank }, now);
      expect(got.total).toBe(expected.length);
      expect(got.seqs).toEqual(expected.slice(offset, offset + limit));
    }
  });

  it('selectNth puts the n-th element in place with smaller ones before it', () => {
    const r2 = rng(3);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(r2() * 500);
      const values = Int32Array.from({ length: n }, () => Math.floor(r2() * 50));
      const cmp = (a: number, b: number): number => a - b;
      const k = Math.floor(r2() * n);
      const a = values.slice();
      selectNth(a, 0, n, k, cmp);
      const sorted = values.slice().sort();
      expect(a[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]!).toBeLessThanOrEqual(a[k]!);
      for (let i = k + 1; i < n; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[k]!);
    }
  });

  it('counts facets and stats like the reference', () => {
    const f = index.facets({ open: true }, now, null);
    const open = rows.filter((x) => x.open);
    expect(f.total).toBe(open.length);
    expect(f.byPriority.P1).toBe(open.filter((x) => x.priority === 'P1').length);
    expect(f.byStatus.new).toBe(open.filter((x) => x.status === 'new').length);
    const stats = index.stats(now, now - 86_400_000);
    expect(stats.open).toBe(open.length);
    expect(stats.breached).toBe(open.filter((x) => x.dueAt < now).length);
    expect(stats.dueWithinHour).toBe(open.filter((x) => x.dueAt >= now && x.dueAt < now + 3_600_000).length);
    expect(stats.createdToday).toBe(rows.filter((x) => x.createdAt >= now - 86_400_000).length);
  });

  it('round-trips through its binary image', () => {
    const copy = BoardIndex.deserialize(index.serialize());
    expect(copy.size).toBe(index.size);
    for (const seq of [1, 17, 1500, 3000]) expect(copy.get(seq)).toEqual(index.get(seq));
    const q = {
      filter: { open: true },
      sort: { field: 'priority', dir: 'asc' } as TicketSort,
      offset: 0,
      limit: 50,
      candidates: null,
      statusRank: rank,
    };
    expect(copy.query(q, now)).toEqual(index.query(q, now));
  });

  it('re-derives open when a status changes category', () => {
    const copy = BoardIndex.deserialize(index.serialize());
    copy.setOpenForStatus('pending', false);
    expect(copy.stats(now, 0).open).toBe(rows.filter((x) => x.open && x.status !== 'pending').length);
  });
});
