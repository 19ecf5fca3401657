import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ErrorCode,
  RpcError,
  type ClassifySuggestion,
  type IncomingCall,
  type ResponsibilityMatrix,
  type RouteAnswer,
} from '@shared/contract';
import { fakeClient, flush } from '../testing/fake-transport';
import { createHotlineStore } from './hotline-store';
import { dayFigures, highlightRuns, maskPhone, proposalOf, submitParams, EMPTY_DRAFT } from './triage-model';

const NOISE = '环境保护/环境污染/噪音污染';
const DANCE = '城乡建设/市容管理/广场舞扰民';

function suggestion(over: Partial<ClassifySuggestion> = {}): ClassifySuggestion {
  return {
    category: NOISE,
    leafId: 'noise',
    confidence: 0.82,
    topWords: [{ word: '噪音', weight: 1.2 }],
    alternatives: [{ category: DANCE, leafId: 'dance', confidence: 0.1 }],
    lowConfidence: false,
    ...over,
  };
}

function route(departmentIds: string[], over: Partial<RouteAnswer> = {}): RouteAnswer {
  return {
    ok: true,
    location: { lng: 120.16, lat: 30.276, source: 'address' },
    cell: { id: '330106-002-014', district: '西湖区', street: '北山街道', manager: '王芳' },
    district: '西湖区',
    street: '北山街道',
    candidates: [],
    reason: null,
    departments: departmentIds.map((id) => ({
      departmentId: id,
      name: { 'zh-CN': id, en: id },
      rule: `default:${NOISE}`,
    })),
    ...over,
  };
}

const CALLS: IncomingCall[] = [
  {
    id: 'C1',
    receivedAt: '2026-11-25T01:00:00.000Z',
    channel: 'phone',
    callerName: '李女士',
    callerPhone: '138****5678',
    text: '小区楼下广场舞音响很吵',
    place: null,
    address: '武林广场',
  },
  {
    id: 'C2',
    receivedAt: '2026-11-25T01:01:00.000Z',
    channel: 'wechat',
    callerName: null,
    callerPhone: null,
    text: '路灯不亮',
    place: { lng: 120.2, lat: 30.25 },
    address: null,
  },
];

