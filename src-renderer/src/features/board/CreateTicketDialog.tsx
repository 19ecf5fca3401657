import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assignee, ConfigDocument } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useCreate, useStores } from '../../app/stores-context';
import { AssigneePicker } from '../../components/AssigneePicker';
import { keysFromRows } from '../../components/BusinessKeysEditor';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { fieldIssues } from '../../stores/errors';
import { draftLocation, emptyDraft, filledFields, validateDraft, type TicketDraft } from './ticket-draft';
import { TicketFormFields, useProblemText } from './TicketFormFields';

export function CreateTicketDialog({ config }: { config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { create } = useStores();
  const submitting = useCreate((s) => s.submitting);
  const serverError = useCreate((s) => s.error);
  const [typeId, setTypeId] = useState(config.types[0]?.id ?? '');
  const type = config.types.find((x) => x.id === typeId);
  const [draft, setDraft] = useState<TicketDraft>(() => emptyDraft(type?.defaultPriority ?? 'P3'));
  const [assignee, setAssignee] = useState<Assignee | null>(null);
  const [touched, setTouched] = useState(false);
  const problemText = useProblemText();

  const problems = useMemo(() => validateDraft(draft, type, 'create'), [draft, type]);
  const issues: Record<string, string> = {
    ...fieldIssues(serverError),
    ...(touched ? Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, problemText(p)])) : {}),
  };

  const submit = async () => {
    setTouched(true);
    if (!type || Object.keys(problems).length > 0) return;
    await create.getState().submit({
      typeId: type.id,
      title: draft.title.trim(),
      description: draft.description,
      priority: draft.priority,
      assignee,
      businessKeys: keysFromRows(draft.keyRows),
      domains: draft.domains,
      location: draftLocation(draft).location,
      fields: filledFields(draft.fields),
      source: 'manual',
    });
  };

  return (
    <Modal
      title={t('create.title')}
      onClose={() => create.getState().hide()}
      width={760}
      testId="create-dialog"
      footer={
        <>
          {touched && Object.keys(problems).length > 0 && (
            <span className="form-summary-error">{t('form.fixErrors')}</span>
          )}
          <button type="button" className="button ghost" onClick={() => create.getState().hide()}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="create-ticket-form"
            className="button primary"
            data-testid="create-submit"
            disabled={submitting}
          >
            {submitting ? t('common.saving') : t('create.submit')}
          </button>
        </>
      }
    >
      <form
        noValidate
        id="create-ticket-form"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div
          className="type-picker"
          role="radiogroup"
          aria-label={t('fieldName.type')}
          data-testid="create-type"
        >
          {config.types.map((ty) => (
            <label
              key={ty.id}
              className={`type-option${ty.id === typeId ? ' on' : ''}`}
              style={{ borderColor: ty.id === typeId ? ty.color : undefined }}
            >
              <input
                type="radio"
                name="create-type"
                value={ty.id}
                data-testid="create-type-option"
                checked={ty.id === typeId}
                onChange={() => {
                  setTypeId(ty.id);
                  // Keep what applies to every type; custom fields belong to the old type.
                  setDraft((d) => ({
                    ...d,
                    priority: d.priority === type?.defaultPriority ? ty.defaultPriority : d.priority,
                    fields: {},
                  }));
                }}
              />
              <span className="type-dot" style={{ background: ty.color }} />
              {loc(ty.name)}
            </label>
          ))}
        </div>
        <TicketFormFields
          draft={draft}
          onChange={setDraft}
          type={type}
          issues={issues}
          prefix="create"
          extra={
            <label className="field">
              <span className="field-label">{t('fieldName.assignee')}</span>
              <AssigneePicker
                config={config}
                value={assignee}
                onChange={setAssignee}
                testId="create-assignee"
              />
              {issues['assignee.id'] && <span className="field-error">{issues['assignee.id']}</span>}
            </label>
          }
        />
        {serverError && (
          <ErrorBanner
            error={serverError}
            onDismiss={() => create.getState().clearError()}
            testId="create-error"
          />
        )}
      </form>
    </Modal>
  );
}
