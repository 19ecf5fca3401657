import { pathDepth, pathPrefix, resolveCategory, type Taxonomy } from '../taxonomy';
import { checkClassifyInput } from './input';
import type { LabelledText } from './linear-model';

/**
 * The training file: closed tickets as CSV (RFC 4180), UTF-8 with or without BOM, comma-separated,
 * fields with commas, quotes or line breaks in double quotes. The first row names the columns; `text`
 * (what the caller reported) and `category` (where the ticket finally belonged) are required, other
 * columns are ignored. `category` is a path of the taxonomy at any depth, in Chinese names or ids:
 * `环境保护`, `环境保护/环境污染/噪音污染`, `environment.pollution.noise`. When rows have different
 * depths, every label is cut to the shallowest one (the report says so).
 *
 * Row numbers are the spreadsheet's: the header is row 1, the first ticket row 2.
 */

export interface CsvRowError {
  row: number;
  /** Line of the file where the row starts (differs from `row` when quoted fields span lines). */
  line: number;
  message: string;
}

export interface TrainingRows {
  rows: LabelledText[];
  /** Spreadsheet row of each entry of `rows`. */
  rowNumbers: number[];
  errors: CsvRowError[];
  /** Depth the labels were cut to (1–3). */
  depth: number;
  notices: string[];
}

interface CsvRecord {
  fields: string[];
  line: number;
}

/** Splits CSV text into records; an unterminated quote is reported for the row it starts. */
export function parseCsv(content: string): { records: CsvRecord[]; error: CsvRowError | null } {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted))
      records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted)
    return {
      records,
      error: { row: records.length + 1, line: recordLine, message: 'a quoted field is never closed' },
    };
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return { records, error: null };
}

/** Reads a training CSV into labelled texts, with every bad row reported and left out. */
export function prepareTrainingRows(content: string, taxonomy: Taxonomy): TrainingRows {
  const { records, error } = parseCsv(content);
  const errors: CsvRowError[] = error ? [error] : [];
  const notices: string[] = [];
  const header = records[0];
  if (!header)
    return {
      rows: [],
      rowNumbers: [],
      errors: [...errors, { row: 1, line: 1, message: 'the file is empty' }],
      depth: 1,
      notices,
    };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const textCol = names.indexOf('text');
  const categoryCol = names.indexOf('category');
  if (textCol < 0 || categoryCol < 0) {
    const missing = [textCol < 0 && 'text', categoryCol < 0 && 'category'].filter(Boolean).join(' and ');
    errors.push({
      row: 1,
      line: header.line,
      message: `the header has no ${missing} column (found: ${names.join(', ')})`,
    });
    return { rows: [], rowNumbers: [], errors, depth: 1, notices };
  }
  const parsed: { text: string; path: string; row: number }[] = [];
  records.slice(1).forEach((r, i) => {
    const row = i + 2;
    const fail = (message: string): void => void errors.push({ row, line: r.line, message });
    if (r.fields.length !== names.length)
      return fail(`has ${r.fields.length} fields, the header has ${names.length}`);
    const text = r.fields[textCol]!.trim();
    const category = r.fields[categoryCol]!.trim();
    const problem = checkClassifyInput(text);
    if (problem) return fail(`text: ${problem.message}`);
    if (category === '') return fail('category is empty');
    const path = resolveCategory(taxonomy, category);
    if (!path)
      return fail(`category "${category}" is not in the taxonomy ${taxonomy.id} ${taxonomy.version}`);
    parsed.push({ text, path, row });
  });
  const depth = parsed.length === 0 ? 1 : Math.min(...parsed.map((p) => pathDepth(p.path)));
  if (parsed.some((p) => pathDepth(p.path) > depth))
    notices.push(`categories have different depths; every label was cut to level ${depth}`);
  return {
    rows: parsed.map((p) => ({ text: p.text, label: pathPrefix(p.path, depth) })),
    rowNumbers: parsed.map((p) => p.row),
    errors,
    depth,
    notices,
  };
}
