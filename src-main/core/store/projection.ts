import {
  DONE_CATEGORIES,
  type ConfigDocument,
  type Device,
  type SavedView,
  type StatusCategory,
  type TicketFacetsResult,
  type TicketFilter,
  type TicketListQuery,
  type TicketListResult,
  type TicketStatsResult,
  type TicketSummary,
} from '@shared/contract';
import type { DomainEvent, RecordNamespace, StoredConnector, TicketChanged, TicketCreated } from '../events';
import { applySetToSummary, summaryOf } from '../tickets/summary';
import { BoardIndex, type BoardRow } from './board-index';
import type { SqlDb } from './sql-db';
import { indexText, matchExpression } from './text-index';

/** Bump when the schema changes: a snapshot of another schema is ignored and rebuilt from the journal. */
export const PROJECTION_SCHEMA = 7;

/**
 * sql.js side of the projection. Rows keep only what the board index does not (`rest`), plus the
 * journal offsets of each ticket's events. The full-text table is contentless: it stores the index
 * but not the bigram text, which would otherwise be the largest part of the database. A ticket is
 * first indexed under docid = seq; when its text changes it is indexed again under
 * generation · 2³² + seq, and older docids are stale, filtered against the generation kept in the
 * board index. Most tickets never change their text, so most docids stay short.
 */
