import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useWall } from '../../app/stores-context';
import { PriorityBadge } from '../../components/PriorityBadge';
import { SlaCountdown } from '../../components/SlaCountdown';
import { useTicketLabels } from '../board/use-ticket-labels';

export const WALL_ROW_HEIGHT = 66;
const WALL_HEADER_HEIGHT = 44;

/** How many whole rows fit in the list (a wall never shows half a row); null before measuring. */
function useFittingRows(ref: RefObject<HTMLDivElement | null>): number | null {
  const [rows, setRows] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () =>
      setRows(Math.max(1, Math.floor((el.clientHeight - WALL_HEADER_HEIGHT) / WALL_ROW_HEIGHT)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return rows;
}

/** Open P1/P2 tickets, the soonest resolve due first, with live countdowns. */
export function UrgentList() {
  const { t } = useTranslation();
  const labels = useTicketLabels();
  const urgent = useWall((s) => s.urgent);
  const total = useWall((s) => s.urgentTotal);
  const error = useWall((s) => s.error);
  const updatedAt = useWall((s) => s.updatedAt);
  const loaded = updatedAt !== null;
  const list = useRef<HTMLDivElement>(null);
  const fit = useFittingRows(list);
  const shown = fit === null ? urgent : urgent.slice(0, fit);
  const hidden = total - shown.length;
  return (
    <section className="wall-panel" aria-label={t('wall.urgentTitle')}>
      <header className="wall-panel-header">
        <span className="wall-panel-title">{t('wall.urgentTitle')}</span>
        <span className="wall-panel-count" data-testid="wall-urgent-total">
          {total.toLocaleString()}
        </span>
        <span className="spacer" />
        {error && (
          <span className="wall-error" data-testid="wall-error">
            {error.code} · {t('wall.stale')}
          </span>
        )}
        {hidden > 0 && (
          <span className="wall-more" data-testid="wall-more">
            {t('wall.more', { count: hidden, formatted: hidden.toLocaleString() })}
          </span>
        )}
        {updatedAt !== null && (
          <span className="wall-updated">
            {t('wall.updatedAt', {
              at: formatDateTime(updatedAt, labels.timezone, { seconds: true }).slice(11),
            })}
          </span>
        )}
      </header>
      <div className="wall-list" data-testid="wall-list" ref={list}>
        <div className="wall-row wall-row-header">
          <span>{t('columns.priority')}</span>
          <span>{t('columns.number')}</span>
          <span>{t('columns.title')}</span>
          <span>{t('columns.status')}</span>
          <span>{t('columns.assignee')}</span>
          <span className="right">{t('wall.timeLeft')}</span>
        </div>
        {loaded && urgent.length === 0 && <div className="wall-empty">{t('wall.noUrgent')}</div>}
        {shown.map((ticket) => {
          const type = labels.type(ticket.typeId);
          return (
            <div
              key={ticket.id}
              className={`wall-row prio-row-${ticket.priority.toLowerCase()}`}
              data-testid="wall-row"
              data-number={ticket.number}
            >
              <span>
                <PriorityBadge priority={ticket.priority} large />
              </span>
              <span className="mono wall-number">{ticket.number}</span>
              <span className="wall-ticket-title">
                <span className="type-dot" style={{ background: type?.color }} />
                <span className="ellipsis">{ticket.title}</span>
              </span>
              <span className="wall-status-cell">{labels.status(ticket.typeId, ticket.status).label}</span>
              <span className={ticket.assignee ? '' : 'muted'}>{labels.assignee(ticket.assignee)}</span>
              <span className="right">
                <SlaCountdown sla={ticket.sla} className="wall-sla" />
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
}
