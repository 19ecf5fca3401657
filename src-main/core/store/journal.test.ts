import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { Journal, JournalCorruptError, JournalFailedError, type JournalRecord } from './journal';
import { FILE_HEADER_BYTES, RECORD_HEADER_BYTES } from './record-codec';

const payload = (i: number): Buffer => Buffer.from(JSON.stringify({ i, text: `事件 ${i}` }));

describe('Journal', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, 'journal.wfj');
  });
  afterEach(() => dir.cleanup());

  const reopen = (): { records: JournalRecord[]; truncatedBytes: number; journal: Journal } => {
    const records: JournalRecord[] = [];
    const { journal, truncatedBytes } = Journal.open(file, { offset: 0, records: 0 }, (r) => records.push(r));
    return { records, truncatedBytes, journal };
  };

  it('appends, makes records durable, and reads them back in order after reopening', async () => {
    const j = Journal.create(file);
    const { offsets, durable } = j.append([payload(1), payload(2)]);
    expect(offsets[0]).toBe(FILE_HEADER_BYTES);
    expect(j.read(offsets[1]!).toString()).toBe(payload(2).toString());
    await durable;
    expect(j.durableOffset).toBe(j.endOffset);
    await j.close();
    const { records, truncatedBytes, journal } = reopen();
    expect(truncatedBytes).toBe(0);
    expect(records.map((r) => JSON.parse(r.payload.toString()).i)).toEqual([1, 2]);
    expect(journal.records).toBe(2);
    await journal.close();
  });

  it('group-commits concurrent appends: fewer fsync batches than appends, every promise resolves', async () => {
    const j = Journal.create(file);
    const all = Array.from({ length: 500 }, (_, i) => j.append([payload(i)]).durable);
    await Promise.all(all);
    expect(statSync(file).size).toBe(j.endOffset);
    expect(j.flushes).toBeGreaterThan(0);
    expect(j.flushes).toBeLessThan(500 / 10);
    await j.close();
    expect(reopen().records).toHaveLength(500);
  });

  it('truncates a torn tail (half-written last record) and reports the bytes cut', async () => {
    const j = Journal.create(file);
    await j.append([payload(1), payload(2)]).durable;
    const end = j.endOffset;
    await j.close();
    const rec = payload(3);
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    header.writeUInt32LE(rec.length, 0);
    header.writeUInt32LE(12345, 4);
    appendFileSync(file, Buffer.concat([header, rec.subarray(0, 5)]));
    const { records, truncatedBytes, journal } = reopen();
    expect(records).toHaveLength(2);
    expect(truncatedBytes).toBe(RECORD_HEADER_BYTES + 5);
    expect(statSync(file).size).toBe(end);
    // The journal keeps working after the repair.
    await journal.append([payload(4)]).durable;
    await journal.close();
    expect(reopen().records.map((r) => JSON.parse(r.payload.toString()).i)).toEqual([1, 2, 4]);
  });

  it('treats zero-filled space after the last record as a torn tail', async () => {
    const j = Journal.create(file);
    await j.append([payload(1)]).durable;
    await j.close();
    appendFileSync(file, Buffer.alloc(4096));
    const { records, truncatedBytes, journal } = reopen();
    expect(records).toHaveLength(1);
    expect(truncatedBytes).toBe(4096);
    await journal.close();
  });

  it('stops with the offset when a record in the middle is damaged, and leaves the file untouched', async () => {
    const j = Journal.create(file);
    const { offsets, durable } = j.append([payload(1), payload(2), payload(3)]);
    await durable;
    await j.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('XX'), 0, 2, offsets[1]! + RECORD_HEADER_BYTES + 3);
    closeSync(fd);
    const before = readFileSync(file);
    let error: unknown;
    try {
      reopen();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as JournalCorruptError).offset).toBe(offsets[1]);
    expect((error as Error).message).toContain('watchfloor store verify');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rejects a file that is not a journal', () => {
    writeFileSync(file, 'hello, this is not a journal at all');
    expect(() => reopen()).toThrow(/not a Watchfloor journal/);
  });

  it('detects damage on read of an old record', async () => {
    const j = Journal.create(file);
    const { offsets, durable } = j.append([payload(1), payload(2)]);
    await durable;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('Z'), 0, 1, offsets[0]! + RECORD_HEADER_BYTES);
    closeSync(fd);
    expect(() => j.read(offsets[0]!)).toThrow(JournalCorruptError);
    await j.close();
  });

  it('refuses to open when a snapshot offset lies beyond the end of the journal', async () => {
    const j = Journal.create(file);
    await j.append([payload(1)]).durable;
    await j.close();
    truncateSync(file, FILE_HEADER_BYTES);
    expect(() => Journal.open(file, { offset: 500, records: 1 }, () => undefined)).toThrow(
      /snapshot expects/,
    );
  });
});

describe('Journal durability', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  /** An fsync the test releases or fails by hand. */
  function heldSync(): {
    sync: (fd: number) => Promise<void>;
    release: () => void;
    fail: (e: Error) => void;
    calls: () => number;
  } {
    let calls = 0;
    let waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
    return {
      sync: () => {
        calls++;
        return new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
      },
      release: () => {
        for (const w of waiting) w.resolve();
        waiting = [];
      },
      fail: (e) => {
        for (const w of waiting) w.reject(e);
        waiting = [];
      },
      calls: () => calls,
    };
  }

  it('acknowledges nothing before its fsync returns', async () => {
    const held = heldSync();
    const j = Journal.create(join(dir.path, 'j'), held.sync);
    let acked = false;
    const { durable } = j.append([payload(1)]);
    void durable.then(() => (acked = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(held.calls()).toBe(1);
    expect(acked).toBe(false);
    expect(j.durableOffset).toBeLessThan(j.endOffset);
    held.release();
    await durable;
    expect(acked).toBe(true);
    await j.close();
  });

  it('stops for good when an fsync fails: pending and later appends are rejected', async () => {
    const held = heldSync();
    const j = Journal.create(join(dir.path, 'j'), held.sync);
    const first = j.append([payload(1)]).durable;
    await new Promise((r) => setTimeout(r, 20));
    const second = j.append([payload(2)]).durable;
    held.fail(new Error('EIO'));
    await expect(first).rejects.toBeInstanceOf(JournalFailedError);
    await expect(second).rejects.toBeInstanceOf(JournalFailedError);
    expect(() => j.append([payload(3)])).toThrow(JournalFailedError);
  });

  it('treats more than 64 MiB of damage followed by a valid record as corruption, never a torn tail', async () => {
    const file = join(dir.path, 'j');
    const j = Journal.create(file);
    await j.append([payload(1)]).durable;
    await j.close();
    appendFileSync(file, Buffer.alloc(65 * 1024 * 1024));
    const tail = Journal.create(join(dir.path, 'donor'));
    const { offsets, durable } = tail.append([payload(2)]);
    await durable;
    const donor = readFileSync(join(dir.path, 'donor')).subarray(offsets[0]);
    await tail.close();
    appendFileSync(file, donor);
    expect(() => Journal.open(file, { offset: 0, records: 0 }, () => undefined)).toThrow(JournalCorruptError);
    expect(statSync(file).size).toBe(
      FILE_HEADER_BYTES + RECORD_HEADER_BYTES + payload(1).length + 65 * 1024 * 1024 + donor.length,
    );
  });
});
