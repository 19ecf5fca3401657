import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument, PredictionRecord, Ticket } from '@shared/contract';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues } from '../../stores/errors';
import { usePredict } from '../../stores/predict/use-predict';
import { useFocusTrap } from '../devices/use-focus-trap';
import { overrideChoices } from './override-choices';
import { formatScore } from './prediction-format';

/** The operator picks another engineer than the strategy's choice, with a reason; the core records it. */
export function OverrideDialog({
  ticket,
  record,
  config,
  onClose,
}: {
  ticket: Ticket;
  record: PredictionRecord;
  config: ConfigDocument;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { predict } = useStores();
  useFocusTrap();
  const busy = usePredict((s) => s.busy === 'override');
  const error = usePredict((s) => (s.commandError?.command === 'override' ? s.commandError.error : null));
  const choices = useMemo(
    () => overrideChoices(record.dispatch, config.directory.users),
    [record.dispatch, config],
  );
  const [userId, setUserId] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missingUser = !userId;
  const missingReason = !reason.trim();
  const current = record.dispatch?.override?.userId ?? record.dispatch?.chosen?.userId ?? null;
  const issues = fieldIssues(error);

  const submit = async () => {
    setTouched(true);
    if (missingUser || missingReason || busy) return;
    if (await predict.getState().overrideDispatch(userId, reason.trim())) onClose();
  };

  // A failed override's error must not greet the next opening, however this one was left.
  const close = () => {
    predict.getState().clearCommandError();
    onClose();
  };

  return (
    <FormModal
      title={t('predict.overrideDialog.title', { number: ticket.number })}
      onClose={close}
      width={480}
      testId="override-dialog"
      formId="override-form"
      onSubmit={() => void submit()}
      submitTestId="override-submit"
      submitDisabled={busy}
      submitLabel={busy ? t('common.saving') : t('predict.overrideDialog.submit')}
    >
      <label className={`field${touched && missingUser ? ' has-error' : ''}`}>
        <span className="field-label required">{t('predict.overrideDialog.engineer')}</span>
        <select
          className="input"
          data-testid="override-engineer"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          data-autofocus
        >
          <option value="">{t('predict.overrideDialog.choose')}</option>
          {choices.candidates.length > 0 && (
            <optgroup label={t('predict.overrideDialog.candidates')}>
              {choices.candidates.map((c) => (
                <option key={c.userId} value={c.userId}>
                  {t('predict.overrideDialog.withScore', { name: c.name, score: formatScore(c.score) })}
                </option>
              ))}
            </optgroup>
          )}
          {choices.others.length > 0 && (
            <optgroup label={t('predict.overrideDialog.others')}>
              {choices.others.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {touched && missingUser && (
          <span className="field-error">{t('predict.overrideDialog.engineerRequired')}</span>
        )}
        {userId && userId === current && (
          <span className="muted small">{t('predict.overrideDialog.sameAsChosen')}</span>
        )}
        {issues.userId && <span className="field-error">{issues.userId}</span>}
      </label>
      <label className={`field${touched && missingReason ? ' has-error' : ''}`}>
        <span className="field-label required">{t('predict.overrideDialog.reason')}</span>
        <input
          className="input"
          data-testid="override-reason"
          maxLength={500}
          placeholder={t('predict.overrideDialog.reasonPlaceholder')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {touched && missingReason && (
          <span className="field-error" data-testid="override-error-reason">
            {t('predict.overrideDialog.reasonRequired')}
          </span>
        )}
        {issues.reason && <span className="field-error">{issues.reason}</span>}
      </label>
      {error && (
        <ErrorBanner
          error={error}
          onDismiss={() => predict.getState().clearCommandError()}
          testId="override-error"
        />
      )}
    </FormModal>
  );
}
