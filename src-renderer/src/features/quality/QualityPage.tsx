import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QualityFigures } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePredict } from '../../stores/predict/use-predict';
import { navigateToBoard } from '../device-detail/DeviceDetailDrawer';
import { PredictConfigPanel } from '../predict-config/PredictConfigPanel';
import { formatHours, formatPercent } from '../prediction/prediction-format';
import { DrillTable } from './DrillTable';
import { ModelStatusPanel } from './ModelStatusPanel';
import { PolicyPanel } from './PolicyPanel';
import { DailyBars, LeadHistogram } from './QualityCharts';
import { decided, filterOptions } from './quality-model';
import { KpiTile, KpiTiles, type KpiTone } from '../../components/KpiTile';
import './quality.css';

/**
 * 预测质量: how well the predictions did — precision, recall, false alarms, preventive share, lead
 * times, daily results — per device kind and model version, with the items behind the figures, the
 * model status, and the policy thresholds tuned from here.
 */
export function QualityPage() {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { predict, detail, fleet } = useStores();
  const config = useConfig((s) => s.config);
  const timeZone = config?.timezone ?? 'Asia/Shanghai';
  const status = usePredict((s) => s.status);
  const statusError = usePredict((s) => s.statusError);
  const quality = usePredict((s) => s.quality);
  const filters = usePredict((s) => s.qualityFilters);
  const report = quality.data;
  const [leadText, setLeadText] = useState(String(filters.minLeadHours));
  const [tab, setTab] = useState<'quality' | 'config'>('quality');

  useEffect(() => {
    predict.getState().watchQuality(true);
    return () => predict.getState().watchQuality(false);
  }, [predict]);

  const kindNames = useMemo(
    () => new Map((config?.deviceKinds ?? []).map((k) => [k.id, loc(k.name)])),
    [config, loc],
  );
  const options = useMemo(
    () =>
      filterOptions(
        report,
        (config?.deviceKinds ?? []).map((k) => k.id),
        filters,
      ),
    [report, config, filters],
  );

  const commitLead = () => {
    const v = Number(leadText);
    if (leadText.trim() === '' || !Number.isFinite(v)) {
      setLeadText(String(filters.minLeadHours));
      return;
    }
    const clamped = Math.max(0, Math.min(168, v));
    setLeadText(String(clamped));
    if (clamped !== filters.minLeadHours) predict.getState().setQualityFilters({ minLeadHours: clamped });
  };

  const openTicket = (id: string) => {
    detail.getState().requestOpen(id);
    navigateToBoard();
  };

  return (
    <div
      className="quality-page"
      data-testid="quality-page"
      data-state={report ? 'ready' : quality.error ? 'error' : 'loading'}
    >
      <div className="toolbar q-toolbar">
        <div className="toolbar-row">
          <h1 className="q-title">
            {t(tab === 'config' ? 'predict.config.title' : 'predict.quality.title')}
          </h1>
          <div className="segmented" role="group" aria-label={t('predict.config.tabs')}>
            {(['quality', 'config'] as const).map((id) => (
              <button
                key={id}
                type="button"
                className={tab === id ? 'active' : ''}
                aria-pressed={tab === id}
                data-testid={`quality-tab-${id}`}
                onClick={() => setTab(id)}
              >
                {t(id === 'config' ? 'predict.config.tab' : 'predict.config.qualityTab')}
              </button>
            ))}
          </div>
          {tab === 'quality' && (
            <>
              <label className="q-control">
                <span>{t('predict.quality.filters.kind')}</span>
                <select
                  className="input small"
                  data-testid="quality-filter-kind"
                  value={filters.deviceKind}
                  onChange={(e) => predict.getState().setQualityFilters({ deviceKind: e.target.value })}
                >
                  <option value="">{t('predict.quality.filters.allKinds')}</option>
                  {options.kinds.map((k) => (
                    <option key={k} value={k}>
                      {kindNames.get(k) ?? k}
                    </option>
                  ))}
                </select>
              </label>
              <label className="q-control">
                <span>{t('predict.quality.filters.version')}</span>
                <select
                  className="input small"
                  data-testid="quality-filter-version"
                  value={filters.modelVersion}
                  onChange={(e) => predict.getState().setQualityFilters({ modelVersion: e.target.value })}
                >
                  <option value="">{t('predict.quality.filters.allVersions')}</option>
                  {options.versions.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
              <label className="q-control" title={t('predict.quality.filters.minLeadTitle')}>
                <span>{t('predict.quality.filters.minLead')}</span>
                <input
                  className="input small q-lead-input mono"
                  type="number"
                  min={0}
                  max={168}
                  step={1}
                  data-testid="quality-filter-lead"
                  value={leadText}
                  onChange={(e) => setLeadText(e.target.value)}
                  onBlur={commitLead}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') commitLead();
                  }}
                />
                <span>{t('predict.quality.filters.hours')}</span>
              </label>
              <span className="toolbar-spacer" />
              {quality.loading && <span className="spinner small-spinner" role="status" />}
              {report && (
                <span className="muted small" data-testid="quality-as-of">
                  {t('predict.quality.asOf', { at: formatDateTime(report.asOf, timeZone) })}
                </span>
              )}
            </>
          )}
        </div>
      </div>
      {tab === 'config' ? (
        <PredictConfigPanel timeZone={timeZone} />
      ) : (
        <div className="q-body">
          <div className="q-main">
            {quality.error && (
              <ErrorBanner
                error={quality.error}
                onRetry={() => void predict.getState().loadQuality()}
                testId="quality-error"
              />
            )}
            {!report && !quality.error && <Spinner label={t('common.loading')} />}
            {report && (
              <>
                <Kpis figures={report.overall} />
                <div className="q-charts">
                  <section className="q-panel">
                    <h3 className="q-panel-title">{t('predict.quality.charts.lead')}</h3>
                    {report.leadHours.length === 0 ? (
                      <EmptyState title={t('predict.quality.charts.noLead')} testId="quality-lead-empty" />
                    ) : (
                      <LeadHistogram leadHours={report.leadHours} />
                    )}
                  </section>
                  <section className="q-panel">
                    <h3 className="q-panel-title">{t('predict.quality.charts.daily')}</h3>
                    {report.daily.length === 0 ? (
                      <EmptyState title={t('predict.quality.charts.noDaily')} testId="quality-daily-empty" />
                    ) : (
                      <DailyBars daily={report.daily} />
                    )}
                  </section>
                </div>
                <Breakdown
                  byKind={report.byKind.map((k) => ({
                    name: kindNames.get(k.deviceKind) ?? k.deviceKind,
                    figures: k.figures,
                  }))}
                  byModel={report.byModel.map((m) => ({ name: m.modelVersion, figures: m.figures }))}
                />
                <DrillTable
                  items={report.items}
                  timeZone={timeZone}
                  onOpenTicket={openTicket}
                  onOpenDevice={(sn) => fleet.getState().select(sn)}
                />
              </>
            )}
          </div>
          <aside className="q-side">
            <ModelStatusPanel
              status={status}
              error={statusError}
              timeZone={timeZone}
              onRetry={() => void predict.getState().loadStatus()}
            />
            <PolicyPanel timeZone={timeZone} />
          </aside>
        </div>
      )}
    </div>
  );
}

