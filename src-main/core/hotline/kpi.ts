import type { HotlineKpi } from '@shared/contract';
import type { HotlineTicketRecord } from './record';

/**
 * First-dispatch accuracy: the share of citizen tickets never reassigned to another department.
 *
 * - A ticket counts on the day it was created in the site's time zone, under the category the agent
 *   dispatched it with, under the FIRST department it was dispatched to, and under its grid cell (a
 *   ticket without a cell is left out of `byCell` only).
 * - A double-dispatched ticket that one of its two departments accepted is first-time-right (accepting
 *   is not a reassignment); `doubleDispatched` counts these tickets separately so a reader sees how much
 *   of the accuracy double dispatch bought.
 * - Matrix suggestions: the same dispatched category in the same district reassigned to the same
 *   department at least `suggestAfter` times (each ticket counted once per target department).
 */

export const MATRIX_SUGGESTION_MIN = 3;

type Figures = HotlineKpi['overall'];

function empty(): Figures {
  return { tickets: 0, firstTimeRight: 0, accuracy: null, doubleDispatched: 0 };
}

function add(f: Figures, r: HotlineTicketRecord): void {
  f.tickets += 1;
  if (!wasReassigned(r)) f.firstTimeRight += 1;
  if (r.dispatch.chosen.departmentIds.length > 1) f.doubleDispatched += 1;
}

function done(f: Figures): Figures {
  return { ...f, accuracy: f.tickets ? Math.round((f.firstTimeRight / f.tickets) * 1e4) / 1e4 : null };
}

/** True when the ticket was ever reassigned (`hotline/reassign` only moves it to another department). */
export function wasReassigned(r: HotlineTicketRecord): boolean {
  return r.dispatch.reassignments.length > 0;
}

export function dayIn(timeZone: string, iso: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

export function computeKpi(
  records: Iterable<HotlineTicketRecord>,
  options: { timeZone: string; asOf: string; from?: string; to?: string; suggestAfter?: number },
): HotlineKpi {
  const from = options.from ? Date.parse(options.from) : -Infinity;
  const to = options.to ? Date.parse(options.to) : Infinity;
  const overall = empty();
  const byDay = new Map<string, Figures>();
  const byCategory = new Map<string, Figures>();
  const byDepartment = new Map<string, Figures>();
  const byCell = new Map<string, Figures>();
  const misroutes = new Map<
    string,
    { category: string; district: string | null; departmentId: string; n: number }
  >();
  const into = (m: Map<string, Figures>, key: string, r: HotlineTicketRecord): void => {
    let f = m.get(key);
    if (!f) m.set(key, (f = empty()));
    add(f, r);
  };
  for (const r of records) {
    const t = Date.parse(r.createdAt);
    if (t < from || t >= to) continue;
    add(overall, r);
    into(byDay, dayIn(options.timeZone, r.createdAt), r);
    into(byCategory, r.dispatch.chosen.category, r);
    const first = r.dispatch.chosen.departmentIds[0];
    if (first) into(byDepartment, first, r);
    if (r.cellId) into(byCell, r.cellId, r);
    const targets = new Set(r.dispatch.reassignments.map((x) => x.to));
    for (const departmentId of targets) {
      if (r.dispatch.chosen.departmentIds.includes(departmentId)) continue;
      const key = [r.dispatch.chosen.category, r.district ?? '', departmentId].join('|');
      const m = misroutes.get(key) ?? {
        category: r.dispatch.chosen.category,
        district: r.district,
        departmentId,
        n: 0,
      };
      m.n += 1;
      misroutes.set(key, m);
    }
  }
  const list = <K extends string>(m: Map<string, Figures>, key: K): ({ [P in K]: string } & Figures)[] =>
    [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, f]) => ({ [key]: k, ...done(f) }) as { [P in K]: string } & Figures);
  const min = options.suggestAfter ?? MATRIX_SUGGESTION_MIN;
  return {
    asOf: options.asOf,
    overall: done(overall),
    byDay: list(byDay, 'day'),
    byCategory: list(byCategory, 'category'),
    byDepartment: list(byDepartment, 'departmentId'),
    byCell: list(byCell, 'cellId'),
    matrixSuggestions: [...misroutes.values()]
      .filter((m) => m.n >= min)
      .sort((a, b) => b.n - a.n)
      .map((m) => ({
        category: m.category,
        district: m.district,
        departmentId: m.departmentId,
        misroutes: m.n,
      })),
  };
}
