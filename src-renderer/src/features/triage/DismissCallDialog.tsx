import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncomingCall } from '@shared/contract';
import { formatClock } from '../../app/format';
import { useStores } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { fieldIssues } from '../../stores/errors';
import { useHotline } from '../../stores/hotline/use-hotline';
import { useFocusTrap } from '../devices/use-focus-trap';
import './triage-dismiss.css';

const QUICK = ['hungUp', 'wrongNumber', 'test', 'repeat'] as const;

/**
 * Takes the picked call off the queue without a ticket (hung up, wrong number, test call, a call
 * already taken): the reason is recorded by the hub. Quick reasons are one click (or Tab + Space).
 */
export function DismissCallDialog({
  call,
  timeZone,
  onClose,
  onDone,
}: {
  call: IncomingCall;
  timeZone: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { hotline } = useStores();
  useFocusTrap();
  const busy = useHotline((s) => s.dismissing);
  const error = useHotline((s) => s.dismissError);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = !reason.trim();
  const issue = fieldIssues(error).reason;

  const close = (): void => {
    hotline.getState().clearDismissError();
    onClose();
  };

  const submit = async (text = reason): Promise<void> => {
    setTouched(true);
    if (!text.trim() || busy) return;
    if (await hotline.getState().dismissCall(call.id, text)) onDone();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape') {
      // The triage view has no global Escape: the dialog closes itself.
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  return (
    <FormModal
      title={t('hotline.dismiss.title')}
      onClose={close}
      width={480}
      testId="dismiss-dialog"
      formId="dismiss-form"
      onSubmit={() => void submit()}
      submitTestId="dismiss-submit"
      submitDisabled={busy}
      submitLabel={busy ? t('hotline.dismiss.working') : t('hotline.dismiss.submit')}
      footerNote={<span className="muted small triage-footer-note">{t('hotline.dispatch.dialog.keys')}</span>}
    >
      <div className="triage-dismiss" onKeyDown={onKeyDown}>
        <p className="muted small triage-dismiss-call">
          {t('hotline.dismiss.call', {
            time: formatClock(Date.parse(call.receivedAt), timeZone).slice(0, 5),
            caller: [call.callerName ?? t('hotline.triage.queue.noCaller'), call.callerPhone]
              .filter(Boolean)
              .join(' '),
          })}
        </p>
        <blockquote className="triage-dismiss-text">{call.text}</blockquote>
        <div className={`field${(touched && missing) || issue ? ' has-error' : ''}`}>
          <label className="field-label required" htmlFor="dismiss-reason">
            {t('hotline.dismiss.reason')}
          </label>
          <div className="triage-dismiss-quick" role="group" aria-label={t('hotline.dismiss.reason')}>
            {QUICK.map((k) => {
              const text = t(`hotline.dismiss.quick.${k}`);
              return (
                <button
                  key={k}
                  type="button"
                  className={`button small${reason === text ? ' on' : ''}`}
                  data-testid="dismiss-quick-reason"
                  data-reason={k}
                  aria-pressed={reason === text}
                  onClick={() => setReason(text)}
                >
                  {text}
                </button>
              );
            })}
          </div>
          <input
            id="dismiss-reason"
            className="input"
            data-testid="dismiss-reason"
            data-autofocus
            maxLength={200}
            placeholder={t('hotline.dismiss.reasonPlaceholder')}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              if (error) hotline.getState().clearDismissError();
            }}
          />
          {touched && missing && (
            <span className="field-error" data-testid="dismiss-error-reason">
              {t('hotline.dismiss.reasonRequired')}
            </span>
          )}
          {issue && <span className="field-error">{issue}</span>}
        </div>
        <p className="muted small">{t('hotline.dismiss.hint')}</p>
        {error && !issue && (
          <ErrorBanner
            error={error}
            onRetry={() => void submit()}
            onDismiss={() => hotline.getState().clearDismissError()}
            testId="dismiss-error"
          />
        )}
      </div>
    </FormModal>
  );
}
