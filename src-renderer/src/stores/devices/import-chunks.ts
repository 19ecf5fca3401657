/**
 * Splitting a device import file into calls of `devices/import`. The core parses and validates; the
 * renderer only cuts a large file into chunks of whole rows, so that each call stays under the
 * contract's content limit (900,000 characters) and the hub's message limit (1 MiB of JSON, where
 * a Chinese character takes three bytes and a quote two). Each CSV chunk carries the header line
 * again, and `firstRow` tells the core where the chunk starts, so error rows are numbered as in the
 * whole file.
 *
 * Rows are counted like the core counts them: the data records after the header, not counting empty
 * lines; a quoted field may hold line breaks, so records are found by following the quotes (RFC 4180).
 */

export type ImportFormat = 'csv' | 'json';

export interface ImportChunk {
  content: string;
  /** 1-based number of the chunk's first data row in the whole file. */
  firstRow: number;
  /** Data rows in the chunk, or null when the file is sent whole without counting (small JSON). */
  rows: number | null;
}

export interface ChunkOptions {
  /** Budget of one chunk in UTF-8 bytes of its JSON string (what travels in the call). */
  maxBytes?: number;
  /** At most this many rows per call, so each call is a short piece of work for the core. */
  maxRows?: number;
}

export const DEFAULT_CHUNK_BYTES = 256 * 1024;
export const DEFAULT_CHUNK_ROWS = 2_000;
/** The contract's limit on `content` (characters). */
export const MAX_CONTENT_CHARS = 900_000;

/** Why a file cannot be cut into chunks (shown to the operator; the core never saw it). */
export class ImportFileError extends Error {
  constructor(
    readonly reason: 'json-too-large' | 'row-too-large',
    readonly row: number | null = null,
  ) {
    super(reason);
    this.name = 'ImportFileError';
  }
}

/** UTF-8 length of a string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes a string takes inside a JSON message: quotes, backslashes and control characters are escaped. */
export function wireSize(s: string): number {
  let escapes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09) escapes += 1;
    else if (c < 0x20) escapes += 5; // \u00XX
  }
  return utf8Length(s) + escapes;
}

/** The file's records (CSV rows) without their line endings, following quoted fields across lines. */
export function splitCsvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && (c === 0x0a || c === 0x0d)) {
      out.push(text.slice(start, i));
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

const isBlank = (record: string): boolean => record.trim() === '';

/** Data rows of a CSV file (not counting the header and empty lines). */
export function countCsvRows(content: string): number {
  const records = splitCsvRecords(content.replace(/^\uFEFF/, '')).filter((r) => !isBlank(r));
  return Math.max(0, records.length - 1);
}

function fits(bytes: number, rows: number, maxBytes: number, maxRows: number, chars: number): boolean {
  return bytes <= maxBytes && rows <= maxRows && chars <= MAX_CONTENT_CHARS;
}

export function chunkCsv(content: string, options: ChunkOptions = {}): ImportChunk[] {
  const maxBytes = options.maxBytes ?? DEFAULT_CHUNK_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_CHUNK_ROWS;
  const text = content.replace(/^\uFEFF/, '');
  const records = splitCsvRecords(text).filter((r) => !isBlank(r));
  if (records.length === 0) return [{ content: text, firstRow: 1, rows: 0 }];
  const rows = records.length - 1;
  // A file that fits goes as it is: the core sees exactly what the operator picked.
  if (fits(wireSize(text), rows, maxBytes, maxRows, text.length))
    return [{ content: text, firstRow: 1, rows }];

  const header = records[0]!;
  const headerBytes = wireSize(header);
  const chunks: ImportChunk[] = [];
  let lines: string[] = [header];
  let bytes = headerBytes;
  let chars = header.length + 1;
  let firstRow = 1;
  const flush = (): void => {
    if (lines.length > 1) chunks.push({ content: lines.join('\n'), firstRow, rows: lines.length - 1 });
    firstRow += lines.length - 1;
    lines = [header];
    bytes = headerBytes;
    chars = header.length + 1;
  };
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    const size = wireSize(record) + 2; // and its line break, escaped as \n
    if (!fits(headerBytes + size, 1, maxBytes, maxRows, header.length + record.length + 1)) {
      throw new ImportFileError('row-too-large', i);
    }
    if (!fits(bytes + size, lines.length, maxBytes, maxRows, chars + record.length + 1)) flush();
    lines.push(record);
    bytes += size;
    chars += record.length + 1;
  }
  flush();
  return chunks;
}

/**
 * A JSON file that fits goes whole (the core reports what is wrong with it). A larger one must be an
 * array of devices: it is cut into arrays of whole elements, numbered by their index in the file.
 */
export function chunkJson(content: string, options: ChunkOptions = {}): ImportChunk[] {
  const maxBytes = options.maxBytes ?? DEFAULT_CHUNK_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_CHUNK_ROWS;
  if (wireSize(content) <= maxBytes && content.length <= MAX_CONTENT_CHARS) {
    return [{ content, firstRow: 1, rows: null }];
  }
  let items: unknown;
  try {
    items = JSON.parse(content);
  } catch {
    throw new ImportFileError('json-too-large');
  }
  if (!Array.isArray(items)) throw new ImportFileError('json-too-large');
  const chunks: ImportChunk[] = [];
  let parts: string[] = [];
  let bytes = 2;
  let firstRow = 1;
  const flush = (): void => {
    if (parts.length) chunks.push({ content: `[${parts.join(',')}]`, firstRow, rows: parts.length });
    firstRow += parts.length;
    parts = [];
    bytes = 2;
  };
  items.forEach((item, i) => {
    const text = JSON.stringify(item) ?? 'null';
    const size = wireSize(text) + 1;
    if (size + 2 > maxBytes) throw new ImportFileError('row-too-large', i + 1);
    if (bytes + size > maxBytes || parts.length >= maxRows) flush();
    parts.push(text);
    bytes += size;
  });
  flush();
  return chunks.length ? chunks : [{ content: '[]', firstRow: 1, rows: 0 }];
}

export function chunkImport(
  format: ImportFormat,
  content: string,
  options: ChunkOptions = {},
): ImportChunk[] {
  return format === 'csv' ? chunkCsv(content, options) : chunkJson(content, options);
}

/** The format of a picked file: by its extension, else by its first character. */
export function formatOf(fileName: string, content: string): ImportFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(content) ? 'json' : 'csv';
}

/**
 * The text of a picked file: UTF-8 (a BOM is dropped), or — when the bytes are not valid UTF-8 —
 * GB18030, which is what Excel on a Chinese Windows writes as "CSV".
 */
export function decodeFileText(bytes: ArrayBuffer | Uint8Array): {
  text: string;
  encoding: 'utf-8' | 'gb18030';
} {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
