import type { Ticket } from '@shared/contract';
import type { TicketEvent } from '../events';

/**
 * A ticket's state is the fold of its events. The same function serves commands (the state after
 * a new event) and reads (the state from the journal), so both always agree.
 */
export function applyTicketEvent(state: Ticket | undefined, e: TicketEvent): Ticket {
  if (e.type === 'ticket.created') {
    return {
      ...e.ticket,
      comments: [],
      history: [{ version: e.ticket.version, at: e.at, actor: e.actor, action: 'created', changes: [] }],
    };
  }
  if (!state) throw new Error(`ticket.changed for ${e.id} before its ticket.created`);
  if (e.version !== state.version + 1) {
    throw new Error(`ticket ${e.id}: event version ${e.version} does not follow ${state.version}`);
  }
  return {
    ...state,
    ...e.set,
    version: e.version,
    updatedAt: e.at,
    comments: e.comment ? [...state.comments, e.comment] : state.comments,
    history: [
      ...state.history,
      {
        version: e.version,
        at: e.at,
        actor: e.actor,
        action: e.action,
        changes: e.changes,
        ...(e.note !== undefined && { note: e.note }),
      },
    ],
  };
}

export function foldTicket(events: readonly TicketEvent[]): Ticket | undefined {
  let state: Ticket | undefined;
  for (const e of events) state = applyTicketEvent(state, e);
  return state;
}
