import { useTranslation } from 'react-i18next';
import type { MetricDef } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import {
  NO_DATA_COLOR,
  OFFLINE_COLOR,
  formatValue,
  hasThresholds,
  scoreColor,
  seqColor,
} from './health-scale';

const SCORE_GRADIENT = `linear-gradient(90deg, ${Array.from({ length: 101 }, (_, x) => `${scoreColor(x)} ${x}%`).join(', ')})`;
/** Round thresholds as written in the configuration (50, 6, 2.5), others as the views format them. */
const tick = (v: number): string => (Number.isInteger(v) ? String(v) : formatValue(v));

const SEQ_GRADIENT = `linear-gradient(90deg, ${seqColor(0)}, ${seqColor(0.5)}, ${seqColor(1)})`;

/** Ticks under the score bar: alarm ≤ 40, watch 41–79, normal ≥ 80 (health-scale.ts). */
function ScoreBar({ ticks, testId }: { ticks: [string, string, string, string]; testId?: string }) {
  return (
    <div className="hm-legend-bar" data-testid={testId}>
      <span className="hm-legend-gradient" style={{ background: SCORE_GRADIENT }} />
      <span className="hm-legend-ticks">
        <span style={{ left: '0%' }}>{ticks[0]}</span>
        <span style={{ left: '40%' }}>{ticks[1]}</span>
        <span style={{ left: '80%' }}>{ticks[2]}</span>
        <span style={{ left: '100%' }}>{ticks[3]}</span>
      </span>
    </div>
  );
}

export function HeatmapLegend({
  mode,
  def,
}: {
  mode: 'health' | 'metric' | 'siteMetric';
  def: MetricDef | null;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  let title: string;
  let bar;
  if (mode === 'metric' && def && hasThresholds(def)) {
    const worst = def.higherIsWorse ? def.max : def.min;
    const best = def.higherIsWorse ? def.min : def.max;
    title = `${loc(def.label)} · ${t('heatmap.legend.score', { warn: def.warn, alarm: def.alarm, unit: def.unit })}`;
    bar = (
      <ScoreBar
        ticks={[tick(worst), tick(def.alarm!), tick(def.warn!), tick(best)]}
        testId="heatmap-legend-score"
      />
    );
  } else if (mode === 'metric' && def) {
    title = `${loc(def.label)} · ${t('heatmap.legend.range', { min: def.min, max: def.max, unit: def.unit })}`;
    bar = (
      <div className="hm-legend-bar" data-testid="heatmap-legend-seq">
        <span className="hm-legend-gradient" style={{ background: SEQ_GRADIENT }} />
        <span className="hm-legend-ticks">
          <span style={{ left: '0%' }}>{tick(def.min)}</span>
          <span style={{ left: '100%' }}>{tick(def.max)}</span>
        </span>
      </div>
    );
  } else {
    title = t('heatmap.legend.health');
    bar = <ScoreBar ticks={['0', '40', '80', '100']} testId="heatmap-legend-score" />;
  }
  return (
    <div className="hm-legend" data-testid="heatmap-legend" aria-label={title}>
      <span className="hm-legend-title">{title}</span>
      <span className="hm-legend-end muted">{t('heatmap.legend.worse')}</span>
      {bar}
      <span className="hm-legend-end muted">{t('heatmap.legend.better')}</span>
      {mode === 'siteMetric' && (
        <span className="hm-legend-seq" title={t('heatmap.legend.seq')}>
          <span className="hm-legend-gradient small" style={{ background: SEQ_GRADIENT }} />
          <span className="muted">{t('heatmap.legend.seq')}</span>
        </span>
      )}
      <span className="hm-legend-swatch">
        <span className="hm-sw" style={{ background: OFFLINE_COLOR }} />
        {t('telemetry.health.offline')}
      </span>
      <span className="hm-legend-swatch">
        <span className="hm-sw hm-sw-nodata" style={{ background: NO_DATA_COLOR }} />
        {t('telemetry.health.noData')}
      </span>
    </div>
  );
}
