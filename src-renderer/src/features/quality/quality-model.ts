import type { QualityFigures, QualityReport } from '@shared/contract';

export type QualityItem = QualityReport['items'][number];
export type Verdict = QualityItem['verdict'];
export const VERDICTS: readonly Verdict[] = ['true-positive', 'false-positive', 'pending', 'missed'];

/**
 * Lead hours in bins of `binHours` from 0 up to the largest lead (at least `minBins` bins, so a
 * handful of values still draws as a distribution and not a single bar).
 */
export function leadHistogram(
  leadHours: readonly number[],
  binHours = 2,
  minBins = 12,
): { labels: string[]; counts: number[]; from: number[] } {
  const valid = leadHours.filter((h) => Number.isFinite(h) && h >= 0);
  const max = valid.reduce((m, h) => Math.max(m, h), 0);
  const bins = Math.max(minBins, Math.floor(max / binHours) + 1);
  const counts = new Array<number>(bins).fill(0);
  for (const h of valid) counts[Math.min(bins - 1, Math.floor(h / binHours))]! += 1;
  const from = counts.map((_, i) => i * binHours);
  const labels = from.map((f) => `${f}–${f + binHours}`);
  return { labels, counts, from };
}

/** Decided predictions: those that came true or were false alarms (pending ones are not judged yet). */
export function decided(f: QualityFigures): number {
  return f.truePositives + f.falsePositives;
}

export function countByVerdict(items: readonly QualityItem[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { 'true-positive': 0, 'false-positive': 0, pending: 0, missed: 0 };
  for (const it of items) out[it.verdict] += 1;
  return out;
}

/** Items of one verdict (or all), newest first by the time that matters for the item. */
export function drillItems(items: readonly QualityItem[], verdict: Verdict | null): QualityItem[] {
  const when = (it: QualityItem): number => Date.parse(it.observedAt ?? it.failureAt ?? '') || 0;
  return items.filter((it) => verdict === null || it.verdict === verdict).sort((a, b) => when(b) - when(a));
}

/** Model versions and device kinds the report knows, for the filters (the current choice kept). */
export function filterOptions(
  report: QualityReport | null,
  configKinds: readonly string[],
  current: { deviceKind: string; modelVersion: string },
): { kinds: string[]; versions: string[] } {
  const kinds = new Set(configKinds);
  const versions = new Set<string>();
  for (const k of report?.byKind ?? []) kinds.add(k.deviceKind);
  for (const m of report?.byModel ?? []) versions.add(m.modelVersion);
  for (const it of report?.items ?? []) if (it.modelVersion) versions.add(it.modelVersion);
  if (current.deviceKind) kinds.add(current.deviceKind);
  if (current.modelVersion) versions.add(current.modelVersion);
  return { kinds: [...kinds].sort(), versions: [...versions].sort() };
}
