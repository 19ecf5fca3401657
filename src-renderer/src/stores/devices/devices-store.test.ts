import { describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  RpcError,
  type Device,
  type DeviceImportParams,
  type DeviceImportResult,
  type DeviceImportRowError,
} from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { createDevicesStore, mergeReports, validRows, type ImportFile } from './devices-store';
import { splitCsvRecords } from './import-chunks';

const HEADER = 'sn,kind,site,region,lng,lat,model,installDate';

/** A CSV of `n` devices; rows in `bad` have an impossible latitude. */
function csvFile(n: number, bad: number[] = []): ImportFile {
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `IMP-${i + 1},pv-inverter,滨江光伏电站,滨江区,120.2,${bad.includes(i + 1) ? 95 : 30.2},SG110CX,2023-06-18`,
  );
  return {
    name: 'devices.csv',
    format: 'csv',
    content: [HEADER, ...rows].join('\n') + '\n',
    encoding: 'utf-8',
  };
}

/**
 * What the core does with a chunk, as far as these tests need: every row with a latitude over 90 is
 * an error at `lat`, numbered from `firstRow`; the rest are created.
 */
function fakeImport(params: unknown): DeviceImportResult {
  const p = params as Required<DeviceImportParams>;
  const records = splitCsvRecords(p.content).filter((r) => r.trim());
  if (records[0] !== HEADER) throw new RpcError(ErrorCode.InvalidArgument, 'header missing');
  const errors: DeviceImportRowError[] = [];
  let created = 0;
  records.slice(1).forEach((r, i) => {
    const cols = r.split(',');
    if (Number(cols[5]) > 90) {
      errors.push({
        row: p.firstRow + i,
        sn: cols[0]!,
        path: 'lat',
        message: 'Too big: expected number to be <=90',
      });
    } else created++;
  });
  return { rows: records.length - 1, created, updated: 0, unchanged: 0, errors, dryRun: p.dryRun };
}

const device = (sn: string, version: number): Device => ({
  sn,
  kind: 'pv-inverter',
  site: '滨江光伏电站',
  region: '滨江区',
  lng: 120.2,
  lat: 30.2,
  model: 'SG110CX',
  installDate: '2023-06-18',
  metadata: {},
  version,
  updatedAt: '2026-11-24T00:00:00.000Z',
});

