import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../../app/format';
import { useConfig, useStores } from '../../app/stores-context';
import { useNow } from '../../app/use-now';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useHotline } from '../../stores/hotline/use-hotline';

/** The calls waiting for an agent, oldest first; the one on the card is marked. */
export function QueueList() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const queue = useHotline((s) => s.queue);
  const current = useHotline((s) => s.draft.incomingId);
  const timeZone = useConfig((s) => s.config?.timezone ?? 'Asia/Shanghai');
  const now = useNow(15_000);
  const listRef = useRef<HTMLOListElement>(null);
  const calls = queue.data ?? [];

  // Keep the picked call in view while ↑↓ move through a long queue.
  useEffect(() => {
    if (!current) return;
    listRef.current
      ?.querySelector(`[data-call-id="${CSS.escape(current)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  return (
    <section className="triage-queue" data-testid="triage-queue" aria-label={t('hotline.triage.queue.title')}>
      <header className="triage-section-head">
        <span>{t('hotline.triage.queue.title')}</span>
        <span className="triage-count" data-testid="triage-queue-count">
          {calls.length}
        </span>
      </header>
      {queue.error && (
        <ErrorBanner
          error={queue.error}
          onRetry={() => void hotline.getState().loadQueue()}
          testId="triage-queue-error"
        />
      )}
      {!queue.error && queue.data && calls.length === 0 && (
        <EmptyState title={t('hotline.triage.queue.empty')} hint={t('hotline.triage.queue.emptyHint')} />
      )}
      <ol className="triage-queue-list" ref={listRef}>
        {calls.map((c) => {
          const minutes = Math.max(0, Math.floor((now - Date.parse(c.receivedAt)) / 60_000));
          return (
            <li key={c.id}>
              <button
                type="button"
                className={`triage-call${c.id === current ? ' active' : ''}`}
                data-testid="triage-call"
                data-call-id={c.id}
                aria-current={c.id === current}
                onClick={() => hotline.getState().pick(c.id)}
              >
                <span className="triage-call-head">
                  <span className="mono">{formatClock(Date.parse(c.receivedAt), timeZone).slice(0, 5)}</span>
                  <span className="triage-chip">{t(`hotline.channel.${c.channel}`)}</span>
                  <span className={`triage-wait${minutes >= 3 ? ' late' : ''}`}>
                    {minutes < 1
                      ? t('hotline.triage.queue.justNow')
                      : t('hotline.triage.queue.waited', { minutes })}
                  </span>
                </span>
                <span className="triage-call-caller">
                  {c.callerName ?? t('hotline.triage.queue.noCaller')}
                  {c.callerPhone && <span className="mono muted"> {c.callerPhone}</span>}
                </span>
                <span className="triage-call-text">{c.text}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