function Kpis({ figures: f }: { figures: QualityFigures }) {
  const { t } = useTranslation();
  const hours = (v: number | null) =>
    v === null ? '—' : t('predict.quality.kpi.hours', { value: formatHours(v) });
  const tiles: { id: string; label: string; value: string; hint: string; tone: KpiTone }[] = [
    {
      id: 'precision',
      label: t('predict.quality.kpi.precision'),
      value: formatPercent(f.precision),
      hint: t('predict.quality.kpi.precisionHint', { tp: f.truePositives, decided: decided(f) }),
      tone: f.precision === null ? '' : f.precision >= 0.8 ? 'good' : 'bad',
    },
    {
      id: 'recall',
      label: t('predict.quality.kpi.recall'),
      value: formatPercent(f.recall),
      hint: t('predict.quality.kpi.recallHint', { predicted: f.predictedFailures, failures: f.failures }),
      tone: f.recall === null ? '' : f.recall >= 0.85 ? 'good' : 'bad',
    },
    {
      id: 'falseAlarm',
      label: t('predict.quality.kpi.falseAlarm'),
      value: formatPercent(f.falseAlarmRate),
      hint: t('predict.quality.kpi.falseAlarmHint', { fp: f.falsePositives, pending: f.pending }),
      tone: f.falseAlarmRate === null ? '' : f.falseAlarmRate <= 0.2 ? 'good' : 'bad',
    },
    {
      id: 'preventiveShare',
      label: t('predict.quality.kpi.preventiveShare'),
      value: formatPercent(f.preventiveShare),
      hint: t('predict.quality.kpi.preventiveShareHint'),
      tone: '',
    },
    {
      id: 'medianLead',
      label: t('predict.quality.kpi.medianLead'),
      value: hours(f.medianLeadHours),
      hint: t('predict.quality.kpi.leadHint', { p10: hours(f.p10LeadHours) }),
      tone: f.medianLeadHours === null ? '' : f.medianLeadHours >= 6 ? 'good' : 'bad',
    },
  ];
  return (
    <KpiTiles testId="quality-kpis">
      {tiles.map((k) => (
        <KpiTile
          key={k.id}
          label={k.label}
          value={k.value}
          sub={k.hint}
          tone={k.tone}
          testId={`quality-kpi-${k.id}`}
          data={{ value: k.value }}
        />
      ))}
    </KpiTiles>
  );
}

function Breakdown({
  byKind,
  byModel,
}: {
  byKind: { name: string; figures: QualityFigures }[];
  byModel: { name: string; figures: QualityFigures }[];
}) {
  const { t } = useTranslation();
  const table = (title: string, rows: { name: string; figures: QualityFigures }[], testId: string) => (
    <section className="q-panel" data-testid={testId}>
      <h3 className="q-panel-title">{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">{t('predict.quality.noData')}</p>
      ) : (
        <table className="pp-table">
          <thead>
            <tr>
              <th>{t('predict.quality.breakdown.name')}</th>
              <th className="num">{t('predict.quality.breakdown.predictions')}</th>
              <th className="num">{t('predict.quality.breakdown.failures')}</th>
              <th className="num">{t('predict.quality.kpi.precision')}</th>
              <th className="num">{t('predict.quality.kpi.recall')}</th>
              <th className="num">{t('predict.quality.kpi.falseAlarm')}</th>
              <th className="num">{t('predict.quality.kpi.medianLead')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td className="num mono">{r.figures.predictions}</td>
                <td className="num mono">{r.figures.failures}</td>
                <td className="num mono">{formatPercent(r.figures.precision)}</td>
                <td className="num mono">{formatPercent(r.figures.recall)}</td>
                <td className="num mono">{formatPercent(r.figures.falseAlarmRate)}</td>
                <td className="num mono">{formatHours(r.figures.medianLeadHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
  return (
    <div className="q-charts">
      {table(t('predict.quality.breakdown.byKind'), byKind, 'quality-by-kind')}
      {table(t('predict.quality.breakdown.byModel'), byModel, 'quality-by-model')}
    </div>
  );
}
