import { closeSync, openSync, readdirSync, readSync, fstatSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { checksum } from './record-codec';

/**
 * Snapshot file: a 96-byte header, then the sql.js database image, then the board index image.
 *   "WFSNAPSH" | u32 format | u32 projection schema | f64 journal offset | f64 records before offset
 *   | u32 CRC-32 of both images | f64 sql image length | f64 board image length | store id (ASCII,
 *   32 bytes, space-padded) | zero padding
 * The store id ties a snapshot to its journal: a snapshot of another store is never used.
 * Written to a temp file, fsynced, renamed into place and the folder fsynced, so a snapshot is
 * either whole or absent.
 */
const MAGIC = Buffer.from('WFSNAPSH', 'ascii');
const FORMAT = 1;
const HEADER_BYTES = 96;
const STORE_ID_AT = 52;
const STORE_ID_BYTES = 32;
const NAME = /^snapshot-(\d{16})\.wfs$/;
/** Snapshots kept: the newest plus one fallback in case the newest is damaged. */
const KEEP = 2;

export interface SnapshotMeta {
  file: string;
  storeId: string;
  journalOffset: number;
  records: number;
  schema: number;
}

export interface SnapshotImages {
  sql: Uint8Array;
  board: Uint8Array;
}

export interface LoadedSnapshot extends SnapshotMeta {
  images: SnapshotImages;
}

function bytes(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function checksumOf(images: SnapshotImages): number {
  return crc32(bytes(images.board), checksum(bytes(images.sql)));
}

export function snapshotName(offset: number): string {
  return `snapshot-${String(offset).padStart(16, '0')}.wfs`;
}

function encodeHeader(
  schema: number,
  storeId: string,
  journalOffset: number,
  records: number,
  images: SnapshotImages,
): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt32LE(FORMAT, 8);
  h.writeUInt32LE(schema, 12);
  h.writeDoubleLE(journalOffset, 16);
  h.writeDoubleLE(records, 24);
  h.writeUInt32LE(checksumOf(images), 32);
  h.writeDoubleLE(images.sql.byteLength, 36);
  h.writeDoubleLE(images.board.byteLength, 44);
  h.write(storeId.padEnd(STORE_ID_BYTES, ' ').slice(0, STORE_ID_BYTES), STORE_ID_AT, 'ascii');
  return h;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeSnapshot(
  dir: string,
  schema: number,
  storeId: string,
  journalOffset: number,
  records: number,
  images: SnapshotImages,
): Promise<string> {
  const tmp = join(dir, `snapshot.tmp-${process.pid}`);
  const final = join(dir, snapshotName(journalOffset));
  const handle = await open(tmp, 'w');
  try {
    await handle.write(encodeHeader(schema, storeId, journalOffset, records, images), 0, HEADER_BYTES, 0);
    await handle.write(images.sql, 0, images.sql.byteLength, HEADER_BYTES);
    await handle.write(images.board, 0, images.board.byteLength, HEADER_BYTES + images.sql.byteLength);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(tmp, final);
  await fsyncDir(dir);
  for (const old of listSnapshots(dir).slice(KEEP)) await unlink(join(dir, old.name)).catch(() => undefined);
  return final;
}

function listSnapshots(dir: string): { name: string; offset: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map((x) => ({ name: x.name, offset: Number(x.m[1]) }))
    .sort((a, b) => b.offset - a.offset);
}

export type SnapshotCheck = { ok: true; meta: SnapshotMeta } | { ok: false; file: string; reason: string };

/** Reads one snapshot whole and checks its header, size and checksum. */
function readSnapshot(file: string): { check: SnapshotCheck; images?: SnapshotImages } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, h, 0, HEADER_BYTES, 0) !== HEADER_BYTES) {
      return { check: { ok: false, file, reason: 'shorter than a snapshot header' } };
    }
    if (!h.subarray(0, 8).equals(MAGIC)) return { check: { ok: false, file, reason: 'bad magic' } };
    if (h.readUInt32LE(8) !== FORMAT)
      return { check: { ok: false, file, reason: `unknown format ${h.readUInt32LE(8)}` } };
    const sqlLength = h.readDoubleLE(36);
    const length = sqlLength + h.readDoubleLE(44);
    if (size !== HEADER_BYTES + length) {
      return {
        check: {
          ok: false,
          file,
          reason: `size ${size} does not match header length ${HEADER_BYTES + length}`,
        },
      };
    }
    const image = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, image, got, length - got, HEADER_BYTES + got);
      if (n === 0) break;
      got += n;
    }
    const images = { sql: image.subarray(0, sqlLength), board: image.subarray(sqlLength) };
    if (got !== length || checksumOf(images) !== h.readUInt32LE(32)) {
      return { check: { ok: false, file, reason: 'checksum mismatch' } };
    }
    const meta = {
      file,
      storeId: h.toString('ascii', STORE_ID_AT, STORE_ID_AT + STORE_ID_BYTES).trim(),
      schema: h.readUInt32LE(12),
      journalOffset: h.readDoubleLE(16),
      records: h.readDoubleLE(24),
    };
    return { check: { ok: true, meta }, images };
  } finally {
    closeSync(fd);
  }
}

/** Checks every snapshot in the folder, newest first. */
export function checkSnapshots(dir: string): SnapshotCheck[] {
  return listSnapshots(dir).map((s) => readSnapshot(join(dir, s.name)).check);
}

/**
 * The newest snapshot that is whole and of the wanted schema, with the reasons the newer ones
 * were skipped (for the recovery report).
 */
export function loadLatestSnapshot(
  dir: string,
  schema: number,
  storeId: string,
): { snapshot: LoadedSnapshot | null; skipped: string[] } {
  const skipped: string[] = [];
  for (const s of listSnapshots(dir)) {
    const file = join(dir, s.name);
    const { check, images } = readSnapshot(file);
    if (!check.ok) {
      skipped.push(`${s.name}: ${check.reason}`);
      continue;
    }
    if (check.meta.storeId !== storeId) {
      skipped.push(
        `${s.name}: belongs to store ${check.meta.storeId || '(none)'}, not to this folder's ${storeId}`,
      );
      continue;
    }
    if (check.meta.schema !== schema) {
      skipped.push(
        `${s.name}: projection schema ${check.meta.schema}, this build uses ${schema} (rebuilt from the journal)`,
      );
      continue;
    }
    return { snapshot: { ...check.meta, images: images! }, skipped };
  }
  return { snapshot: null, skipped };
}

/** Removes leftovers of a snapshot write that was interrupted. */
export function removeTempSnapshots(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('snapshot.tmp-')) unlinkSync(join(dir, name));
  }
}
