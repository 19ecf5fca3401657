import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ConfigDocument,
  Device,
  RecoveryReport,
  SavedView,
  TicketFacetsResult,
  TicketFilter,
  TicketListQuery,
  TicketListResult,
  TicketStatsResult,
} from '@shared/contract';
import {
  isTicketEvent,
  type DomainEvent,
  type RecordNamespace,
  type StoredConnector,
  type TicketEvent,
} from '../events';
import type { Logger, StoragePort, StoreCounts, TicketLookup } from '../ports';
import { DataFolderError, JOURNAL, SNAPSHOTS, openDataFolder } from './data-folder';
import { Journal, JournalCorruptError, JournalFailedError, type JournalRecord, type SyncFn } from './journal';
import { PROJECTION_SCHEMA, Projection } from './projection';
import { MAX_RECORD_BYTES } from './record-codec';
import { loadLatestSnapshot, removeTempSnapshots, writeSnapshot } from './snapshot';
import { SqlDb, loadSqlJs } from './sql-db';

export interface FileStoreOptions {
  dir: string;
  logger: Logger;
  /** Write a snapshot after this many events since the last one (0 = only on close). */
  snapshotEvery?: number;
  /** Create the folder when it is missing or empty (default true). */
  create?: boolean;
  /** How the journal fsyncs; tests substitute it to hold or fail a sync. */
  sync?: SyncFn;
}

function decode(record: JournalRecord, file: string): DomainEvent {
  try {
    return JSON.parse(record.payload.toString('utf8')) as DomainEvent;
  } catch {
    throw new JournalCorruptError(file, record.offset, 'record passes its checksum but is not valid JSON');
  }
}

/** Replays in transactions of this many events: fewer commits, bounded rollback work. */
const REPLAY_BATCH = 20_000;
/** The projection transaction is committed after this long or this many events, whichever comes first. */
const COMMIT_INTERVAL_MS = 2_000;
const COMMIT_EVERY_EVENTS = 20_000;

/**
 * The journal-first file store: a checksummed append-only journal is the truth, a sql.js database
 * is the query projection, and snapshots of that database bound start-up time.
 */
export class FileStore implements StoragePort {
  readonly kind = 'file';
  private eventsSinceSnapshot = 0;
  private snapshotting: Promise<void> | null = null;
  private closed = false;
  /** Events applied inside the open projection transaction, committed together (see append). */
  private uncommitted = 0;
  private commitTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set when applying an event to the projection failed: memory may be half-applied, so writes stop. */
  private projectionFailure: Error | null = null;

  private constructor(
    readonly dir: string,
    private readonly journal: Journal,
    private readonly projection: Projection,
    private readonly release: () => void,
    private readonly logger: Logger,
    private snapshotEvery: number,
    private readonly storeId: string,
    readonly recovery: RecoveryReport,
    /** True when this open created the store: the caller seeds it. */
    readonly created: boolean,
  ) {}

