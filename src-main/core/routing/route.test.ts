import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '@shared/domain/geo';
import { createRouter, loadGridIndex, proposeDepartments } from './route';

const map = (name: string): string =>
  new URL(`../../../src-renderer/public/map/${name}`, import.meta.url).pathname;
const router = createRouter(loadGridIndex(map('grid-cells.geojson'), map('hangzhou-base.geojson')));

describe('routeLocation', () => {
  it('routes WGS84 coordinates to a cell with its grid manager', () => {
    const r = router.routeLocation({ lng: 120.16, lat: 30.276 });
    expect(r.ok).toBe(true);
    expect(r.cell?.manager).not.toBe('');
    expect(r.district).toBe(r.cell?.district);
    expect(r.location).toMatchObject({ source: 'coordinates', lng: 120.16, lat: 30.276 });
  });

  it('converts GCJ-02 input to WGS84 before the lookup', () => {
    const gcj = wgs84ToGcj02(120.16, 30.276);
    const r = router.routeLocation({ ...gcj, crs: 'gcj02' });
    expect(r.cell?.id).toBe(router.routeLocation({ lng: 120.16, lat: 30.276 }).cell?.id);
    expect(r.location?.given).toEqual({ ...gcj, crs: 'gcj02' });
    expect(Math.abs(r.location!.lng - 120.16)).toBeLessThan(1e-6);
  });

  it('routes an address to a cell of the street it names', () => {
    const r = router.routeLocation({ address: '浙江省杭州市西湖区古荡街道文三路268号' });
    expect(r.ok).toBe(true);
    expect(r.cell).toMatchObject({ district: '西湖区', street: '古荡街道' });
    expect(r.location?.source).toBe('address');
    expect(r.location?.match?.path).toBe('西湖区 / 古荡街道 / 文三路');
  });

  it('hands ambiguous addresses back with candidates and no location', () => {
    const r = router.routeLocation({ address: '文四路' });
    expect(r.ok).toBe(false);
    expect(r.location).toBeNull();
    expect(r.reason?.code).toBe('ambiguous');
    expect(r.candidates!.length).toBeGreaterThan(1);
  });

  it('explains coordinates outside the city and addresses that match nothing', () => {
    expect(router.routeLocation({ lng: 121.4737, lat: 31.2304 }).reason?.code).toBe('outside-city');
    expect(router.routeLocation({ lng: Number.NaN, lat: 30 }).reason?.code).toBe('invalid-coordinates');
    expect(router.routeLocation({ address: '农贸市场' }).reason?.code).toBe('not-found');
  });

  it('proposes no department until a responsibility matrix is given', () => {
    const r = router.routeLocation({ lng: 120.16, lat: 30.276 });
    expect(proposeDepartments(r, '环境保护/噪音污染/施工噪音', null)).toEqual({
      departments: [],
      note: 'no responsibility matrix is configured yet',
    });
    const asked: unknown[] = [];
    const got = proposeDepartments(r, '环境保护/噪音污染/施工噪音', (q) => {
      asked.push(q);
      return [{ departmentId: 'env', name: '生态环境局', rule: 'test row' }];
    });
    expect(asked).toEqual([
      { category: '环境保护/噪音污染/施工噪音', district: r.district, street: r.street, cellId: r.cell!.id },
    ]);
    expect(got.departments).toHaveLength(1);
  });
});
