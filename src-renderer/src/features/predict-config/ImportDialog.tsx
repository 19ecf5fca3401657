import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type PredictConfig, type PredictConfigSet } from '@shared/contract';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { usePredict } from '../../stores/predict/use-predict';
import { changedSections, issuesOf, type ImportResult } from './config-draft';
import { ConflictBanner } from './ConflictBanner';
import { IssueList } from './IssueList';

/**
 * The preview of an imported file: what it cannot be (with the paths of its problems), or the
 * sections it would change, saved with a required note. Nothing changes until the server accepts.
 */
export function ImportDialog({
  set,
  fileName,
  result,
  onClose,
  onSaved,
}: {
  set: PredictConfigSet;
  fileName: string;
  result: ImportResult;
  onClose: () => void;
  onSaved: (version: number) => void;
}) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const busy = usePredict((s) => s.busy === 'config-import');
  const error = usePredict((s) =>
    s.commandError?.command === 'config-import' ? s.commandError.error : null,
  );
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => () => predict.getState().clearCommandError(), [predict]);

  const sections = result.ok ? changedSections(set.config, result.config) : [];
  const serverIssues = error?.code === ErrorCode.InvalidArgument ? issuesOf(error.details) : [];

  const submit = async () => {
    setTouched(true);
    if (!result.ok || sections.length === 0 || !note.trim() || busy) return;
    if (await predict.getState().setPredictConfig(result.config, note.trim(), 'config-import')) {
      onSaved(predict.getState().predictConfig.data?.version ?? set.version);
    }
  };

  return (
    <Modal
      title={t('predict.config.importDialog')}
      onClose={onClose}
      width={640}
      testId="config-import-dialog"
      footer={
        <>
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          {result.ok && (
            <button
              type="submit"
              form="config-import-form"
              className="button primary"
              data-testid="config-import-save"
              disabled={busy || sections.length === 0}
            >
              {busy ? t('common.saving') : t('predict.config.importSave')}
            </button>
          )}
        </>
      }
    >
      <p className="muted small mono" data-testid="config-import-file">
        {t('predict.config.importFile', { name: fileName })}
      </p>
      {!result.ok ? (
        <IssueList
          title={t('predict.config.importNotJson')}
          issues={result.issues}
          testId="config-import-issues"
        />
      ) : (
        <form
          noValidate
          id="config-import-form"
          className="form pc-import-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {sections.length === 0 ? (
            <p className="muted" data-testid="config-import-same">
              {t('predict.config.importSame')}
            </p>
          ) : (
            <div data-testid="config-import-preview">
              <p className="small">{t('predict.config.importPreview', { version: set.version })}</p>
              <ul className="pc-import-sections">
                {sections.map((s) => (
                  <li key={s} data-testid="config-import-section" data-section={s}>
                    <span className="chip small">{t(`predict.config.sections.${s}`)}</span>
                    <span className="muted small">
                      <Summary config={set.config} section={s} /> →{' '}
                      <Summary config={result.config} section={s} />
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {sections.length > 0 && (
            <label className={`field${touched && !note.trim() ? ' has-error' : ''}`}>
              <span className="field-label required">{t('predict.config.note')}</span>
              <input
                className="input"
                data-testid="config-import-note"
                maxLength={500}
                placeholder={t('predict.config.notePlaceholder')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              {touched && !note.trim() && (
                <span className="field-error" data-testid="config-import-note-error">
                  {t('predict.config.noteRequired')}
                </span>
              )}
            </label>
          )}
          {error?.code === ErrorCode.Conflict && (
            <ConflictBanner
              current={(error.details as { current?: unknown } | undefined)?.current}
              onReload={() => {
                predict.getState().clearCommandError();
                void predict.getState().loadPredictConfig();
              }}
              onDismiss={() => predict.getState().clearCommandError()}
              testId="config-import-error"
            />
          )}
          {error && error.code !== ErrorCode.Conflict && (
            <ErrorBanner
              error={error}
              onDismiss={() => predict.getState().clearCommandError()}
              testId="config-import-error"
            >
              {serverIssues.length > 0 && (
                <IssueList
                  title={t('predict.config.importRefused')}
                  issues={serverIssues}
                  testId="config-import-server-issues"
                />
              )}
            </ErrorBanner>
          )}
        </form>
      )}
    </Modal>
  );
}

/** One line on what a section holds, so the preview shows before → after at a glance. */
function Summary({ config: c, section }: { config: PredictConfig; section: keyof PredictConfig }) {
  const { t } = useTranslation();
  switch (section) {
    case 'knowledge':
      return t('predict.config.sectionSummary.knowledge', {
        kinds: c.knowledge.length,
        modes: c.knowledge.reduce((n, k) => n + k.modes.length, 0),
      });
    case 'dispatch': {
      const w = c.dispatch.weights;
      return t('predict.config.sectionSummary.dispatch', {
        weights: [w.arrival, w.cost, w.slaRisk, w.customerPriority].join(' / '),
      });
    }
    case 'weather':
      return c.weather.url ?? t('predict.config.noWeather');
    case 'sops':
      return t('predict.config.sectionSummary.sops', { count: c.sops.length });
    case 'parts':
      return t('predict.config.sectionSummary.parts', { count: c.parts.length });
    case 'depots':
      return t('predict.config.sectionSummary.depots', { count: c.depots.length });
    case 'engineers':
      return t('predict.config.sectionSummary.engineers', { count: c.engineers.length });
  }
}
