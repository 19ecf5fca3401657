import initSqlJs, { type Database, type SqlJsStatic, type Statement, type SqlValue } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | null = null;

/** sql.js loads its wasm once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

export type Row = Record<string, SqlValue>;

/**
 * A sql.js database with a prepared-statement cache. sql.js frees every statement on export, so
 * the cache is dropped there and statements are prepared again on next use.
 */
export class SqlDb {
  private statements = new Map<string, Statement>();

  constructor(readonly db: Database) {
    // The database lives in memory and has one connection. A MEMFS rollback journal costs a file
    // create and unlink per transaction; shared locking makes SQLite look for a hot journal before
    // every statement; a small page cache spills dirty pages to MEMFS in the middle of a transaction.
    db.exec('PRAGMA journal_mode = MEMORY; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536');
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, params: SqlValue[] = []): void {
    const s = this.stmt(sql);
    s.bind(params);
    s.step();
    s.reset();
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    const s = this.stmt(sql);
    s.bind(params);
    const rows: Row[] = [];
    while (s.step()) rows.push(s.getAsObject());
    s.reset();
    return rows;
  }

  /** First column of every row. */
  column<T extends SqlValue>(sql: string, params: SqlValue[] = []): T[] {
    const s = this.stmt(sql);
    s.bind(params);
    const out: T[] = [];
    while (s.step()) out.push(s.get()[0] as T);
    s.reset();
    return out;
  }

  get(sql: string, params: SqlValue[] = []): Row | undefined {
    const s = this.stmt(sql);
    s.bind(params);
    const row = s.step() ? s.getAsObject() : undefined;
    s.reset();
    return row;
  }

  value<T extends SqlValue>(sql: string, params: SqlValue[] = []): T | undefined {
    const s = this.stmt(sql);
    s.bind(params);
    const v = s.step() ? (s.get()[0] as T) : undefined;
    s.reset();
    return v;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  export(): Uint8Array {
    for (const s of this.statements.values()) s.free();
    this.statements.clear();
    return this.db.export();
  }

  close(): void {
    for (const s of this.statements.values()) s.free();
    this.statements.clear();
    this.db.close();
  }
}
