import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ClassifierTrainingProgress, HotlineClassifierInfo } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useConfig, useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { AppError } from '../../stores/errors';
import { useHotline } from '../../stores/hotline/use-hotline';
import { KpiTile, KpiTiles } from '../../components/KpiTile';

/** The defaults of `hotline/trainClassifier`, shown in the hint. */
const FOLDS = 5;
const MIN_PER_CLASS = 5;

export const formatShare = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** The categories a too-few-examples refusal names (empty for any other error). */
export function shortClasses(error: AppError | null): {
  min: number;
  classes: { category: string; count: number }[];
} {
  const d = error?.details as
    { code?: unknown; minPerClass?: unknown; classes?: { category: string; count: number }[] } | undefined;
  if (!d || d.code !== 'too-few-examples') return { min: MIN_PER_CLASS, classes: [] };
  return {
    min: typeof d.minPerClass === 'number' ? d.minPerClass : MIN_PER_CLASS,
    classes: Array.isArray(d.classes) ? d.classes : [],
  };
}

/**
 * 分类模型: which classifier the hotline uses (the seed, or one trained from the organisation's closed
 * requests), a button that trains one, and the trained model's held-out report.
 */
export function ClassifierView() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const slot = useHotline((s) => s.classifier);
  const training = useHotline((s) => s.training);
  const trainError = useHotline((s) => s.trainError);
  const progress = useHotline((s) => s.trainProgress);
  // Another console's training counts too: the hub would refuse a second one (Conflict).
  const busy = training || progress !== null;
  const [seconds, setSeconds] = useState(0);
  const [done, setDone] = useState(false);

  useEffect(() => {
    void hotline.getState().loadClassifier();
  }, [hotline]);

  useEffect(() => {
    if (!training) return;
    setSeconds(0);
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [training]);

  const train = (): void => {
    setDone(false);
    void hotline
      .getState()
      .trainClassifier()
      .then((ok) => setDone(ok));
  };

  if (slot.error && !slot.data)
    return (
      <ErrorBanner
        error={slot.error}
        onRetry={() => void hotline.getState().loadClassifier()}
        testId="hotline-classifier-error"
      />
    );
  if (!slot.data) return <Spinner label={t('common.loading')} />;
  const info = slot.data;
  const short = shortClasses(trainError);

  return (
    <div className="hk-classifier" data-testid="hotline-classifier" data-kind={info.kind}>
      <section className="hk-panel">
        <h2 className="hk-panel-title">{t('hotline.classifier.title')}</h2>
        <ModelFacts info={info} />
        {info.kind === 'seed' && <p className="muted small">{t('hotline.classifier.seedHint')}</p>}
        <div className="hk-train">
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={train}
            data-testid="hotline-classifier-train"
          >
            {t(info.kind === 'seed' ? 'hotline.classifier.train' : 'hotline.classifier.retrain')}
          </button>
          {training ? (
            <span className="muted small" role="status" data-testid="hotline-classifier-training">
              {t('hotline.classifier.training', { seconds })}
            </span>
          ) : progress ? (
            <span className="muted small" role="status" data-testid="hotline-classifier-training">
              {t('hotline.classifier.trainingElsewhere')}
            </span>
          ) : done ? (
            <span className="small ok" role="status">
              {t('hotline.classifier.done')}
            </span>
          ) : (
            <span className="muted small">
              {t('hotline.classifier.trainHint', { folds: FOLDS, min: MIN_PER_CLASS })}
            </span>
          )}
        </div>
        {progress && <TrainingProgress progress={progress} />}
        {trainError && (
          <ErrorBanner
            error={trainError}
            onDismiss={() => hotline.getState().clearTrainError()}
            testId="hotline-classifier-train-error"
          >
            {short.classes.length > 0 && (
              <div className="hk-short" data-testid="hotline-classifier-short">
                <div>{t('hotline.classifier.tooFewClasses', { min: short.min })}</div>
                <ul>
                  {short.classes.map((c) => (
                    <li key={c.category}>
                      {c.category} · {t('hotline.classifier.tooFewCount', { count: c.count })}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </ErrorBanner>
        )}
      </section>
      <Report info={info} />
    </div>
  );
}

/** The phase text of a progress event, e.g. "交叉验证第 2/5 折 · 拟合 3/14". */
export function progressText(t: TFunction, p: ClassifierTrainingProgress): string {
  const phase = t(`hotline.classifier.progress.${p.phase}`, { fold: p.fold, folds: p.folds });
  if (!p.stage || p.total === 0) return phase;
  // Features count every text twice (n-grams, then the vector): show texts.
  const [done, total] = p.stage === 'features' ? [Math.ceil(p.done / 2), p.total / 2] : [p.done, p.total];
  return `${phase} · ${t(`hotline.classifier.progress.stage.${p.stage}`, { done, total })}`;
}

function TrainingProgress({ progress }: { progress: ClassifierTrainingProgress }) {
  const { t } = useTranslation();
  const percent = Math.round(progress.fraction * 100);
  return (
    <div className="hk-progress" data-testid="hotline-classifier-progress" data-phase={progress.phase}>
      <div className="hk-progress-label small">
        <span data-testid="hotline-classifier-progress-text">{progressText(t, progress)}</span>
        <span className="hk-progress-percent">{percent}%</span>
      </div>
      <progress
        max={100}
        value={percent}
        aria-label={t('hotline.classifier.progress.label')}
        aria-valuetext={`${percent}%`}
      />
    </div>
  );
}

function ModelFacts({ info }: { info: HotlineClassifierInfo }) {
  const { t } = useTranslation();
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  return (
    <dl className="hk-facts">
      <dt>{t('hotline.classifier.model')}</dt>
      <dd data-testid="hotline-classifier-kind">{t(`hotline.classifier.kind.${info.kind}`)}</dd>
      {info.trainedAt && (
        <>
          <dt>{t('hotline.classifier.trainedAt')}</dt>
          <dd>{formatDateTime(info.trainedAt, timeZone)}</dd>
        </>
      )}
      {info.trainedBy && (
        <>
          <dt>{t('hotline.classifier.trainedBy')}</dt>
          <dd>{info.trainedBy.name}</dd>
        </>
      )}
      <dt>{t('hotline.classifier.examples')}</dt>
      <dd>{t('hotline.classifier.examplesValue', { count: info.examples })}</dd>
      <dt>{t('hotline.classifier.classes')}</dt>
      <dd>
        {t('hotline.classifier.classesValue', { count: info.classes.length })}
        <details className="hk-classes">
          <summary className="small">{t('hotline.classifier.showClasses')}</summary>
          <ul className="small">
            {info.classes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </details>
      </dd>
    </dl>
  );
}

function Report({ info }: { info: HotlineClassifierInfo }) {
  const { t } = useTranslation();
  const report = info.report;
  if (!report)
    return (
      <section className="hk-panel">
        <div className="muted small">{t('hotline.classifier.noReport')}</div>
      </section>
    );
  const rows = [...report.perClass].sort((a, b) => a.f1 - b.f1 || b.support - a.support);
  return (
    <section className="hk-panel" data-testid="hotline-classifier-report">
      <h2 className="hk-panel-title">{t('hotline.classifier.report', { folds: report.folds })}</h2>
      <KpiTiles>
        <KpiTile
          label={t('hotline.classifier.accuracy')}
          value={formatShare(report.accuracy)}
          testId="hotline-classifier-accuracy"
        />
        <KpiTile label={t('hotline.classifier.macroF1')} value={report.macroF1.toFixed(3)} />
      </KpiTiles>
      {report.suggestedThreshold && <SuggestedThreshold suggested={report.suggestedThreshold} />}
      <div className="hk-table-wrap">
        <table className="hk-table">
          <thead>
            <tr>
              <th>{t('hotline.classifier.col.category')}</th>
              <th className="num">{t('hotline.classifier.col.f1')}</th>
              <th className="num">{t('hotline.classifier.col.support')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.category}>
                <td>{c.category}</td>
                <td className={`num ${c.f1 < 0.8 ? 'bad' : ''}`}>{c.f1.toFixed(3)}</td>
                <td className="num">{c.support}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * The double-dispatch threshold the held-out answers suggest, next to the matrix's, with one action to
 * take it (a matrix change like any other: versioned, with a note).
 */
function SuggestedThreshold({
  suggested,
}: {
  suggested: NonNullable<NonNullable<HotlineClassifierInfo['report']>['suggestedThreshold']>;
}) {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const matrix = useHotline((s) => s.matrix.data);
  const saving = useHotline((s) => s.savingMatrix);
  const saveError = useHotline((s) => s.matrixSaveError);
  useEffect(() => {
    if (!hotline.getState().matrix.data) void hotline.getState().loadMatrix();
  }, [hotline]);
  if (suggested.threshold === null)
    return (
      <p className="muted small" data-testid="hotline-threshold-none">
        {t('hotline.classifier.threshold.none')}
      </p>
    );
  const value = Math.round(suggested.threshold * 100) / 100;
  const current = matrix?.doubleDispatchBelow ?? null;
  const apply = () => {
    if (!matrix) return;
    void hotline
      .getState()
      .saveMatrix(matrix.rows, value, t('hotline.classifier.threshold.note', { value: value.toFixed(2) }));
  };
  return (
    <div className="hk-suggested-threshold" data-testid="hotline-threshold" data-value={value}>
      <div>
        <strong>{t('hotline.classifier.threshold.title', { value: value.toFixed(2) })}</strong>
        <div className="muted small">
          {t('hotline.classifier.threshold.explain', {
            share: formatShare(suggested.retainedShare),
            accuracy: formatShare(suggested.retainedAccuracy ?? 0),
          })}
          {current !== null &&
            ` · ${t('hotline.classifier.threshold.current', { value: current.toFixed(2) })}`}
        </div>
      </div>
      <button
        type="button"
        className="button"
        data-testid="hotline-threshold-apply"
        disabled={!matrix || saving || current === value}
        onClick={apply}
      >
        {current === value
          ? t('hotline.classifier.threshold.applied')
          : t('hotline.classifier.threshold.apply')}
      </button>
      {saveError && (
        <ErrorBanner
          error={saveError}
          onDismiss={() => hotline.getState().clearMatrixSaveError()}
          testId="hotline-threshold-error"
        />
      )}
    </div>
  );
}
