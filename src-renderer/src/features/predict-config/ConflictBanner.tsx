import { useTranslation } from 'react-i18next';
import { ErrorCode } from '@shared/contract';

/**
 * A stale save of the predictive configuration: says so in its own words (the shared banner's
 * text is about tickets) and offers the reload; the draft stays where it is.
 */
export function ConflictBanner({
  current,
  onReload,
  onDismiss,
  testId,
}: {
  current: unknown;
  onReload: () => void;
  onDismiss: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="error-banner" role="alert" data-testid={testId} data-code={ErrorCode.Conflict}>
      <div className="error-main">
        <code className="error-code">{ErrorCode.Conflict}</code>
        <strong>{t('predict.config.conflictTitle')}</strong>
      </div>
      <div className="error-message" data-testid="config-conflict">
        {t('predict.config.conflict', {
          version: typeof current === 'number' ? String(current) : '?',
        })}
      </div>
      <div className="error-actions">
        <button type="button" className="button small primary" onClick={onReload} data-testid="error-reload">
          {t('errors.reload')}
        </button>
        <button type="button" className="button small ghost" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      </div>
    </div>
  );
}
