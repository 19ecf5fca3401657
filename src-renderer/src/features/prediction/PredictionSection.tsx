import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePredict } from '../../stores/predict/use-predict';
import { healthColor } from '../heatmap/health-scale';
import { RiskSparkline } from './RiskSparkline';
import { formatHours, formatPercent, probabilityRows, riskLevel } from './prediction-format';
import './prediction.css';

/**
 * The device drawer's prediction: health from the model, the probabilities per horizon, the 24 h
 * probability's history as a sparkline, and whether the device was scored, is on rules only, has
 * too little history or went silent.
 */
export function PredictionSection({ sn }: { sn: string }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const slot = usePredict((s) => s.device);
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  const modeNames = useModeNames();

  useEffect(() => {
    predict.getState().showDevice(sn);
    return () => predict.getState().showDevice(null);
  }, [predict, sn]);

  const data = slot.key === sn ? slot.data : null;
  const h24 = useMemo(() => (data ? data.history.map((p) => p.h24) : []), [data]);
  const topMode = useMemo(() => {
    const modes = Object.entries(data?.latest?.modes ?? {});
    return modes.sort((a, b) => b[1] - a[1])[0] ?? null;
  }, [data]);

  return (
    <section className="dd-section pp-device" data-testid="prediction-section" data-state={data?.state ?? ''}>
      <h3 className="dd-section-title">
        {t('predict.device.title')}
        {data && (
          <span
            className={`pp-dstate pp-dstate-${data.state}`}
            data-testid="prediction-device-state"
            title={t(`predict.device.stateHint.${data.state}`)}
          >
            {t(`predict.device.state.${data.state}`)}
          </span>
        )}
      </h3>
      {slot.loading && !data && <Spinner label={t('predict.device.loading')} />}
      {slot.error && slot.key === sn && (
        <ErrorBanner
          error={slot.error}
          onRetry={() => {
            predict.getState().showDevice(null);
            predict.getState().showDevice(sn);
          }}
          testId="prediction-device-error"
        />
      )}
      {data && (
        <>
          <p className="muted small">{t(`predict.device.stateHint.${data.state}`)}</p>
          {data.latest ? (
            <div className="pp-device-score">
              <span
                className="pp-device-health"
                data-testid="prediction-device-health"
                style={{ background: healthColor(data.latest.health) }}
              >
                {t('predict.device.health', { value: Math.round(data.latest.health) })}
              </span>
              <span className="pp-device-probs">
                {probabilityRows(data.latest.probabilities).map(({ horizon, value }) => (
                  <span key={horizon} className={`chip small risk-chip risk-${riskLevel(value)}`}>
                    {t(`predict.horizonShort.${horizon}`)} {formatPercent(value)}
                  </span>
                ))}
              </span>
              {data.latest.ttfHours !== null && (
                <span className="muted small">
                  {t('predict.device.ttf', { hours: formatHours(data.latest.ttfHours) })}
                </span>
              )}
              {topMode && (
                <span className="muted small">
                  {t('predict.device.topMode', {
                    mode: modeNames(topMode[0]) ?? topMode[0],
                    value: formatPercent(topMode[1]),
                  })}
                </span>
              )}
              {data.modelId && (
                <span className="muted small mono">
                  {t('predict.device.model', { id: data.modelId, version: data.modelVersion ?? '—' })} ·{' '}
                  {formatDateTime(data.latest.observedAt, timeZone)}
                </span>
              )}
            </div>
          ) : (
            <p className="muted">{t('predict.device.noScore')}</p>
          )}
          <div className="pp-label">{t('predict.device.p24History')}</div>
          {h24.length > 0 ? (
            <RiskSparkline values={h24} testId="prediction-sparkline" />
          ) : (
            <p className="muted small">{t('predict.device.noHistory')}</p>
          )}
        </>
      )}
    </section>
  );
}

/** Failure-mode names from the preventive type's `failureMode` field options (the configuration's words). */
function useModeNames(): (id: string) => string | null {
  const loc = useLocalize();
  const config = useConfig((s) => s.config);
  return useMemo(() => {
    const field = config?.types
      .find((x) => x.id === 'preventive-maintenance')
      ?.fields.find((f) => f.key === 'failureMode');
    const options = field && 'options' in field ? (field.options ?? []) : [];
    const names = new Map(options.map((o) => [o.value, loc(o.label)]));
    return (id: string) => names.get(id) ?? null;
  }, [config, loc]);
}
