import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Assignee, ConfigDocument, Ticket, WorkflowTransition } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useDetail, useStores } from '../../app/stores-context';
import { AssigneePicker } from '../../components/AssigneePicker';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues } from '../../stores/errors';

/** Asks for what a transition needs: a note (requiresNote) and an assignee (requiresAssignee, none yet). */
export function TransitionDialog({
  ticket,
  transition,
  config,
  onClose,
}: {
  ticket: Ticket;
  transition: WorkflowTransition;
  config: ConfigDocument;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { detail } = useStores();
  const busy = useDetail((s) => s.busy);
  const actionError = useDetail((s) => (s.actionError?.action === 'transition' ? s.actionError.error : null));
  const [note, setNote] = useState('');
  const needsAssignee = transition.requiresAssignee && !ticket.assignee;
  const [assignee, setAssignee] = useState<Assignee | null>(null);
  const issues = fieldIssues(actionError);
  const missingNote = transition.requiresNote && !note.trim();
  const missingAssignee = needsAssignee && !assignee;

  const submit = async () => {
    if (missingNote || missingAssignee) return;
    const ok = await detail
      .getState()
      .transition(transition.to, note.trim() || undefined, needsAssignee ? assignee : undefined);
    if (ok) onClose();
  };

  return (
    <FormModal
      title={t('transition.dialogTitle', { action: loc(transition.label) })}
      onClose={onClose}
      width={480}
      testId="transition-dialog"
      formId="transition-form"
      onSubmit={() => void submit()}
      submitTestId="transition-confirm"
      submitDisabled={!!busy || missingNote || missingAssignee}
      submitLabel={loc(transition.label)}
    >
      <p className="muted">{t('transition.dialogHint', { number: ticket.number })}</p>
      {needsAssignee && (
        <label className="field">
          <span className="field-label required">{t('transition.assigneeRequired')}</span>
          <AssigneePicker
            config={config}
            value={assignee}
            onChange={setAssignee}
            testId="transition-assignee"
            allowNone={false}
          />
          {issues.assignee && <span className="field-error">{issues.assignee}</span>}
        </label>
      )}
      <label className="field">
        <span className={`field-label${transition.requiresNote ? ' required' : ''}`}>
          {transition.requiresNote ? t('transition.noteRequired') : t('transition.noteOptional')}
        </span>
        <textarea
          className="input"
          rows={4}
          data-testid="transition-note"
          value={note}
          maxLength={4000}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
          data-autofocus
        />
        {issues.note && <span className="field-error">{issues.note}</span>}
      </label>
      {actionError && <ErrorBanner error={actionError} onReload={() => void detail.getState().reload()} />}
    </FormModal>
  );
}
