import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Priority, type TicketType } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { BusinessKeysEditor } from '../../components/BusinessKeysEditor';
import { DomainPicker } from '../../components/DomainPicker';
import { FieldInput } from '../../components/FieldInput';
import { issueFor } from '../../stores/errors';
import type { DraftProblem, TicketDraft } from './ticket-draft';

interface Props {
  draft: TicketDraft;
  onChange: (draft: TicketDraft) => void;
  type: TicketType | undefined;
  /** Messages by field path (client checks and the server's INVALID_ARGUMENT issues). */
  issues: Record<string, string>;
  /** `create` or `edit`: prefix of every data-testid. */
  prefix: string;
  /** Extra rows after priority (the create dialog's assignee). */
  extra?: ReactNode;
}

export function useProblemText(): (p: DraftProblem) => string {
  const { t } = useTranslation();
  return (p) => {
    if (typeof p === 'string') return t(`form.${p}`);
    if ('code' in p) return t(`form.${p.code}`, { limit: p.limit });
    return p.raw;
  };
}

function Field({
  label,
  error,
  children,
  required,
  wide,
}: {
  label: string;
  error?: string;
  children: ReactNode;
  required?: boolean;
  wide?: boolean;
}) {
  return (
    <label className={`field${wide ? ' wide' : ''}${error ? ' has-error' : ''}`}>
      <span className={`field-label${required ? ' required' : ''}`}>{label}</span>
      {children}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

/** The editable parts of a ticket, shared by the create dialog and the drawer's edit mode. */
export function TicketFormFields({ draft, onChange, type, issues, prefix, extra }: Props) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const set = (patch: Partial<TicketDraft>) => onChange({ ...draft, ...patch });
  // Each message names its coordinate (the server's messages get the label in front).
  const labelled = (label: string, message: string | undefined) =>
    message && (message.includes(label) ? message : `${label}: ${message}`);
  const locationError =
    [
      labelled(t('location.lng'), issues['location.lng']),
      labelled(t('location.lat'), issues['location.lat']),
      labelled(t('location.address'), issues['location.address']),
      issues.location,
    ]
      .filter(Boolean)
      .join('; ') || undefined;
  return (
    <div className="form-grid">
      <Field label={t('fieldName.title')} error={issues.title} required wide>
        <input
          className="input"
          data-autofocus
          data-testid={`${prefix}-title`}
          value={draft.title}
          maxLength={200}
          onChange={(e) => set({ title: e.target.value })}
        />
      </Field>
      <Field label={t('fieldName.description')} error={issues.description} wide>
        <textarea
          className="input"
          rows={4}
          data-testid={`${prefix}-description`}
          value={draft.description}
          onChange={(e) => set({ description: e.target.value })}
        />
      </Field>
      <Field label={t('fieldName.priority')} error={issues.priority}>
        <select
          className="input"
          data-testid={`${prefix}-priority`}
          value={draft.priority}
          onChange={(e) => set({ priority: e.target.value as Priority })}
        >
          {Priority.options.map((p) => (
            <option key={p} value={p}>
              {p} · {t(`priority.${p}`)}
            </option>
          ))}
        </select>
      </Field>
      {extra}
      <Field label={t('fieldName.domains')} error={issueFor(issues, 'domains')} wide>
        <DomainPicker
          value={draft.domains}
          onChange={(domains) => set({ domains })}
          testIdPrefix={`${prefix}-domain`}
        />
      </Field>
      <div className="field wide">
        <span className="field-label">{t('fieldName.businessKeys')}</span>
        <BusinessKeysEditor
          rows={draft.keyRows}
          onChange={(keyRows) => set({ keyRows })}
          testIdPrefix={`${prefix}-bizkey`}
          error={issueFor(issues, 'businessKeys')}
        />
      </div>
      <div className="field wide">
        <span className="field-label">{t('fieldName.location')}</span>
        <div className="location-row">
          <input
            className="input"
            data-testid={`${prefix}-lng`}
            inputMode="decimal"
            placeholder={t('location.lng')}
            aria-label={t('location.lng')}
            value={draft.lng}
            onChange={(e) => set({ lng: e.target.value })}
          />
          <input
            className="input"
            data-testid={`${prefix}-lat`}
            inputMode="decimal"
            placeholder={t('location.lat')}
            aria-label={t('location.lat')}
            value={draft.lat}
            onChange={(e) => set({ lat: e.target.value })}
          />
          <input
            className="input grow"
            data-testid={`${prefix}-address`}
            placeholder={t('location.address')}
            aria-label={t('location.address')}
            value={draft.address}
            maxLength={300}
            onChange={(e) => set({ address: e.target.value })}
          />
        </div>
        {locationError && <span className="field-error">{locationError}</span>}
      </div>
      {type && type.fields.length > 0 && (
        <div className="field wide custom-fields-title">
          <span className="section-title">{t('detail.customFields', { type: loc(type.name) })}</span>
        </div>
      )}
      {type?.fields.map((def) => (
        <Field
          key={def.key}
          label={loc(def.label)}
          error={issues[`fields.${def.key}`]}
          required={def.required}
          wide={def.kind === 'textarea' || def.kind === 'multiselect'}
        >
          <FieldInput
            id={`${prefix}-field-${def.key}`}
            def={def}
            value={draft.fields[def.key]}
            testId={`${prefix}-field-${def.key}`}
            onChange={(v) => set({ fields: { ...draft.fields, [def.key]: v } })}
          />
        </Field>
      ))}
    </div>
  );
}
