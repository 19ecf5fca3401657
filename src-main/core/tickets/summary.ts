import type { Ticket, TicketSummary } from '@shared/contract';
import type { TicketChanged } from '../events';

export function summaryOf(t: Omit<Ticket, 'comments' | 'history'>): TicketSummary {
  return {
    id: t.id,
    number: t.number,
    typeId: t.typeId,
    title: t.title,
    priority: t.priority,
    status: t.status,
    assignee: t.assignee,
    source: t.source,
    businessKeys: t.businessKeys,
    domains: t.domains,
    sla: t.sla,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    address: t.location?.address ?? null,
  };
}

/** The board row after a change, without loading the whole ticket. */
export function applySetToSummary(summary: TicketSummary, e: TicketChanged): TicketSummary {
  const s = e.set;
  return {
    ...summary,
    ...(s.title !== undefined && { title: s.title }),
    ...(s.priority !== undefined && { priority: s.priority }),
    ...(s.status !== undefined && { status: s.status }),
    ...(s.assignee !== undefined && { assignee: s.assignee }),
    ...(s.businessKeys !== undefined && { businessKeys: s.businessKeys }),
    ...(s.domains !== undefined && { domains: s.domains }),
    ...(s.sla !== undefined && { sla: s.sla }),
    ...(s.location !== undefined && { address: s.location?.address ?? null }),
    version: e.version,
    updatedAt: e.at,
  };
}