describe('devices store: import', () => {
  it('checks a chunked file first, reporting errors at their row in the whole file, then imports the valid rows', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/import', fakeImport);
    const reloadRegistry = vi.fn();
    const store = createDevicesStore(client, { reloadRegistry, chunk: { maxRows: 40 } });

    await store.getState().pickImportFile(csvFile(100, [7, 55, 99]));
    const checks = transport.callsOf('devices/import') as Required<DeviceImportParams>[];
    expect(checks.map((c) => [c.firstRow, c.dryRun])).toEqual([
      [1, true],
      [41, true],
      [81, true],
    ]);
    for (const c of checks) expect(c.content.split('\n')[0]).toBe(HEADER);

    const check = store.getState().checkReport!;
    expect(store.getState().importPhase).toBe('checked');
    expect(check).toMatchObject({ dryRun: true, rows: 100, created: 97, errorRows: 3, partial: false });
    expect(check.errors.map((e) => [e.row, e.sn, e.path])).toEqual([
      [7, 'IMP-7', 'lat'],
      [55, 'IMP-55', 'lat'],
      [99, 'IMP-99', 'lat'],
    ]);
    expect(validRows(check)).toBe(97);
    expect(reloadRegistry).not.toHaveBeenCalled();

    await store.getState().runImport();
    const imports = (transport.callsOf('devices/import') as Required<DeviceImportParams>[]).slice(3);
    expect(imports.map((c) => [c.firstRow, c.dryRun])).toEqual([
      [1, false],
      [41, false],
      [81, false],
    ]);
    expect(store.getState().importPhase).toBe('done');
    expect(store.getState().importReport).toMatchObject({
      dryRun: false,
      rows: 100,
      created: 97,
      errorRows: 3,
    });
    expect(store.getState().checkReport).toBe(check);
    expect(store.getState().importProgress).toMatchObject({
      rowsDone: 100,
      rowsTotal: 100,
      chunksDone: 3,
      chunks: 3,
    });
    expect(reloadRegistry).toHaveBeenCalledTimes(1);
  });

  it('reports progress chunk by chunk', async () => {
    const { transport, client } = fakeClient();
    const gates: (() => void)[] = [];
    transport.handle(
      'devices/import',
      (p) => new Promise((resolve) => gates.push(() => resolve(fakeImport(p)))),
    );
    const store = createDevicesStore(client, { chunk: { maxRows: 10 } });
    const done = store.getState().pickImportFile(csvFile(25));
    await flush();
    expect(store.getState().importPhase).toBe('checking');
    expect(store.getState().importProgress).toEqual({ rowsDone: 0, rowsTotal: 25, chunksDone: 0, chunks: 3 });
    gates.shift()!();
    await flush(10);
    expect(store.getState().importProgress).toMatchObject({ rowsDone: 10, chunksDone: 1 });
    gates.shift()!();
    await flush(10);
    gates.shift()!();
    await done;
    expect(store.getState().importProgress).toMatchObject({ rowsDone: 25, chunksDone: 3 });
  });

  it('waits and retries a chunk the hub refuses with RATE_LIMITED', async () => {
    const { transport, client } = fakeClient();
    let refusals = 2;
    transport.handle('devices/import', (p) => {
      if ((p as DeviceImportParams).firstRow === 11 && refusals-- > 0) {
        throw new RpcError(ErrorCode.RateLimited, 'too many requests; slow down and retry');
      }
      return fakeImport(p);
    });
    const sleep = vi.fn(() => Promise.resolve());
    const store = createDevicesStore(client, { chunk: { maxRows: 10 }, sleep, retryDelayMs: 100 });
    await store.getState().pickImportFile(csvFile(20));
    expect(store.getState().importPhase).toBe('checked');
    expect(store.getState().checkReport!.rows).toBe(20);
    expect(sleep.mock.calls).toEqual([[100], [200]]);
  });

  it('stops at a failing chunk and keeps the counts of the chunks that went through', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/import', (p) => {
      const params = p as Required<DeviceImportParams>;
      if (!params.dryRun && params.firstRow === 11)
        throw new RpcError(ErrorCode.Disconnected, 'connection lost');
      return fakeImport(p);
    });
    const reloadRegistry = vi.fn();
    const store = createDevicesStore(client, { chunk: { maxRows: 10 }, reloadRegistry });
    await store.getState().pickImportFile(csvFile(30));
    await store.getState().runImport();
    const s = store.getState();
    expect(s.importPhase).toBe('failed');
    expect(s.importError?.code).toBe(ErrorCode.Disconnected);
    expect(s.importReport).toMatchObject({ rows: 10, created: 10, partial: true });
    expect(transport.callsOf('devices/import')).toHaveLength(5);
    await flush();
    expect(reloadRegistry).toHaveBeenCalledTimes(1);
  });

  it('cancels after the chunk in flight and reports what was done', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/import', (p) => {
      if ((p as DeviceImportParams).firstRow === 11) store.getState().cancelImport();
      return fakeImport(p);
    });
    const store = createDevicesStore(client, { chunk: { maxRows: 10 } });
    await store.getState().pickImportFile(csvFile(50));
    expect(transport.callsOf('devices/import')).toHaveLength(2);
    expect(store.getState().importPhase).toBe('checked');
    expect(store.getState().checkReport).toMatchObject({ rows: 20, partial: true });
  });

  it('a new file or a reset drops the run in flight', async () => {
    const { transport, client } = fakeClient();
    let release: () => void = () => undefined;
    transport.handle('devices/import', (p) => new Promise((r) => (release = () => r(fakeImport(p)))));
    const store = createDevicesStore(client, { chunk: { maxRows: 10 } });
    const first = store.getState().pickImportFile(csvFile(30));
    await flush();
    store.getState().resetImport();
    release();
    await first;
    expect(store.getState()).toMatchObject({ importFile: null, importPhase: 'idle', checkReport: null });
  });

  it('says which row cannot be sent at all, without calling the core', async () => {
    const { transport, client } = fakeClient();
    const store = createDevicesStore(client, { chunk: { maxBytes: 500 } });
    const file = csvFile(3);
    file.content += `BIG,pv-inverter,${'站'.repeat(400)},r,,,,\n${'X'.repeat(10)},k,s,r,,,,\n`;
    await store.getState().pickImportFile(file);
    expect(store.getState().importPhase).toBe('failed');
    expect(store.getState().importFileProblem).toEqual({ reason: 'row-too-large', row: 4 });
    expect(transport.callsOf('devices/import')).toHaveLength(0);
  });

  it('merges reports and counts rows with several errors once', () => {
    const r = mergeReports(
      [
        {
          rows: 5,
          created: 2,
          updated: 1,
          unchanged: 0,
          dryRun: true,
          errors: [
            { row: 2, sn: 'A', path: 'lat', message: 'm' },
            { row: 2, sn: 'A', path: 'kind', message: 'm' },
            { row: 4, sn: null, path: 'sn', message: 'm' },
          ],
        },
      ],
      true,
      false,
    );
    expect(r.errorRows).toBe(2);
    expect(validRows(r)).toBe(3);
  });
});

