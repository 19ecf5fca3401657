import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { fdatasync, write as writeCb, writev } from 'node:fs';
import { promisify } from 'node:util';
import {
  FILE_HEADER_BYTES,
  MAX_RECORD_BYTES,
  RECORD_HEADER_BYTES,
  checkFileHeader,
  checksum,
  encodeFileHeader,
  encodeRecord,
} from './record-codec';

const writevAsync = promisify(writev);
const writeAsync = promisify(writeCb);
const fdatasyncAsync = promisify(fdatasync);

export interface JournalRecord {
  offset: number;
  payload: Buffer;
}

/** Why a scan stopped before the end of the file. */
export type ScanStop =
  | { kind: 'clean' }
  /** The last record is incomplete or fails its checksum and nothing valid follows: a crash mid-write. */
  | { kind: 'torn-tail'; offset: number; bytes: number; reason: string }
  /** A damaged record with more data after it: never truncated automatically. */
  | { kind: 'corrupt'; offset: number; reason: string; resumeAt: number };

export class JournalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `journal ${file} is damaged at byte offset ${offset}: ${reason}. ` +
        'Start-up stopped so nothing is lost; run `watchfloor store verify` for a full report.',
    );
    this.name = 'JournalCorruptError';
  }
}

/** A store that failed to write or fsync refuses all further writes: its memory is ahead of the disk. */
export class JournalFailedError extends Error {
  constructor(cause: unknown) {
    super(`journal write failed; the store is stopped to protect acknowledged data: ${String(cause)}`, {
      cause,
    });
    this.name = 'JournalFailedError';
  }
}

const READ_CHUNK = 4 * 1024 * 1024;

type Reader = (pos: number, length: number) => Buffer;

/** Reads through a 4 MiB window, so a scan does one read per window instead of two per record. */
function windowedReader(fd: number, size: number): Reader {
  let chunk = Buffer.alloc(0);
  let chunkStart = 0;
  return (pos, length) => {
    if (pos >= chunkStart && pos + length <= chunkStart + chunk.length) {
      return chunk.subarray(pos - chunkStart, pos - chunkStart + length);
    }
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(Math.max(length, READ_CHUNK), size - pos)));
    const n = readSync(fd, buf, 0, buf.length, pos);
    chunk = buf.subarray(0, n);
    chunkStart = pos;
    return chunk.subarray(0, Math.min(length, n));
  };
}

/** The record at `offset`: its payload, or why there is no valid record there. */
function decodeRecordAt(
  read: Reader,
  offset: number,
  size: number,
): { payload: Buffer } | { problem: string } {
  if (size - offset < RECORD_HEADER_BYTES) return { problem: 'incomplete record header' };
  const header = read(offset, RECORD_HEADER_BYTES);
  if (header.length < RECORD_HEADER_BYTES) return { problem: 'short read' };
  const length = header.readUInt32LE(0);
  const crc = header.readUInt32LE(4);
  if (length === 0) return { problem: 'zero-length record (unwritten space)' };
  if (length > MAX_RECORD_BYTES) return { problem: `record length ${length} exceeds the limit` };
  if (offset + RECORD_HEADER_BYTES + length > size)
    return { problem: 'record runs past the end of the file' };
  const payload = read(offset + RECORD_HEADER_BYTES, length);
  if (payload.length !== length) return { problem: 'short read' };
  if (checksum(payload) !== crc) return { problem: 'checksum mismatch' };
  return { payload };
}

/**
 * Reads records from `from` to the end of the file. Classifies the first bad record as a torn tail
 * (nothing valid after it) or as corruption in the middle (a valid record follows somewhere later).
 */
export function scanJournal(
  fd: number,
  from: number,
  onRecord: (r: JournalRecord) => void,
): { end: number; stop: ScanStop } {
  const size = fstatSync(fd).size;
  const read = windowedReader(fd, size);
  let offset = from;
  while (offset < size) {
    const record = decodeRecordAt(read, offset, size);
    if ('problem' in record) {
      const laterValid = findValidRecordAfter(fd, offset, size);
      if (laterValid === null) {
        return {
          end: offset,
          stop: { kind: 'torn-tail', offset, bytes: size - offset, reason: record.problem },
        };
      }
      return {
        end: offset,
        stop: {
          kind: 'corrupt',
          offset,
          reason: `${record.problem} (a valid record follows at ${laterValid})`,
          resumeAt: laterValid,
        },
      };
    }
    onRecord({ offset, payload: Buffer.from(record.payload) });
    offset += RECORD_HEADER_BYTES + record.payload.length;
  }
  return { end: offset, stop: { kind: 'clean' } };
}

