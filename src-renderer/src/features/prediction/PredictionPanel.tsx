import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ConfigDocument,
  DispatchCandidate,
  DispatchDecision,
  FeatureEvidence,
  Hypothesis,
  PredictionRecord,
  Ticket,
} from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePredict } from '../../stores/predict/use-predict';
import { OutcomeDialog } from './OutcomeDialog';
import { OverrideDialog } from './OverrideDialog';
import {
  formatHours,
  formatMeasure,
  formatPercent,
  formatScore,
  formatZ,
  hoursBetween,
  probabilityRows,
  riskLevel,
} from './prediction-format';
import { useReasonText } from './use-reason-text';
import './prediction.css';

/**
 * The prediction behind a preventive ticket, in the board's drawer: model, probabilities, predicted
 * failure time, the drivers, ranked root-cause hypotheses, SOP, parts, the chosen engineer and why,
 * risk updates, weather, and the outcome (with the "close with outcome" dialog).
 */
export function PredictionPanel({ ticket, config }: { ticket: Ticket; config: ConfigDocument }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const slot = usePredict((s) => s.ticket);
  const outcomeFor = usePredict((s) => s.outcomeFor);
  const [overriding, setOverriding] = useState(false);

  useEffect(() => {
    predict.getState().showTicket(ticket.id);
  }, [predict, ticket.id]);
  useEffect(() => () => predict.getState().showTicket(null), [predict]);

  const record = slot.key === ticket.id ? slot.data : null;
  const tz = config.timezone;
  const closed = ticketIsDone(config, ticket);

  return (
    <section className="drawer-section pp" data-testid="prediction-panel" data-state={record?.state ?? ''}>
      <h3 className="section-title">
        {t('predict.panel.title')}
        {record && (
          <span className={`pp-state pp-state-${record.state}`} data-testid="prediction-state">
            {t(`predict.panel.state.${record.state}`)}
          </span>
        )}
        <span className="spacer" />
        {record && !record.outcome && !closed && (
          <button
            type="button"
            className="button small primary"
            data-testid="close-with-outcome"
            title={t('predict.panel.closeWithOutcomeTitle')}
            onClick={() => predict.getState().openOutcome(ticket.id)}
          >
            {t('predict.panel.closeWithOutcome')}
          </button>
        )}
      </h3>
      {slot.loading && !record && <Spinner label={t('predict.panel.loading')} />}
      {slot.error && slot.key === ticket.id && (
        <ErrorBanner
          error={slot.error}
          onRetry={() => {
            predict.getState().showTicket(null);
            predict.getState().showTicket(ticket.id);
          }}
          testId="prediction-error"
        />
      )}
      {!slot.loading && !slot.error && slot.key === ticket.id && !record && (
        <p className="muted" data-testid="prediction-none">
          {t('predict.panel.notFound')}
        </p>
      )}
      {record && (
        <RecordView record={record} timeZone={tz} onOverride={() => setOverriding(true)} closed={closed} />
      )}
      {outcomeFor === ticket.id && (
        <OutcomeDialog ticket={ticket} onClose={() => predict.getState().closeOutcome()} />
      )}
      {overriding && record && (
        <OverrideDialog
          ticket={ticket}
          record={record}
          config={config}
          onClose={() => setOverriding(false)}
        />
      )}
    </section>
  );
}

/** Resolved or closed by its workflow: the outcome can no longer be recorded from the drawer. */
function ticketIsDone(config: ConfigDocument, ticket: Ticket): boolean {
  const type = config.types.find((x) => x.id === ticket.typeId);
  const wf = config.workflows.find((w) => w.id === type?.workflowId);
  const cat = wf?.states.find((s) => s.id === ticket.status)?.category;
  return cat === 'resolved' || cat === 'closed';
}

function Block({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="pp-block" data-testid={testId}>
      <h4 className="pp-block-title">{title}</h4>
      {children}
    </div>
  );
}

