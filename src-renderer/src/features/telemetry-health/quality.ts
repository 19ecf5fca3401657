import { QuarantineReason, type QuarantineSample, type TelemetryStats } from '@shared/contract';

export interface ReasonRow {
  reason: QuarantineReason;
  count: number;
  /** Samples of this reason among the recent ones kept for display. */
  samples: number;
}

/**
 * Every refusal reason with its count: those that happened first, then the rest, each group in the
 * contract's order, so the list does not reshuffle every refresh while counts grow.
 */
export function reasonRows(stats: TelemetryStats | null, samples: readonly QuarantineSample[]): ReasonRow[] {
  const bySample = new Map<QuarantineReason, number>();
  for (const s of samples) bySample.set(s.reason, (bySample.get(s.reason) ?? 0) + 1);
  const rows = QuarantineReason.options.map((reason, order) => ({
    reason,
    count: stats?.refused[reason] ?? 0,
    samples: bySample.get(reason) ?? 0,
    order,
  }));
  rows.sort((a, b) => (a.count > 0 === b.count > 0 ? a.order - b.order : a.count > 0 ? -1 : 1));
  return rows.map(({ reason, count, samples: n }) => ({ reason, count, samples: n }));
}