function matrix(version = 2): ResponsibilityMatrix {
  return {
    version,
    rows: [
      {
        id: 'r1',
        category: '环境保护',
        district: null,
        street: null,
        cellId: null,
        departmentIds: ['env'],
        note: '',
      },
    ],
    doubleDispatchBelow: 0.45,
    changes: [],
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('hotline store: the triage card', () => {
  it('classifies once after a pause in typing, then routes the address with the suggested category', async () => {
    vi.useFakeTimers();
    const { transport, client } = fakeClient();
    transport.handle('hotline/classify', () => suggestion());
    transport.handle('hotline/route', () => route(['env']));
    transport.handle('hotline/duplicates', () => []);
    const store = createHotlineStore(client, { classifyDelayMs: 150, routeDelayMs: 300 });
    store.getState().setText('楼下');
    store.getState().setText('楼下广场舞');
    store.getState().setText('楼下广场舞音响很吵');
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.callsOf('hotline/classify')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.callsOf('hotline/classify')).toEqual([{ text: '楼下广场舞音响很吵' }]);
    expect(store.getState().suggestion?.category).toBe(NOISE);

    store.getState().setAddress('武林广场');
    await vi.advanceTimersByTimeAsync(350);
    expect(transport.callsOf('hotline/route')).toEqual([{ place: { address: '武林广场' }, category: NOISE }]);
    expect(store.getState().route?.cell?.id).toBe('330106-002-014');
    expect(transport.callsOf('hotline/duplicates')).toEqual([{ category: NOISE, lng: 120.16, lat: 30.276 }]);
    store.getState().dispose();
  });

  it('drops a late classification of older text', async () => {
    const { transport, client } = fakeClient();
    let release: (() => void) | null = null;
    transport.handle('hotline/classify', (p) => {
      const { text } = p as { text: string };
      if (text === 'old')
        return new Promise((r) => (release = () => r(suggestion({ category: 'old/old/old' }))));
      return suggestion();
    });
    const store = createHotlineStore(client, { classifyDelayMs: 0 });
    store.getState().setText('old');
    await new Promise((r) => setTimeout(r, 5));
    store.getState().setText('new text');
    await new Promise((r) => setTimeout(r, 5));
    release!();
    await flush();
    expect(store.getState().suggestion?.category).toBe(NOISE);
  });

  it('takes a queued call with ↑↓, located by its address, and dispatches it with the overrides', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/queue', () => CALLS);
    transport.handle('hotline/classify', () => suggestion());
    transport.handle('hotline/route', () => route(['env']));
    transport.handle('hotline/duplicates', () => [
      {
        ticketId: 'T9',
        number: 'WF-1',
        title: '广场舞',
        distanceM: 80,
        createdAt: '2026-11-25T00:00:00.000Z',
      },
    ]);
    transport.handle('hotline/submit', (p) => ({ ticket: { id: 'T10', params: p }, dispatch: {} }));
    const store = createHotlineStore(client, { classifyDelayMs: 0, refreshMs: 0 });
    await store.getState().loadQueue();
    expect(store.getState().waiting).toBe(2);
    store.getState().pickNext(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(store.getState().draft).toMatchObject({
      incomingId: 'C1',
      phoneMasked: true,
      address: '武林广场',
    });
    expect(store.getState().duplicates).toHaveLength(1);

    store.getState().linkDuplicate('T9');
    store.getState().setCategory(DANCE);
    store.getState().setDepartments(['city', 'env']);
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.callsOf('hotline/route').at(-1)).toEqual({
      place: { address: '武林广场' },
      category: DANCE,
    });
    const result = await store.getState().submit();
    expect(result).not.toBeNull();
    expect(transport.callsOf('hotline/submit')[0]).toEqual({
      incomingId: 'C1',
      text: '小区楼下广场舞音响很吵',
      channel: 'phone',
      // The masked number is what the core sent: it is not sent back.
      caller: { name: '李女士', phone: null },
      place: { address: '武林广场' },
      category: DANCE,
      departmentIds: ['city', 'env'],
      duplicateOf: 'T9',
    });
    // The card is empty again and the taken call left the queue.
    expect(store.getState().draft.text).toBe('');
    expect(store.getState().queue.data?.map((c) => c.id)).not.toContain('C1');
    store.getState().dispose();
  });

  it('a click on the map wins over the address; a typed address replaces the click', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/classify', () => suggestion());
    transport.handle('hotline/route', () => route(['env']));
    transport.handle('hotline/duplicates', () => []);
    const store = createHotlineStore(client, { classifyDelayMs: 0, routeDelayMs: 0 });
    store.getState().setAddress('西湖');
    store.getState().setPlace({ lng: 120.1, lat: 30.2, source: 'map' });
    await flush();
    expect(transport.callsOf('hotline/route').at(-1)).toEqual({
      place: { lng: 120.1, lat: 30.2, crs: 'wgs84' },
    });
    store.getState().setAddress('雷峰塔');
    expect(store.getState().draft.place).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.callsOf('hotline/route').at(-1)).toEqual({ place: { address: '雷峰塔' } });
  });

  it('asks the runner-up category owner when the classifier is unsure', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/classify', () => suggestion({ lowConfidence: true, confidence: 0.3 }));
    transport.handle('hotline/route', (p) =>
      route((p as { category: string }).category === DANCE ? ['city'] : ['env']),
    );
    transport.handle('hotline/duplicates', () => []);
    const store = createHotlineStore(client, { classifyDelayMs: 0 });
    store.getState().setPlace({ lng: 120.1, lat: 30.2, source: 'map' });
    store.getState().setText('吵');
    await new Promise((r) => setTimeout(r, 5));
    const s = store.getState();
    const p = proposalOf(s.route, s.altRoute, s.suggestion, false);
    expect(p.double).toBe('lowConfidence');
    expect(p.departments.map((d) => d.departmentId)).toEqual(['env', 'city']);
    // The agent's own category ends the doubt.
    expect(proposalOf(s.route, s.altRoute, s.suggestion, true).departments).toHaveLength(1);
  });

  it('refuses to dispatch an empty call and keeps the card on a server error', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/classify', () => suggestion());
    transport.handle('hotline/submit', () => {
      throw new RpcError(ErrorCode.InvalidArgument, 'place: outside the city');
    });
    const store = createHotlineStore(client, { classifyDelayMs: 0 });
    expect(await store.getState().submit()).toBeNull();
    expect(store.getState().submitError?.code).toBe(ErrorCode.InvalidArgument);
    expect(transport.callsOf('hotline/submit')).toHaveLength(0);
    store.getState().setText('噪音');
    expect(await store.getState().submit()).toBeNull();
    expect(store.getState().submitError?.message).toContain('outside the city');
    expect(store.getState().draft.text).toBe('噪音');
  });
});

