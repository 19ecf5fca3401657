import { useTranslation } from 'react-i18next';
import type { PredictStatus } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { AppError } from '../../stores/errors';
import { useKindName } from './use-kind-name';

/** Every model with its state and error text, the kinds on rules only, and the cycle counters. */
export function ModelStatusPanel({
  status,
  error,
  timeZone,
  onRetry,
}: {
  status: PredictStatus | null;
  error: AppError | null;
  timeZone: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const kindName = useKindName();
  return (
    <section className="q-panel" data-testid="model-status-panel">
      <h3 className="q-panel-title">{t('predict.status.title')}</h3>
      {error && !status && (
        <>
          <p className="error-text">{t('predict.status.unavailable')}</p>
          <ErrorBanner error={error} onRetry={onRetry} testId="model-status-error" />
        </>
      )}
      {status && (
        <>
          <div className="q-status-line muted small">
            {t('predict.status.cycles', { count: status.cycles })}
            {status.telemetryTime && (
              <>
                {' '}
                · {t('predict.status.telemetryTime', { at: formatDateTime(status.telemetryTime, timeZone) })}
              </>
            )}
            {' · '}
            {t('predict.status.openPreventive', { count: status.openPreventive })}
          </div>
          {status.models.length === 0 ? (
            <p className="notice" data-testid="model-status-none">
              <span>{t('predict.status.noModels')}</span>
            </p>
          ) : (
            <ul className="card-list">
              {status.models.map((m) => (
                <li
                  key={`${m.id}-${m.deviceKind}`}
                  className={`card-item q-model state-${m.state}`}
                  data-testid="model-status"
                  data-model={m.id}
                  data-state={m.state}
                >
                  <div className="q-model-head">
                    <span className={`q-dot state-${m.state}`} aria-hidden="true" />
                    <strong className="mono">
                      {m.id}
                      {m.version ? ` v${m.version}` : ''}
                    </strong>
                    <span className="muted small">{kindName(m.deviceKind)}</span>
                    <span className="spacer" />
                    <span className={`q-state state-${m.state}`}>{t(`predict.modelState.${m.state}`)}</span>
                  </div>
                  {m.error && (
                    <div className="q-model-error" data-testid="model-status-text">
                      {t('predict.status.error')}: {m.error}
                    </div>
                  )}
                  <dl className="q-model-facts">
                    <dt>{t('predict.status.scoredBy')}</dt>
                    <dd>{m.scoredBy ? t(`predict.scoredBy.${m.scoredBy}`) : '—'}</dd>
                    <dt>{t('predict.status.lastCycle')}</dt>
                    <dd>
                      {m.lastCycleAt ? formatDateTime(m.lastCycleAt, timeZone, { seconds: true }) : '—'}
                      {m.lastCycleMs !== null && (
                        <span className="muted">
                          {' '}
                          · {t('predict.status.cycleMs', { ms: Math.round(m.lastCycleMs) })}
                        </span>
                      )}
                    </dd>
                    <dt>{t('predict.status.scored')}</dt>
                    <dd className="mono">{m.scored}</dd>
                    <dt>{t('predict.status.insufficient')}</dt>
                    <dd className="mono">{m.insufficient}</dd>
                    <dt>{t('predict.status.silent')}</dt>
                    <dd className="mono">{m.silent}</dd>
                    <dt>{t('predict.status.refused')}</dt>
                    <dd className={`mono${m.refused > 0 ? ' warn-text' : ''}`}>{m.refused}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          )}
          <div className="q-rules" data-testid="rules-only-kinds">
            {status.rulesOnlyKinds.length === 0 ? (
              <span className="muted small">{t('predict.status.rulesOnlyNone')}</span>
            ) : (
              <>
                <span className="muted small">{t('predict.status.rulesOnlyTitle')}</span>
                {status.rulesOnlyKinds.map((k) => (
                  <span key={k} className="chip small warn-chip" data-kind={k}>
                    {kindName(k)}
                  </span>
                ))}
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
