import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useBoard, useStores } from '../../app/stores-context';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PriorityBadge } from '../../components/PriorityBadge';
import { SlaCountdown } from '../../components/SlaCountdown';
import { columnCount, type KanbanColumn as Column } from '../../stores/board/board-query';
import { rowAt } from '../../stores/board/page-cache';
import { BoardEmpty } from './BoardEmpty';
import { useTicketLabels, type TicketLabels } from './use-ticket-labels';

export const CARD_HEIGHT = 106;
const CARD_GAP = 8;

/** Columns by status category, or by the workflow states of the one filtered type. */
export function Kanban() {
  const { t } = useTranslation();
  const columns = useBoard((s) => s.columns);
  const facets = useBoard((s) => s.facets);
  if (columns.length === 0) return <EmptyState title={t('common.loading')} />;
  const everyEmpty = facets?.total === 0;
  return (
    <div className="kanban-wrap">
      {everyEmpty && <BoardEmpty hint={false} />}
      <div
        className="kanban"
        style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(240px, 1fr))` }}
      >
        {columns.map((c) => (
          <KanbanColumn key={c.id} column={c} count={columnCount(facets, c)} />
        ))}
      </div>
    </div>
  );
}

function KanbanColumn({ column, count }: { column: Column; count: number | null }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { board, detail } = useStores();
  const list = useBoard((s) => s.lists[column.id]);
  const epoch = useBoard((s) => s.epoch);
  const selected = useBoard((s) => (s.selection?.listId === column.id ? s.selection.index : -1));
  const labels = useTicketLabels();
  const scroller = useRef<HTMLDivElement>(null);
  const total = list?.cache.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT + CARD_GAP,
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (list) board.getState().setRange(column.id, first, last);
  }, [board, list, column.id, first, last]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [epoch]);
  useEffect(() => {
    if (selected >= 0) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, virtualizer]);

  const title =
    column.label.kind === 'category' ? t(`category.${column.label.category}`) : loc(column.label.label);
  return (
    <section
      className={`kanban-column cat-border-${column.category}`}
      data-testid="kanban-column"
      data-column={column.id}
    >
      <header className="kanban-header">
        <span className={`cat-dot cat-${column.category}`} />
        <span className="kanban-title">{title}</span>
        <span className="kanban-count" data-testid="kanban-count">
          {(count ?? list?.cache.total ?? 0).toLocaleString()}
        </span>
      </header>
      {list?.error && <ErrorBanner error={list.error} onRetry={() => void board.getState().refresh()} />}
      <div className="kanban-scroll" ref={scroller}>
        {list && list.cache.total === 0 && <div className="kanban-empty">{t('board.columnEmpty')}</div>}
        <div className="list-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const ticket = list ? rowAt(list.cache, item.index) : undefined;
            return (
              <div
                key={item.key}
                className="card-slot"
                style={{ transform: `translateY(${item.start}px)`, height: CARD_HEIGHT }}
              >
                {ticket ? (
                  <KanbanCard
                    ticket={ticket}
                    labels={labels}
                    selected={item.index === selected}
                    onClick={() =>
                      detail
                        .getState()
                        .requestOpen(ticket.id, () => board.getState().select(column.id, item.index))
                    }
                  />
                ) : (
                  <div className="card placeholder" data-testid="kanban-card-placeholder">
                    <span className="skeleton" style={{ width: '50%' }} />
                    <span className="skeleton" style={{ width: '85%' }} />
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

const KanbanCard = memo(function KanbanCard({
  ticket,
  labels,
  selected,
  onClick,
}: {
  ticket: TicketSummary;
  labels: TicketLabels;
  selected: boolean;
  onClick: () => void;
}) {
  const loc = useLocalize();
  const type = labels.type(ticket.typeId);
  const status = labels.status(ticket.typeId, ticket.status);
  return (
    <div
      className={`card${selected ? ' selected' : ''}`}
      style={{ borderLeftColor: type?.color }}
      data-testid="kanban-card"
      data-number={ticket.number}
      aria-selected={selected}
      onClick={onClick}
    >
      <div className="card-top">
        <PriorityBadge priority={ticket.priority} />
        <span className="mono card-number">{ticket.number}</span>
        <span
          className="type-dot"
          style={{ background: type?.color }}
          title={type ? loc(type.name) : ticket.typeId}
        />
      </div>
      <div className="card-title" title={ticket.title}>
        {ticket.title}
      </div>
      <div className="card-bottom">
        <span className="card-status">{status.label}</span>
        <span className={`card-assignee${ticket.assignee ? '' : ' muted'}`}>
          {labels.assignee(ticket.assignee)}
        </span>
        <SlaCountdown sla={ticket.sla} className="card-sla" />
      </div>
    </div>
  );
});
