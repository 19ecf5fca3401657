import { describe, expect, it } from 'vitest';
import { children, fields, parseXml } from '../../../tests/fixtures/open311/schemas';
import { escapeXml, toXml } from './xml';

describe('toXml', () => {
  it('writes the declaration, nested objects, arrays by item name, nulls and booleans', () => {
    const xml = toXml('service_requests', [
      { service_request_id: 'o311-1', service_notice: null, ok: true, n: 1.5 },
      { service_request_id: 'o311-2', skipped: undefined },
    ]);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<service_requests>',
        '  <request>',
        '    <service_request_id>o311-1</service_request_id>',
        '    <service_notice/>',
        '    <ok>true</ok>',
        '    <n>1.5</n>',
        '  </request>',
        '  <request>',
        '    <service_request_id>o311-2</service_request_id>',
        '  </request>',
        '</service_requests>',
        '',
      ].join('\n'),
    );
  });

  it('escapes markup and drops characters XML cannot carry, so the result always parses', () => {
    const nasty = `<b>"fish" & 'chips'</b>\u0000\u0007\uFFFF 噪音 \uD83D\uDE00 lone \uD800 end`;
    const root = parseXml(toXml('errors', [{ code: 400, description: nasty }]));
    expect(fields(children(root, 'error')[0]!)).toEqual({
      code: '400',
      description: `<b>"fish" & 'chips'</b> 噪音 \uD83D\uDE00 lone  end`,
    });
    expect(escapeXml('a<b>&"\'')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('writes an empty array as an empty element and refuses unknown arrays and bad names', () => {
    expect(toXml('service_requests', [])).toContain('<service_requests/>');
    expect(() => toXml('things', [1])).toThrow(/no item element name/);
    expect(() => toXml('request', { 'bad name': 1 })).toThrow(/not an XML element name/);
  });
});