function RecordView({
  record,
  timeZone,
  onOverride,
  closed,
}: {
  record: PredictionRecord;
  timeZone: string;
  onOverride: () => void;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const time = (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : '—');
  const ttf = hoursBetween(record.observedAt, record.predictedFailureAt) ?? record.ttfHours;
  return (
    <div className="pp-body">
      <div className="pp-meta">
        <span className="chip small mono" data-testid="prediction-model">
          {t('predict.panel.model', { id: record.modelId, version: record.modelVersion })}
        </span>
        <span className="muted small">
          {t('predict.panel.observed', { at: time(record.observedAt), first: time(record.firstObservedAt) })}
        </span>
      </div>

      <div className="pp-risk">
        <div className="pp-probs" data-testid="prediction-probabilities">
          <div className="pp-label">{t('predict.panel.probabilities')}</div>
          {probabilityRows(record.probabilities).map(({ horizon, value }) => (
            <div
              key={horizon}
              className={`pp-prob${horizon === record.horizon ? ' is-horizon' : ''}`}
              data-horizon={horizon}
            >
              <span className="pp-prob-label">
                {t('predict.panel.within', { horizon: t(`predict.horizon.${horizon}`) })}
              </span>
              <span className="pp-bar">
                <span
                  className={`pp-bar-fill risk-${riskLevel(value)}`}
                  style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }}
                />
              </span>
              <span className="pp-prob-value mono">{formatPercent(value)}</span>
            </div>
          ))}
        </div>
        <dl className="props pp-props">
          <dt>{t('predict.panel.predictedFailure')}</dt>
          <dd data-testid="prediction-failure-at">
            {record.predictedFailureAt ? (
              <>
                <span className="mono">{time(record.predictedFailureAt)}</span>
                {ttf !== null && (
                  <div className="muted small">{t('predict.panel.inHours', { hours: formatHours(ttf) })}</div>
                )}
              </>
            ) : (
              <span className="muted">{t('predict.panel.noFailureTime')}</span>
            )}
          </dd>
          <dt>{t('predict.panel.horizon')}</dt>
          <dd>{t('predict.panel.horizonValue', { horizon: t(`predict.horizon.${record.horizon}`) })}</dd>
        </dl>
      </div>

      <Block title={t('predict.panel.drivers')} testId="prediction-drivers">
        {record.drivers.length === 0 ? (
          <p className="muted">{t('predict.panel.noDrivers')}</p>
        ) : (
          <ul className="pp-evidence">
            {record.drivers.map((d) => (
              <EvidenceItem key={`${d.feature}-${d.pattern}`} evidence={d} />
            ))}
          </ul>
        )}
      </Block>

      <Block title={t('predict.panel.hypotheses')} testId="prediction-hypotheses">
        {record.hypotheses.length === 0 ? (
          <p className="muted">{t('predict.panel.noHypotheses')}</p>
        ) : (
          <ol className="card-list">
            {record.hypotheses.map((h, i) => (
              <HypothesisItem key={h.modeId} hypothesis={h} rank={i + 1} />
            ))}
          </ol>
        )}
      </Block>

      <DispatchView dispatch={record.dispatch} timeZone={timeZone} onOverride={onOverride} closed={closed} />

      <Block title={t('predict.panel.updates')} testId="prediction-updates">
        {record.updates.length === 0 ? (
          <p className="muted">{t('predict.panel.noUpdates')}</p>
        ) : (
          <ul className="pp-updates">
            {record.updates.map((u) => (
              <li key={u.observedAt}>
                <span className="mono muted">{time(u.observedAt)}</span>{' '}
                <span className={`risk-text risk-${riskLevel(u.h24)}`}>
                  {t('predict.panel.updateLine', { h24: formatPercent(u.h24), priority: u.priority })}
                </span>
                {u.note && <span className="muted"> · {u.note}</span>}
              </li>
            ))}
          </ul>
        )}
      </Block>

      <Block title={t('predict.panel.weather')} testId="prediction-weather">
        <WeatherView weather={record.weather} timeZone={timeZone} />
      </Block>

      <Block title={t('predict.panel.outcome')} testId="prediction-outcome">
        {record.outcome ? (
          <p data-testid="prediction-outcome-value" data-outcome={record.outcome}>
            <span className={`pp-outcome pp-outcome-${record.outcome}`}>
              {t(`predict.outcome.${record.outcome}`)}
            </span>
            {record.outcomeNote && <span className="pp-outcome-note"> {record.outcomeNote}</span>}
          </p>
        ) : (
          <p className="muted">{t('predict.panel.outcomeNone')}</p>
        )}
        {record.failure && (
          <p className="pp-failure" data-testid="prediction-failure-matched">
            {t('predict.panel.failureMatched', {
              at: time(record.failure.at),
              source: t(`predict.panel.failureSource.${record.failure.source}`),
            })}
          </p>
        )}
      </Block>
    </div>
  );
}

