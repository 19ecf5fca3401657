import type { ConnectorConfig } from './connectors/types';
import type {
  ActorRef,
  Comment,
  ConfigDocument,
  Device,
  FieldChange,
  HistoryAction,
  SavedView,
  Ticket,
} from '@shared/contract';

/**
 * Journaled domain events. The journal is the truth; the projection and every ticket's current
 * state are folds over these. `v` lets a later build upcast old events instead of migrating files.
 */
export type TicketSet = Partial<
  Pick<
    Ticket,
    | 'title'
    | 'description'
    | 'priority'
    | 'status'
    | 'assignee'
    | 'businessKeys'
    | 'domains'
    | 'location'
    | 'fields'
    | 'links'
    | 'sla'
  >
>;

interface EventBase {
  v: 1;
  at: string;
  actor: ActorRef;
}

export interface ConfigPublished extends EventBase {
  type: 'config.published';
  config: ConfigDocument;
}

export interface TicketCreated extends EventBase {
  type: 'ticket.created';
  /** The ticket as created, without comments and history (those are folds of the events). */
  ticket: Omit<Ticket, 'comments' | 'history'>;
}

export interface TicketChanged extends EventBase {
  type: 'ticket.changed';
  id: string;
  /** The ticket's version after this event. */
  version: number;
  action: HistoryAction;
  /** New values of the fields this event sets. */
  set: TicketSet;
  /** The same change for people: field, old value, new value. */
  changes: FieldChange[];
  comment?: Comment;
  note?: string;
}

export interface ViewSaved extends EventBase {
  type: 'view.saved';
  view: SavedView;
}

export interface ViewDeleted extends EventBase {
  type: 'view.deleted';
  id: string;
}

export interface DeviceUpserted extends EventBase {
  type: 'device.upserted';
  device: Device;
}

export interface DeviceRemoved extends EventBase {
  type: 'device.removed';
  sn: string;
}

/** A connector's settings without secrets: those live encrypted outside the journal. */
export interface ConnectorSaved extends EventBase {
  type: 'connector.saved';
  connector: StoredConnector;
}

export interface ConnectorRemoved extends EventBase {
  type: 'connector.removed';
  id: string;
}

export interface StoredConnector {
  id: string;
  settings: ConnectorConfig;
  version: number;
  updatedAt: string;
}

/** Kinds of small keyed documents the core keeps beside tickets (predictions, failures, policies …). */
export type RecordNamespace =
  | 'prediction'
  | 'failure'
  | 'predict-policy'
  | 'predict-config'
  | 'reservation'
  | 'hotline-ticket'
  | 'hotline-matrix'
  | 'hotline-classifier'
  | 'hotline-queue'
  | 'hotline-dismissed-call';

/** Puts (creates or replaces) one keyed document. */
export interface RecordPut extends EventBase {
  type: 'record.put';
  ns: RecordNamespace;
  id: string;
  doc: unknown;
}

export type TicketEvent = TicketCreated | TicketChanged;
export type DomainEvent =
  | ConfigPublished
  | TicketCreated
  | TicketChanged
  | ViewSaved
  | ViewDeleted
  | DeviceUpserted
  | DeviceRemoved
  | ConnectorSaved
  | ConnectorRemoved
  | RecordPut;

export function isTicketEvent(e: DomainEvent): e is TicketEvent {
  return e.type === 'ticket.created' || e.type === 'ticket.changed';
}