const SCHEMA = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tickets(
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  number TEXT NOT NULL UNIQUE,
  idem_key TEXT UNIQUE,
  rest TEXT NOT NULL,
  offsets TEXT NOT NULL
);
CREATE TABLE ticket_keys(value TEXT NOT NULL, key TEXT NOT NULL, ticket_seq INTEGER NOT NULL, PRIMARY KEY(value, key, ticket_seq)) WITHOUT ROWID;
CREATE VIRTUAL TABLE ticket_text USING fts4(content="", head, refs);
CREATE TABLE views(id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, shared INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE configs(version INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE devices(seq INTEGER PRIMARY KEY, sn TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE connectors(id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE records(ns TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY(ns, id)) WITHOUT ROWID;
`;

const GENERATION = 2 ** 32;
const CANDIDATE_CACHE_SIZE = 8;
/** Sorts after every continuation of a prefix in SQLite's byte order (U+FFFF would miss 4-byte UTF-8). */
const PREFIX_END = '\u{10FFFF}';

/** Summary fields the board index does not hold, with short keys and epoch-ms times: one per ticket. */
interface Rest {
  /** title */
  t: string;
  /** business keys */
  k: Record<string, string>;
  /** address */
  a: string | null;
  /** version */
  v: number;
  /** SLA policy id, response due, responded at */
  p: string | null;
  rd: number | null;
  ra: number | null;
}

const CATEGORY_ORDER: readonly StatusCategory[] = ['new', 'active', 'waiting', 'resolved', 'closed'];

/** Epoch ms of an ISO time; "no time" is null here and NaN in the board index's typed arrays. */
function msOf(value: string | null | undefined): number | null {
  return value ? Date.parse(value) : null;
}

/** ISO time of epoch ms; null and NaN both mean "no time". */
function isoOf(ms: number | null): string | null {
  return ms === null || Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function refsText(keys: Record<string, string>, address: string | null | undefined): string {
  return indexText(...Object.values(keys), address);
}

/** Calls `each` for every number of a `group_concat` list; several times faster than split + Number. */
function forEachId(list: string, each: (id: number) => void): void {
  let n = 0;
  let digits = false;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      n = n * 10 + c;
      digits = true;
    } else {
      if (digits) each(n);
      n = 0;
      digits = false;
    }
  }
  if (digits) each(n);
}

function restOf(s: TicketSummary): Rest {
  return {
    t: s.title,
    k: s.businessKeys,
    a: s.address,
    v: s.version,
    p: s.sla.policyId,
    rd: msOf(s.sla.responseDueAt),
    ra: msOf(s.sla.respondedAt),
  };
}

/**
 * The query side of the store: a columnar board index for filter, sort and count, and sql.js
 * tables for rows, business keys, full text, saved views and configuration versions. Everything
 * here is derived from the journal and saved together in snapshots.
 */
export class Projection {
  private config: ConfigDocument | null = null;
  private openStatuses = new Map<string, boolean>();
  private statusRanks = new Map<string, number>();
  private numberCounters = new Map<number, number>();
  /** Bumped by every registry change; telemetry frames are indexed by the registry of one version. */
  private registryVersion = 0;
  /** Bumped by every change to the text index or business keys: cached candidate sets older than it are stale. */
  private textEpoch = 0;
  /**
   * Candidate bitmaps of recent text and business-key filters. A board refresh asks for the list
   * and the facets with the same filter, and scrolling asks for page after page; a common word can
   * match a fifth of a million tickets and cost ~50 ms in FTS each time.
   */
  private candidateCache = new Map<string, { epoch: number; bitmap: Uint8Array }>();

  private constructor(
    readonly sql: SqlDb,
    readonly board: BoardIndex,
  ) {}

  static create(sql: SqlDb): Projection {
    sql.exec(SCHEMA);
    sql.run('INSERT INTO meta(key, value) VALUES (?, ?)', ['schema', String(PROJECTION_SCHEMA)]);
    return new Projection(sql, new BoardIndex());
  }

  /** Re-opens a projection restored from a snapshot; null when its schema is not this build's. */
  static restore(sql: SqlDb, boardImage: Uint8Array): Projection | null {
    const schema = sql.value<string>("SELECT value FROM meta WHERE key = 'schema'");
    if (schema !== String(PROJECTION_SCHEMA)) return null;
    const p = new Projection(sql, BoardIndex.deserialize(boardImage));
    p.registryVersion = Number(
      sql.value<string>("SELECT value FROM meta WHERE key = 'registryVersion'") ?? 0,
    );
    const counters = sql.value<string>("SELECT value FROM meta WHERE key = 'numberCounters'");
    if (counters) p.numberCounters = new Map(JSON.parse(counters) as [number, number][]);
    const doc = sql.value<string>('SELECT doc FROM configs ORDER BY version DESC LIMIT 1');
    if (doc) p.useConfig(JSON.parse(doc) as ConfigDocument);
    return p;
  }

  /** The two images of a snapshot; counters are written into the database first so the image carries them. */
  exportImages(): { sql: Uint8Array; board: Uint8Array } {
    this.sql.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('numberCounters', ?)", [
      JSON.stringify([...this.numberCounters]),
    ]);
    this.sql.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('registryVersion', ?)", [
      String(this.registryVersion),
    ]);
    return { sql: this.sql.export(), board: this.board.serialize() };
  }

  get currentConfig(): ConfigDocument | null {
    return this.config;
  }

  get ticketCount(): number {
    return this.board.size;
  }

  /** The next free sequence number of a year's ticket numbers. */
  nextNumber(year: number): number {
    return (this.numberCounters.get(year) ?? 0) + 1;
  }

  begin(): void {
    this.sql.exec('BEGIN');
  }

  commit(): void {
    this.sql.exec('COMMIT');
  }

  rollback(): void {
    this.sql.exec('ROLLBACK');
  }

  apply(event: DomainEvent, offset: number): void {
    switch (event.type) {
      case 'config.published':
        this.sql.run('INSERT OR REPLACE INTO configs(version, doc) VALUES (?, ?)', [
          event.config.version,
          JSON.stringify(event.config),
        ]);
        this.useConfig(event.config);
        return;
      case 'ticket.created':
        this.applyCreated(event, offset);
        return;
      case 'ticket.changed':
        this.applyChanged(event, offset);
        return;
      case 'view.saved':
        this.sql.run('INSERT OR REPLACE INTO views(id, owner_id, shared, doc) VALUES (?, ?, ?, ?)', [
          event.view.id,
          event.view.owner.id,
          event.view.shared ? 1 : 0,
          JSON.stringify(event.view),
        ]);
        return;
      case 'view.deleted':
        this.sql.run('DELETE FROM views WHERE id = ?', [event.id]);
        return;
      case 'device.upserted':
        // An edit keeps the device's place in the registry order; a new device goes last.
        this.sql.run(
          'INSERT INTO devices(sn, doc) VALUES (?, ?) ON CONFLICT(sn) DO UPDATE SET doc = excluded.doc',
          [event.device.sn, JSON.stringify(event.device)],
        );
        this.registryVersion++;
        return;
      case 'device.removed':
        this.sql.run('DELETE FROM devices WHERE sn = ?', [event.sn]);
        this.registryVersion++;
        return;
      case 'connector.saved':
        this.sql.run('INSERT OR REPLACE INTO connectors(id, doc) VALUES (?, ?)', [
          event.connector.id,
          JSON.stringify(event.connector),
        ]);
        return;
      case 'connector.removed':
        this.sql.run('DELETE FROM connectors WHERE id = ?', [event.id]);
        return;
      case 'record.put':
        this.sql.run('INSERT OR REPLACE INTO records(ns, id, doc) VALUES (?, ?, ?)', [
          event.ns,
          event.id,
          JSON.stringify(event.doc),
        ]);
        return;
    }
  }

  private useConfig(config: ConfigDocument): void {
    const before = this.openStatuses;
    this.config = config;
    this.openStatuses = new Map();
    this.statusRanks = new Map();
    config.workflows.forEach((wf) =>
      wf.states.forEach((s, i) => {
        if (!this.openStatuses.has(s.id)) this.openStatuses.set(s.id, !DONE_CATEGORIES.includes(s.category));
        // Sort by category first, so boards mixing workflows still read new → closed.
        if (!this.statusRanks.has(s.id))
          this.statusRanks.set(s.id, CATEGORY_ORDER.indexOf(s.category) * 1000 + i);
      }),
    );
    for (const [status, open] of this.openStatuses) {
      if (before.size > 0 && before.has(status) && before.get(status) !== open)
        this.board.setOpenForStatus(status, open);
    }
  }

  private isOpen(status: string): boolean {
    return this.openStatuses.get(status) ?? true;
  }

  private boardRow(s: TicketSummary): BoardRow {
    return {
      typeId: s.typeId,
      status: s.status,
      open: this.isOpen(s.status),
      priority: s.priority,
      assignee: s.assignee,
      source: s.source,
      domains: s.domains,
      createdAt: Date.parse(s.createdAt),
      updatedAt: Date.parse(s.updatedAt),
      dueAt: msOf(s.sla.resolveDueAt) ?? Number.NaN,
      resolvedAt: msOf(s.sla.resolvedAt) ?? Number.NaN,
    };
  }

  private applyCreated(event: TicketCreated, offset: number): void {
    const t = event.ticket;
    const seq = this.board.size + 1;
    const summary = summaryOf(t);
    this.sql.run('INSERT INTO tickets(seq, id, number, idem_key, rest, offsets) VALUES (?, ?, ?, ?, ?, ?)', [
      seq,
      t.id,
      t.number,
      t.idempotencyKey,
      JSON.stringify(restOf(summary)),
      offset.toString(36),
    ]);
    this.board.set(seq, this.boardRow(summary));
    this.writeKeys(seq, t.businessKeys, false);
    this.indexText(seq, summary, true);
    const m = /-(\d{4})-(\d+)$/.exec(t.number);
    if (m) {
      const year = Number(m[1]);
      this.numberCounters.set(year, Math.max(this.numberCounters.get(year) ?? 0, Number(m[2])));
    }
  }

  /** Indexes a ticket's number, title, business keys and address; again, under a new generation, when they change. */
  private indexText(seq: number, s: TicketSummary, first: boolean): void {
    const docid = (first ? 0 : this.board.nextTextGeneration(seq)) * GENERATION + seq;
    this.textEpoch++;
    this.sql.run('INSERT INTO ticket_text(docid, head, refs) VALUES (CAST(? AS INTEGER), ?, ?)', [
      docid,
      indexText(s.number, s.title),
      refsText(s.businessKeys, s.address),
    ]);
  }

  private summaryAt(seq: number, id: string, number: string, restJson: string): TicketSummary {
    const rest = JSON.parse(restJson) as Rest;
    const row = this.board.get(seq);
    return {
      id,
      number,
      typeId: row.typeId,
      title: rest.t,
      priority: row.priority,
      status: row.status,
      assignee: row.assignee,
      source: row.source,
      businessKeys: rest.k,
      domains: row.domains,
      sla: {
        policyId: rest.p,
        responseDueAt: isoOf(rest.rd),
        resolveDueAt: isoOf(row.dueAt),
        respondedAt: isoOf(rest.ra),
        resolvedAt: isoOf(row.resolvedAt),
      },
      version: rest.v,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
      address: rest.a,
    };
  }

  private applyChanged(event: TicketChanged, offset: number): void {
    const row = this.sql.get('SELECT seq, number, rest, offsets FROM tickets WHERE id = ?', [event.id]);
    if (!row) throw new Error(`projection: event for unknown ticket ${event.id} at offset ${offset}`);
    const seq = row.seq as number;
    const summary = applySetToSummary(
      this.summaryAt(seq, event.id, row.number as string, row.rest as string),
      event,
    );
    this.sql.run('UPDATE tickets SET rest = ?, offsets = ? WHERE seq = ?', [
      JSON.stringify(restOf(summary)),
      `${row.offsets as string},${offset.toString(36)}`,
      seq,
    ]);
    this.board.set(seq, this.boardRow(summary));
    const s = event.set;
    if (s.businessKeys) this.writeKeys(seq, s.businessKeys, true);
    if (s.title !== undefined || s.businessKeys !== undefined || s.location !== undefined)
      this.indexText(seq, summary, false);
  }

  private writeKeys(seq: number, keys: Record<string, string>, replace: boolean): void {
    this.textEpoch++;
    if (replace) this.sql.run('DELETE FROM ticket_keys WHERE ticket_seq = ?', [seq]);
    for (const [key, value] of Object.entries(keys)) {
      this.sql.run('INSERT OR IGNORE INTO ticket_keys(value, key, ticket_seq) VALUES (?, ?, ?)', [
        value,
        key,
        seq,
      ]);
    }
  }

  // ---- reads ----

  ticketOffsets(id: string): number[] {
    const offsets = this.sql.value<string>('SELECT offsets FROM tickets WHERE id = ?', [id]);
    return offsets ? offsets.split(',').map((o) => Number.parseInt(o, 36)) : [];
  }

  idByNumber(number: string): string | null {
    return this.sql.value<string>('SELECT id FROM tickets WHERE number = ?', [number]) ?? null;
  }

  idByIdempotencyKey(key: string): string | null {
    return this.sql.value<string>('SELECT id FROM tickets WHERE idem_key = ?', [key]) ?? null;
  }

  hasTicket(id: string): boolean {
    return this.sql.value<number>('SELECT 1 FROM tickets WHERE id = ?', [id]) === 1;
  }

  /**
   * Tickets a text or business-key filter allows, as a bitmap over sequence numbers; null when the
   * filter has neither. One `group_concat` row instead of one row per match keeps large result sets
   * cheap to move out of wasm.
   */
  private candidates(filter: TicketFilter): Uint8Array | null {
    if (!filter.text && !filter.businessKey) return null;
    const key = JSON.stringify([filter.text ?? null, filter.businessKey ?? null]);
    const cached = this.candidateCache.get(key);
    if (cached && cached.epoch === this.textEpoch && cached.bitmap.length === this.board.size + 1)
      return cached.bitmap;
    const bitmap = this.computeCandidates(filter);
    if (bitmap) {
      this.candidateCache.delete(key);
      this.candidateCache.set(key, { epoch: this.textEpoch, bitmap });
      if (this.candidateCache.size > CANDIDATE_CACHE_SIZE)
        this.candidateCache.delete(this.candidateCache.keys().next().value!);
    }
    return bitmap;
  }

  /** Forgets cached candidate sets; benchmarks use it to measure the uncached cost. */
  clearCandidateCache(): void {
    this.candidateCache.clear();
  }

  private computeCandidates(filter: TicketFilter): Uint8Array | null {
    const sets: string[] = [];
    if (filter.businessKey) {
      const v = filter.businessKey.value;
      const byKey = filter.businessKey.key;
      sets.push(
        this.sql.value<string>(
          `SELECT group_concat(ticket_seq) FROM ticket_keys WHERE value >= ? AND value < ?${byKey ? ' AND key = ?' : ''}`,
          byKey ? [v, v + PREFIX_END, byKey] : [v, v + PREFIX_END],
        ) ?? '',
      );
    }
    const match = filter.text ? matchExpression(filter.text) : null;
    let textDocs: string | null = null;
    if (match)
      textDocs =
        this.sql.value<string>('SELECT group_concat(docid) FROM ticket_text WHERE ticket_text MATCH ?', [
          match,
        ]) ?? '';
    if (sets.length === 0 && textDocs === null) return null;
    let result: Uint8Array | null = null;
    const intersect = (bitmap: Uint8Array): void => {
      if (result) for (let i = 0; i < result.length; i++) result[i]! &= bitmap[i]!;
      else result = bitmap;
    };
    for (const set of sets) {
      const bitmap = new Uint8Array(this.board.size + 1);
      forEachId(set, (seq) => (bitmap[seq] = 1));
      intersect(bitmap);
    }
    if (textDocs !== null) {
      const bitmap = new Uint8Array(this.board.size + 1);
      forEachId(textDocs, (docid) => {
        const seq = docid % GENERATION;
        if ((docid - seq) / GENERATION === this.board.textGeneration(seq)) bitmap[seq] = 1;
      });
      intersect(bitmap);
    }
    return result;
  }

  private statusRank = (status: string): number => this.statusRanks.get(status) ?? 1_000_000;

  list(q: TicketListQuery, now: number): TicketListResult {
    const { total, seqs } = this.board.query(
      {
        filter: q.filter,
        sort: q.sort,
        offset: q.offset,
        limit: q.limit,
        candidates: this.candidates(q.filter),
        statusRank: this.statusRank,
      },
      now,
    );
    const items = seqs.map((seq) => {
      const r = this.sql.get('SELECT id, number, rest FROM tickets WHERE seq = ?', [seq])!;
      return this.summaryAt(seq, r.id as string, r.number as string, r.rest as string);
    });
    return { total, offset: q.offset, items };
  }

  facets(filter: TicketFilter, now: number): TicketFacetsResult {
    return this.board.facets(filter, now, this.candidates(filter));
  }

  stats(now: number, dayStart: number): TicketStatsResult {
    return { asOf: new Date(now).toISOString(), ...this.board.stats(now, dayStart) };
  }

  devices(): Device[] {
    return this.sql
      .column<string>('SELECT doc FROM devices ORDER BY seq')
      .map((d) => JSON.parse(d) as Device);
  }

  device(sn: string): Device | null {
    const doc = this.sql.value<string>('SELECT doc FROM devices WHERE sn = ?', [sn]);
    return doc ? (JSON.parse(doc) as Device) : null;
  }

  get devicesVersion(): number {
    return this.registryVersion;
  }

  connectors(): StoredConnector[] {
    return this.sql
      .column<string>('SELECT doc FROM connectors ORDER BY id')
      .map((d) => JSON.parse(d) as StoredConnector);
  }

  records(ns: RecordNamespace): { id: string; doc: unknown }[] {
    return this.sql
      .all('SELECT id, doc FROM records WHERE ns = ? ORDER BY id', [ns])
      .map((r) => ({ id: String(r.id), doc: JSON.parse(String(r.doc)) as unknown }));
  }

  views(): SavedView[] {
    return this.sql
      .column<string>('SELECT doc FROM views ORDER BY id')
      .map((d) => JSON.parse(d) as SavedView);
  }
}
