import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type RpcError, type Ticket } from '@shared/contract';
import { startCore } from '../../../tests/helpers/core-fixture';
import type { Core } from '../create-core';
import { fails } from '../../../tests/helpers/rpc-error';

let now = Date.UTC(2026, 10, 24, 2, 0, 0);
const clock = { now: () => now };

describe('TicketService rules', () => {
  let core: Core;
  let stop: () => Promise<void>;
  const call = <T = Ticket>(method: string, params: unknown): Promise<T> =>
    core.call(method, params) as Promise<T>;

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 24, 2, 0, 0);
    ({ core, stop } = await startCore({ clock }));
  });
  afterEach(() => stop());

  it('numbers tickets per year in the configured zone and sets SLA due times from the policy', async () => {
    const t = await call('tickets/create', { typeId: 'device-fault', title: '逆变器告警', priority: 'P1' });
    expect(t.number).toBe('WF-2026-000001');
    expect(t.sla).toEqual({
      policyId: 'sla-ops',
      responseDueAt: '2026-11-24T02:15:00.000Z',
      resolveDueAt: '2026-11-24T06:00:00.000Z',
      respondedAt: null,
      resolvedAt: null,
    });
    // 2026-12-31T16:30Z is already 2027 in Asia/Shanghai.
    now = Date.UTC(2026, 11, 31, 16, 30);
    expect((await call('tickets/create', { typeId: 'device-fault', title: '跨年' })).number).toBe(
      'WF-2027-000001',
    );
  });

  it('enforces notes and assignees the workflow requires, and records response and resolution', async () => {
    const t = await call('tickets/create', { typeId: 'device-fault', title: '风机振动' });
    const noAssignee = await fails(
      call('tickets/transition', { id: t.id, version: 1, to: 'in_progress' }),
      ErrorCode.InvalidArgument,
    );
    expect(noAssignee.details).toEqual({
      issues: [{ path: 'assignee', message: expect.stringContaining('assign ticket') }],
    });
    now += 60_000;
    const assigned = await call('tickets/assign', {
      id: t.id,
      version: 1,
      assignee: { kind: 'team', id: 'team-field-east' },
    });
    expect(assigned.sla.respondedAt).toBe(new Date(now).toISOString());
    const working = await call('tickets/transition', { id: t.id, version: 2, to: 'in_progress' });
    await fails(
      call('tickets/transition', { id: t.id, version: 3, to: 'resolved' }),
      ErrorCode.InvalidArgument,
    );
    now += 3_600_000;
    const resolved = await call('tickets/transition', {
      id: t.id,
      version: working.version,
      to: 'resolved',
      note: '更换风扇后恢复',
    });
    expect(resolved.sla.resolvedAt).toBe(new Date(now).toISOString());
    expect(resolved.history.at(-1)).toMatchObject({
      action: 'transitioned',
      note: '更换风扇后恢复',
      changes: [{ field: 'status', from: 'in_progress', to: 'resolved' }],
    });
    const reopened = await call('tickets/transition', {
      id: t.id,
      version: resolved.version,
      to: 'in_progress',
      note: '复发',
    });
    expect(reopened.sla.resolvedAt).toBeNull();
    const stats = await call<{ open: number; resolvedToday: number }>('tickets/stats', {});
    expect(stats.open).toBe(1);
  });

  it('validates custom fields against the type, merges patches and clears a field with null', async () => {
    await fails(
      call('tickets/create', { typeId: 'device-fault', title: 'x', fields: { nope: 1 } }),
      ErrorCode.InvalidArgument,
    );
    await fails(
      call('tickets/create', { typeId: 'device-fault', title: 'x', fields: { deviceKind: 'toaster' } }),
      ErrorCode.InvalidArgument,
    );
    const t = await call('tickets/create', {
      typeId: 'device-fault',
      title: 'x',
      fields: { deviceKind: 'pv-inverter', faultCode: 'E-301' },
    });
    const u = await call('tickets/update', {
      id: t.id,
      version: 1,
      patch: { fields: { faultCode: null, downtimeMinutes: 12 } },
    });
    expect(u.fields).toEqual({ deviceKind: 'pv-inverter', downtimeMinutes: 12 });
    expect(u.history.at(-1)!.changes).toEqual([
      {
        field: 'fields',
        from: { deviceKind: 'pv-inverter', faultCode: 'E-301' },
        to: { deviceKind: 'pv-inverter', downtimeMinutes: 12 },
      },
    ]);
    const err = await fails(
      call('tickets/update', { id: t.id, version: 2, patch: { fields: { downtimeMinutes: 'long' } } }),
      ErrorCode.InvalidArgument,
    );
    expect(err.details).toEqual({
      issues: [{ path: 'patch.fields.downtimeMinutes', message: 'must be a number' }],
    });
  });

  it('moves SLA due times with a priority change and writes no event for a no-op patch', async () => {
    const t = await call('tickets/create', { typeId: 'citizen-request', title: '噪音扰民', priority: 'P4' });
    const same = await call('tickets/update', { id: t.id, version: 1, patch: { title: '噪音扰民' } });
    expect(same.version).toBe(1);
    const up = await call('tickets/update', { id: t.id, version: 1, patch: { priority: 'P1' } });
    expect(up.sla.resolveDueAt).toBe(new Date(Date.parse(t.createdAt) + 1440 * 60_000).toISOString());
  });

  it('refuses unknown directory entries and unknown types with the field path', async () => {
    const e1 = await fails(
      call('tickets/create', { typeId: 'rocket', title: 'x' }),
      ErrorCode.InvalidArgument,
    );
    expect(e1.details).toMatchObject({ issues: [{ path: 'typeId' }] });
    const e2 = await fails(
      call('tickets/create', {
        typeId: 'device-fault',
        title: 'x',
        assignee: { kind: 'user', id: 'u-ghost' },
      }),
      ErrorCode.InvalidArgument,
    );
    expect(e2.details).toMatchObject({ issues: [{ path: 'assignee.id' }] });
  });

  it('re-indexes changed text: the old title, key and address stop matching, the new ones match', async () => {
    const total = async (text: string): Promise<number> =>
      (await call<{ total: number }>('tickets/list', { filter: { text } })).total;
    const t = await call('tickets/create', {
      typeId: 'device-fault',
      title: '逆变器电压纹波超限',
      businessKeys: { deviceSn: 'INV-00001' },
      location: { lng: 120.1, lat: 30.2, address: '文三路 1 号' },
    });
    expect([await total('纹波'), await total('inv-00001'), await total('文三路')]).toEqual([1, 1, 1]);
    let v = (await call('tickets/update', { id: t.id, version: 1, patch: { title: '风机主轴振动' } }))
      .version;
    v = (
      await call('tickets/update', { id: t.id, version: v, patch: { businessKeys: { deviceSn: 'WTG-9' } } })
    ).version;
    await call('tickets/update', {
      id: t.id,
      version: v,
      patch: { location: { lng: 120.1, lat: 30.2, address: '学院路 9 号' } },
    });
    expect([await total('纹波'), await total('inv-00001'), await total('文三路')]).toEqual([0, 0, 0]);
    expect([await total('主轴振动'), await total('wtg-9'), await total('学院路')]).toEqual([1, 1, 1]);
  });

  it('finds Chinese words after digits and letters, and key prefixes followed by any character', async () => {
    await call('tickets/create', {
      typeId: 'device-fault',
      title: '3号线设备故障',
      businessKeys: { deviceSn: 'ZH𠀀-001' },
    });
    await call('tickets/create', { typeId: 'device-fault', title: 'A区设备巡检' });
    const total = async (filter: unknown): Promise<number> =>
      (await call<{ total: number }>('tickets/list', { filter })).total;
    expect(await total({ text: '设备' })).toBe(2);
    expect(await total({ text: '号线' })).toBe(1);
    expect(await total({ businessKey: { value: 'ZH' } })).toBe(1);
    expect(await total({ businessKey: { value: 'ZH𠀀' } })).toBe(1);
  });

  it('unlinks both sides and refuses self-links', async () => {
    const a = await call('tickets/create', { typeId: 'device-fault', title: 'A' });
    const b = await call('tickets/create', { typeId: 'device-fault', title: 'B' });
    await fails(
      call('tickets/link', { id: a.id, version: 1, op: 'add', kind: 'related', targetId: a.id }),
      ErrorCode.InvalidArgument,
    );
    const linked = await call('tickets/link', {
      id: a.id,
      version: 1,
      op: 'add',
      kind: 'duplicate',
      targetId: b.id,
    });
    expect((await call('tickets/get', { id: b.id })).links).toEqual([
      { kind: 'duplicate', ticketId: a.id, number: a.number },
    ]);
    const unlinked = await call('tickets/link', {
      id: a.id,
      version: linked.version,
      op: 'remove',
      kind: 'duplicate',
      targetId: b.id,
    });
    expect(unlinked.links).toEqual([]);
    expect((await call('tickets/get', { id: b.id })).links).toEqual([]);
  });

  it('serialises concurrent writes: exactly one of two racing updates on the same version wins', async () => {
    const t = await call('tickets/create', { typeId: 'device-fault', title: 'race' });
    const results = await Promise.allSettled([
      call('tickets/update', { id: t.id, version: 1, patch: { title: 'one' } }),
      call('tickets/update', { id: t.id, version: 1, patch: { title: 'two' } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((loser.reason as RpcError).code).toBe(ErrorCode.Conflict);
  });
});
