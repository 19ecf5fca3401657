import { crc32 } from 'node:zlib';

/**
 * Journal file layout: a 16-byte file header, then records.
 *   header: "WFJOURNL" | u32 format version | u32 reserved
 *   record: u32 payload length | u32 CRC-32 of payload | payload (UTF-8 JSON)
 * Lengths are little-endian. A zero length is never written, so zero-filled space after a crash
 * reads as a torn tail rather than as records.
 */
export const JOURNAL_MAGIC = Buffer.from('WFJOURNL', 'ascii');
export const JOURNAL_FORMAT = 1;
export const FILE_HEADER_BYTES = 16;
export const RECORD_HEADER_BYTES = 8;
/** A single event larger than this is refused; it is far above any legal command. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeFileHeader(): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  JOURNAL_MAGIC.copy(header, 0);
  header.writeUInt32LE(JOURNAL_FORMAT, 8);
  return header;
}

export type HeaderCheck = { ok: true } | { ok: false; reason: string };

export function checkFileHeader(header: Buffer): HeaderCheck {
  if (header.length < FILE_HEADER_BYTES)
    return { ok: false, reason: 'file is shorter than the journal header' };
  if (!header.subarray(0, 8).equals(JOURNAL_MAGIC))
    return { ok: false, reason: 'not a Watchfloor journal (bad magic)' };
  const format = header.readUInt32LE(8);
  if (format !== JOURNAL_FORMAT) {
    return {
      ok: false,
      reason: `journal format ${format} is not supported (this build reads ${JOURNAL_FORMAT})`,
    };
  }
  return { ok: true };
}

export function encodeRecord(payload: Buffer): Buffer {
  if (payload.length === 0 || payload.length > MAX_RECORD_BYTES) {
    throw new RangeError(`record payload of ${payload.length} bytes is outside 1..${MAX_RECORD_BYTES}`);
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, RECORD_HEADER_BYTES);
  return out;
}

export function checksum(payload: Buffer): number {
  return crc32(payload);
}
