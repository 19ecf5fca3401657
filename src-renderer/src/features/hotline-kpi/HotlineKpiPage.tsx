import './hotline-kpi.css';
import { KpiTile, KpiTiles } from '../../components/KpiTile';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotlineKpi } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useConfig, useStores } from '../../app/stores-context';
import { EmptyState, Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useHotline } from '../../stores/hotline/use-hotline';
import { AccuracyByDay } from './AccuracyChart';
import { ClassifierView } from './ClassifierView';
import { MatrixEditor } from './MatrixEditor';
import { draftOf, rowFromSuggestion, type MatrixDraft } from './matrix-draft';

type Figures = HotlineKpi['overall'];

export const formatAccuracy = (a: number | null): string => (a === null ? '—' : `${(a * 100).toFixed(1)}%`);

/**
 * 首派准确率: the share of citizen requests never reassigned to another department — overall, per day,
 * category, department and grid cell — with the matrix rows the misroutes suggest, and the
 * responsibility-matrix editor, and the classifier (seed or trained from closed requests, with its
 * held-out report and a train button).
 */
export function HotlineKpiPage() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const kpi = useHotline((s) => s.kpi);
  const matrix = useHotline((s) => s.matrix.data);
  const [tab, setTab] = useState<'accuracy' | 'matrix' | 'classifier'>('accuracy');
  // The editor's draft lives here, so switching tabs (or adding a suggestion) keeps it.
  const [draft, setDraft] = useState<MatrixDraft | null>(null);
  const [added, setAdded] = useState(false);

  useEffect(() => {
    hotline.getState().watchKpi(true);
    void hotline.getState().loadMatrix();
    return () => hotline.getState().watchKpi(false);
  }, [hotline]);

  const addSuggestion = (s: HotlineKpi['matrixSuggestions'][number]): void => {
    if (!matrix) return;
    const base = draft ?? draftOf(matrix);
    const note = t('hotline.kpi.suggestions.misroutes', { count: s.misroutes });
    setDraft({ ...base, rows: [...base.rows, rowFromSuggestion(base.rows, s, note)] });
    setAdded(true);
    setTab('matrix');
  };

  return (
    <div
      className="hk-page"
      data-testid="hotline-kpi-page"
      data-state={kpi.data ? 'ready' : kpi.error ? 'error' : 'loading'}
    >
      <div className="toolbar hk-toolbar">
        <h1 className="hk-title">{t('hotline.kpi.title')}</h1>
        <div className="hk-tabs" role="tablist">
          {(['accuracy', 'matrix', 'classifier'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={`button small${tab === k ? ' on' : ''}`}
              data-testid={`hotline-tab-${k}`}
              onClick={() => setTab(k)}
            >
              {t(`hotline.kpi.tabs.${k}`)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {kpi.data && <AsOf at={kpi.data.asOf} />}
        <button
          type="button"
          className="button small"
          disabled={kpi.loading}
          onClick={() => {
            void hotline.getState().loadKpi();
            void hotline.getState().loadMatrix();
            if (tab === 'classifier') void hotline.getState().loadClassifier();
          }}
        >
          {t('hotline.kpi.refresh')}
        </button>
      </div>
      <div className="hk-body">
        {tab === 'accuracy' ? (
          <AccuracyView onAddSuggestion={matrix ? addSuggestion : null} />
        ) : tab === 'classifier' ? (
          <ClassifierView />
        ) : (
          <MatrixEditor
            draft={draft}
            onDraft={(d) => {
              setDraft(d);
              if (!d) setAdded(false);
            }}
            notice={added ? t('hotline.kpi.suggestions.added') : null}
          />
        )}
      </div>
    </div>
  );
}

function AsOf({ at }: { at: string }) {
  const { t } = useTranslation();
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  return (
    <span className="muted small">
      {t('hotline.kpi.asOf', { at: formatDateTime(at, timeZone, { seconds: true }) })}
    </span>
  );
}

function AccuracyView({
  onAddSuggestion,
}: {
  onAddSuggestion: ((s: HotlineKpi['matrixSuggestions'][number]) => void) | null;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { hotline } = useStores();
  const kpi = useHotline((s) => s.kpi);
  const departments = useConfig((s) => s.config?.directory.departments ?? []);
  const deptName = useMemo(() => {
    const names = new Map(departments.map((d) => [d.id, loc(d.name)]));
    return (id: string): string => names.get(id) ?? id;
  }, [departments, loc]);

  if (kpi.error && !kpi.data)
    return (
      <ErrorBanner
        error={kpi.error}
        onRetry={() => void hotline.getState().loadKpi()}
        testId="hotline-kpi-error"
      />
    );
  if (!kpi.data) return <Spinner label={t('common.loading')} />;
  const data = kpi.data;
  const o = data.overall;

  return (
    <div className="hk-accuracy">
      <KpiTiles>
        <KpiTile
          label={t('hotline.kpi.overall')}
          value={formatAccuracy(o.accuracy)}
          sub={t('hotline.kpi.target')}
          tone={o.accuracy === null ? '' : o.accuracy >= 0.9 ? 'good' : o.accuracy >= 0.8 ? 'warn' : 'bad'}
          testId="hotline-kpi-accuracy"
          data={{ tickets: String(o.tickets), right: String(o.firstTimeRight) }}
        />
        <KpiTile label={t('hotline.kpi.tickets')} value={String(o.tickets)} testId="hotline-kpi-tickets" />
        <KpiTile label={t('hotline.kpi.firstTimeRight')} value={String(o.firstTimeRight)} />
        <KpiTile label={t('hotline.kpi.reassigned')} value={String(o.tickets - o.firstTimeRight)} />
        <KpiTile label={t('hotline.kpi.doubleDispatched')} value={String(o.doubleDispatched)} />
      </KpiTiles>
      {o.tickets === 0 && <EmptyState title={t('hotline.kpi.noData')} />}
      <section className="hk-panel">
        <h2 className="hk-panel-title">{t('hotline.kpi.byDay')}</h2>
        <AccuracyByDay days={data.byDay} />
      </section>
      <div className="hk-tables">
        <FigureTable
          title={t('hotline.kpi.byCategory')}
          keyLabel={t('hotline.kpi.col.category')}
          rows={data.byCategory.map((r) => ({ key: r.category, label: r.category, f: r }))}
          testId="hotline-by-category"
        />
        <FigureTable
          title={t('hotline.kpi.byDepartment')}
          keyLabel={t('hotline.kpi.col.department')}
          rows={data.byDepartment.map((r) => ({
            key: r.departmentId,
            label: deptName(r.departmentId),
            f: r,
          }))}
          testId="hotline-by-department"
        />
        <FigureTable
          title={t('hotline.kpi.byCell')}
          keyLabel={t('hotline.kpi.col.cell')}
          rows={data.byCell.map((r) => ({ key: r.cellId, label: r.cellId, f: r }))}
          mono
          testId="hotline-by-cell"
        />
      </div>
      <section className="hk-panel" data-testid="hotline-suggestions">
        <h2 className="hk-panel-title">{t('hotline.kpi.suggestions.title')}</h2>
        {data.matrixSuggestions.length === 0 ? (
          <div className="muted small">{t('hotline.kpi.suggestions.none')}</div>
        ) : (
          <table className="hk-table">
            <tbody>
              {data.matrixSuggestions.map((s, i) => (
                <tr key={i}>
                  <td>{s.category}</td>
                  <td>{s.district ?? t('hotline.kpi.suggestions.everywhere')}</td>
                  <td>→ {deptName(s.departmentId)}</td>
                  <td className="muted">{t('hotline.kpi.suggestions.misroutes', { count: s.misroutes })}</td>
                  <td className="hk-actions">
                    {onAddSuggestion && (
                      <button type="button" className="button small" onClick={() => onAddSuggestion(s)}>
                        {t('hotline.kpi.suggestions.add')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** The worst first: the rows worth a supervisor's look. */
function FigureTable({
  title,
  keyLabel,
  rows,
  mono = false,
  testId,
}: {
  title: string;
  keyLabel: string;
  rows: { key: string; label: string; f: Figures }[];
  mono?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const sorted = [...rows].sort(
    (a, b) => (a.f.accuracy ?? 2) - (b.f.accuracy ?? 2) || b.f.tickets - a.f.tickets,
  );
  return (
    <section className="hk-panel" data-testid={testId}>
      <h2 className="hk-panel-title">{title}</h2>
      <div className="hk-table-wrap">
        <table className="hk-table">
          <thead>
            <tr>
              <th>{keyLabel}</th>
              <th className="num">{t('hotline.kpi.col.tickets')}</th>
              <th className="num">{t('hotline.kpi.col.accuracy')}</th>
              <th className="num">{t('hotline.kpi.col.doubleDispatched')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.key}>
                <td className={mono ? 'mono' : ''}>{r.label}</td>
                <td className="num">{r.f.tickets}</td>
                <td className={`num ${r.f.accuracy !== null && r.f.accuracy < 0.9 ? 'bad' : ''}`}>
                  {formatAccuracy(r.f.accuracy)}
                </td>
                <td className="num">{r.f.doubleDispatched}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