  static async open(options: FileStoreOptions): Promise<FileStore> {
    const started = performance.now();
    const { dir, logger } = options;
    const folder = openDataFolder(dir, { create: options.create ?? true });
    try {
      const SQL = await loadSqlJs();
      const snapDir = join(dir, SNAPSHOTS);
      removeTempSnapshots(snapDir);
      const journalFile = join(dir, JOURNAL);

      if (!existsSync(journalFile)) {
        throw new DataFolderError(
          dir,
          `${JOURNAL} is missing; refusing to start with an empty store over existing data`,
        );
      }

      const { snapshot, skipped } = loadLatestSnapshot(snapDir, PROJECTION_SCHEMA, folder.manifest.storeId);
      for (const reason of skipped) logger.warn('snapshot skipped', { reason });
      const restored = snapshot
        ? Projection.restore(new SqlDb(new SQL.Database(snapshot.images.sql)), snapshot.images.board)
        : null;
      const projection = restored ?? Projection.create(new SqlDb(new SQL.Database()));
      const base =
        restored && snapshot
          ? { offset: snapshot.journalOffset, records: snapshot.records }
          : { offset: 0, records: 0 };

      let replayed = 0;
      let inBatch = 0;
      projection.begin();
      let opened: ReturnType<typeof Journal.open>;
      try {
        opened = Journal.open(
          journalFile,
          base,
          (record) => {
            projection.apply(decode(record, journalFile), record.offset);
            replayed++;
            if (++inBatch >= REPLAY_BATCH) {
              projection.commit();
              projection.begin();
              inBatch = 0;
            }
          },
          options.sync,
        );
        projection.commit();
      } catch (err) {
        projection.rollback();
        throw err;
      }
      if (opened.truncatedBytes > 0) {
        logger.warn('journal torn tail truncated', {
          bytes: opened.truncatedBytes,
          offset: opened.journal.endOffset,
          reason: opened.tornReason,
        });
      }
      const recovery: RecoveryReport = {
        snapshotOffset: restored ? base.offset : null,
        replayedEvents: replayed,
        truncatedBytes: opened.truncatedBytes,
        durationMs: performance.now() - started,
      };
      logger.info('store opened', { dir, ...recovery });
      const store = new FileStore(
        dir,
        opened.journal,
        projection,
        folder.release,
        logger,
        options.snapshotEvery ?? 50_000,
        folder.manifest.storeId,
        recovery,
        folder.created,
      );
      store.eventsSinceSnapshot = replayed;
      return store;
    } catch (err) {
      folder.release();
      throw err;
    }
  }

  /**
   * Applies to the projection, then journals. The projection runs in one long SQL transaction
   * committed on a timer: a commit per command costs several times the apply itself (FTS flushes
   * its pending terms at every commit or savepoint). The in-memory database needs no commit for
   * durability, the journal gives that, so the only question is a failing apply, which means a
   * bug: the event is not journaled, writes stop, and a restart rebuilds a consistent projection.
   */
  append(events: DomainEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (this.journal.failed) return Promise.reject(this.journal.failed);
    if (this.projectionFailure) return Promise.reject(this.projectionFailure);
    if (events.length === 0) return Promise.resolve();
    const payloads = events.map((e) => Buffer.from(JSON.stringify(e), 'utf8'));
    // Checked before anything is applied, so the journal cannot refuse what the projection took.
    const oversized = payloads.find((p) => p.length > MAX_RECORD_BYTES);
    if (oversized)
      return Promise.reject(
        new RangeError(`an event of ${oversized.length} bytes exceeds the journal's record limit`),
      );
    // Offsets are known before the write, so the projection records where each event will live.
    const offsets = this.journal.nextOffsets(payloads);
    if (this.uncommitted === 0) {
      this.projection.begin();
      this.commitTimer = setTimeout(() => this.commitProjection(), COMMIT_INTERVAL_MS);
    }
    try {
      events.forEach((e, i) => this.projection.apply(e, offsets[i]!));
    } catch (err) {
      this.projectionFailure = new JournalFailedError(
        `applying ${events.map((e) => e.type).join(', ')} to the projection failed (${String(err)}); ` +
          'the change was not saved and writes are stopped until a restart rebuilds the projection',
      );
      this.logger.error('projection apply failed; store stopped for writes', {
        error: err instanceof Error ? err.stack : String(err),
      });
      return Promise.reject(this.projectionFailure);
    }
    this.uncommitted += events.length;
    if (this.uncommitted >= COMMIT_EVERY_EVENTS) this.commitProjection();
    const { durable } = this.journal.append(payloads);
    this.eventsSinceSnapshot += events.length;
    if (this.snapshotEvery > 0 && this.eventsSinceSnapshot >= this.snapshotEvery && !this.snapshotting) {
      void durable
        .then(() => this.snapshot())
        .catch((err: unknown) => this.logger.error('snapshot failed', { error: String(err) }));
    }
    return durable;
  }

  whenDurable(): Promise<void> {
    return this.journal.waitDurable();
  }