/**
 * The first checksummed record starting after `from`, searched byte by byte to the end of the
 * file: this is what tells a torn tail (nothing valid after it, safe to cut) from damage in the
 * middle (acknowledged records after it, never cut). Only runs on the error path.
 */
export function findValidRecordAfter(fd: number, from: number, size: number): number | null {
  const WINDOW = 64 * 1024 * 1024;
  const direct: Reader = (pos, length) => {
    const buf = Buffer.allocUnsafe(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, pos));
  };
  for (let start = from + 1; start + RECORD_HEADER_BYTES < size; start += WINDOW) {
    const buf = Buffer.allocUnsafe(Math.min(WINDOW + RECORD_HEADER_BYTES, size - start));
    const n = readSync(fd, buf, 0, buf.length, start);
    for (let i = 0; i < Math.min(WINDOW, n - RECORD_HEADER_BYTES); i++) {
      const length = buf.readUInt32LE(i);
      if (length === 0 || length > MAX_RECORD_BYTES || start + i + RECORD_HEADER_BYTES + length > size)
        continue;
      const end = i + RECORD_HEADER_BYTES + length;
      const valid =
        end <= n
          ? checksum(buf.subarray(i + RECORD_HEADER_BYTES, end)) === buf.readUInt32LE(i + 4)
          : 'payload' in decodeRecordAt(direct, start + i, size);
      if (valid) return start + i;
    }
  }
  return null;
}

/** How the journal makes written bytes durable; tests substitute it to hold or fail an fsync. */
export type SyncFn = (fd: number) => Promise<void>;

interface PendingWrite {
  offset: number;
  bytes: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Append-only journal with group commit: appends made while an fsync is in flight are written and
 * synced together by the next flush, so concurrent commands share one fsync.
 */
export class Journal {
  private fd: number;
  /** Logical end: every appended record, durable or not. */
  private end: number;
  private durableEnd: number;
  private queue: PendingWrite[] = [];
  private flushing = false;
  private failure: JournalFailedError | null = null;
  /** Records appended but not yet on disk, so reads never race the writer. */
  private unflushed = new Map<number, Buffer>();
  private waiters: { offset: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private recordCount = 0;
  private flushCount = 0;

  private constructor(
    readonly file: string,
    fd: number,
    end: number,
    private readonly sync: SyncFn = fdatasyncAsync,
  ) {
    this.fd = fd;
    this.end = end;
    this.durableEnd = end;
  }

  /** Creates a new journal file; fails if the file exists. */
  static create(file: string, sync?: SyncFn): Journal {
    const fd = openSync(file, 'wx+');
    writeSync(fd, encodeFileHeader(), 0, FILE_HEADER_BYTES, 0);
    fdatasyncSync(fd);
    return new Journal(file, fd, FILE_HEADER_BYTES, sync);
  }

  /**
   * Opens an existing journal and replays records from `from`. A torn tail is cut off (and reported);
   * corruption in the middle throws {@link JournalCorruptError} without changing the file.
   */
  static open(
    file: string,
    from: { offset: number; records: number },
    onRecord: (r: JournalRecord) => void,
    sync?: SyncFn,
  ): { journal: Journal; truncatedBytes: number; tornReason: string | null } {
    const fd = openSync(file, 'r+');
    try {
      const header = Buffer.alloc(FILE_HEADER_BYTES);
      readSync(fd, header, 0, FILE_HEADER_BYTES, 0);
      const check = checkFileHeader(header);
      if (!check.ok) throw new JournalCorruptError(file, 0, check.reason);
      const start = Math.max(from.offset, FILE_HEADER_BYTES);
      const size = fstatSync(fd).size;
      if (start > size) {
        throw new JournalCorruptError(
          file,
          size,
          `the snapshot expects ${start} bytes but the journal has only ${size}`,
        );
      }
      let count = 0;
      const { end, stop } = scanJournal(fd, start, (r) => {
        count++;
        onRecord(r);
      });
      if (stop.kind === 'corrupt') throw new JournalCorruptError(file, stop.offset, stop.reason);
      let truncatedBytes = 0;
      let tornReason: string | null = null;
      if (stop.kind === 'torn-tail') {
        ftruncateSync(fd, end);
        fdatasyncSync(fd);
        truncatedBytes = stop.bytes;
        tornReason = stop.reason;
      }
      const journal = new Journal(file, fd, end, sync);
      journal.recordCount = from.records + count;
      return { journal, truncatedBytes, tornReason };
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  get endOffset(): number {
    return this.end;
  }

  get durableOffset(): number {
    return this.durableEnd;
  }

  /** Records in the journal: those before the replay start, those replayed, and those appended since. */
  get records(): number {
    return this.recordCount;
  }

  /** fsync batches written since open: records / flushes is the group-commit batch size. */
  get flushes(): number {
    return this.flushCount;
  }

  get failed(): JournalFailedError | null {
    return this.failure;
  }

  /** The offsets `append(payloads)` would assign now, so a caller can index records before writing them. */
  nextOffsets(payloads: readonly Buffer[]): number[] {
    const offsets: number[] = [];
    let at = this.end;
    for (const p of payloads) {
      offsets.push(at);
      at += RECORD_HEADER_BYTES + p.length;
    }
    return offsets;
  }

  /**
   * Assigns offsets synchronously and returns them with a promise that resolves once every record
   * of this call is fsynced.
   */
  append(payloads: Buffer[]): { offsets: number[]; durable: Promise<void> } {
    if (this.failure) throw this.failure;
    const offsets: number[] = [];
    const parts: Buffer[] = [];
    const first = this.end;
    for (const payload of payloads) {
      const record = encodeRecord(payload);
      offsets.push(this.end);
      this.unflushed.set(this.end, record);
      parts.push(record);
      this.end += record.length;
    }
    this.recordCount += payloads.length;
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const durable = new Promise<void>((resolve, reject) => {
      this.queue.push({ offset: first, bytes, resolve, reject });
    });
    if (!this.flushing) void this.flushLoop();
    return { offsets, durable };
  }

  /** Resolves once everything up to `offset` is durable. */
  waitDurable(offset: number = this.end): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (offset <= this.durableEnd) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ offset, resolve, reject }));
  }

