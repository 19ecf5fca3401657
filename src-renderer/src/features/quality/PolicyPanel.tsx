import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyChange, PolicySet } from '@shared/contract';
import { Horizon } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Spinner } from '../../components/EmptyState';
import { fieldIssues } from '../../stores/errors';
import { usePredict } from '../../stores/predict/use-predict';
import {
  NUMERIC_FIELDS,
  NUMERIC_KEYS,
  changedFields,
  draftOf,
  policyOf,
  validateDraft,
  type NumericField,
  type PolicyDraft,
  type PolicyProblem,
} from './policy-draft';
import { useKindName } from './use-kind-name';

const HELP: Partial<
  Record<NumericField, 'openAt' | 'persistCycles' | 'slopePerCycle' | 'clearBelow' | 'windowHours'>
> = {
  openAt: 'openAt',
  persistCycles: 'persistCycles',
  slopePerCycle: 'slopePerCycle',
  clearBelow: 'clearBelow',
  windowHours: 'windowHours',
};

/** Thresholds per device kind, saved with a required note (predict/setPolicy), and the change log. */
export function PolicyPanel({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const kindName = useKindName();
  const slot = usePredict((s) => s.policies);
  const set = slot.data;
  const [kind, setKind] = useState('');
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const kinds = useMemo(() => set?.policies.map((p) => p.deviceKind) ?? [], [set]);
  const current = kinds.includes(kind) ? kind : (kinds[0] ?? '');
  const saved = set?.policies.find((p) => p.deviceKind === current) ?? null;

  return (
    <section className="q-panel" data-testid="policy-panel">
      <h3 className="q-panel-title">
        {t('predict.policy.title')}
        {set && (
          <span className="muted small mono">{t('predict.policy.version', { version: set.version })}</span>
        )}
      </h3>
      <p className="muted small q-hint">{t('predict.policy.hint')}</p>
      {slot.loading && !set && <Spinner />}
      {slot.error && (
        <ErrorBanner
          error={slot.error}
          onRetry={() => void predict.getState().loadPolicies()}
          testId="policy-load-error"
        />
      )}
      {set && kinds.length === 0 && <p className="muted">{t('predict.policy.noPolicies')}</p>}
      {set && saved && (
        <>
          <label className="q-control">
            <span>{t('predict.policy.kind')}</span>
            <select
              className="input small"
              data-testid="policy-kind"
              value={current}
              onChange={(e) => setKind(e.target.value)}
            >
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {kindName(k)}
                </option>
              ))}
            </select>
          </label>
          <PolicyForm key={`${current}-${set.version}`} set={set} kind={current} onSaved={setSavedVersion} />
          {savedVersion === set.version && (
            <p className="ok-text small" data-testid="policy-saved">
              {t('predict.policy.saved', { version: savedVersion })}
            </p>
          )}
        </>
      )}
      {set && <ChangeLog changes={set.changes} timeZone={timeZone} kindName={kindName} />}
    </section>
  );
}

