import type { Device, DeviceFields, DeviceImportRowError } from '@shared/contract';

/** The columns the core reads from a CSV import; `metadata.<key>` columns become metadata entries. */
export const CSV_COLUMNS = ['sn', 'kind', 'site', 'region', 'lng', 'lat', 'model', 'installDate'] as const;

/** One CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvLine = (cells: readonly string[]): string => cells.map(csvCell).join(',');

/** A template with the header and two example rows of the first configured kind. */
export function csvTemplate(kind: string): string {
  const header = [...CSV_COLUMNS, 'metadata.owner'];
  return `${[
    csvLine(header),
    csvLine([
      'INV-0001',
      kind,
      '城东光伏站',
      '东区',
      '118.7969',
      '32.0603',
      'SG110CX',
      '2024-05-20',
      '运维一班',
    ]),
    csvLine(['INV-0002', kind, '城东光伏站', '东区', '', '', 'SG110CX', '', '']),
  ].join('\r\n')}\r\n`;
}

export function jsonTemplate(kind: string): string {
  const rows: DeviceFields[] = [
    {
      sn: 'INV-0001',
      kind,
      site: '城东光伏站',
      region: '东区',
      lng: 118.7969,
      lat: 32.0603,
      model: 'SG110CX',
      installDate: '2024-05-20',
      metadata: { owner: '运维一班' },
    },
  ];
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** The dry run's errors as a CSV the operator can open next to the file and fix it. */
export function errorReportCsv(errors: readonly DeviceImportRowError[]): string {
  const lines = [csvLine(['row', 'sn', 'path', 'message'])];
  for (const e of errors) lines.push(csvLine([String(e.row), e.sn ?? '', e.path, e.message]));
  return `${lines.join('\r\n')}\r\n`;
}

/** The device's own fields (what `devices/upsert` takes), e.g. to put a removed device back. */
export function fieldsOf(d: Device): DeviceFields {
  return {
    sn: d.sn,
    kind: d.kind,
    site: d.site,
    region: d.region,
    lng: d.lng,
    lat: d.lat,
    model: d.model,
    installDate: d.installDate,
    metadata: { ...d.metadata },
  };
}

/**
 * Saves text as a file. A UTF-8 BOM goes before CSV so that Excel (which assumes the system code
 * page, GB18030 on a Chinese Windows) opens the Chinese right.
 */
export function downloadText(name: string, text: string, type: string): void {
  const bom = type.startsWith('text/csv') ? '\uFEFF' : '';
  const url = URL.createObjectURL(new Blob([bom + text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