  private async flushLoop(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        const position = batch[0]!.offset;
        try {
          const buffers = batch.map((w) => w.bytes);
          let written = 0;
          const total = buffers.reduce((n, b) => n + b.length, 0);
          // writev may write less than asked; finish the rest before syncing.
          const { bytesWritten } = await writevAsync(this.fd, buffers, position);
          written = bytesWritten;
          if (written < total) {
            const rest = Buffer.concat(buffers).subarray(written);
            let done = 0;
            while (done < rest.length) {
              const r = await writeAsync(this.fd, rest, done, rest.length - done, position + written + done);
              done += r.bytesWritten;
            }
          }
          await this.sync(this.fd);
          this.flushCount++;
        } catch (err) {
          this.fail(err, batch);
          return;
        }
        const last = batch[batch.length - 1]!;
        this.durableEnd = last.offset + last.bytes.length;
        for (const w of batch) {
          for (let o = w.offset; o < w.offset + w.bytes.length;) {
            const rec = this.unflushed.get(o);
            if (!rec) break;
            this.unflushed.delete(o);
            o += rec.length;
          }
          w.resolve();
        }
        this.releaseWaiters();
      }
    } finally {
      this.flushing = false;
    }
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.offset <= this.durableEnd) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  private fail(err: unknown, batch: PendingWrite[]): void {
    this.failure = new JournalFailedError(err);
    for (const w of [...batch, ...this.queue]) w.reject(this.failure);
    for (const w of this.waiters) w.reject(this.failure);
    this.queue = [];
    this.waiters = [];
  }

  /** Reads one record's payload; checks its checksum so damage is reported, never returned. */
  read(offset: number): Buffer {
    const pending = this.unflushed.get(offset);
    if (pending) return pending.subarray(RECORD_HEADER_BYTES);
    const direct: Reader = (pos, length) => {
      const buf = Buffer.allocUnsafe(length);
      return buf.subarray(0, readSync(this.fd, buf, 0, length, pos));
    };
    const record = decodeRecordAt(direct, offset, this.durableEnd);
    if ('problem' in record) throw new JournalCorruptError(this.file, offset, record.problem);
    return record.payload;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.waitDurable();
    closeSync(this.fd);
  }
}
