import { parse } from 'csv-parse/sync';
import { DeviceFields, type DeviceImportRowError } from '@shared/contract';
import type { z } from 'zod';

export type ParsedDevice = z.output<typeof DeviceFields>;

export interface ParsedRows {
  rows: number;
  devices: { row: number; device: ParsedDevice }[];
  errors: DeviceImportRowError[];
}

const FIELDS = ['sn', 'kind', 'site', 'region', 'lng', 'lat', 'model', 'installDate'] as const;
const METADATA_PREFIX = 'metadata.';

/** CSV cells are text: numbers, empty optionals and metadata columns become the contract's shapes. */
function fromCsvRecord(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const metadata: Record<string, string> = {};
  for (const [column, raw] of Object.entries(record)) {
    const value = raw.trim();
    if (column.startsWith(METADATA_PREFIX)) {
      if (value !== '') metadata[column.slice(METADATA_PREFIX.length)] = value;
    } else if (column === 'lng' || column === 'lat') {
      out[column] = value === '' ? null : Number.isFinite(Number(value)) ? Number(value) : value;
    } else if (column === 'installDate') {
      out[column] = value === '' ? null : value;
    } else if (column === 'model') {
      out[column] = value;
    } else {
      out[column] = value;
    }
  }
  out.metadata = metadata;
  return out;
}

/**
 * Turns an import file (or one chunk of it) into validated devices plus a report of every row that
 * cannot be imported, with its row number, SN and field path. Nothing here throws on bad input.
 */
export function parseDeviceRows(format: 'csv' | 'json', content: string, firstRow: number): ParsedRows {
  const errors: DeviceImportRowError[] = [];
  let records: Record<string, unknown>[] = [];
  if (format === 'csv') {
    let header: string[] = [];
    const skipped: DeviceImportRowError[] = [];
    try {
      const parsed = parse(content, {
        columns: (names: string[]) => (header = names.map((n) => n.trim())),
        skip_empty_lines: true,
        bom: true,
        skip_records_with_error: true,
        on_skip: (err: { message: string; lines?: number } | undefined) => {
          if (err)
            skipped.push({
              row: firstRow + Math.max(0, (err.lines ?? 2) - 2),
              sn: null,
              path: '(row)',
              message: err.message,
            });
        },
      }) as Record<string, string>[];
      records = parsed.map(fromCsvRecord);
    } catch (err) {
      return {
        rows: 0,
        devices: [],
        errors: [
          {
            row: firstRow,
            sn: null,
            path: '(file)',
            message: `not readable as CSV: ${(err as Error).message}`,
          },
        ],
      };
    }
    const unknown = header.filter(
      (h) => !(FIELDS as readonly string[]).includes(h) && !h.startsWith(METADATA_PREFIX),
    );
    if (unknown.length > 0) {
      errors.push({
        row: firstRow,
        sn: null,
        path: '(header)',
        message: `unknown columns: ${unknown.join(', ')} (known: ${FIELDS.join(', ')}, metadata.<key>)`,
      });
      return { rows: records.length, devices: [], errors };
    }
    errors.push(...skipped);
  } else {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (err) {
      return {
        rows: 0,
        devices: [],
        errors: [
          { row: firstRow, sn: null, path: '(file)', message: `not valid JSON: ${(err as Error).message}` },
        ],
      };
    }
    if (!Array.isArray(value)) {
      return {
        rows: 0,
        devices: [],
        errors: [
          { row: firstRow, sn: null, path: '(file)', message: 'a JSON import is an array of devices' },
        ],
      };
    }
    records = value.map((v) =>
      typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : { value: v },
    );
  }

  const devices: ParsedRows['devices'] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const row = firstRow + i;
    const sn = typeof record.sn === 'string' ? record.sn : null;
    const parsed = DeviceFields.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ row, sn, path: issue.path.map(String).join('.') || '(row)', message: issue.message });
      }
      return;
    }
    const earlier = seen.get(parsed.data.sn);
    if (earlier !== undefined) {
      errors.push({ row, sn, path: 'sn', message: `the same SN is already on row ${earlier}` });
      return;
    }
    seen.set(parsed.data.sn, row);
    devices.push({ row, device: parsed.data });
  });
  return { rows: records.length, devices, errors };
}
