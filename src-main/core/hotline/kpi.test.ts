import { describe, expect, it } from 'vitest';
import { computeKpi, dayIn } from './kpi';
import type { HotlineTicketRecord } from './record';

const actor = { id: 'u', name: 'U' };

function rec(
  id: string,
  createdAt: string,
  category: string,
  departmentIds: string[],
  reassignedTo: string[],
  place: { district: string | null; cellId: string | null },
): HotlineTicketRecord {
  return {
    ticketId: id,
    number: id,
    title: id,
    createdAt,
    text: '噪音',
    channel: 'phone',
    externalId: null,
    callerPhone: null,
    callerName: null,
    lng: 120.1,
    lat: 30.2,
    district: place.district,
    street: null,
    cellId: place.cellId,
    alternatives: [],
    dispatch: {
      ticketId: id,
      departments: departmentIds.map((departmentId) => ({ departmentId, state: 'pending' as const })),
      owner: null,
      reassignments: reassignedTo.map((to, i) => ({
        at: createdAt,
        actor,
        from: i === 0 ? departmentIds[0]! : reassignedTo[i - 1]!,
        to,
        reason: '不属于本单位',
      })),
      suggested: { category, confidence: 0.9, departmentIds },
      chosen: { category, departmentIds },
      overridden: false,
    },
  };
}

const NOISE = '环境保护/环境污染/噪音污染';
const ROAD = '城乡建设/市政管理/道路与路灯';
const XH = { district: '西湖区', cellId: 'C1' };

describe('first-dispatch accuracy', () => {
  it('puts a ticket on its day in Asia/Shanghai, not UTC', () => {
    expect(dayIn('Asia/Shanghai', '2026-03-01T16:30:00.000Z')).toBe('2026-03-02');
    expect(dayIn('Asia/Shanghai', '2026-03-01T15:59:59.000Z')).toBe('2026-03-01');
  });

  // Hand-checked: 6 tickets; t3 and t5 reassigned; t4 double-dispatched (never reassigned); t6 outside `to`.
  const records = [
    rec('t1', '2026-03-01T01:00:00.000Z', NOISE, ['dept-env'], [], XH), // day 03-01
    rec('t2', '2026-03-01T17:00:00.000Z', NOISE, ['dept-env'], [], { district: '西湖区', cellId: null }), // 03-02
    rec('t3', '2026-03-01T18:00:00.000Z', NOISE, ['dept-env'], ['dept-urban'], XH), // 03-02, misroute
    rec('t4', '2026-03-02T02:00:00.000Z', ROAD, ['dept-urban', 'dept-transport'], [], XH), // 03-02, double
    rec('t5', '2026-03-02T03:00:00.000Z', ROAD, ['dept-urban'], ['dept-transport', 'dept-housing'], {
      district: '上城区',
      cellId: 'C2',
    }),
    rec('t6', '2026-03-05T03:00:00.000Z', NOISE, ['dept-env'], ['dept-urban'], XH),
  ];

  it('counts tickets never reassigned, per day, category, department and cell', () => {
    const k = computeKpi(records, {
      timeZone: 'Asia/Shanghai',
      asOf: '2026-03-03T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
    });
    expect(k.overall).toEqual({ tickets: 5, firstTimeRight: 3, accuracy: 0.6, doubleDispatched: 1 });
    expect(k.byDay).toEqual([
      { day: '2026-03-01', tickets: 1, firstTimeRight: 1, accuracy: 1, doubleDispatched: 0 },
      { day: '2026-03-02', tickets: 4, firstTimeRight: 2, accuracy: 0.5, doubleDispatched: 1 },
    ]);
    expect(k.byCategory).toEqual([
      { category: ROAD, tickets: 2, firstTimeRight: 1, accuracy: 0.5, doubleDispatched: 1 },
      { category: NOISE, tickets: 3, firstTimeRight: 2, accuracy: 0.6667, doubleDispatched: 0 },
    ]);
    expect(k.byDepartment).toEqual([
      { departmentId: 'dept-env', tickets: 3, firstTimeRight: 2, accuracy: 0.6667, doubleDispatched: 0 },
      { departmentId: 'dept-urban', tickets: 2, firstTimeRight: 1, accuracy: 0.5, doubleDispatched: 1 },
    ]);
    // t2 has no cell: it is in every figure but this one.
    expect(k.byCell).toEqual([
      { cellId: 'C1', tickets: 3, firstTimeRight: 2, accuracy: 0.6667, doubleDispatched: 1 },
      { cellId: 'C2', tickets: 1, firstTimeRight: 0, accuracy: 0, doubleDispatched: 0 },
    ]);
    expect(k.matrixSuggestions).toEqual([]);
  });

  it('has no accuracy for an empty period', () => {
    const k = computeKpi(records, { timeZone: 'Asia/Shanghai', asOf: 'x', from: '2027-01-01T00:00:00.000Z' });
    expect(k.overall).toEqual({ tickets: 0, firstTimeRight: 0, accuracy: null, doubleDispatched: 0 });
  });

  it('suggests a matrix row once a category at a district went to the same department 3 times', () => {
    const again = [
      rec('a1', '2026-03-01T01:00:00.000Z', NOISE, ['dept-env'], ['dept-urban'], XH),
      rec('a2', '2026-03-01T02:00:00.000Z', NOISE, ['dept-env'], ['dept-urban'], XH),
    ];
    const k = computeKpi([...records, ...again], { timeZone: 'Asia/Shanghai', asOf: 'x' });
    expect(k.matrixSuggestions).toEqual([
      { category: NOISE, district: '西湖区', departmentId: 'dept-urban', misroutes: 4 },
    ]);
    const two = computeKpi(again, { timeZone: 'Asia/Shanghai', asOf: 'x' });
    expect(two.matrixSuggestions).toEqual([]);
  });
});
