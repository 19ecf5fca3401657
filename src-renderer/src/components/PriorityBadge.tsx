import { useTranslation } from 'react-i18next';
import type { Priority } from '@shared/contract';

export function PriorityBadge({ priority, large }: { priority: Priority; large?: boolean }) {
  const { t } = useTranslation();
  return (
    <span
      className={`prio prio-${priority.toLowerCase()}${large ? ' prio-large' : ''}`}
      title={t(`priority.${priority}`)}
    >
      {priority}
    </span>
  );
}
