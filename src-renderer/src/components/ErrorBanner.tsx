import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorCode } from '@shared/contract';
import type { AppError } from '../stores/errors';

interface ErrorBannerProps {
  error: AppError;
  /** Shown for CONFLICT: reload the latest version. */
  onReload?: () => void;
  onRetry?: () => void;
  onDismiss?: () => void;
  /** Extra content, e.g. the allowed transitions of TRANSITION_NOT_ALLOWED. */
  children?: ReactNode;
  testId?: string;
}

/** An error with its contract code, a human explanation of the common codes, and the useful action. */
export function ErrorBanner({
  error,
  onReload,
  onRetry,
  onDismiss,
  children,
  testId = 'error-banner',
}: ErrorBannerProps) {
  const { t } = useTranslation();
  const explanation =
    error.code === ErrorCode.Conflict
      ? t('errors.conflict')
      : error.code === ErrorCode.TransitionNotAllowed
        ? t('errors.transitionNotAllowed')
        : error.code === ErrorCode.InvalidArgument
          ? t('errors.invalidArgument')
          : error.code === ErrorCode.Disconnected || error.code === ErrorCode.Timeout
            ? t('errors.disconnected')
            : error.code === ErrorCode.PermissionDenied
              ? t('errors.permissionDenied')
              : error.code === ErrorCode.NotFound
                ? t('errors.notFound')
                : t('errors.generic');
  return (
    <div className="error-banner" role="alert" data-testid={testId} data-code={error.code}>
      <div className="error-main">
        <code className="error-code">{error.code}</code>
        <strong>{explanation}</strong>
      </div>
      <div className="error-message">{error.message}</div>
      {children}
      <div className="error-actions">
        {error.code === ErrorCode.Conflict && onReload && (
          <button
            type="button"
            className="button small primary"
            onClick={onReload}
            data-testid="error-reload"
          >
            {t('errors.reload')}
          </button>
        )}
        {onRetry && (
          <button type="button" className="button small" onClick={onRetry}>
            {t('common.retry')}
          </button>
        )}
        {onDismiss && (
          <button type="button" className="button small ghost" onClick={onDismiss}>
            {t('common.dismiss')}
          </button>
        )}
      </div>
    </div>
  );
}
