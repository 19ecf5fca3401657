import type {
  ConfigDocument,
  Device,
  SimulatorStatus,
  RecoveryReport,
  SavedView,
  TicketFacetsResult,
  TicketFilter,
  TicketListQuery,
  TicketListResult,
  TicketStatsResult,
} from '@shared/contract';
import type { DomainEvent, RecordNamespace, StoredConnector, TicketEvent } from './events';

export type TicketLookup = { id: string } | { number: string } | { idempotencyKey: string };

export interface StoreCounts {
  events: number;
  journalBytes: number;
  tickets: number;
}

/**
 * Persistence as the core needs it. The file store (journal + sql.js) implements it today; a
 * PostgreSQL store for a hub that outgrows one machine would implement the same port.
 *
 * `append` must make the events visible to the reads below before it returns its promise and must
 * resolve the promise only once the events are durable. The core serialises commands, so a read
 * followed by an append inside one command sees no interleaved writes.
 */
export interface StoragePort {
  readonly kind: string;
  readonly recovery: RecoveryReport;
  append(events: DomainEvent[]): Promise<void>;
  /**
   * Resolves once everything appended so far is durable. A command that changes nothing (a repeated
   * idempotency key, a no-op patch) answers from state that may not be durable yet; it waits here.
   */
  whenDurable(): Promise<void>;
  ticketEvents(id: string): Promise<TicketEvent[]>;
  findTicket(lookup: TicketLookup): Promise<string | null>;
  listTickets(query: TicketListQuery, now: number): Promise<TicketListResult>;
  facets(filter: TicketFilter, now: number): Promise<TicketFacetsResult>;
  stats(now: number, dayStart: number): Promise<TicketStatsResult>;
  latestConfig(): Promise<ConfigDocument | null>;
  views(): Promise<SavedView[]>;
  /** The device registry in registry order, and its version (bumped by every registry change). */
  devices(): Promise<{ version: number; devices: Device[] }>;
  device(sn: string): Promise<Device | null>;
  connectors(): Promise<StoredConnector[]>;
  /** Every keyed document of a namespace (latest put per id). */
  records(ns: RecordNamespace): Promise<{ id: string; doc: unknown }[]>;
  nextTicketNumber(year: number): Promise<number>;
  counts(): StoreCounts;
  /** Writes a snapshot of the read side so the next start replays only the journal tail. */
  snapshot(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Encryption of secrets at rest, provided by the host: Electron's safeStorage on the desktop, an
 * AES key in a 0600 key file for the Node host. Blobs are opaque text.
 */
export interface SecretsPort {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(blob: string): string;
}

/** The fleet simulator as the core drives it (demo mode); the host decides where it publishes. */
export interface SimulatorPort {
  status(): SimulatorStatus;
  start(options: { devices?: number; speed?: number; seed?: number }): Promise<SimulatorStatus>;
  stop(): Promise<SimulatorStatus>;
  onChange(listener: (status: SimulatorStatus) => void): void;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One JSON object per line on stderr, so stdout stays free for the CLI's own output. */
export const stderrLogger: Logger = {
  info: (message, data) => process.stderr.write(JSON.stringify({ level: 'info', message, ...data }) + '\n'),
  warn: (message, data) => process.stderr.write(JSON.stringify({ level: 'warn', message, ...data }) + '\n'),
  error: (message, data) => process.stderr.write(JSON.stringify({ level: 'error', message, ...data }) + '\n'),
};
