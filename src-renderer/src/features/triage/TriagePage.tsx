import './triage.css';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStores } from '../../app/stores-context';
import { isModalOpen } from '../../components/modal-stack';
import { useHotline } from '../../stores/hotline/use-hotline';
import { QueueList } from './QueueList';
import { RequestCard } from './RequestCard';
import { TriageMapView } from './TriageMapView';
import { isTextField, triageActionFor } from './triage-keys';

/**
 * 受理台: the hotline agent's view. Left, the calls waiting (oldest first); centre, the request card
 * (text → category, address → grid cell → department, duplicates, dispatch); right, the map with the
 * cell. Every step is one keystroke (see triage-keys.ts).
 */
export function TriagePage() {
  const { t } = useTranslation();
  const { hotline } = useStores();
  const waiting = useHotline((s) => s.waiting);
  const textRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void hotline.getState().loadQueue();
  }, [hotline]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = triageActionFor(
        {
          key: e.key,
          code: e.code,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          shiftKey: e.shiftKey,
          inField: isTextField(document.activeElement),
        },
        isModalOpen(),
      );
      if (!action) return;
      const s = hotline.getState();
      e.preventDefault();
      switch (action.kind) {
        case 'dispatch':
          void s.submit().then((r) => {
            if (r) textRef.current?.focus();
          });
          break;
        case 'newCall':
          s.newCall();
          textRef.current?.focus();
          break;
        case 'alternative': {
          const alt = s.suggestion?.alternatives[action.index];
          if (alt) s.setCategory(alt.category);
          break;
        }
        case 'restoreCategory':
          s.setCategory(null);
          break;
        case 'linkDuplicate': {
          const first = s.duplicates[0];
          if (first) s.linkDuplicate(s.draft.duplicateOf === first.ticketId ? null : first.ticketId);
          break;
        }
        case 'pick':
          s.pickNext(action.step);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hotline]);

  return (
    <div className="triage-page" data-testid="triage-page">
      <div className="toolbar triage-toolbar">
        <h1 className="triage-title">{t('hotline.triage.title')}</h1>
        <span className="triage-waiting" data-testid="triage-waiting" data-count={waiting}>
          {t('hotline.triage.waiting', { count: waiting })}
        </span>
        <button
          type="button"
          className="button small"
          data-testid="triage-new-call"
          onClick={() => {
            hotline.getState().newCall();
            textRef.current?.focus();
          }}
        >
          {t('hotline.triage.newCall')} <kbd>Alt+N</kbd>
        </button>
        <span className="spacer" />
        <span className="triage-keys muted small">{t('hotline.triage.keys')}</span>
      </div>
      <div className="triage-body">
        <QueueList />
        <RequestCard textRef={textRef} />
        <TriageMapView />
      </div>
    </div>
  );
}
