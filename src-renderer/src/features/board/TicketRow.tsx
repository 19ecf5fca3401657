import { memo } from 'react';
import type { TicketSummary } from '@shared/contract';
import { formatShortDateTime } from '../../app/format';
import { PriorityBadge } from '../../components/PriorityBadge';
import { SlaCountdown } from '../../components/SlaCountdown';
import { StatusBadge } from '../../components/StatusBadge';
import { TypeBadge } from '../../components/TypeBadge';
import type { TicketLabels } from './use-ticket-labels';

interface TicketRowProps {
  ticket: TicketSummary;
  index: number;
  selected: boolean;
  labels: TicketLabels;
  top: number;
  onActivate: (index: number, ticket: TicketSummary) => void;
}

export const TicketRow = memo(function TicketRow({
  ticket,
  index,
  selected,
  labels,
  top,
  onActivate,
}: TicketRowProps) {
  const status = labels.status(ticket.typeId, ticket.status);
  const keys = Object.entries(ticket.businessKeys);
  return (
    <div
      className={`row ticket-row${selected ? ' selected' : ''} prio-row-${ticket.priority.toLowerCase()}`}
      role="row"
      aria-selected={selected}
      data-testid="ticket-row"
      data-number={ticket.number}
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onActivate(index, ticket)}
    >
      <span className="cell c-number mono">{ticket.number}</span>
      <span className="cell c-priority">
        <PriorityBadge priority={ticket.priority} />
      </span>
      <span className="cell c-type">
        <TypeBadge type={labels.type(ticket.typeId)} fallback={ticket.typeId} />
      </span>
      <span
        className="cell c-title"
        title={ticket.address ? `${ticket.title}\n${ticket.address}` : ticket.title}
      >
        {ticket.title}
        {ticket.address && <span className="c-address">{ticket.address}</span>}
      </span>
      <span className="cell c-status">
        <StatusBadge label={status.label} category={status.category} />
      </span>
      <span className={`cell c-assignee${ticket.assignee ? '' : ' muted'}`}>
        {labels.assignee(ticket.assignee)}
      </span>
      <span className="cell c-keys" title={keys.map(([k, v]) => `${labels.businessKey(k)}: ${v}`).join('\n')}>
        {keys.map(([k, v]) => (
          <span key={k} className="key-chip">
            <span className="key-name">{labels.businessKey(k)}</span>
            <span className="mono">{v}</span>
          </span>
        ))}
      </span>
      <span className="cell c-sla">
        <SlaCountdown sla={ticket.sla} />
      </span>
      <span className="cell c-updated mono muted">
        {formatShortDateTime(ticket.updatedAt, labels.timezone)}
      </span>
    </div>
  );
});

export function PlaceholderRow({ top, index }: { top: number; index: number }) {
  return (
    <div
      className="row ticket-row placeholder"
      role="row"
      data-testid="ticket-row-placeholder"
      data-index={index}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="cell c-number">
        <span className="skeleton" style={{ width: 120 }} />
      </span>
      <span className="cell c-priority">
        <span className="skeleton" style={{ width: 26 }} />
      </span>
      <span className="cell c-type">
        <span className="skeleton" style={{ width: 80 }} />
      </span>
      <span className="cell c-title">
        <span className="skeleton" style={{ width: `${40 + ((index * 37) % 45)}%` }} />
      </span>
    </div>
  );
}