describe('devices store: edits', () => {
  it('creates without a version, edits with the version it started from, and reloads the registry', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/upsert', (p) => {
      const params = p as { device: Device; version?: number };
      return device(params.device.sn, (params.version ?? 0) + 1);
    });
    const reloadRegistry = vi.fn();
    const store = createDevicesStore(client, { reloadRegistry });
    const { version: _v, updatedAt: _u, ...fields } = device('N-1', 1);
    expect(await store.getState().upsert(fields)).toMatchObject({ sn: 'N-1', version: 1 });
    expect(await store.getState().upsert(fields, 3)).toMatchObject({ version: 4 });
    expect(transport.callsOf('devices/upsert')).toEqual([{ device: fields }, { device: fields, version: 3 }]);
    expect(reloadRegistry).toHaveBeenCalledTimes(2);
  });

  it('keeps CONFLICT with its code, and fetches the latest version for a reload', async () => {
    const { transport, client } = fakeClient();
    transport.handle('devices/upsert', () => {
      throw new RpcError(ErrorCode.Conflict, 'device D-1 is at version 5, not 4', {
        id: 'D-1',
        expectedVersion: 4,
        actualVersion: 5,
      });
    });
    transport.handle('devices/get', () => device('D-1', 5));
    const store = createDevicesStore(client);
    const { version: _v, updatedAt: _u, ...fields } = device('D-1', 4);
    expect(await store.getState().upsert(fields, 4)).toBeNull();
    expect(store.getState().saveError).toMatchObject({ code: ErrorCode.Conflict });
    expect(await store.getState().fetch('D-1')).toMatchObject({ version: 5 });
    store.getState().clearErrors();
    expect(store.getState().saveError).toBeNull();
  });

  it('removes with the version and reports a refusal', async () => {
    const { transport, client } = fakeClient();
    let fail = false;
    transport.handle('devices/remove', (p) => {
      if (fail) throw new RpcError(ErrorCode.Conflict, 'changed');
      return { sn: (p as { sn: string }).sn };
    });
    const store = createDevicesStore(client);
    expect(await store.getState().remove('D-1', 2)).toBe(true);
    expect(transport.callsOf('devices/remove')).toEqual([{ sn: 'D-1', version: 2 }]);
    fail = true;
    expect(await store.getState().remove('D-1', 2)).toBe(false);
    expect(store.getState().removeError?.code).toBe(ErrorCode.Conflict);
  });
});
