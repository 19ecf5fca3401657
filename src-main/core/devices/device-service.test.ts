import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type RpcError, type Device, type DeviceImportResult } from '@shared/contract';
import { startCore } from '../../../tests/helpers/core-fixture';
import type { Core } from '../create-core';

const csv = [
  'sn,kind,site,region,lng,lat,model,installDate,metadata.capacityKw',
  'INV-00001,pv-inverter,金鹰电子屋顶光伏,临安区,119.68,30.18,SG110CX,2023-05-01,110',
  'INV-00002,pv-inverter,金鹰电子屋顶光伏,临安区,,,SG110CX,,110',
  'BAD SN,pv-inverter,金鹰电子屋顶光伏,临安区,119.68,30.18,SG110CX,,',
  'INV-00003,toaster,金鹰电子屋顶光伏,临安区,119.68,30.18,SG110CX,,',
  'INV-00004,pv-inverter,金鹰电子屋顶光伏,临安区,500,30.18,SG110CX,2023-13-45,',
  'INV-00001,pv-inverter,重复,临安区,119.68,30.18,SG110CX,,',
].join('\n');

/** The editable fields of a device, as a client sends them back. */
const fieldsOf = ({ version: _v, updatedAt: _u, ...fields }: Device) => fields;

describe('DeviceService', () => {
  let core: Core;
  let stop: () => Promise<void>;
  const call = <T>(method: string, params: unknown): Promise<T> => core.call(method, params) as Promise<T>;
  beforeEach(async () => ({ core, stop } = await startCore()));
  afterEach(() => stop());

  it('imports a CSV with a report of every bad row, and saves nothing on a dry run', async () => {
    const dry = await call<DeviceImportResult>('devices/import', {
      format: 'csv',
      content: csv,
      firstRow: 2,
      dryRun: true,
    });
    expect(dry).toMatchObject({ rows: 6, created: 2, updated: 0, unchanged: 0, dryRun: true });
    expect(dry.errors.map((e) => [e.row, e.path])).toEqual([
      [4, 'sn'],
      [5, 'kind'],
      [6, 'lng'],
      [6, 'installDate'],
      [7, 'sn'],
    ]);
    expect((await call<{ devices: Device[] }>('devices/list', {})).devices).toHaveLength(0);
    const done = await call<DeviceImportResult>('devices/import', {
      format: 'csv',
      content: csv,
      firstRow: 2,
    });
    expect(done).toMatchObject({ created: 2, dryRun: false });
    const list = await call<{ version: number; devices: Device[] }>('devices/list', {});
    expect(list.devices.map((d) => d.sn)).toEqual(['INV-00001', 'INV-00002']);
    expect(list.devices[0]).toMatchObject({
      lng: 119.68,
      installDate: '2023-05-01',
      metadata: { capacityKw: '110' },
    });
    expect(list.devices[1]).toMatchObject({ lng: null, lat: null, installDate: null });
    const again = await call<DeviceImportResult>('devices/import', {
      format: 'csv',
      content: csv.split('\n').slice(0, 3).join('\n'),
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('refuses unknown columns and unreadable files with a clear report', async () => {
    const r = await call<DeviceImportResult>('devices/import', {
      format: 'csv',
      content: 'sn,colour\nA,red',
    });
    expect(r.errors[0]).toMatchObject({ path: '(header)', message: expect.stringContaining('colour') });
    const j = await call<DeviceImportResult>('devices/import', { format: 'json', content: '{"sn": "A"}' });
    expect(j.errors[0]!.message).toMatch(/array of devices/);
  });

  it('edits with optimistic versions, keeps the registry order, and removes', async () => {
    const a = await call<Device>('devices/upsert', {
      device: {
        sn: 'WT-01',
        kind: 'wind-turbine',
        site: '临平风场',
        region: '临平区',
        lng: 120.3,
        lat: 30.4,
      },
    });
    await call<Device>('devices/upsert', {
      device: {
        sn: 'WT-02',
        kind: 'wind-turbine',
        site: '临平风场',
        region: '临平区',
        lng: 120.31,
        lat: 30.41,
      },
    });
    const edited = await call<Device>('devices/upsert', {
      device: { ...fieldsOf(a), site: '临平二期' },
      version: 1,
    });
    expect(edited.version).toBe(2);
    const stale = await call('devices/upsert', { device: { ...fieldsOf(a), site: 'x' }, version: 1 }).catch(
      (e: unknown) => e,
    );
    expect((stale as RpcError).code).toBe(ErrorCode.Conflict);
    expect((await call<{ devices: Device[] }>('devices/list', {})).devices.map((d) => d.sn)).toEqual([
      'WT-01',
      'WT-02',
    ]);
    const unknownKind = await call('devices/upsert', { device: { ...fieldsOf(a), kind: 'toaster' } }).catch(
      (e: unknown) => e,
    );
    expect((unknownKind as RpcError).details).toMatchObject({ issues: [{ path: 'device.kind' }] });
    await call('devices/remove', { sn: 'WT-01', version: 2 });
    expect((await call<{ devices: Device[] }>('devices/list', {})).devices.map((d) => d.sn)).toEqual([
      'WT-02',
    ]);
    const gone = await call('telemetry/device', { sn: 'WT-01' }).catch((e: unknown) => e);
    expect((gone as RpcError).code).toBe(ErrorCode.NotFound);
  });
});