function EvidenceItem({ evidence }: { evidence: FeatureEvidence }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  return (
    <li className="pp-ev" data-feature={evidence.feature}>
      <span className="pp-ev-label">{loc(evidence.label)}</span>
      <span className={`pp-ev-pattern pat-${evidence.pattern}`}>
        {t(`predict.evidence.pattern.${evidence.pattern}`)}
      </span>
      <span className="mono small">
        {t('predict.evidence.change', {
          from: formatMeasure(evidence.from),
          to: formatMeasure(evidence.to),
          unit: evidence.unit,
        })}
      </span>
      <span className="muted small">{t('predict.evidence.z', { z: formatZ(evidence.z) })}</span>
    </li>
  );
}

function HypothesisItem({ hypothesis: h, rank }: { hypothesis: Hypothesis; rank: number }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  return (
    <li
      className="card-item pp-hyp"
      data-testid="prediction-hypothesis"
      data-mode={h.modeId}
      data-rank={rank}
    >
      <div className="pp-hyp-head">
        <span className="pp-rank">{rank}</span>
        <strong className="pp-hyp-mode">{loc(h.mode)}</strong>
        <span className="pp-hyp-bar" aria-hidden="true">
          <span style={{ width: `${h.score * 100}%` }} />
        </span>
        <span className="mono">{t('predict.panel.score', { value: formatPercent(h.score) })}</span>
        {h.modelProbability !== null && (
          <span className="muted small">
            {t('predict.panel.modelProbability', { value: formatPercent(h.modelProbability) })}
          </span>
        )}
      </div>
      <div className="pp-hyp-cause" data-testid="prediction-cause">
        {t('predict.panel.cause', { cause: loc(h.cause) })}
      </div>
      {h.symptoms.length > 0 && (
        <ul className="pp-evidence compact">
          {h.symptoms.map((s) => (
            <EvidenceItem key={`${s.feature}-${s.pattern}`} evidence={s} />
          ))}
        </ul>
      )}
      <div className="muted small" data-testid="prediction-history">
        {h.history.similarResolved > 0
          ? t('predict.panel.history', { similar: h.history.similarResolved, matching: h.history.matching })
          : t('predict.panel.historyNone')}
        {h.history.examples.length > 0 && (
          <> · {t('predict.panel.examples', { list: h.history.examples.join('、') })}</>
        )}
      </div>
    </li>
  );
}

