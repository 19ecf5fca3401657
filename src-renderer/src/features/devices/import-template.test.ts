import { describe, expect, it } from 'vitest';
import type { Device } from '@shared/contract';
import { countCsvRows, splitCsvRecords } from '../../stores/devices/import-chunks';
import { nextTab } from './devices-tab';
import { csvCell, csvTemplate, errorReportCsv, fieldsOf, jsonTemplate } from './import-template';

describe('import templates and reports', () => {
  it('quotes CSV cells only when needed', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('writes a CSV template with the core columns and two rows of the given kind', () => {
    const text = csvTemplate('pv-inverter');
    expect(splitCsvRecords(text)[0]).toBe('sn,kind,site,region,lng,lat,model,installDate,metadata.owner');
    expect(countCsvRows(text)).toBe(2);
    expect(text).toContain('INV-0001,pv-inverter,');
    const rows = JSON.parse(jsonTemplate('wind-turbine')) as { kind: string }[];
    expect(rows[0]!.kind).toBe('wind-turbine');
  });

  it('turns row errors into a CSV report', () => {
    const csv = errorReportCsv([
      { row: 3, sn: 'X-1', path: 'lat', message: 'Too big: expected number to be <=90' },
      { row: 5, sn: null, path: '(row)', message: 'Invalid Record Length, "columns"' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'row,sn,path,message',
      '3,X-1,lat,Too big: expected number to be <=90',
      '5,,(row),"Invalid Record Length, ""columns"""',
      '',
    ]);
  });

  it('takes a device back to the fields upsert accepts', () => {
    const d: Device = {
      sn: 'A',
      kind: 'pv-inverter',
      site: 's',
      region: 'r',
      lng: 1,
      lat: 2,
      model: '',
      installDate: null,
      metadata: { a: 'b' },
      version: 4,
      updatedAt: '2026-11-24T08:00:00.000Z',
    };
    expect(fieldsOf(d)).toEqual({
      sn: 'A',
      kind: 'pv-inverter',
      site: 's',
      region: 'r',
      lng: 1,
      lat: 2,
      model: '',
      installDate: null,
      metadata: { a: 'b' },
    });
  });

  it('moves between tabs with wrap-around', () => {
    expect(nextTab('devices', 1)).toBe('connectors');
    expect(nextTab('quality', 1)).toBe('devices');
    expect(nextTab('devices', -1)).toBe('quality');
  });
});
