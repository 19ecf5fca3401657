import { useTranslation } from 'react-i18next';
import type { SlaState } from '@shared/contract';
import { slaPhase, slaRemainingMs } from '@shared/domain';
import { formatCountdown } from '../app/format';
import { useNow } from '../app/use-now';

/** Time left to resolve, ticking each second, coloured by SLA phase. */
export function SlaCountdown({
  sla,
  className,
}: {
  sla: Pick<SlaState, 'resolveDueAt' | 'resolvedAt'>;
  className?: string;
}) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const phase = slaPhase(sla, now);
  const left = slaRemainingMs(sla, now);
  let text: string;
  if (phase === 'none') text = '—';
  else if (phase === 'met') text = t('sla.met');
  else if (left === null) text = t('sla.breachedDone');
  else text = formatCountdown(left, t('time.daySuffix'));
  return (
    <span
      className={`sla sla-${phase} ${className ?? ''}`}
      data-phase={phase}
      title={t(`sla.phase.${phase}`)}
    >
      {text}
    </span>
  );
}
