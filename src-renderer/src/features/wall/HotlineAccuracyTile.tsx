import './hotline-tile.css';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../app/format';
import { useConfig, useStores } from '../../app/stores-context';
import { useNow } from '../../app/use-now';
import { useHotline } from '../../stores/hotline/use-hotline';
import { dayFigures } from '../../stores/hotline/triage-model';

/** Today's first-dispatch accuracy of the hotline, on the wall's header (refreshed on dispatch pushes). */
export function HotlineAccuracyTile() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const kpi = useHotline((s) => s.kpi.data);
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  const now = useNow(60_000);
  useEffect(() => {
    hotline.getState().watchKpi(true);
    return () => hotline.getState().watchKpi(false);
  }, [hotline]);
  const today = dayFigures(kpi, formatDate(now, timeZone));
  const accuracy = today?.accuracy ?? null;
  const tone = accuracy === null ? '' : accuracy >= 0.9 ? 'ok' : accuracy >= 0.8 ? 'warn' : 'bad';
  return (
    <div
      className={`wall-hotline ${tone}`}
      data-testid="wall-hotline-accuracy"
      data-value={accuracy ?? ''}
      data-tickets={today?.tickets ?? 0}
    >
      <div className="wall-hotline-label">{t('hotline.wall.tile')}</div>
      <div className="wall-hotline-value">
        {accuracy === null ? t('hotline.wall.none') : `${(accuracy * 100).toFixed(1)}%`}
      </div>
      {today && today.tickets > 0 && (
        <div className="wall-hotline-sub">
          {t('hotline.wall.tileSub', { right: today.firstTimeRight, total: today.tickets })}
        </div>
      )}
    </div>
  );
}
