import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, type PredictConfigSet } from '@shared/contract';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { usePredict } from '../../stores/predict/use-predict';
import {
  NUMERIC_FIELDS,
  TRAVEL_KEYS,
  WEIGHT_KEYS,
  applyDraft,
  changedFields,
  draftOf,
  issuesOf,
  rebaseDraft,
  splitIssues,
  validateDraft,
  type ConfigDraft,
  type DraftField,
  type DraftProblem,
  type NumericField,
} from './config-draft';
import { ConflictBanner } from './ConflictBanner';
import { IssueList } from './IssueList';

/**
 * The fields business staff tune directly — dispatch weights, travel model, weather source — saved
 * as the whole configuration with a required note. A stale version keeps the draft and offers to
 * load the latest one underneath it.
 */
export function ConfigEditor({ set }: { set: PredictConfigSet }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const busy = usePredict((s) => s.busy === 'config');
  const error = usePredict((s) => (s.commandError?.command === 'config' ? s.commandError.error : null));
  const [draft, setDraft] = useState<ConfigDraft>(() => draftOf(set.config));
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [reloaded, setReloaded] = useState(false);
  // The configuration the draft was made against: a newer one (a reload) keeps only the edits.
  const [base, setBase] = useState(set.config);
  if (base !== set.config) {
    setBase(set.config);
    setDraft((d) => rebaseDraft(base, set.config, d));
  }
  useEffect(() => () => predict.getState().clearCommandError(), [predict]);

  const problems = validateDraft(draft);
  const changed = changedFields(set.config, draft);
  const server = error?.code === ErrorCode.InvalidArgument ? splitIssues(issuesOf(error.details)) : null;
  const conflictVersion =
    error?.code === ErrorCode.Conflict
      ? ((error.details as { current?: unknown } | undefined)?.current ?? null)
      : null;

  const problemText = (p: DraftProblem): string => {
    switch (p.kind) {
      case 'range':
      case 'above':
        return t(`predict.config.invalid.${p.kind}`, { min: p.min, max: p.max });
      case 'min':
        return t('predict.config.invalid.min', { min: p.min });
      default:
        return t(`predict.config.invalid.${p.kind}`);
    }
  };

  const submit = async () => {
    setTouched(true);
    setSavedVersion(null);
    if (Object.keys(problems).length > 0 || changed.length === 0 || !note.trim() || busy) return;
    const ok = await predict
      .getState()
      .setPredictConfig(applyDraft(set.config, draft), note.trim(), 'config');
    const next = predict.getState().predictConfig.data;
    if (ok && next) {
      setDraft(draftOf(next.config));
      setNote('');
      setTouched(false);
      setReloaded(false);
      setSavedVersion(next.version);
    }
  };

  const setValue = (k: NumericField, v: string) =>
    setDraft((d) => ({ ...d, values: { ...d.values, [k]: v } }));

  const fieldClass = (f: DraftField) =>
    `field${problems[f] || server?.byField[f] ? ' has-error' : ''}${changed.includes(f) ? ' is-changed' : ''}`;

  const errorsOf = (f: DraftField) => (
    <>
      {problems[f] && (
        <span className="field-error" data-testid={`config-error-${f}`}>
          {problemText(problems[f])}
        </span>
      )}
      {server?.byField[f]?.map((m, i) => (
        <span key={i} className="field-error" data-testid={`config-server-error-${f}`}>
          {m}
        </span>
      ))}
    </>
  );

  const numberInput = (k: NumericField) => {
    const spec = NUMERIC_FIELDS[k];
    return (
      <input
        className="input small mono pc-number"
        type="number"
        inputMode="decimal"
        data-testid={`config-${k}`}
        min={spec.min}
        max={spec.max ?? undefined}
        step={spec.step}
        value={draft.values[k]}
        aria-invalid={!!problems[k]}
        onChange={(e) => setValue(k, e.target.value)}
      />
    );
  };

  return (
    <form
      noValidate
      className="pc-form"
      data-testid="config-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="pc-group">
        <legend>{t('predict.config.dispatch')}</legend>
        <p className="muted small pc-group-hint">{t('predict.config.dispatchHint')}</p>
        {WEIGHT_KEYS.map((k) => {
          const v = Number(draft.values[k]);
          return (
            <label key={k} className={`${fieldClass(k)} pc-weight`}>
              <span className="field-label">{t(`predict.config.weights.${k}`)}</span>
              <div className="pc-weight-row">
                <input
                  type="range"
                  className="pc-slider"
                  min={0}
                  max={1}
                  step={0.05}
                  tabIndex={-1}
                  aria-hidden="true"
                  value={Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0}
                  onChange={(e) => setValue(k, e.target.value)}
                />
                {numberInput(k)}
              </div>
              {errorsOf(k)}
            </label>
          );
        })}
        <div className={fieldClass('weights')}>{errorsOf('weights')}</div>
      </fieldset>

      <fieldset className="pc-group">
        <legend>{t('predict.config.travel')}</legend>
        <div className="pc-grid3">
          {TRAVEL_KEYS.map((k) => (
            <label key={k} className={fieldClass(k)}>
              <span
                className="field-label"
                title={k === 'detourFactor' ? t('predict.config.help.detourFactor') : undefined}
              >
                {t(`predict.config.fields.${k}`)}
              </span>
              {numberInput(k)}
              {errorsOf(k)}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="pc-group">
        <legend>{t('predict.config.weather')}</legend>
        <label className={fieldClass('weatherUrl')}>
          <span className="field-label">{t('predict.config.fields.weatherUrl')}</span>
          <input
            className="input small mono"
            type="url"
            data-testid="config-weatherUrl"
            maxLength={500}
            placeholder={t('predict.config.weatherPlaceholder')}
            value={draft.weatherUrl}
            aria-invalid={!!problems.weatherUrl}
            onChange={(e) => setDraft((d) => ({ ...d, weatherUrl: e.target.value }))}
          />
          <span className="muted small">{t('predict.config.help.weatherUrl')}</span>
          {errorsOf('weatherUrl')}
        </label>
      </fieldset>

      <label className={`field${touched && !note.trim() ? ' has-error' : ''}`}>
        <span className="field-label required">{t('predict.config.note')}</span>
        <input
          className="input"
          data-testid="config-note"
          maxLength={500}
          placeholder={t('predict.config.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {touched && !note.trim() && (
          <span className="field-error" data-testid="config-note-error">
            {t('predict.config.noteRequired')}
          </span>
        )}
      </label>

      {error?.code === ErrorCode.Conflict && (
        <ConflictBanner
          current={conflictVersion}
          onReload={() => {
            predict.getState().clearCommandError();
            setReloaded(true);
            void predict.getState().loadPredictConfig();
          }}
          onDismiss={() => predict.getState().clearCommandError()}
          testId="config-error"
        />
      )}
      {error && error.code !== ErrorCode.Conflict && (
        <ErrorBanner
          error={error}
          onDismiss={() => predict.getState().clearCommandError()}
          testId="config-error"
        >
          {server && server.rest.length > 0 && (
            <IssueList title={t('predict.config.serverIssues')} issues={server.rest} testId="config-issues" />
          )}
        </ErrorBanner>
      )}
      {reloaded && !error && (
        <p className="muted small" data-testid="config-reloaded">
          {t('predict.config.reloaded', { version: set.version })}
        </p>
      )}

      <div className="form-actions">
        {touched && changed.length === 0 && (
          <span className="muted small" data-testid="config-unchanged">
            {t('predict.config.unchanged')}
          </span>
        )}
        {savedVersion !== null && savedVersion === set.version && (
          <span className="ok-text small" data-testid="config-saved">
            {t('predict.config.saved', { version: savedVersion })}
          </span>
        )}
        <button
          type="button"
          className="button ghost small"
          data-testid="config-revert"
          disabled={changed.length === 0}
          onClick={() => {
            setDraft(draftOf(set.config));
            setTouched(false);
            predict.getState().clearCommandError();
          }}
        >
          {t('predict.config.revert')}
        </button>
        <button type="submit" className="button primary small" data-testid="config-save" disabled={busy}>
          {busy ? t('common.saving') : t('predict.config.save')}
        </button>
      </div>
    </form>
  );
}
