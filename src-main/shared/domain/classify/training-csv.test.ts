import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY } from '../taxonomy';
import { parseCsv, prepareTrainingRows } from './training-csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, a BOM and CRLF', () => {
    const { records, error } = parseCsv('\uFEFFtext,category\r\n"a,b ""c""\nd",x\r\ne,f\r\n');
    expect(error).toBeNull();
    expect(records.map((r) => r.fields)).toEqual([
      ['text', 'category'],
      ['a,b "c"\nd', 'x'],
      ['e', 'f'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('reports a quote that is never closed', () => {
    expect(parseCsv('text,category\n"open,x\n').error).toMatchObject({ row: 2, line: 2 });
  });
});

describe('prepareTrainingRows', () => {
  it('reports every bad row by its spreadsheet row number and keeps the good ones', () => {
    const csv = [
      'id,text,category',
      '1,楼下烧烤店每天闹到凌晨，太吵了,环境保护/环境污染/噪音污染',
      '2,,环境保护',
      '3,the street light is broken,城乡建设',
      '4,公司拖欠工资,不存在的分类',
      '5,公司拖欠工资',
      '6,"公司拖欠三个月工资，老板失联",劳动和社会保障',
      `7,${'路'.repeat(6000)},城乡建设`,
      '8,路灯坏了,',
    ].join('\n');
    const r = prepareTrainingRows(csv, DEFAULT_TAXONOMY);
    expect(r.errors.map((e) => e.row)).toEqual([3, 4, 5, 6, 8, 9]);
    expect(r.errors[0]!.message).toMatch(/empty/);
    expect(r.errors[1]!.message).toMatch(/not Chinese/);
    expect(r.errors[2]!.message).toMatch(/不存在的分类.*not in the taxonomy/);
    expect(r.errors[3]!.message).toMatch(/2 fields, the header has 3/);
    expect(r.errors[4]!.message).toMatch(/at most 5000/);
    expect(r.errors[5]!.message).toMatch(/category is empty/);
    expect(r.rowNumbers).toEqual([2, 7]);
    // Mixed depths are cut to the shallowest.
    expect(r.depth).toBe(1);
    expect(r.rows.map((x) => x.label)).toEqual(['环境保护', '劳动和社会保障']);
    expect(r.notices[0]).toMatch(/cut to level 1/);
  });

  it('accepts ids as categories and names a missing column', () => {
    const ok = prepareTrainingRows('text,category\n噪音扰民,environment.pollution.noise\n', DEFAULT_TAXONOMY);
    expect(ok.rows).toEqual([{ text: '噪音扰民', label: '环境保护/环境污染/噪音污染' }]);
    expect(ok.depth).toBe(3);
    const bad = prepareTrainingRows('message,label\n噪音,环境保护\n', DEFAULT_TAXONOMY);
    expect(bad.errors).toEqual([
      { row: 1, line: 1, message: 'the header has no text and category column (found: message, label)' },
    ]);
  });
});
