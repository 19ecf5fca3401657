import { describe, expect, it } from 'vitest';
import {
  chunkCsv,
  chunkJson,
  countCsvRows,
  decodeFileText,
  formatOf,
  ImportFileError,
  splitCsvRecords,
  utf8Length,
  wireSize,
} from './import-chunks';

const HEADER = 'sn,kind,site,region,lng,lat,model,installDate,metadata.owner';
const row = (i: number) =>
  `PV-${String(i).padStart(5, '0')},pv-inverter,滨江光伏电站,滨江区,120.2,30.2,SG110CX,2023-06-18,运维一班`;
const csv = (n: number, eol = '\n') =>
  [HEADER, ...Array.from({ length: n }, (_, i) => row(i + 1))].join(eol) + eol;

/** The data rows of a chunk with their numbers in the whole file. */
const numbered = (chunk: { content: string; firstRow: number }) =>
  splitCsvRecords(chunk.content)
    .slice(1)
    .map((r, i) => [chunk.firstRow + i, r.split(',')[0]] as const);

describe('import chunks', () => {
  it('sends a file that fits as it is, as one chunk from row 1', () => {
    const text = csv(3);
    expect(chunkCsv(text)).toEqual([{ content: text, firstRow: 1, rows: 3 }]);
  });

  it('cuts a large CSV into chunks of whole rows, each with the header, numbered as in the file', () => {
    const text = csv(1000);
    const chunks = chunkCsv(text, { maxBytes: 8_000 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.content.split('\n')[0]).toBe(HEADER);
      expect(wireSize(c.content)).toBeLessThanOrEqual(8_000);
    }
    const all = chunks.flatMap(numbered);
    expect(all).toHaveLength(1000);
    all.forEach(([n, sn], i) => {
      expect(n).toBe(i + 1);
      expect(sn).toBe(`PV-${String(i + 1).padStart(5, '0')}`);
    });
    expect(chunks.reduce((n, c) => n + (c.rows ?? 0), 0)).toBe(1000);
  });

  it('caps the rows per chunk', () => {
    const chunks = chunkCsv(csv(25), { maxRows: 10 });
    expect(chunks.map((c) => [c.firstRow, c.rows])).toEqual([
      [1, 10],
      [11, 10],
      [21, 5],
    ]);
  });

  it('keeps quoted line breaks inside their row, and skips empty lines without counting them', () => {
    const text = `${HEADER}\r\nA1,k,"site\r\nwith break",r,1,2,m,,x\r\n\r\nA2,k,"say ""hi""",r,1,2,m,,x\r\n   \r\nA3,k,s,r,1,2,m,,x\r\n`;
    expect(countCsvRows(text)).toBe(3);
    const chunks = chunkCsv(text, { maxRows: 1 });
    expect(chunks.map((c) => [c.firstRow, c.rows])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(chunks[0]!.content).toBe(`${HEADER}\nA1,k,"site\r\nwith break",r,1,2,m,,x`);
    expect(chunks[1]!.content).toBe(`${HEADER}\nA2,k,"say ""hi""",r,1,2,m,,x`);
  });

  it('drops a byte order mark and refuses a single row larger than a chunk', () => {
    expect(chunkCsv(`\uFEFF${HEADER}\nA,k,s,r,,,,,\n`)[0]!.content.startsWith('sn,')).toBe(true);
    const huge = `${HEADER}\nA,k,${'站'.repeat(5000)},r,,,,,\n${row(2)}\n`;
    expect(() => chunkCsv(huge, { maxBytes: 4_000 })).toThrow(ImportFileError);
  });

  it('measures what travels: UTF-8 bytes plus JSON escapes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('滨江')).toBe(6);
    expect(utf8Length('😀')).toBe(4);
    expect(wireSize('a"b\n')).toBe(JSON.stringify('a"b\n').length - 2);
    expect(wireSize('站"')).toBe(utf8Length(JSON.stringify('站"')) - 2);
  });

  it('sends a small JSON file whole and cuts a large JSON array into arrays of whole elements', () => {
    expect(chunkJson('[{"sn":"A"}]')).toEqual([{ content: '[{"sn":"A"}]', firstRow: 1, rows: null }]);
    const items = Array.from({ length: 300 }, (_, i) => ({ sn: `J${i + 1}`, site: '站点' }));
    const chunks = chunkJson(JSON.stringify(items), { maxBytes: 2_000 });
    expect(chunks.length).toBeGreaterThan(3);
    const back = chunks.flatMap((c) =>
      (JSON.parse(c.content) as { sn: string }[]).map((d, i) => [c.firstRow + i, d.sn]),
    );
    expect(back).toEqual(items.map((d, i) => [i + 1, d.sn]));
    expect(() => chunkJson(`{"devices": ${JSON.stringify(items)}}`, { maxBytes: 2_000 })).toThrow(
      ImportFileError,
    );
  });

  it('tells CSV from JSON and reads GB18030 files from Excel', () => {
    expect(formatOf('a.csv', '[')).toBe('csv');
    expect(formatOf('a.JSON', 'sn')).toBe('json');
    expect(formatOf('devices', '  [{"sn":"A"}]')).toBe('json');
    expect(decodeFileText(new TextEncoder().encode('\uFEFFsn,site\nA,滨江'))).toEqual({
      text: 'sn,site\nA,滨江',
      encoding: 'utf-8',
    });
    // "sn,site\nA,滨江" in GB18030.
    const gb = Uint8Array.from([...Buffer.from('sn,site\nA,'), 0xb1, 0xf5, 0xbd, 0xad]);
    expect(decodeFileText(gb)).toEqual({ text: 'sn,site\nA,滨江', encoding: 'gb18030' });
  });
});
