import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, SubmitCallResult, type MethodInput } from '@shared/contract';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { getDefaultClassifier } from '@shared/domain/classify/classifier';
import { createCore, type Core } from '../create-core';
import { silentLogger } from '../ports';
import { FileStore } from '../store/file-store';
import { fails } from '../../../tests/helpers/rpc-error';

const MAP = join(import.meta.dirname, '../../../src-renderer/public/map');
const NOISE_TEXT = '工地噪音，晚上十一点还在打桩，吵得睡不着';
const LAMP_TEXT = '小区门口的路灯坏了一个多星期了';
const RIVER_TEXT = '河道里漂着一层油污，还有死鱼，怀疑工厂偷排废水';
const agent = { actor: { id: 'u-zhoujie', name: '周杰' } };

let now = Date.parse('2026-03-02T02:00:00.000Z');
const clock = { now: () => now };
const opened: { core: Core }[] = [];
const cleanups: (() => void)[] = [];

async function open(
  dir?: string,
  hotline: Parameters<typeof createCore>[0]['hotline'] = { mapDir: MAP },
): Promise<{ core: Core; dir: string }> {
  const tmp = dir ? null : tempDir('wf-hotline-');
  if (tmp) cleanups.push(tmp.cleanup);
  const path = dir ?? join(tmp!.path, 'data');
  const storage = await FileStore.open({ dir: path, logger: silentLogger });
  const core = await createCore({
    storage,
    host: 'in-process',
    version: 'test',
    clock,
    hotline: hotline && { classifier: getDefaultClassifier, ...hotline },
  });
  opened.push({ core });
  await core.hotline.ready();
  return { core, dir: path };
}

async function submit(core: Core, params: MethodInput<'hotline/submit'> | Record<string, unknown>) {
  return SubmitCallResult.parse(await core.call('hotline/submit', params, agent));
}

beforeAll(() => {
  getDefaultClassifier();
});

afterEach(async () => {
  for (const o of opened.splice(0)) await o.core.close();
  for (const c of cleanups.splice(0)) c();
});