describe('hotline store: the classifier', () => {
  const info = (over: Record<string, unknown> = {}) => ({
    kind: 'seed',
    trainedAt: null,
    trainedBy: null,
    examples: 900,
    classes: [NOISE, DANCE],
    report: null,
    ...over,
  });

  it('loads the classifier, trains one and keeps the held-out report', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/classifierInfo', () => info());
    const report = { accuracy: 0.9, macroF1: 0.85, perClass: [], folds: 5 };
    transport.handle('hotline/trainClassifier', () =>
      info({ kind: 'trained', trainedAt: '2026-03-02T02:00:00.000Z', examples: 40, report }),
    );
    const store = createHotlineStore(client, { classifyWorker: null });
    await store.getState().loadClassifier();
    expect(store.getState().classifier.data?.kind).toBe('seed');
    const training = store.getState().trainClassifier({ folds: 3 });
    expect(store.getState().training).toBe(true);
    expect(await store.getState().trainClassifier()).toBe(false);
    expect(await training).toBe(true);
    expect(transport.callsOf('hotline/trainClassifier')).toEqual([{ folds: 3 }]);
    expect(store.getState()).toMatchObject({ training: false, trainError: null });
    expect(store.getState().classifier.data).toMatchObject({ kind: 'trained', report });
    store.getState().dispose();
  });

  it('keeps a refusal for the page, and reloads on classifierChanged', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/classifierInfo', () => info());
    transport.handle('hotline/trainClassifier', () => {
      throw new RpcError(ErrorCode.InvalidArgument, 'too few closed tickets to train', {
        code: 'too-few-examples',
        classes: [{ category: NOISE, count: 2 }],
      });
    });
    const store = createHotlineStore(client, { classifyWorker: null });
    await store.getState().loadClassifier();
    expect(await store.getState().trainClassifier()).toBe(false);
    expect(store.getState().trainError).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { classes: [{ category: NOISE, count: 2 }] },
    });
    store.getState().clearTrainError();
    expect(store.getState().trainError).toBeNull();
    transport.handle('hotline/classifierInfo', () => info({ kind: 'trained' }));
    transport.emit('hotline/classifierChanged', { kind: 'trained', trainedAt: '2026-03-02T02:00:00.000Z' });
    await flush();
    expect(store.getState().classifier.data?.kind).toBe('trained');
    store.getState().dispose();
    transport.emit('hotline/classifierChanged', { kind: 'trained', trainedAt: '2026-03-02T02:00:00.000Z' });
    await flush();
    expect(transport.callsOf('hotline/classifierInfo')).toHaveLength(2);
  });
});

describe('hotline store: training progress', () => {
  const progress = (phase: 'rows' | 'fold' | 'done' | 'failed', startedAt = '2026-03-02T02:00:00.000Z') => ({
    phase,
    fold: phase === 'fold' ? 2 : 0,
    folds: 5,
    stage: phase === 'fold' ? ('steps' as const) : null,
    done: phase === 'fold' ? 60 : 0,
    total: phase === 'fold' ? 120 : 0,
    fraction: phase === 'fold' ? 0.3 : 0,
    startedAt,
  });

  it("follows the hub's training (also another console's) until it ends, and forgets it on reconnect", async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/queue', () => []);
    const store = createHotlineStore(client, { classifyWorker: null });
    transport.emit('hotline/classifierProgress', progress('rows'));
    expect(store.getState().trainProgress).toMatchObject({ phase: 'rows' });
    transport.emit('hotline/classifierProgress', progress('fold'));
    expect(store.getState().trainProgress).toMatchObject({ phase: 'fold', fold: 2, done: 60, fraction: 0.3 });
    transport.emit('hotline/classifierProgress', progress('failed'));
    expect(store.getState().trainProgress).toBeNull();
    // A new training, then a straggler of the earlier one: the new one stays.
    transport.emit('hotline/classifierProgress', progress('fold', '2026-03-02T02:05:00.000Z'));
    transport.emit('hotline/classifierProgress', progress('rows'));
    expect(store.getState().trainProgress).toMatchObject({ startedAt: '2026-03-02T02:05:00.000Z' });
    store.getState().reconnected();
    expect(store.getState().trainProgress).toBeNull();
    transport.emit('hotline/classifierProgress', progress('fold', '2026-03-02T02:06:00.000Z'));
    transport.emit('hotline/classifierProgress', progress('done', '2026-03-02T02:06:00.000Z'));
    expect(store.getState().trainProgress).toBeNull();
    store.getState().dispose();
    transport.emit('hotline/classifierProgress', progress('rows', '2026-03-02T02:07:00.000Z'));
    expect(store.getState().trainProgress).toBeNull();
    await flush();
  });
});