function DispatchView({
  dispatch,
  timeZone,
  onOverride,
  closed,
}: {
  dispatch: DispatchDecision | null;
  timeZone: string;
  onOverride: () => void;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  if (!dispatch) {
    return (
      <Block title={t('predict.panel.dispatch')} testId="prediction-dispatch">
        <p className="muted">{t('predict.panel.noDispatch')}</p>
      </Block>
    );
  }
  const sop = dispatch.sop;
  return (
    <>
      <Block title={t('predict.panel.sop')} testId="prediction-sop">
        {sop ? (
          <>
            <div className="pp-sop-title" data-testid="prediction-sop-title">
              <strong>{loc(sop.title)}</strong>{' '}
              <span className="muted small">
                {t('predict.panel.sopMeta', {
                  minutes: sop.durationMinutes,
                  skills: sop.skills.join(', ') || '—',
                })}
              </span>
            </div>
            <ol className="pp-steps">
              {sop.steps.map((s, i) => (
                <li key={i}>{loc(s)}</li>
              ))}
            </ol>
          </>
        ) : (
          <p className="muted">{t('predict.panel.noSop')}</p>
        )}
      </Block>

      <Block title={t('predict.panel.parts')} testId="prediction-parts">
        {dispatch.parts.length === 0 ? (
          <p className="muted">{t('predict.panel.noParts')}</p>
        ) : (
          <ul className="card-list pp-parts">
            {dispatch.parts.map((p) => (
              <li
                key={p.sku}
                className={p.reserved ? 'reserved' : 'shortage'}
                data-testid="prediction-part"
                data-reserved={p.reserved}
              >
                <span className="mono">{p.sku}</span> <strong>{loc(p.name)}</strong>{' '}
                <span className="muted">{t('predict.panel.qty', { qty: p.qty })}</span>{' '}
                {p.reserved ? (
                  <span className="pp-tag ok">
                    {t('predict.panel.reservedAt', { depot: loc(p.depotName) || p.depotId || '—' })}
                  </span>
                ) : (
                  <span className="pp-tag bad">{t('predict.panel.shortage')}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Block>

      <Block title={t('predict.panel.dispatch')} testId="prediction-dispatch">
        {dispatch.override && (
          <div className="notice pp-override" data-testid="prediction-override">
            <span>
              {t('predict.panel.overridden', {
                name: dispatch.override.name,
                by: dispatch.override.by.name,
                at: formatDateTime(dispatch.override.at, timeZone),
              })}
              <br />
              {t('predict.panel.overrideReason', { reason: dispatch.override.reason })}
            </span>
          </div>
        )}
        {dispatch.chosen ? (
          <ChosenView chosen={dispatch.chosen} dispatch={dispatch} onOverride={onOverride} closed={closed} />
        ) : (
          <div className="pp-nocandidate" data-testid="prediction-no-candidate">
            <p className="error-text">
              {t('predict.panel.noCandidate', { reason: dispatch.noCandidate ?? '—' })}
            </p>
            {!closed && (
              <button type="button" className="button small" data-testid="override-open" onClick={onOverride}>
                {t('predict.panel.override')}
              </button>
            )}
          </div>
        )}
        <h5 className="pp-sub">{t('predict.panel.alternatives')}</h5>
        {dispatch.alternatives.length === 0 ? (
          <p className="muted">{t('predict.panel.noAlternatives')}</p>
        ) : (
          <table className="pp-table" data-testid="prediction-alternatives">
            <thead>
              <tr>
                <th>{t('predict.panel.candidate')}</th>
                <th className="num">{t('predict.panel.total')}</th>
                <th className="num">{t('predict.panel.component.arrival')}</th>
                <th className="num">{t('predict.panel.component.cost')}</th>
                <th className="num">{t('predict.panel.component.slaRisk')}</th>
                <th className="num">{t('predict.panel.component.customerPriority')}</th>
              </tr>
            </thead>
            <tbody>
              {dispatch.alternatives.map((a) => (
                <tr key={a.userId} data-testid="prediction-alternative" data-user={a.userId}>
                  <td>
                    {a.name}{' '}
                    {!a.onShift && <span className="pp-tag warn">{t('predict.panel.offShift')}</span>}
                    <div className="muted small">
                      {t('predict.panel.arrival', {
                        minutes: Math.round(a.arrivalMinutes),
                        km: formatMeasure(a.distanceKm),
                      })}
                    </div>
                  </td>
                  <td className="num mono strong">{formatScore(a.score)}</td>
                  <td className="num mono">{formatScore(a.components.arrival)}</td>
                  <td className="num mono">{formatScore(a.components.cost)}</td>
                  <td className="num mono">{formatScore(a.components.slaRisk)}</td>
                  <td className="num mono">{formatScore(a.components.customerPriority)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Block>
    </>
  );
}

const COMPONENTS = ['arrival', 'cost', 'slaRisk', 'customerPriority'] as const;

function ChosenView({
  chosen,
  dispatch,
  onOverride,
  closed,
}: {
  chosen: DispatchCandidate;
  dispatch: DispatchDecision;
  onOverride: () => void;
  closed: boolean;
}) {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  return (
    <div className="pp-chosen" data-testid="prediction-engineer" data-user={chosen.userId}>
      <div className="pp-chosen-head">
        <span className="pp-label">{t('predict.panel.chosen')}</span>
        <strong className="pp-chosen-name" data-testid="prediction-engineer-name">
          {chosen.name}
        </strong>
        <span className={`pp-tag ${chosen.onShift ? 'ok' : 'warn'}`}>
          {chosen.onShift ? t('predict.panel.onShift') : t('predict.panel.offShift')}
        </span>
        <span className="muted small">{t('predict.panel.load', { count: chosen.load })}</span>
        <span className="spacer" />
        {!closed && (
          <button type="button" className="button small" data-testid="override-open" onClick={onOverride}>
            {t('predict.panel.override')}
          </button>
        )}
      </div>
      <div className="muted small pp-facts">
        {t('predict.panel.arrival', {
          minutes: Math.round(chosen.arrivalMinutes),
          km: formatMeasure(chosen.distanceKm),
        })}
        {' · '}
        {t('predict.panel.cost', { yuan: Math.round(chosen.costYuan) })}
        {' · '}
        {t('predict.panel.slaRiskValue', { value: formatPercent(chosen.slaRisk) })}
      </div>
      <div className="pp-why" data-testid="prediction-why">
        <div className="pp-label">{t('predict.panel.why', { score: formatScore(chosen.score) })}</div>
        {COMPONENTS.map((c) => (
          <div key={c} className="pp-comp" data-component={c}>
            <span className="pp-comp-label">{t(`predict.panel.component.${c}`)}</span>
            <span className="pp-bar">
              <span
                className="pp-bar-fill comp"
                style={{ width: `${Math.max(0, Math.min(1, chosen.components[c])) * 100}%` }}
              />
            </span>
            <span className="mono small">{formatScore(chosen.components[c])}</span>
            <span className="muted small">×{formatScore(dispatch.weights[c])}</span>
          </div>
        ))}
        {chosen.reasons.length > 0 && (
          <div className="pp-reasons">
            {chosen.reasons.map((r) => (
              <span key={r} className="chip small">
                {reasonText(r)}
              </span>
            ))}
          </div>
        )}
      </div>
    </div>
  );
}

function WeatherView({ weather, timeZone }: { weather: PredictionRecord['weather']; timeZone: string }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  if (!weather) return <p className="muted">{t('predict.panel.noWeather')}</p>;
  return (
    <div>
      <div>
        <strong>{loc(weather.summary)}</strong>{' '}
        {t('predict.panel.weatherLine', {
          temp: formatMeasure(weather.maxTempC),
          cloud: formatPercent(weather.cloudCover > 1 ? weather.cloudCover / 100 : weather.cloudCover),
        })}
      </div>
      <div className="muted small">
        {t('predict.panel.weatherSource', {
          source: weather.source,
          at: formatDateTime(weather.fetchedAt, timeZone),
        })}
      </div>
    </div>
  );
}
