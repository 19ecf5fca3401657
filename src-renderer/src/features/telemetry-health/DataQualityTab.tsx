import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { QuarantineReason, type QuarantineSample } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useConfig } from '../../app/stores-context';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { telemetryStatsSelectors } from '../../stores/telemetry-stats/telemetry-stats-store';
import { useConnectors, useDeviceStores, useTelemetryStats } from '../devices/use-device-stores';
import { reasonRows } from './quality';
import './telemetry-health.css';

/**
 * Data quality: ingest counters (received, accepted, refused per reason, msg/s, devices by state),
 * pulled every 2 s while shown, and the recent quarantined samples with a reason filter.
 */
export function DataQualityTab() {
  const { t } = useTranslation();
  const { telemetryStats: store, connectors } = useDeviceStores();
  const stats = useTelemetryStats((s) => s.stats);
  const samples = useTelemetryStats((s) => s.samples);
  const reason = useTelemetryStats((s) => s.reason);
  const error = useTelemetryStats((s) => s.error);
  const updatedAt = useTelemetryStats((s) => s.updatedAt);
  const connectorList = useConnectors((s) => s.connectors);
  const tz = useConfig((s) => s.config?.timezone) ?? 'Asia/Shanghai';

  useEffect(() => store.getState().watch(), [store]);
  useEffect(() => connectors.getState().ensureLoaded(), [connectors]);

  const names = useMemo(() => new Map(connectorList.map((c) => [c.id, c.name])), [connectorList]);
  const shown = useMemo(() => telemetryStatsSelectors.filtered({ samples, reason }), [samples, reason]);
  const refused = telemetryStatsSelectors.refusedTotal(stats);
  const rows = reasonRows(stats, samples);

  const kpi = (key: string, label: string, value: string | number, tone = '') => (
    <div className={`dq-kpi ${tone}`} data-testid={`dq-${key}`} data-value={value}>
      <span className="dq-kpi-value">{typeof value === 'number' ? value.toLocaleString() : value}</span>
      <span className="dq-kpi-label">{label}</span>
    </div>
  );

  return (
    <div className="dq" data-testid="data-quality">
      {error && (
        <ErrorBanner error={error} onRetry={() => void store.getState().refresh()} testId="dq-error" />
      )}
      <div className="dq-kpis">
        {kpi('received', t('telemetry.quality.received'), stats?.received ?? 0)}
        {kpi('accepted', t('telemetry.quality.accepted'), stats?.accepted ?? 0, 'tone-ok')}
        {kpi('refused', t('telemetry.quality.refused'), refused, refused ? 'tone-danger' : '')}
        {kpi(
          'rate',
          t('telemetry.quality.rate'),
          stats ? stats.messagesPerSecond.toFixed(stats.messagesPerSecond < 10 ? 1 : 0) : '0',
        )}
        {kpi('online', t('telemetry.state.online'), stats?.devices.online ?? 0, 'tone-ok')}
        {kpi(
          'offline',
          t('telemetry.state.offline'),
          stats?.devices.offline ?? 0,
          stats?.devices.offline ? 'tone-warn' : '',
        )}
        {kpi('unknown', t('telemetry.state.unknown'), stats?.devices.unknown ?? 0)}
        <span className="dq-updated muted small" data-testid="dq-updated">
          {updatedAt
            ? t('telemetry.quality.updated', { at: formatDateTime(updatedAt, tz, { seconds: true }) })
            : t('common.loading')}
        </span>
      </div>

      <div className="dq-main">
        <section className="dq-reasons" aria-label={t('telemetry.quality.byReason')}>
          <h3 className="section-title">{t('telemetry.quality.byReason')}</h3>
          <ul>
            <li>
              <button
                type="button"
                className={`dq-reason${reason === null ? ' active' : ''}`}
                aria-pressed={reason === null}
                onClick={() => store.getState().setReason(null)}
              >
                <span>{t('telemetry.quality.allReasons')}</span>
                <span className="mono">{refused.toLocaleString()}</span>
              </button>
            </li>
            {rows.map((r) => (
              <li key={r.reason}>
                <button
                  type="button"
                  className={`dq-reason${reason === r.reason ? ' active' : ''}${r.count ? '' : ' zero'}`}
                  aria-pressed={reason === r.reason}
                  title={t(`telemetry.reasonHint.${r.reason}`)}
                  onClick={() => store.getState().setReason(reason === r.reason ? null : r.reason)}
                  data-testid="dq-reason"
                  data-reason={r.reason}
                  data-count={r.count}
                >
                  <span>{t(`telemetry.reason.${r.reason}`)}</span>
                  <span className="mono">{r.count.toLocaleString()}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section className="dq-samples" aria-label={t('telemetry.quality.samples')}>
          <div className="dq-samples-head">
            <h3 className="section-title">{t('telemetry.quality.samples')}</h3>
            <select
              className="input small"
              aria-label={t('telemetry.quality.reasonFilter')}
              value={reason ?? ''}
              onChange={(e) =>
                store.getState().setReason((e.target.value || null) as QuarantineReason | null)
              }
              data-testid="dq-reason-filter"
            >
              <option value="">{t('telemetry.quality.allReasons')}</option>
              {QuarantineReason.options.map((r) => (
                <option key={r} value={r}>
                  {t(`telemetry.reason.${r}`)}
                </option>
              ))}
            </select>
            <span className="muted small">{t('telemetry.quality.samplesNote')}</span>
          </div>
          {shown.length === 0 ? (
            <EmptyState
              title={
                samples.length === 0
                  ? t('telemetry.quality.noSamples')
                  : t('telemetry.quality.noSamplesOfReason')
              }
              hint={samples.length === 0 ? t('telemetry.quality.noSamplesHint') : undefined}
              testId="dq-empty"
            />
          ) : (
            <div className="dq-table-scroll">
              <table className="data-table dq-table" data-testid="dq-samples">
                <thead>
                  <tr>
                    <th>{t('telemetry.quality.col.at')}</th>
                    <th>{t('telemetry.quality.col.connector')}</th>
                    <th>{t('telemetry.quality.col.topic')}</th>
                    <th>{t('telemetry.quality.col.reason')}</th>
                    <th>{t('telemetry.quality.col.detail')}</th>
                    <th>{t('telemetry.quality.col.payload')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((s, i) => (
                    <SampleRow
                      key={`${s.at}-${i}`}
                      sample={s}
                      connector={names.get(s.connectorId) ?? s.connectorId}
                      tz={tz}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function SampleRow({
  sample: s,
  connector,
  tz,
}: {
  sample: QuarantineSample;
  connector: string;
  tz: string;
}) {
  const { t } = useTranslation();
  return (
    <tr data-testid="dq-sample" data-reason={s.reason}>
      <td className="mono nowrap">{formatDateTime(s.at, tz, { seconds: true })}</td>
      <td className="ellipsis">{connector}</td>
      <td className="mono ellipsis" title={s.topic}>
        {s.topic}
      </td>
      <td>
        <span className={`reason-chip reason-${s.reason}`}>{t(`telemetry.reason.${s.reason}`)}</span>
      </td>
      <td className="ellipsis" title={s.detail}>
        {s.detail}
      </td>
      <td className="mono payload" title={s.payload}>
        {s.payload.length > 160 ? `${s.payload.slice(0, 160)}…` : s.payload}
      </td>
    </tr>
  );
}
