import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useStores } from '../../app/stores-context';
import { usePredict } from '../../stores/predict/use-predict';
import { summarizeStatus } from './model-status';
import './prediction.css';

/**
 * The header's model indicator: ready / loading / missing or invalid (with the count) / rules only;
 * the tooltip carries the error texts. Clicking it opens the prediction-quality page.
 */
export function ModelStatusBadge({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const { predict } = useStores();
  const status = usePredict((s) => s.status);
  const error = usePredict((s) => s.statusError);
  useEffect(() => {
    if (!predict.getState().status) void predict.getState().loadStatus();
  }, [predict]);
  const summary = summarizeStatus(status, error);
  if (!summary) return null;
  const tooltip = [
    t('predict.badge.title'),
    ...summary.errors,
    summary.rulesOnly.length ? t('predict.badge.rulesOnly', { kinds: summary.rulesOnly.join(', ') }) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <button
      type="button"
      className={`model-badge tone-${summary.tone}`}
      data-testid="model-status-badge"
      data-tone={summary.tone}
      data-label={summary.label}
      title={tooltip}
      onClick={onOpen}
    >
      <span className="model-badge-dot" aria-hidden="true" />
      {t(`predict.badge.${summary.label}`, { count: summary.problems })}
    </button>
  );
}
