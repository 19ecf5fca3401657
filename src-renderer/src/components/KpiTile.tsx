import type { ReactNode } from 'react';
import './kpi-tile.css';

export type KpiTone = 'good' | 'warn' | 'bad' | '';

interface KpiTileProps {
  label: ReactNode;
  value: string;
  /** A line under the value (a hint, the count behind a share). */
  sub?: ReactNode;
  /** Colours the top edge and the value: met target, near it, missed it; '' for a plain count. */
  tone?: KpiTone;
  testId?: string;
  /** Extra `data-*` attributes, for tests and styling. */
  data?: Record<string, string>;
}

/** One headline figure of a KPI strip (quality, first-dispatch accuracy, classifier report). */
export function KpiTile({ label, value, sub, tone = '', testId, data }: KpiTileProps) {
  const attrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <div className={`kpi-tile${tone ? ` tone-${tone}` : ''}`} data-testid={testId} {...attrs}>
      <div className="kpi-tile-label">{label}</div>
      <div className="kpi-tile-value">{value}</div>
      {sub && <div className="kpi-tile-sub muted small">{sub}</div>}
    </div>
  );
}

/** The strip the tiles sit in: five equal columns, three on a narrow screen. */
export function KpiTiles({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="kpi-tiles" data-testid={testId}>
      {children}
    </div>
  );
}