describe('hotline service', () => {
  it('classifies Chinese text and refuses other languages with unsupported-language', async () => {
    const { core } = await open();
    const s = (await core.call('hotline/classify', { text: NOISE_TEXT })) as {
      category: string;
      lowConfidence: boolean;
    };
    expect(s.category).toBe('环境保护/环境污染/噪音污染');
    expect(s.lowConfidence).toBe(false);
    const err = await fails(
      core.call('hotline/classify', { text: 'The streetlight is broken' }),
      ErrorCode.InvalidArgument,
    );
    expect(err.details).toMatchObject({ code: 'unsupported-language' });
  });

  it('a request that comes while the classifier is built waits for it instead of failing', async () => {
    // A core without the hotline option builds the classifier on first use, and has no map.
    const tmp = tempDir('wf-hotline-');
    cleanups.push(tmp.cleanup);
    const storage = await FileStore.open({ dir: join(tmp.path, 'd'), logger: silentLogger });
    const lazy = await createCore({ storage, host: 'in-process', version: 'test', clock });
    opened.push({ core: lazy });
    const [first, second] = await Promise.all([
      lazy.call('hotline/classify', { text: NOISE_TEXT }),
      lazy.call('hotline/classify', { text: LAMP_TEXT }),
    ]);
    expect(first).toMatchObject({ category: '环境保护/环境污染/噪音污染' });
    expect(second).toMatchObject({ leafId: expect.any(String) });
    // Without a map folder routing says so.
    await fails(lazy.call('hotline/route', { place: { address: '上城区采荷路' } }), ErrorCode.Unavailable);
  });

  it('routes an address to its cell and the matrix department, exceptions included', async () => {
    const { core } = await open();
    const r = (await core.call('hotline/route', {
      place: { address: '上城区采荷路' },
      category: '环境保护/环境污染/噪音污染',
    })) as { ok: boolean; district: string; departments: { departmentId: string; rule: string }[] };
    expect(r.ok).toBe(true);
    expect(r.departments).toMatchObject([{ departmentId: 'dept-env', rule: 'default:环境保护' }]);
    const xihu = (await core.call('hotline/route', {
      place: { address: '西湖区文三路' },
      category: '环境保护/环境污染/噪音污染',
    })) as typeof r;
    expect(xihu.departments).toMatchObject([{ departmentId: 'dept-urban', rule: 'exception:x-xihu-noise' }]);
  });

  it('submits a call as a dispatched citizen ticket with masked phones', async () => {
    const { core } = await open();
    const res = await submit(core, {
      text: `${NOISE_TEXT}，回电13812345678`,
      caller: { name: '王女士', phone: '13812345678' },
      place: { address: '上城区采荷路' },
    });
    expect(res.ticket).toMatchObject({
      typeId: 'citizen-request',
      status: 'dispatched',
      source: 'hotline',
      assignee: { kind: 'department', id: 'dept-env' },
      fields: { category: '环境保护/环境污染/噪音污染', callerPhone: '138****5678', channel: 'phone' },
    });
    expect(res.ticket.location?.gridId).toMatch(/^330102-/);
    expect(JSON.stringify(res)).not.toContain('13812345678');
    expect(res.dispatch).toMatchObject({
      departments: [{ departmentId: 'dept-env', state: 'pending' }],
      overridden: false,
      chosen: { departmentIds: ['dept-env'] },
    });
    expect(JSON.stringify(await core.call('tickets/get', { id: res.ticket.id }))).not.toContain(
      '13812345678',
    );
  });

  it('double-dispatches on low confidence; the first to accept owns it, the other is released', async () => {
    const { core } = await open();
    const res = await submit(core, { text: LAMP_TEXT, place: { address: '上城区采荷路' } });
    expect(res.dispatch.suggested.confidence).toBeLessThan(0.93);
    expect(res.dispatch.departments).toEqual([
      { departmentId: 'dept-urban', state: 'pending' },
      { departmentId: 'dept-housing', state: 'pending' },
    ]);
    await fails(
      core.call('hotline/accept', { ticketId: res.ticket.id, departmentId: 'dept-water' }, agent),
      ErrorCode.InvalidArgument,
    );
    const accepted = await core.call(
      'hotline/accept',
      { ticketId: res.ticket.id, departmentId: 'dept-housing' },
      agent,
    );
    expect(accepted).toMatchObject({
      owner: 'dept-housing',
      departments: [
        { departmentId: 'dept-urban', state: 'released' },
        { departmentId: 'dept-housing', state: 'accepted' },
      ],
    });
    const t = (await core.call('tickets/get', { id: res.ticket.id })) as {
      status: string;
      assignee: unknown;
    };
    expect(t).toMatchObject({ status: 'accepted', assignee: { kind: 'department', id: 'dept-housing' } });
    await fails(
      core.call('hotline/accept', { ticketId: res.ticket.id, departmentId: 'dept-urban' }, agent),
      ErrorCode.Conflict,
    );
  });

  it('double-dispatches a joint matrix row even at high confidence', async () => {
    const { core } = await open();
    const res = await submit(core, { text: RIVER_TEXT, place: { lng: 120.216104, lat: 30.198199 } });
    expect(res.dispatch.chosen).toEqual({
      category: '环境保护/环境污染/水污染',
      departmentIds: ['dept-env', 'dept-water'],
    });
  });

  it('records a reassignment with its reason; accuracy drops and misroutes feed back', async () => {
    const { core } = await open();
    const a = await submit(core, { text: NOISE_TEXT, place: { address: '上城区采荷路' } });
    await submit(core, { text: NOISE_TEXT, place: { address: '上城区采荷路' }, externalId: 'call-2' });
    let kpi = (await core.call('hotline/kpi', {})) as { overall: { tickets: number; accuracy: number } };
    expect(kpi.overall).toMatchObject({ tickets: 2, accuracy: 1 });
    await core.call('hotline/accept', { ticketId: a.ticket.id, departmentId: 'dept-env' }, agent);
    const d = await core.call(
      'hotline/reassign',
      { ticketId: a.ticket.id, departmentId: 'dept-housing', reason: '系施工安全问题，应由住建局处理' },
      agent,
    );
    expect(d).toMatchObject({
      owner: null,
      departments: [{ departmentId: 'dept-housing', state: 'pending' }],
      reassignments: [{ from: 'dept-env', to: 'dept-housing', reason: '系施工安全问题，应由住建局处理' }],
    });
    const t = (await core.call('tickets/get', { id: a.ticket.id })) as { status: string; assignee: unknown };
    expect(t).toMatchObject({ status: 'dispatched', assignee: { kind: 'department', id: 'dept-housing' } });
    kpi = (await core.call('hotline/kpi', {})) as typeof kpi;
    expect(kpi.overall).toMatchObject({ tickets: 2, firstTimeRight: 1, accuracy: 0.5 });
    await fails(
      core.call(
        'hotline/reassign',
        { ticketId: a.ticket.id, departmentId: 'dept-housing', reason: 'x' },
        agent,
      ),
      ErrorCode.InvalidArgument,
    );
    // The classifier's runner-up (施工安全) goes to dept-housing: that is the training row.
    expect(core.hotline.misrouteTrainingRows()).toEqual([
      expect.objectContaining({
        category: '城乡建设/建设施工/施工安全',
        to: 'dept-housing',
        ticketId: a.ticket.id,
      }),
    ]);
  });

  it('a reassignment may correct the category: the ticket takes it and it becomes the training row', async () => {
    const { core } = await open();
    const a = await submit(core, { text: NOISE_TEXT, place: { address: '上城区采荷路' } });
    await fails(
      core.call(
        'hotline/reassign',
        {
          ticketId: a.ticket.id,
          departmentId: 'dept-urban',
          reason: '夜间施工归城管',
          category: '不存在/的分类',
        },
        agent,
      ),
      ErrorCode.InvalidArgument,
    );
    // The refused call changed nothing.
    expect((await core.call('hotline/dispatch', { ticketId: a.ticket.id })) as object).toMatchObject({
      reassignments: [],
    });
    const d = await core.call(
      'hotline/reassign',
      {
        ticketId: a.ticket.id,
        departmentId: 'dept-urban',
        reason: '夜间施工归城管',
        category: 'urban.construction.site-safety',
      },
      agent,
    );
    const corrected = (await core.call('tickets/get', { id: a.ticket.id })) as {
      fields: Record<string, unknown>;
    };
    expect(d).toMatchObject({
      reassignments: [{ to: 'dept-urban', category: corrected.fields['category'] }],
    });
    expect(corrected.fields['category']).not.toBe(a.dispatch.chosen.category);
    expect(core.hotline.misrouteTrainingRows()).toEqual([
      expect.objectContaining({ category: corrected.fields['category'], to: 'dept-urban' }),
    ]);
  });

  it('suggests a matrix row after three misroutes of a category at a district to one department', async () => {
    const { core } = await open();
    for (let i = 0; i < 3; i++) {
      const r = await submit(core, { text: NOISE_TEXT, place: { address: '上城区采荷路' } });
      await core.call(
        'hotline/reassign',
        { ticketId: r.ticket.id, departmentId: 'dept-urban', reason: '社会生活噪音归城管' },
        agent,
      );
    }
    const kpi = (await core.call('hotline/kpi', {})) as { matrixSuggestions: unknown[] };
    expect(kpi.matrixSuggestions).toEqual([
      {
        category: '环境保护/环境污染/噪音污染',
        district: '上城区',
        departmentId: 'dept-urban',
        misroutes: 3,
      },
    ]);
  });

  it('finds duplicates of the same category within the radius and time window', async () => {
    const { core } = await open();
    const first = await submit(core, { text: NOISE_TEXT, place: { lng: 120.222104, lat: 30.281774 } });
    now += 2 * 3_600_000;
    const near = (await core.call('hotline/duplicates', {
      category: '环境保护/环境污染/噪音污染',
      lng: 120.2235,
      lat: 30.2818,
    })) as { ticketId: string; distanceM: number }[];
    expect(near).toHaveLength(1);
    expect(near[0]!.ticketId).toBe(first.ticket.id);
    expect(near[0]!.distanceM).toBeGreaterThan(100);
    expect(near[0]!.distanceM).toBeLessThan(160);
    expect(
      await core.call('hotline/duplicates', {
        category: '环境保护',
        lng: 120.2235,
        lat: 30.2818,
        radiusM: 100,
      }),
    ).toEqual([]);
    expect(
      await core.call('hotline/duplicates', {
        category: '环境保护/环境污染/噪音污染',
        lng: 120.2235,
        lat: 30.2818,
        withinHours: 1,
      }),
    ).toEqual([]);
    expect(
      await core.call('hotline/duplicates', { category: '交通运输', lng: 120.2235, lat: 30.2818 }),
    ).toEqual([]);
    const dup = await submit(core, {
      text: NOISE_TEXT,
      place: { lng: 120.2235, lat: 30.2818 },
      duplicateOf: first.ticket.id,
    });
    expect(dup.ticket.links).toEqual([
      expect.objectContaining({ kind: 'duplicate', ticketId: first.ticket.id }),
    ]);
  });

  it('returns the first ticket again for a repeated externalId, also after a restart', async () => {
    const { core, dir } = await open();
    const p = {
      text: NOISE_TEXT,
      place: { address: '上城区采荷路' },
      channel: 'open311',
      externalId: 'sr-1',
    };
    const a = await submit(core, p);
    const b = await submit(core, { ...p, text: '完全不同的内容，路灯坏了' });
    expect(b.ticket.id).toBe(a.ticket.id);
    expect(a.ticket.businessKeys).toEqual({ open311Id: 'sr-1' });
    await opened[0]!.core.close();
    const again = await open(dir);
    expect((await submit(again.core, p)).ticket.id).toBe(a.ticket.id);
    expect(((await again.core.call('tickets/list', {})) as { total: number }).total).toBe(1);
  });

  it('refuses bad input clearly and creates nothing', async () => {
    const { core } = await open();
    const count = async () => ((await core.call('tickets/list', {})) as { total: number }).total;
    await fails(submit(core, { text: '   ', place: { address: '上城区采荷路' } }), ErrorCode.InvalidArgument);
    const lang = await fails(
      submit(core, { text: 'Loud construction noise at night', place: { address: '上城区采荷路' } }),
      ErrorCode.InvalidArgument,
    );
    expect(lang.details).toMatchObject({ code: 'unsupported-language' });
    const outside = await fails(
      submit(core, { text: NOISE_TEXT, place: { lng: 116.4, lat: 39.9 } }),
      ErrorCode.InvalidArgument,
    );
    expect(outside.message).toMatch(/outside/);
    const amb = await fails(
      submit(core, { text: NOISE_TEXT, place: { address: '文四路' } }),
      ErrorCode.InvalidArgument,
    );
    expect((amb.details as { candidates: unknown[] }).candidates.length).toBeGreaterThan(1);
    await fails(submit(core, { text: NOISE_TEXT }), ErrorCode.InvalidArgument);
    await fails(
      submit(core, { text: NOISE_TEXT, category: '环境保护/不存在', place: { address: '上城区采荷路' } }),
      ErrorCode.InvalidArgument,
    );
    await fails(submit(core, { text: NOISE_TEXT, departmentIds: ['dept-nope'] }), ErrorCode.InvalidArgument);
    await fails(
      submit(core, {
        text: NOISE_TEXT,
        place: { address: '上城区采荷路' },
        duplicateOf: '01JXXXXXXXXXXXXXXXXXXXXXXX',
      }),
      ErrorCode.NotFound,
    );
    await fails(
      submit(core, { text: NOISE_TEXT, incomingId: 'gone', place: { address: '上城区采荷路' } }),
      ErrorCode.Conflict,
    );
    expect(await count()).toBe(0);
    expect(((await core.call('hotline/kpi', {})) as { overall: { tickets: number } }).overall.tickets).toBe(
      0,
    );
    // The agent may dispatch without a place, or on English text with a category, when naming the department.
    const manual = await submit(core, {
      text: 'Loud construction noise at night',
      category: '环境保护/环境污染/噪音污染',
      departmentIds: ['dept-env'],
    });
    expect(manual.ticket.location).toBeNull();
    expect(manual.dispatch).toMatchObject({ overridden: true, suggested: { category: '' } });
    expect(await count()).toBe(1);
  });

  it('takes a queued demo call, keeps the matrix versioned and persisted', async () => {
    const { core, dir } = await open();
    expect(
      core.hotline.enqueue({
        channel: 'phone',
        callerName: '李先生',
        callerPhone: '13967125678',
        text: LAMP_TEXT,
        place: null,
        address: '上城区采荷路',
      }),
    ).toMatchObject({ callerPhone: '139****5678' });
    const [call] = (await core.call('hotline/queue', {})) as { id: string; callerPhone: string }[];
    expect(call!.callerPhone).toBe('139****5678');
    await submit(core, {
      incomingId: call!.id,
      text: LAMP_TEXT,
      place: { address: '上城区采荷路' },
      category: '城乡建设/市政管理/道路与路灯',
    });
    expect(await core.call('hotline/queue', {})).toEqual([]);

    const m = (await core.call('hotline/matrix', {})) as { version: number; rows: { id: string }[] };
    const next = (await core.call(
      'hotline/setMatrix',
      { rows: m.rows.slice(1), doubleDispatchBelow: 0.79, version: m.version, note: '训练后调整阈值' },
      agent,
    )) as { version: number };
    expect(next.version).toBe(2);
    await fails(
      core.call(
        'hotline/setMatrix',
        { rows: m.rows, doubleDispatchBelow: 0.5, version: 1, note: 'stale' },
        agent,
      ),
      ErrorCode.Conflict,
    );
    await fails(
      core.call(
        'hotline/setMatrix',
        {
          rows: [{ ...m.rows[0]!, departmentIds: ['dept-nope'] }],
          doubleDispatchBelow: 0.5,
          version: 2,
          note: 'bad',
        },
        agent,
      ),
      ErrorCode.InvalidArgument,
    );
    await opened[0]!.core.close();
    const again = await open(dir);
    expect(await again.core.call('hotline/matrix', {})).toMatchObject({
      version: 2,
      doubleDispatchBelow: 0.79,
    });
  });

  it('takes calls from telephony, refuses a full queue, dismisses with a reason and survives a restart', async () => {
    const { core, dir } = await open(undefined, { mapDir: MAP, maxWaiting: 2 });
    const first = (await core.call('hotline/enqueue', {
      text: `${LAMP_TEXT}，回电13967125678`,
      caller: { name: '李先生', phone: '13967125678' },
      address: '上城区采荷路',
    })) as { id: string; callerPhone: string; text: string; channel: string };
    expect(first).toMatchObject({ callerPhone: '139****5678', channel: 'phone' });
    expect(first.text).not.toContain('13967125678');
    await fails(core.call('hotline/enqueue', { text: '' }), ErrorCode.InvalidArgument);
    await fails(
      core.call('hotline/enqueue', { text: RIVER_TEXT, place: { lng: 500, lat: 30 } }),
      ErrorCode.InvalidArgument,
    );
    const second = (await core.call('hotline/enqueue', { text: RIVER_TEXT, channel: 'wechat' })) as {
      id: string;
    };
    const full = await fails(core.call('hotline/enqueue', { text: NOISE_TEXT }), ErrorCode.Unavailable);
    expect(full.message).toContain('full');

    await fails(
      core.call('hotline/dismissCall', { incomingId: first.id, reason: '  ' }, agent),
      ErrorCode.InvalidArgument,
    );
    expect(
      await core.call('hotline/dismissCall', { incomingId: first.id, reason: '来电挂断' }, agent),
    ).toEqual({
      waiting: 1,
    });
    await fails(
      core.call('hotline/dismissCall', { incomingId: first.id, reason: '来电挂断' }, agent),
      ErrorCode.NotFound,
    );

    await opened[0]!.core.close();
    const again = await open(dir, { mapDir: MAP, maxWaiting: 2 });
    expect(((await again.core.call('hotline/queue', {})) as { id: string }[]).map((c) => c.id)).toEqual([
      second.id,
    ]);
  });

  it('fills the queue from the demo call stream, bounded, with masked phones', async () => {
    const { core } = await open(undefined, { mapDir: MAP, demoCalls: { everySec: 1 }, maxWaiting: 1 });
    const waiting: number[] = [];
    core.subscribe((event, payload) => {
      if (event === 'hotline/queueChanged') waiting.push((payload as { waiting: number }).waiting);
    });
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const queue = (await core.call('hotline/queue', {})) as { callerPhone: string; text: string }[];
    expect(queue).toHaveLength(1);
    expect(waiting).toEqual([1]);
    expect(queue[0]!.callerPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });
});