describe('hotline store: KPI and matrix', () => {
  it('loads while watched, refetches on pushes, and reloads the queue on queueChanged', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/kpi', () => ({ asOf: 'x', overall: { tickets: 1 } }));
    transport.handle('hotline/matrix', () => matrix());
    transport.handle('hotline/queue', () => CALLS.slice(0, 1));
    const store = createHotlineStore(client, { refreshMs: 0 });
    store.getState().applyChanged({ ticketId: 'T1' });
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.callsOf('hotline/kpi')).toHaveLength(0);
    store.getState().watchKpi(true);
    await flush();
    expect(store.getState().kpi.data?.asOf).toBe('x');
    // The matrix is the editor's to load (the wall watches only the figures).
    expect(transport.callsOf('hotline/matrix')).toHaveLength(0);
    store.getState().applyChanged({ ticketId: 'T1' });
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.callsOf('hotline/kpi')).toHaveLength(2);
    store.getState().applyQueueChanged({ waiting: 1 });
    await flush();
    expect(store.getState().queue.data).toHaveLength(1);
    store.getState().watchKpi(false);
    store.getState().dispose();
  });

  it('saves the matrix against the loaded version and keeps the error on a conflict', async () => {
    const { transport, client } = fakeClient();
    transport.handle('hotline/matrix', () => matrix(2));
    let conflict = true;
    transport.handle('hotline/setMatrix', (p) => {
      if (conflict) throw new RpcError(ErrorCode.Conflict, 'version 3 exists');
      const { rows, doubleDispatchBelow } = p as ResponsibilityMatrix;
      return { ...matrix(3), rows, doubleDispatchBelow };
    });
    const store = createHotlineStore(client);
    await store.getState().loadMatrix();
    const rows = matrix().rows;
    expect(await store.getState().saveMatrix(rows, 0.5, '调整')).toBe(false);
    expect(store.getState().matrixSaveError?.code).toBe(ErrorCode.Conflict);
    expect(store.getState().matrix.data?.version).toBe(2);
    conflict = false;
    expect(await store.getState().saveMatrix(rows, 0.5, '调整')).toBe(true);
    expect(transport.callsOf('hotline/setMatrix').at(-1)).toEqual({
      rows,
      doubleDispatchBelow: 0.5,
      version: 2,
      note: '调整',
    });
    expect(store.getState().matrix.data?.version).toBe(3);
  });
});

describe('triage model', () => {
  it('marks the words that drove the classification, longest first', () => {
    expect(highlightRuns('广场舞音响很吵', ['音响', '广场舞', '广场'])).toEqual([
      ['广场舞音响', true],
      ['很吵', false],
    ]);
    expect(highlightRuns('', ['x'])).toEqual([]);
    expect(highlightRuns('abc', [])).toEqual([['abc', false]]);
  });

  it('sends only real overrides and a typed phone', () => {
    const built = submitParams(
      { ...EMPTY_DRAFT, text: ' 噪音 ', category: NOISE, callerPhone: '13812345678' },
      suggestion(),
    );
    expect(built).toEqual({
      params: { text: '噪音', channel: 'phone', caller: { name: null, phone: '13812345678' }, place: null },
    });
    expect(submitParams({ ...EMPTY_DRAFT, text: 'x'.repeat(5001) }, null)).toEqual({ missing: 'tooLong' });
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it("finds the day's figures for the wall", () => {
    const day = { day: '2026-11-25', tickets: 4, firstTimeRight: 3, accuracy: 0.75, doubleDispatched: 1 };
    const kpi = { byDay: [day] } as unknown as Parameters<typeof dayFigures>[0];
    expect(dayFigures(kpi, '2026-11-25')).toEqual(day);
    expect(dayFigures(kpi, '2026-11-24')).toBeNull();
    expect(dayFigures(null, '2026-11-25')).toBeNull();
  });
});
