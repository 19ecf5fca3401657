import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigDocument,
  ErrorCode,
  SavedView,
  SystemInfo,
  Ticket,
  TicketFacetsResult,
  TicketListResult,
  TicketStatsResult,
  Device,
  PolicySet,
  PredictStatus,
  QualityReport,
  TelemetryFrame,
  TelemetryStats,
  coreEvents,
  type EventName,
  ClassifySuggestion,
  DispatchState,
  IncomingCall,
  HotlineKpi,
  RouteAnswer,
  SubmitCallResult,
  HotlineClassifierInfo,
} from '../../src-main/shared/contract';
import { join } from 'node:path';
import { createCore } from '../../src-main/core/create-core';
import { silentLogger } from '../../src-main/core/ports';
import { FileStore } from '../../src-main/core/store/file-store';
import { tempDir } from '../helpers/temp-dir';
import { createRpcClient, type RpcClient } from '../../src-renderer/src/rpc/client';
import { transportKinds, twoClientsPerTest } from './transports';
import { fails as failsWith } from '../helpers/rpc-error';

/** Rejects unless the promise fails with an RpcError of `code`; returns it for further checks. */
function nextEvent<E extends EventName>(
  client: RpcClient,
  event: E,
  match: (p: unknown) => boolean = () => true,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 2 s`)), 2_000);
    const off = client.on(event, (payload) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

const fault = {
  typeId: 'device-fault',
  title: '逆变器 INV-00017 直流侧电压纹波超限',
  businessKeys: { deviceSn: 'INV-00017' },
};

describe.each(transportKinds)('contract over $name', (kind) => {
  const clients = twoClientsPerTest(kind);
  let a: RpcClient;
  let b: RpcClient;
  beforeEach(() => ({ a, b } = clients));

  it('system/info and config/get return documents that match their schemas', async () => {
    expect(SystemInfo.safeParse(await a.call('system/info', {})).success).toBe(true);
    const config = ConfigDocument.parse(await a.call('config/get', {}));
    expect(config.types.length).toBeGreaterThanOrEqual(4);
  });

  it('creates a ticket with a human number, lists, filters and reads it back', async () => {
    const created = Ticket.parse(await a.call('tickets/create', fault));
    expect(created.number).toMatch(/^WF-\d{4}-\d{6}$/);
    expect(created.version).toBe(1);
    expect(created.status).toBe('new');
    expect(created.history).toHaveLength(1);
    const list = TicketListResult.parse(await b.call('tickets/list', { filter: { text: '纹波' } }));
    expect(list.total).toBe(1);
    expect(list.items[0]!.id).toBe(created.id);
    const byKey = TicketListResult.parse(
      await b.call('tickets/list', { filter: { businessKey: { key: 'deviceSn', value: 'INV-00017' } } }),
    );
    expect(byKey.total).toBe(1);
    const none = TicketListResult.parse(await b.call('tickets/list', { filter: { priority: ['P1'] } }));
    expect(none.total).toBe(0);
    expect(Ticket.parse(await b.call('tickets/get', { number: created.number })).id).toBe(created.id);
    expect(TicketFacetsResult.parse(await b.call('tickets/facets', {})).byStatus).toEqual({ new: 1 });
    expect(TicketStatsResult.parse(await b.call('tickets/stats', {})).open).toBe(1);
  });

  it('pushes tickets/changed to every client after a change is durable', async () => {
    const seenByB = nextEvent(b, 'tickets/changed');
    const seenByA = nextEvent(a, 'tickets/changed');
    const created = Ticket.parse(await a.call('tickets/create', fault));
    const payload = coreEvents['tickets/changed'].parse(await seenByB);
    expect(payload.changes[0]).toMatchObject({ op: 'created', ticket: { id: created.id, version: 1 } });
    await seenByA;
    const updated = nextEvent(
      a,
      'tickets/changed',
      (p) => (p as { changes: { op: string }[] }).changes[0]?.op === 'updated',
    );
    await b.call('tickets/assign', {
      id: created.id,
      version: 1,
      assignee: { kind: 'user', id: 'u-wangqiang' },
    });
    const up = coreEvents['tickets/changed'].parse(await updated);
    expect(up.changes[0]!.ticket).toMatchObject({
      id: created.id,
      version: 2,
      assignee: { kind: 'user', id: 'u-wangqiang' },
    });
  });

  it('rejects a stale write with CONFLICT and both versions', async () => {
    const t = Ticket.parse(await a.call('tickets/create', fault));
    await b.call('tickets/update', { id: t.id, version: 1, patch: { priority: 'P1' } });
    const err = await failsWith(
      a.call('tickets/update', { id: t.id, version: 1, patch: { title: '新标题' } }),
      ErrorCode.Conflict,
    );
    expect(err.details).toEqual({ id: t.id, expectedVersion: 1, actualVersion: 2 });
  });

  it('rejects a transition the workflow forbids with the allowed ones', async () => {
    const t = Ticket.parse(await a.call('tickets/create', fault));
    const err = await failsWith(
      a.call('tickets/transition', { id: t.id, version: 1, to: 'closed' }),
      ErrorCode.TransitionNotAllowed,
    );
    expect(err.details).toEqual({
      from: 'new',
      to: 'closed',
      allowed: ['assigned', 'in_progress', 'cancelled'],
    });
  });

  it('names the field path of invalid params', async () => {
    const err = await failsWith(
      a.call('tickets/create', { ...fault, location: { lng: 120.1, lat: 95 } }),
      ErrorCode.InvalidArgument,
    );
    expect((err.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'location.lat',
    ]);
    const err2 = await failsWith(a.call('tickets/list', { limit: 5000 }), ErrorCode.InvalidArgument);
    expect((err2.details as { issues: { path: string }[] }).issues[0]!.path).toBe('limit');
    const err3 = await failsWith(
      a.call('tickets/create', { ...fault, fields: { downtimeMinutes: -5 } }),
      ErrorCode.InvalidArgument,
    );
    expect((err3.details as { issues: { path: string }[] }).issues[0]!.path).toBe('fields.downtimeMinutes');
  });

  it('answers an unknown method with METHOD_NOT_FOUND and an unknown ticket with NOT_FOUND', async () => {
    await failsWith(
      (a.call as (m: string, p: unknown) => Promise<unknown>)('tickets/explode', {}),
      ErrorCode.MethodNotFound,
    );
    await failsWith(a.call('tickets/get', { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }), ErrorCode.NotFound);
  });

  it('returns the first ticket again for a repeated idempotency key', async () => {
    const first = Ticket.parse(
      await a.call('tickets/create', { ...fault, idempotencyKey: 'INV-00017:ripple:2026-11-24T08' }),
    );
    const again = Ticket.parse(
      await b.call('tickets/create', { ...fault, idempotencyKey: 'INV-00017:ripple:2026-11-24T08' }),
    );
    expect(again.id).toBe(first.id);
    expect(TicketListResult.parse(await a.call('tickets/list', {})).total).toBe(1);
  });

  it('saves, lists and deletes views, pushing views/changed', async () => {
    const changed = nextEvent(b, 'views/changed');
    const view = SavedView.parse(
      await a.call('views/save', {
        name: '我的 P1',
        filter: { priority: ['P1'] },
        sort: { field: 'updatedAt', dir: 'desc' },
        mode: 'list',
      }),
    );
    expect(await changed).toEqual({ op: 'saved', id: view.id });
    expect((await b.call('views/list', {})).map((v) => v.id)).toEqual([view.id]);
    await a.call('views/delete', { id: view.id });
    expect(await a.call('views/list', {})).toEqual([]);
  });

  it('registers devices, pushes devices/changed, and serves frames indexed by the registry', async () => {
    const changed = nextEvent(b, 'devices/changed');
    const d = Device.parse(
      await a.call('devices/upsert', {
        device: {
          sn: 'INV-00017',
          kind: 'pv-inverter',
          site: '金鹰电子屋顶光伏',
          region: '临安区',
          lng: 119.68,
          lat: 30.18,
        },
      }),
    );
    expect(d.version).toBe(1);
    const payload = coreEvents['devices/changed'].parse(await changed);
    expect(payload.sns).toEqual(['INV-00017']);
    const list = await b.call('devices/list', {});
    expect(list.version).toBe(payload.version);
    const frame = TelemetryFrame.parse(await b.call('telemetry/frame', { metric: 'ripple' }));
    expect(Buffer.from(frame.health, 'base64')).toHaveLength(1);
    expect(Buffer.from(frame.values!, 'base64')).toHaveLength(4);
    expect(TelemetryStats.parse(await b.call('telemetry/stats', {})).devices.unknown).toBe(1);
    const report = await a.call('devices/import', {
      format: 'csv',
      content: 'sn,kind,site,region,lng,lat\nX 1,pv-inverter,s,r,1,1',
    });
    expect(report.errors).toEqual([{ row: 1, sn: 'X 1', path: 'sn', message: expect.any(String) }]);
  });

  it('answers the predictive methods with their schemas and refuses bad scores and policies', async () => {
    // This core has no models: every kind is rules only, and nothing is there to score.
    const status = PredictStatus.parse(await a.call('predict/status', {}));
    expect(status.models).toEqual([]);
    expect(await a.call('predict/scoringJob', {})).toBeNull();
    expect(
      await a.call('predict/submitScores', { cycleId: 1, modelId: 'nope', modelVersion: '1', outputs: {} }),
    ).toEqual({ accepted: false, reason: 'no model nope' });
    const set = PolicySet.parse(await a.call('predict/policies', {}));
    const policy = set.policies[0]!;
    const err = await failsWith(
      a.call('predict/setPolicy', { policy: { ...policy, openAt: 2 }, version: set.version, note: 'x' }),
      ErrorCode.InvalidArgument,
    );
    expect((err.details as { issues: { path: string }[] }).issues[0]!.path).toBe('policy.openAt');
    await failsWith(a.call('predict/model', { modelId: 'nope' }), ErrorCode.NotFound);
    expect(QualityReport.parse(await a.call('predict/quality', {})).overall.predictions).toBe(0);
  });

  it('links tickets on both sides', async () => {
    const parent = Ticket.parse(await a.call('tickets/create', fault));
    const child = Ticket.parse(await a.call('tickets/create', { ...fault, title: '子工单' }));
    const linked = Ticket.parse(
      await a.call('tickets/link', {
        id: child.id,
        version: 1,
        op: 'add',
        kind: 'parent',
        targetId: parent.id,
      }),
    );
    expect(linked.links).toEqual([{ kind: 'parent', ticketId: parent.id, number: parent.number }]);
    const other = Ticket.parse(await b.call('tickets/get', { id: parent.id }));
    expect(other.links).toEqual([{ kind: 'child', ticketId: child.id, number: child.number }]);
  });

  it('runs the hotline: classify, route, submit with an override, accept, reassign, kpi, bad params', async () => {
    // A core of its own: the hotline needs the grid files and a built classifier.
    const tmp = tempDir('wf-hotline-contract-');
    const storage = await FileStore.open({ dir: join(tmp.path, 'data'), logger: silentLogger });
    const core = await createCore({
      storage,
      host: 'in-process',
      version: 'test',
      hotline: { mapDir: join(import.meta.dirname, '../../src-renderer/public/map') },
    });
    const { transports, close } = await kind.connect(core, 1);
    const h = createRpcClient(transports[0]!);
    try {
      await core.hotline.ready();
      const text = '楼下工地晚上十一点还在打桩，噪音特别大';
      const s = ClassifySuggestion.parse(await h.call('hotline/classify', { text }));
      expect(s.category).toBe('环境保护/环境污染/噪音污染');
      const route = RouteAnswer.parse(
        await h.call('hotline/route', { place: { address: '上城区采荷路' }, category: s.category }),
      );
      expect(route).toMatchObject({
        ok: true,
        district: '上城区',
        departments: [{ departmentId: 'dept-env' }],
      });
      const changed = nextEvent(h, 'hotline/changed');
      const sub = SubmitCallResult.parse(
        await h.call('hotline/submit', {
          text,
          caller: { name: '王女士', phone: '13812345678' },
          place: { address: '上城区采荷路' },
          departmentIds: ['dept-urban', 'dept-env'],
          externalId: 'contract-1',
        }),
      );
      expect(sub.ticket.fields.callerPhone).toBe('138****5678');
      expect(sub.dispatch).toMatchObject({
        overridden: true,
        chosen: { departmentIds: ['dept-urban', 'dept-env'] },
      });
      expect(await changed).toEqual({ ticketId: sub.ticket.id });
      const accepted = DispatchState.parse(
        await h.call('hotline/accept', { ticketId: sub.ticket.id, departmentId: 'dept-env' }),
      );
      expect(accepted.departments.map((d) => d.state)).toEqual(['released', 'accepted']);
      const moved = DispatchState.parse(
        await h.call('hotline/reassign', {
          ticketId: sub.ticket.id,
          departmentId: 'dept-housing',
          reason: '建筑施工噪音由住建局处理',
          category: '城乡建设/建设施工/施工安全',
        }),
      );
      expect(moved.reassignments).toMatchObject([
        { from: 'dept-env', to: 'dept-housing', category: '城乡建设/建设施工/施工安全' },
      ]);
      const queued = nextEvent(h, 'hotline/queueChanged');
      const call = IncomingCall.parse(
        await h.call('hotline/enqueue', { text, caller: { name: null, phone: '13812345678' } }),
      );
      expect(call.callerPhone).toBe('138****5678');
      expect(await queued).toEqual({ waiting: 1 });
      expect(await h.call('hotline/dismissCall', { incomingId: call.id, reason: '来电挂断' })).toEqual({
        waiting: 0,
      });
      await failsWith(
        h.call('hotline/dismissCall', { incomingId: call.id, reason: '来电挂断' }),
        ErrorCode.NotFound,
      );
      const kpi = HotlineKpi.parse(await h.call('hotline/kpi', {}));
      expect(kpi.overall).toEqual({ tickets: 1, firstTimeRight: 0, accuracy: 0, doubleDispatched: 1 });
      const bad = await failsWith(
        h.call('hotline/submit', { text: '', place: null }),
        ErrorCode.InvalidArgument,
      );
      expect((bad.details as { issues: { path: string }[] }).issues[0]!.path).toBe('text');
      await failsWith(
        h.call('hotline/classify', { text: 'noise at night from the building site' }),
        ErrorCode.InvalidArgument,
      );
    } finally {
      await close();
      await core.close();
      tmp.cleanup();
    }
  });

  it('answers the hotline classifier info and refuses to train without closed tickets', async () => {
    const info = HotlineClassifierInfo.parse(await a.call('hotline/classifierInfo', {}));
    expect(info).toMatchObject({ kind: 'seed', trainedAt: null, trainedBy: null, report: null });
    expect(info.classes.length).toBeGreaterThan(10);
    expect(await a.call('hotline/classifierModel', {})).toEqual({ kind: 'seed', model: null });
    const err = await failsWith(a.call('hotline/trainClassifier', {}), ErrorCode.InvalidArgument);
    expect(err.details).toMatchObject({ code: 'too-few-examples', examples: 0 });
    await failsWith(a.call('hotline/trainClassifier', { folds: 1 }), ErrorCode.InvalidArgument);
  });
});
