import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assignee, ConfigDocument, Ticket, TicketType } from '@shared/contract';
import { useCreate, useStores } from '../../app/stores-context';
import { AssigneePicker } from '../../components/AssigneePicker';
import { keysFromRows } from '../../components/BusinessKeysEditor';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues } from '../../stores/errors';
import { draftLocation, filledFields, validateDraft, type TicketDraft } from './ticket-draft';
import { TicketFormFields, useProblemText } from './TicketFormFields';

interface Props {
  config: ConfigDocument;
  type: TicketType | undefined;
  /** The draft the form starts from (read once). */
  initialDraft: () => TicketDraft;
  /** The grid cell the location belongs to, when the caller knows it (a device's cell). */
  gridId?: string;
  title: string;
  submitLabel: string;
  /** Prefix of the test ids and the form id: `<prefix>-dialog`, `<prefix>-submit`, … */
  prefix: string;
  onClose: () => void;
  onCreated?: (ticket: Ticket) => void;
  /** Above the fields: the board's type picker. */
  header?: (draft: TicketDraft, setDraft: (change: (d: TicketDraft) => TicketDraft) => void) => ReactNode;
  /** Left of the footer's buttons: where the ticket comes from. */
  footerNote?: ReactNode;
}

/**
 * The create-ticket modal both the board and the device drawer use: the draft, client-side checks
 * shown once the user tried to submit, server field issues, the assignee and the submit through
 * the create store (so a retry reuses the session's idempotency key).
 */
export function TicketCreateDialog({
  config,
  type,
  initialDraft,
  gridId,
  title,
  submitLabel,
  prefix,
  onClose,
  onCreated,
  header,
  footerNote,
}: Props) {
  const { t } = useTranslation();
  const { create } = useStores();
  const submitting = useCreate((s) => s.submitting);
  const serverError = useCreate((s) => s.error);
  const problemText = useProblemText();
  const [draft, setDraft] = useState<TicketDraft>(initialDraft);
  const [assignee, setAssignee] = useState<Assignee | null>(null);
  const [touched, setTouched] = useState(false);

  const problems = useMemo(() => validateDraft(draft, type, 'create'), [draft, type]);
  const invalid = Object.keys(problems).length > 0;
  const issues: Record<string, string> = {
    ...fieldIssues(serverError),
    ...(touched ? Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, problemText(p)])) : {}),
  };

  const submit = async () => {
    setTouched(true);
    if (!type || invalid) return;
    const ticket = await create.getState().submit({
      typeId: type.id,
      title: draft.title.trim(),
      description: draft.description,
      priority: draft.priority,
      assignee,
      businessKeys: keysFromRows(draft.keyRows),
      domains: draft.domains,
      location: draftLocation(draft, gridId).location,
      fields: filledFields(draft.fields),
      source: 'manual',
    });
    if (ticket) onCreated?.(ticket);
  };

  return (
    <FormModal
      title={title}
      onClose={onClose}
      onSubmit={() => void submit()}
      formId={`${prefix}-form`}
      submitLabel={submitting ? t('common.saving') : submitLabel}
      submitTestId={`${prefix}-submit`}
      submitDisabled={submitting}
      width={760}
      testId={`${prefix}-dialog`}
      footerNote={
        <>
          {footerNote}
          {touched && invalid && <span className="form-summary-error">{t('form.fixErrors')}</span>}
        </>
      }
    >
      {header?.(draft, setDraft)}
      <TicketFormFields
        draft={draft}
        onChange={setDraft}
        type={type}
        issues={issues}
        prefix={prefix}
        extra={
          <label className="field">
            <span className="field-label">{t('fieldName.assignee')}</span>
            <AssigneePicker
              config={config}
              value={assignee}
              onChange={setAssignee}
              testId={`${prefix}-assignee`}
            />
            {issues['assignee.id'] && <span className="field-error">{issues['assignee.id']}</span>}
          </label>
        }
      />
      {serverError && (
        <ErrorBanner
          error={serverError}
          onDismiss={() => create.getState().clearError()}
          testId={`${prefix}-error`}
        />
      )}
    </FormModal>
  );
}