  async ticketEvents(id: string): Promise<TicketEvent[]> {
    const file = join(this.dir, JOURNAL);
    return this.projection.ticketOffsets(id).map((offset) => {
      const event = decode({ offset, payload: this.journal.read(offset) }, file);
      if (!isTicketEvent(event))
        throw new JournalCorruptError(file, offset, `expected a ticket event, found ${event.type}`);
      return event;
    });
  }

  async findTicket(lookup: TicketLookup): Promise<string | null> {
    if ('id' in lookup) return this.projection.hasTicket(lookup.id) ? lookup.id : null;
    if ('number' in lookup) return this.projection.idByNumber(lookup.number);
    return this.projection.idByIdempotencyKey(lookup.idempotencyKey);
  }

  async listTickets(query: TicketListQuery, now: number): Promise<TicketListResult> {
    return this.projection.list(query, now);
  }

  async facets(filter: TicketFilter, now: number): Promise<TicketFacetsResult> {
    return this.projection.facets(filter, now);
  }

  async stats(now: number, dayStart: number): Promise<TicketStatsResult> {
    return this.projection.stats(now, dayStart);
  }

  async latestConfig(): Promise<ConfigDocument | null> {
    return this.projection.currentConfig;
  }

  async views(): Promise<SavedView[]> {
    return this.projection.views();
  }

  async devices(): Promise<{ version: number; devices: Device[] }> {
    return { version: this.projection.devicesVersion, devices: this.projection.devices() };
  }

  async device(sn: string): Promise<Device | null> {
    return this.projection.device(sn);
  }

  async connectors(): Promise<StoredConnector[]> {
    return this.projection.connectors();
  }

  async records(ns: RecordNamespace): Promise<{ id: string; doc: unknown }[]> {
    return this.projection.records(ns);
  }

  async nextTicketNumber(year: number): Promise<number> {
    return this.projection.nextNumber(year);
  }

  private commitProjection(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
    if (this.uncommitted === 0 || this.projectionFailure) return;
    this.projection.commit();
    this.uncommitted = 0;
  }

  counts(): StoreCounts {
    return {
      events: this.journal.records,
      journalBytes: this.journal.endOffset,
      tickets: this.projection.ticketCount,
    };
  }

  /**
   * Runs a bulk load (demo seeding, imports) without automatic snapshots in between, then writes
   * one snapshot: a snapshot every 50,000 events would rewrite the growing image several times.
   */
  async bulkLoad<T>(load: () => Promise<T>): Promise<T> {
    const every = this.snapshotEvery;
    this.snapshotEvery = 0;
    try {
      return await load();
    } finally {
      this.snapshotEvery = every;
      await this.snapshot();
    }
  }

  snapshot(): Promise<void> {
    this.snapshotting ??= this.writeSnapshotNow().finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  private async writeSnapshotNow(): Promise<void> {
    // A half-applied projection must never become the start of the next run.
    if (this.projectionFailure) throw this.projectionFailure;
    const started = performance.now();
    // The export is synchronous, so it captures the projection exactly at `offset`; the file is only
    // written once the journal is durable up to there.
    const offset = this.journal.endOffset;
    const records = this.journal.records;
    this.commitProjection();
    const images = this.projection.exportImages();
    this.eventsSinceSnapshot = 0;
    await this.journal.waitDurable(offset);
    const file = await writeSnapshot(
      join(this.dir, SNAPSHOTS),
      PROJECTION_SCHEMA,
      this.storeId,
      offset,
      records,
      images,
    );
    const bytes = images.sql.byteLength + images.board.byteLength;
    this.logger.info('snapshot written', { file, bytes, ms: Math.round(performance.now() - started) });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.snapshotting) await this.snapshotting.catch(() => undefined);
    this.closed = true;
    try {
      if (!this.journal.failed && !this.projectionFailure && this.eventsSinceSnapshot > 0)
        await this.writeSnapshotNow();
      if (this.commitTimer) clearTimeout(this.commitTimer);
      await this.journal.close();
    } finally {
      this.projection.sql.close();
      this.release();
    }
  }
}
