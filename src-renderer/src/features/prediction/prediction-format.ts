import type { FailureProbabilities, Horizon, Ticket, TicketSummary } from '@shared/contract';

export const PREVENTIVE_TYPE = 'preventive-maintenance';

/** Tickets that carry a prediction: the preventive type, or anything the predictive policy opened. */
export function isPreventiveTicket(ticket: Pick<Ticket | TicketSummary, 'typeId' | 'source'>): boolean {
  return ticket.typeId === PREVENTIVE_TYPE || ticket.source === 'predictive';
}

/** `62%`; below 10 % one decimal (`4.5%`) so a small risk does not read as zero; `—` when unknown. */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const v = p * 100;
  if (v > 0 && v < 10) return `${v.toFixed(1)}%`;
  return `${Math.round(v)}%`;
}

/** Hours with one decimal below 10 (`6.5`), whole above (`36`); `—` when unknown. */
export function formatHours(h: number | null | undefined): string {
  if (h === null || h === undefined || !Number.isFinite(h)) return '—';
  return Math.abs(h) < 10 ? h.toFixed(1) : String(Math.round(h));
}

/** A measured value with as many decimals as its size needs (`0.042`, `3.6`, `412`). */
export function formatMeasure(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100) return String(Math.round(v));
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/** A score 0…1 as two decimals (`0.73`). */
export function formatScore(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(2);
}

/** A signed z-score (`+2.4`, `−1.1`). */
export function formatZ(z: number): string {
  if (!Number.isFinite(z)) return '—';
  const s = Math.abs(z).toFixed(1);
  return z < 0 ? `−${s}` : `+${s}`;
}

export const HORIZONS: readonly Horizon[] = ['h4', 'h8', 'h24'];

/** The level a probability reads as, for colour: the same cut points on every horizon. */
export function riskLevel(p: number | null | undefined): 'low' | 'watch' | 'high' {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'low';
  if (p >= 0.6) return 'high';
  if (p >= 0.3) return 'watch';
  return 'low';
}

/** Probabilities ordered by horizon, for the bars. */
export function probabilityRows(p: FailureProbabilities): { horizon: Horizon; value: number }[] {
  return HORIZONS.map((h) => ({ horizon: h, value: p[h] }));
}

/** Hours from `from` to `to` (ISO), or null when either is missing or unreadable. */
export function hoursBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return (b - a) / 3_600_000;
}
