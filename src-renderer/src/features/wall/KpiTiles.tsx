import { useTranslation } from 'react-i18next';
import type { TicketStatsResult } from '@shared/contract';
import { useWall } from '../../app/stores-context';

type Tone = 'info' | 'p1' | 'p2' | 'danger' | 'warn' | 'neutral' | 'ok';

interface Kpi {
  id: 'open' | 'openP1' | 'openP2' | 'breached' | 'dueWithinHour' | 'createdToday' | 'resolvedToday';
  tone: Tone;
  value: (s: TicketStatsResult) => number;
  /** Only draw attention (tone colour) when the value is above zero. */
  alertWhenPositive?: boolean;
}

/** The tiles in display order; add a tile here and a label under `wall.kpi`. */
export const KPIS: readonly Kpi[] = [
  { id: 'open', tone: 'info', value: (s) => s.open },
  { id: 'openP1', tone: 'p1', value: (s) => s.openByPriority.P1, alertWhenPositive: true },
  { id: 'openP2', tone: 'p2', value: (s) => s.openByPriority.P2, alertWhenPositive: true },
  { id: 'breached', tone: 'danger', value: (s) => s.breached, alertWhenPositive: true },
  { id: 'dueWithinHour', tone: 'warn', value: (s) => s.dueWithinHour, alertWhenPositive: true },
  { id: 'createdToday', tone: 'neutral', value: (s) => s.createdToday },
  { id: 'resolvedToday', tone: 'ok', value: (s) => s.resolvedToday },
];

export function KpiTiles() {
  const { t } = useTranslation();
  const stats = useWall((s) => s.stats);
  const error = useWall((s) => s.error);
  return (
    <section className="kpi-row" aria-label={t('wall.kpiTitle')}>
      {KPIS.map((k) => {
        const value = stats ? k.value(stats) : null;
        const alert = value !== null && (!k.alertWhenPositive || value > 0);
        return (
          <div
            key={k.id}
            className={`kpi tone-${k.tone}${alert ? ' alert' : ''}`}
            data-testid="wall-tile"
            data-kpi={k.id}
            data-value={value ?? ''}
          >
            <div className="kpi-label">{t(`wall.kpi.${k.id}`)}</div>
            <div
              className={`kpi-value${value !== null && value >= 100_000 ? ' long' : value !== null && value >= 10_000 ? ' longish' : ''}`}
              data-testid="wall-tile-value"
            >
              {value === null ? (error ? '!' : '…') : value.toLocaleString()}
            </div>
          </div>
        );
      })}
    </section>
  );
}
