import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outcome, type Ticket } from '@shared/contract';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues } from '../../stores/errors';
import { usePredict } from '../../stores/predict/use-predict';
import { useFocusTrap } from '../devices/use-focus-trap';
import { validateOutcome } from './outcome-form';

const OUTCOMES = Outcome.options;

/**
 * "Close with outcome": the engineer says whether the prediction came true and why; the core records
 * it and resolves the ticket in one step (predict/recordOutcome). Escape cancels, Ctrl+Enter submits.
 */
export function OutcomeDialog({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const { predict, detail } = useStores();
  useFocusTrap();
  const busy = usePredict((s) => s.busy === 'outcome');
  const error = usePredict((s) => (s.commandError?.command === 'outcome' ? s.commandError.error : null));
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const problems = validateOutcome(outcome, note);
  const issues = fieldIssues(error);

  const submit = async () => {
    setTouched(true);
    if (problems.outcome || problems.note || !outcome || busy) return;
    const updated = await predict.getState().recordOutcome(ticket.id, ticket.version, outcome, note.trim());
    if (updated) {
      void detail.getState().reload();
      onClose();
    }
  };

  return (
    <FormModal
      title={t('predict.outcome.dialogTitle', { number: ticket.number })}
      onClose={onClose}
      width={520}
      testId="outcome-dialog"
      footerNote={<span className="muted small pp-keys">{t('predict.outcome.hintKeys')}</span>}
      formId="outcome-form"
      onSubmit={() => void submit()}
      submitTestId="outcome-submit"
      submitDisabled={busy}
      submitLabel={busy ? t('predict.outcome.submitting') : t('predict.outcome.submit')}
    >
      <fieldset
        className="pp-outcomes"
        data-testid="outcome-options"
        onKeyDown={(e) => {
          // Enter on a choice submits like Enter in a text field would.
          if (e.key === 'Enter' && (e.target as HTMLElement).matches('input[type=radio]')) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <legend className="field-label required">{t('predict.outcome.question')}</legend>
        {OUTCOMES.map((o, i) => (
          <label key={o} className={`pp-outcome-option${outcome === o ? ' on' : ''}`}>
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={outcome === o}
              data-testid="outcome-option"
              data-outcome={o}
              onChange={() => setOutcome(o)}
              {...(i === 0 ? { 'data-autofocus': true } : {})}
            />
            <span>
              <strong>{t(`predict.outcome.${o}`)}</strong>
              <span className="muted small"> {t(`predict.outcome.hint.${o}`)}</span>
            </span>
          </label>
        ))}
        {touched && problems.outcome && (
          <span className="field-error" data-testid="outcome-error-outcome">
            {t('predict.outcome.chooseOutcome')}
          </span>
        )}
      </fieldset>
      <label className={`field${touched && problems.note ? ' has-error' : ''}`}>
        <span className="field-label required">{t('predict.outcome.note')}</span>
        <textarea
          className="input"
          rows={4}
          maxLength={4000}
          data-testid="outcome-note"
          placeholder={t('predict.outcome.notePlaceholder')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        {touched && problems.note && (
          <span className="field-error" data-testid="outcome-error-note">
            {t('predict.outcome.noteRequired')}
          </span>
        )}
        {issues.note && <span className="field-error">{issues.note}</span>}
      </label>
      {error && (
        <ErrorBanner
          error={error}
          onReload={() => {
            void detail.getState().reload();
            predict.getState().clearCommandError();
          }}
          onDismiss={() => predict.getState().clearCommandError()}
          testId="outcome-error"
        />
      )}
    </FormModal>
  );
}
