import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { createCore, type Core } from '../create-core';
import { silentLogger } from '../ports';
import { DataFolderError } from './data-folder';
import { FileStore } from './file-store';
import { JournalCorruptError } from './journal';
import { RECORD_HEADER_BYTES } from './record-codec';
import { verifyDataFolder } from './verify';

interface T {
  id: string;
  number: string;
  version: number;
  status: string;
}

async function open(dir: string, snapshotEvery = 0): Promise<{ core: Core; storage: FileStore }> {
  const storage = await FileStore.open({ dir, logger: silentLogger, snapshotEvery });
  const core = await createCore({ storage, host: 'in-process', version: 'test' });
  return { core, storage };
}

const create = (core: Core, title: string): Promise<T> =>
  core.call('tickets/create', {
    typeId: 'device-fault',
    title,
    businessKeys: { deviceSn: `SN-${title}` },
  }) as Promise<T>;

describe('FileStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let data: string;
  beforeEach(() => {
    dir = tempDir();
    data = join(dir.path, 'data');
  });
  afterEach(() => dir.cleanup());

  it('initialises a new folder with a manifest, journal and the seeded configuration', async () => {
    const { core, storage } = await open(data);
    expect(storage.created).toBe(true);
    expect(readdirSync(data).sort()).toEqual([
      'journal.wfj',
      'snapshots',
      'watchfloor.json',
      'watchfloor.lock',
    ]);
    const config = (await core.call('config/get', {})) as { types: { id: string }[] };
    expect(config.types.map((t) => t.id)).toEqual([
      'device-fault',
      'preventive-maintenance',
      'citizen-request',
      'process-anomaly',
    ]);
    await core.close();
    expect(readdirSync(data)).not.toContain('watchfloor.lock');
  });

  it('restores from the latest snapshot plus the journal tail', async () => {
    let { core } = await open(data);
    const a = await create(core, 'A');
    await core.close(); // writes a snapshot
    ({ core } = await open(data));
    const b = await create(core, 'B');
    await core.call('tickets/comment', { id: a.id, body: '快照之后的评论' });
    // Simulate a crash: no close, so no new snapshot; release the lock by hand.
    (core.storage as unknown as { release: () => void }).release();
    const again = await open(data);
    expect(again.storage.recovery.snapshotOffset).not.toBeNull();
    expect(again.storage.recovery.replayedEvents).toBe(2);
    const list = (await again.core.call('tickets/list', {})) as { total: number };
    expect(list.total).toBe(2);
    const got = (await again.core.call('tickets/get', { id: a.id })) as { comments: { body: string }[] };
    expect(got.comments.map((c) => c.body)).toEqual(['快照之后的评论']);
    expect(((await again.core.call('tickets/get', { number: b.number })) as T).id).toBe(b.id);
    await again.core.close();
  });

  it('falls back to the journal when the newest snapshot is damaged', async () => {
    let { core } = await open(data);
    await create(core, 'A');
    await core.close();
    const snaps = readdirSync(join(data, 'snapshots'));
    expect(snaps).toHaveLength(1);
    const file = join(data, 'snapshots', snaps[0]!);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    writeFileSync(file, bytes);
    ({ core } = await open(data));
    const info = (await core.call('system/info', {})) as {
      store: { recovery: { snapshotOffset: number | null; replayedEvents: number } };
    };
    expect(info.store.recovery.snapshotOffset).toBeNull();
    expect(info.store.recovery.replayedEvents).toBe(2);
    expect(((await core.call('tickets/list', {})) as { total: number }).total).toBe(1);
    await core.close();
  });

  it('never uses a snapshot of another store', async () => {
    let { core } = await open(data);
    await create(core, 'A');
    await core.close();
    const other = join(dir.path, 'other');
    ({ core } = await open(other));
    await create(core, 'B');
    await create(core, 'C');
    await core.close();
    for (const n of readdirSync(join(data, 'snapshots'))) unlinkSync(join(data, 'snapshots', n));
    for (const n of readdirSync(join(other, 'snapshots'))) {
      writeFileSync(join(data, 'snapshots', n), readFileSync(join(other, 'snapshots', n)));
    }
    const again = await open(data);
    expect(again.storage.recovery.snapshotOffset).toBeNull();
    expect(((await again.core.call('tickets/list', {})) as { total: number }).total).toBe(1);
    await again.core.close();
  });

  it('keeps ticket numbers unique across restarts', async () => {
    let { core } = await open(data);
    const a = await create(core, 'A');
    await core.close();
    ({ core } = await open(data));
    const b = await create(core, 'B');
    expect(b.number).not.toBe(a.number);
    expect(Number(b.number.slice(-6))).toBe(Number(a.number.slice(-6)) + 1);
    await core.close();
  });

  it('writes snapshots automatically after enough events', async () => {
    const { core } = await open(data, 5);
    for (let i = 0; i < 12; i++) await create(core, `T${i}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(join(data, 'snapshots')).filter((n) => n.endsWith('.wfs')).length).toBeGreaterThan(0);
    await core.close();
    expect(readdirSync(join(data, 'snapshots')).filter((n) => n.endsWith('.wfs')).length).toBeLessThanOrEqual(
      2,
    );
  });

  it('answers a repeated idempotency key only once the first ticket is durable', async () => {
    let hold = false;
    let held: (() => void)[] = [];
    const sync = async (): Promise<void> => {
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
    };
    const storage = await FileStore.open({ dir: data, logger: silentLogger, sync });
    const core = await createCore({ storage, host: 'in-process', version: 'test' });
    hold = true;
    const params = { typeId: 'device-fault', title: '重试', idempotencyKey: 'INV-1:ripple:08' };
    let firstDone = false;
    let retryDone = false;
    const first = core.call('tickets/create', params).then((t) => ((firstDone = true), t as T));
    await new Promise((r) => setTimeout(r, 20));
    const retry = core.call('tickets/create', params).then((t) => ((retryDone = true), t as T));
    await new Promise((r) => setTimeout(r, 50));
    expect([firstDone, retryDone]).toEqual([false, false]);
    hold = false;
    for (const release of held) release();
    held = [];
    expect((await retry).id).toBe((await first).id);
    await core.close();
  });

  it('refuses a folder with foreign content and changes nothing', async () => {
    mkdirSync(data);
    writeFileSync(join(data, 'notes.txt'), 'someone else’s files');
    await expect(FileStore.open({ dir: data, logger: silentLogger })).rejects.toThrow(
      /not a Watchfloor data folder/,
    );
    expect(readdirSync(data)).toEqual(['notes.txt']);
  });

  it('refuses a manifest of an unknown format version', async () => {
    const { core } = await open(data);
    await core.close();
    const manifest = JSON.parse(readFileSync(join(data, 'watchfloor.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(join(data, 'watchfloor.json'), JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(FileStore.open({ dir: data, logger: silentLogger })).rejects.toThrow(
      /format version 99 is not supported/,
    );
  });

  it('refuses to start over existing data when the journal is missing', async () => {
    const { core } = await open(data);
    await core.close();
    unlinkSync(join(data, 'journal.wfj'));
    await expect(FileStore.open({ dir: data, logger: silentLogger })).rejects.toThrow(DataFolderError);
    await expect(FileStore.open({ dir: data, logger: silentLogger })).rejects.toThrow(
      /journal.wfj is missing/,
    );
  });

  it('refuses a folder locked by another live process, and takes over a stale lock', async () => {
    const { core } = await open(data);
    await core.close();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(data, 'watchfloor.lock'), `${sleeper.pid}\n`);
      await expect(FileStore.open({ dir: data, logger: silentLogger })).rejects.toThrow(
        /in use by another Watchfloor process/,
      );
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((r) => sleeper.once('exit', r));
    const again = await open(data);
    await again.core.close();
  });

  it('stops start-up on damage in the middle of the journal, and verify explains it', async () => {
    const { core } = await open(data);
    await create(core, 'A');
    await create(core, 'B');
    await create(core, 'C');
    await core.close();
    // Remove snapshots so start-up must read the whole journal.
    for (const n of readdirSync(join(data, 'snapshots'))) unlinkSync(join(data, 'snapshots', n));
    const journalFile = join(data, 'journal.wfj');
    const report0 = verifyDataFolder(data);
    expect(report0.ok).toBe(true);
    expect(report0.journal.tickets).toBe(3);
    const bytes = readFileSync(journalFile);
    // Damage a byte inside the second ticket's record: find its title in the file.
    const at = bytes.indexOf(Buffer.from('"title":"B"'));
    expect(at).toBeGreaterThan(0);
    const fd = openSync(journalFile, 'r+');
    writeSync(fd, Buffer.from('Q'), 0, 1, at + 10);
    closeSync(fd);
    const error = await FileStore.open({ dir: data, logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalCorruptError);
    const offset = (error as JournalCorruptError).offset;
    expect(offset).toBeLessThan(at);
    expect(offset).toBeGreaterThan(at - 2000);
    const report = verifyDataFolder(data);
    expect(report.ok).toBe(false);
    expect(report.journal.stop).toMatchObject({ kind: 'corrupt', offset });
    expect(report.journal.records).toBe(report0.journal.records - 1 - report.journal.recordsAfterDamage);
    expect(report.journal.recordsAfterDamage).toBeGreaterThan(0);
    expect(report.advice.join(' ')).toMatch(new RegExp(`byte offset ${offset}`));
    // Nothing was repaired behind the operator's back.
    expect(readFileSync(journalFile).length).toBe(bytes.length);
  });

  it('reports damage found while reading an old ticket as DATA_CORRUPTED, without server paths', async () => {
    let { core } = await open(data);
    const t = await create(core, 'Damaged');
    await create(core, 'Intact');
    await core.close(); // the snapshot now lies beyond both records: start-up does not read them
    const journalFile = join(data, 'journal.wfj');
    const at = readFileSync(journalFile).indexOf(Buffer.from('"title":"Damaged"'));
    const fd = openSync(journalFile, 'r+');
    writeSync(fd, Buffer.from('X'), 0, 1, at + 12);
    closeSync(fd);
    ({ core } = await open(data));
    const err = (await core.call('tickets/get', { id: t.id }).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      details: unknown;
    };
    expect(err.code).toBe('DATA_CORRUPTED');
    expect(err.message).toMatch(/watchfloor store verify/);
    expect(JSON.stringify(err)).not.toContain(dir.path);
    expect(((await core.call('tickets/list', {})) as { total: number }).total).toBe(2);
    await core.close();
  });

  it('verify reports a torn tail as repairable, and the next start repairs it', async () => {
    const { core } = await open(data);
    await create(core, 'A');
    await core.close();
    const header = Buffer.alloc(RECORD_HEADER_BYTES);
    header.writeUInt32LE(1000, 0);
    writeFileSync(
      join(data, 'journal.wfj'),
      Buffer.concat([readFileSync(join(data, 'journal.wfj')), header, Buffer.from('{"v":1,"ty')]),
    );
    const report = verifyDataFolder(data);
    expect(report.ok).toBe(true);
    expect(report.journal.stop.kind).toBe('torn-tail');
    const again = await open(data);
    expect(again.storage.recovery.truncatedBytes).toBe(RECORD_HEADER_BYTES + 10);
    await again.core.close();
    expect(verifyDataFolder(data).journal.stop.kind).toBe('clean');
  });
});
