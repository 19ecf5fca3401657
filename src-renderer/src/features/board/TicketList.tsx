import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '@shared/contract';
import { useBoard, useStores } from '../../app/stores-context';
import { Spinner } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LIST_ID } from '../../stores/board/board-store';
import { rowAt } from '../../stores/board/page-cache';
import { PlaceholderRow, TicketRow } from './TicketRow';
import { BoardEmpty } from './BoardEmpty';
import { useTicketLabels } from './use-ticket-labels';

export const ROW_HEIGHT = 34;

/** Width of the list's vertical scrollbar (0 for overlay scrollbars), so the header lines up. */
function useScrollbarWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(el.offsetWidth - el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** The board list: virtualized over the whole result, pages fetched for the rows on screen. */
export function TicketList() {
  const { t } = useTranslation();
  const { board, detail } = useStores();
  const list = useBoard((s) => s.lists[LIST_ID]);
  const epoch = useBoard((s) => s.epoch);
  const selection = useBoard((s) => (s.selection?.listId === LIST_ID ? s.selection.index : -1));
  const labels = useTicketLabels();
  const scroller = useRef<HTMLDivElement>(null);
  const scrollbar = useScrollbarWidth(scroller);
  const total = list?.cache.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (list) board.getState().setRange(LIST_ID, first, last);
  }, [board, list, first, last]);

  // A new query starts at the top.
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [epoch]);

  useEffect(() => {
    if (selection >= 0) virtualizer.scrollToIndex(selection, { align: 'auto' });
  }, [selection, virtualizer]);

  const onActivate = useCallback(
    (index: number, ticket: TicketSummary) => {
      // Through the drawer's guard: unsaved edits of another ticket ask first (and keep the selection).
      detail.getState().requestOpen(ticket.id, () => board.getState().select(LIST_ID, index));
    },
    [board, detail],
  );

  if (!list) return null;
  const loadingFirst = list.cache.total === null;

  return (
    <div className="ticket-list" role="grid" aria-rowcount={total} data-testid="ticket-list">
      <div className="row list-header" role="row" style={{ paddingRight: 16 + scrollbar }}>
        <span className="cell c-number">{t('columns.number')}</span>
        <span className="cell c-priority">{t('columns.priority')}</span>
        <span className="cell c-type">{t('columns.type')}</span>
        <span className="cell c-title">{t('columns.title')}</span>
        <span className="cell c-status">{t('columns.status')}</span>
        <span className="cell c-assignee">{t('columns.assignee')}</span>
        <span className="cell c-keys">{t('columns.businessKeys')}</span>
        <span className="cell c-sla">{t('columns.sla')}</span>
        <span className="cell c-updated">{t('columns.updated')}</span>
      </div>
      {list.error && (
        <ErrorBanner error={list.error} onRetry={() => void board.getState().refresh()} testId="list-error" />
      )}
      <div className="list-scroll" ref={scroller}>
        {loadingFirst && !list.error && <Spinner label={t('common.loading')} />}
        {!loadingFirst && total === 0 && <BoardEmpty />}
        <div className="list-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const ticket = rowAt(list.cache, item.index);
            return ticket ? (
              <TicketRow
                key={item.key}
                ticket={ticket}
                index={item.index}
                top={item.start}
                selected={item.index === selection}
                labels={labels}
                onActivate={onActivate}
              />
            ) : (
              <PlaceholderRow key={`p${item.index}`} index={item.index} top={item.start} />
            );
          })}
        </div>
      </div>
    </div>
  );
}