function PolicyForm({
  set,
  kind,
  onSaved,
}: {
  set: PolicySet;
  kind: string;
  onSaved: (version: number) => void;
}) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const saved = set.policies.find((p) => p.deviceKind === kind)!;
  const busy = usePredict((s) => s.busy === 'policy');
  const error = usePredict((s) => (s.commandError?.command === 'policy' ? s.commandError.error : null));
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(saved));
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const problems = validateDraft(draft);
  const changed = changedFields(saved, draft);
  const issues = fieldIssues(error);
  useEffect(() => () => predict.getState().clearCommandError(), [predict]);

  const problemText = (p: PolicyProblem): string =>
    p.kind === 'range'
      ? t('predict.policy.invalid.range', { min: p.min, max: p.max })
      : t(`predict.policy.invalid.${p.kind}`);

  const submit = async () => {
    setTouched(true);
    if (Object.keys(problems).length > 0 || changed.length === 0 || !note.trim() || busy) return;
    if (await predict.getState().setPolicy(policyOf(draft), note.trim())) {
      onSaved(predict.getState().policies.data?.version ?? set.version);
    }
  };

  const setValue = (k: NumericField, v: string) =>
    setDraft((d) => ({ ...d, values: { ...d.values, [k]: v } }));

  return (
    <form
      noValidate
      className="q-policy-form"
      data-testid="policy-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="q-policy-grid">
        <label className="q-check">
          <input
            type="checkbox"
            checked={draft.enabled}
            data-testid="policy-enabled"
            onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))}
          />
          {t('predict.policy.fields.enabled')}
        </label>
        <label className="q-check">
          <input
            type="checkbox"
            checked={draft.autoClear}
            data-testid="policy-autoClear"
            onChange={(e) => setDraft((d) => ({ ...d, autoClear: e.target.checked }))}
          />
          {t('predict.policy.fields.autoClear')}
        </label>
        <label className="field">
          <span className="field-label">{t('predict.policy.fields.horizon')}</span>
          <select
            className="input small"
            data-testid="policy-horizon"
            value={draft.horizon}
            onChange={(e) => setDraft((d) => ({ ...d, horizon: e.target.value as Horizon }))}
          >
            {Horizon.options.map((h) => (
              <option key={h} value={h}>
                {t(`predict.horizon.${h}`)}
              </option>
            ))}
          </select>
        </label>
        {NUMERIC_KEYS.map((k) => {
          const spec = NUMERIC_FIELDS[k];
          const problem = problems[k];
          const help = HELP[k];
          return (
            <label
              key={k}
              className={`field${problem ? ' has-error' : ''}${changed.includes(k) ? ' is-changed' : ''}`}
            >
              <span className="field-label" title={help ? t(`predict.policy.help.${help}`) : undefined}>
                {t(`predict.policy.fields.${k}`)}
              </span>
              <input
                className="input small mono"
                type="number"
                inputMode="decimal"
                data-testid={`policy-${k}`}
                min={spec.min}
                max={spec.max}
                step={spec.step}
                value={draft.values[k]}
                onChange={(e) => setValue(k, e.target.value)}
              />
              {problem && <span className="field-error">{problemText(problem)}</span>}
              {issues[`policy.${k}`] && <span className="field-error">{issues[`policy.${k}`]}</span>}
            </label>
          );
        })}
      </div>
      <label className={`field${touched && !note.trim() ? ' has-error' : ''}`}>
        <span className="field-label required">{t('predict.policy.note')}</span>
        <input
          className="input"
          data-testid="policy-note"
          maxLength={500}
          placeholder={t('predict.policy.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {touched && !note.trim() && (
          <span className="field-error" data-testid="policy-note-error">
            {t('predict.policy.noteRequired')}
          </span>
        )}
      </label>
      {error && (
        <ErrorBanner
          error={error}
          onReload={() => {
            predict.getState().clearCommandError();
            void predict.getState().loadPolicies();
          }}
          onDismiss={() => predict.getState().clearCommandError()}
          testId="policy-error"
        />
      )}
      <div className="form-actions">
        {touched && changed.length === 0 && (
          <span className="muted small">{t('predict.policy.unchanged')}</span>
        )}
        <button
          type="button"
          className="button ghost small"
          disabled={changed.length === 0}
          onClick={() => setDraft(draftOf(saved))}
        >
          {t('predict.policy.reset')}
        </button>
        <button type="submit" className="button primary small" data-testid="policy-save" disabled={busy}>
          {busy ? t('common.saving') : t('predict.policy.save')}
        </button>
      </div>
    </form>
  );
}

function ChangeLog({
  changes,
  timeZone,
  kindName,
}: {
  changes: PolicyChange[];
  timeZone: string;
  kindName: (id: string) => string;
}) {
  const { t } = useTranslation();
  const fieldName = (f: string): string =>
    f in NUMERIC_FIELDS || f === 'enabled' || f === 'autoClear' || f === 'horizon'
      ? t(`predict.policy.fields.${f as NumericField | 'enabled' | 'autoClear' | 'horizon'}`)
      : f;
  const show = (v: unknown): string =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return (
    <div className="q-changes" data-testid="policy-changes">
      <h4 className="q-sub">{t('predict.policy.changes')}</h4>
      {changes.length === 0 ? (
        <p className="muted small">{t('predict.policy.noChanges')}</p>
      ) : (
        <ul className="card-list">
          {changes.map((c) => (
            <li key={c.version} data-testid="policy-change" data-version={c.version}>
              <div className="muted small">
                {t('predict.policy.changeBy', {
                  version: c.version,
                  who: c.actor.name,
                  at: formatDateTime(c.at, timeZone),
                  kind: kindName(c.deviceKind),
                })}
              </div>
              <div className="q-change-note">{c.note}</div>
              <div className="small">
                {c.changes.map((x) => (
                  <span key={x.field} className="chip small">
                    {t('predict.policy.changeLine', {
                      field: fieldName(x.field),
                      from: show(x.from),
                      to: show(x.to),
                    })}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
