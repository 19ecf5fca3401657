import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClassifierTrainingProgress,
  ErrorCode,
  HotlineClassifierInfo,
  RpcError,
  Ticket,
} from '@shared/contract';
import { DEFAULT_TAXONOMY } from '@shared/domain/taxonomy';
import { getDefaultClassifier } from '@shared/domain/classify/classifier';
import { runSteps } from '@shared/domain/classify/linear-model';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { createCore, type Core } from '../create-core';
import { silentLogger } from '../ports';
import { FileStore } from '../store/file-store';
import {
  checkEnoughRows,
  collectTrainingRows,
  createProgressThrottle,
  type ReportProgress,
  ticketText,
  trainWithReport,
  trainWithReportSteps,
} from './classifier-training';
import { fails } from '../../../tests/helpers/rpc-error';

const WATER = '城乡建设/市政管理/供水供气';
const NOISE = '环境保护/环境污染/噪音污染';
const agent = { actor: { id: 'u-zhoujie', name: '周杰' } };
const WATER_TEXT = '蓝鲸站点又出问题了，请尽快处理';

let now = Date.parse('2026-03-02T02:00:00.000Z');
const clock = { now: () => now };
const opened: Core[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  for (const c of cleanups.splice(0)) c();
});

async function open(
  dir?: string,
  hotline?: Parameters<typeof createCore>[0]['hotline'],
): Promise<{ core: Core; dir: string }> {
  let path = dir;
  if (!path) {
    const tmp = tempDir('wf-classifier-');
    cleanups.push(tmp.cleanup);
    path = join(tmp.path, 'data');
  }
  const storage = await FileStore.open({ dir: path, logger: silentLogger });
  const core = await createCore({
    storage,
    host: 'in-process',
    version: 'test',
    clock,
    ...(hotline && { hotline }),
  });
  opened.push(core);
  return { core, dir: path };
}

/** A citizen request taken through the workflow to 已办结 (closed). */
async function closedTicket(core: Core, title: string, description: string, category: string): Promise<void> {
  let t = Ticket.parse(
    await core.call(
      'tickets/create',
      {
        typeId: 'citizen-request',
        title,
        description,
        assignee: { kind: 'department', id: 'dept-env' },
        fields: { category },
      },
      agent,
    ),
  );
  for (const [to, note] of [
    ['dispatched', undefined],
    ['accepted', undefined],
    ['replied', '已处理并答复'],
    ['closed', undefined],
  ] as const) {
    now += 1000;
    t = Ticket.parse(
      await core.call(
        'tickets/transition',
        { id: t.id, version: t.version, to, ...(note && { note }) },
        agent,
      ),
    );
  }
}

async function seedClosedTickets(core: Core): Promise<void> {
  const places = ['东门', '西门', '南门', '北门', '中庭', '后院', '广场'];
  for (const p of places) {
    await closedTicket(core, `蓝鲸站点${p}故障`, `${p}的蓝鲸站点又坏了，市民反映很多次`, WATER);
    await closedTicket(core, `白鹭站点${p}故障`, `${p}的白鹭站点又坏了，市民反映很多次`, NOISE);
  }
}

describe('classifier training rows', () => {
  it('drops a submit title that repeats the call text behind the first category leaf', () => {
    expect(
      ticketText({ title: '噪音污染：楼下工地晚上打桩', description: '楼下工地晚上打桩，吵得睡不着' }),
    ).toBe('楼下工地晚上打桩，吵得睡不着');
    expect(ticketText({ title: '路灯不亮', description: '小区门口两盏灯坏了' })).toBe(
      '路灯不亮\n小区门口两盏灯坏了',
    );
  });

  it('resolves labels, skips unknown categories and cuts mixed depths to the shallowest', () => {
    const { rows, skipped, depth } = collectTrainingRows(
      [
        {
          id: 't1',
          title: '路灯不亮',
          description: '',
          fields: { category: '城乡建设/市政管理/道路与路灯' },
        },
        { id: 't2', title: '噪音扰民', description: '', fields: { category: 'environment' } },
        { id: 't3', title: '不知道', description: '', fields: { category: '不存在的分类' } },
        { id: 't4', title: '没有分类', description: '', fields: {} },
      ],
      [
        { ticketId: 'open-1', text: '河里有油污', category: '环境保护/环境污染/水污染' },
        // Closed already: its ticket row carries the final category.
        { ticketId: 't2', text: '噪音扰民', category: '环境保护/环境污染/噪音污染' },
      ],
      DEFAULT_TAXONOMY,
    );
    expect(skipped).toBe(2);
    expect(depth).toBe(1);
    expect(rows.map((r) => [r.label, r.source])).toEqual([
      ['城乡建设', 'ticket'],
      ['环境保护', 'ticket'],
      ['环境保护', 'misroute'],
    ]);
  });

  it('keeps the newest rows of each class up to maxPerClass', () => {
    const tickets = [
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `w${i}`,
        title: `自来水停水第${i}次`,
        description: '',
        fields: { category: WATER },
      })),
      { id: 'n0', title: '楼下工地夜间施工噪音', description: '', fields: { category: NOISE } },
    ];
    const { rows, capped } = collectTrainingRows(tickets, [], DEFAULT_TAXONOMY, { maxPerClass: 2 });
    expect(capped).toBe(3);
    expect(rows.map((r) => r.text)).toEqual(['自来水停水第3次', '自来水停水第4次', '楼下工地夜间施工噪音']);
  });

  it('names the categories that lack examples', () => {
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => ({ text: `a${i}`, label: WATER })),
      ...Array.from({ length: 2 }, (_, i) => ({ text: `b${i}`, label: NOISE })),
    ];
    let err: unknown = null;
    try {
      checkEnoughRows(rows, 5, 5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).message).toContain(`${NOISE} (2)`);
    expect((err as RpcError).details).toMatchObject({
      code: 'too-few-examples',
      classes: [{ category: NOISE, count: 2 }],
    });
    expect(() => checkEnoughRows(rows, 2, 2)).not.toThrow();
  });
});

describe('training the hotline classifier from closed tickets', () => {
  it('refuses when there are too few closed tickets, naming the short categories', async () => {
    const { core } = await open();
    await closedTicket(core, '蓝鲸站点故障', '蓝鲸站点又坏了', WATER);
    const err = await fails(core.call('hotline/trainClassifier', {}, agent), ErrorCode.InvalidArgument);
    expect(err.message).toContain('too few closed tickets');
    expect(err.details).toMatchObject({ examples: 1, classes: [{ category: WATER, count: 1 }] });
    expect(HotlineClassifierInfo.parse(await core.call('hotline/classifierInfo', {})).kind).toBe('seed');
  });

  it('trains from closed tickets, classifies with the new model and keeps it after a restart', async () => {
    // The seed model does not know these made-up words.
    expect(getDefaultClassifier().classify(WATER_TEXT).category).not.toBe(WATER);
    const { core, dir } = await open();
    await seedClosedTickets(core);
    // An open ticket is not used.
    await core.call(
      'tickets/create',
      { typeId: 'citizen-request', title: '蓝鲸站点', description: '还没办', fields: { category: NOISE } },
      agent,
    );
    const events: unknown[] = [];
    core.subscribe((event, payload) => {
      if (event === 'hotline/classifierChanged') events.push(payload);
    });
    const info = HotlineClassifierInfo.parse(
      await core.call('hotline/trainClassifier', { folds: 3, minPerClass: 5 }, agent),
    );
    expect(info).toMatchObject({ kind: 'trained', trainedBy: agent.actor, examples: 14 });
    expect(info.classes.sort()).toEqual([WATER, NOISE].sort());
    expect(info.report!.folds).toBe(3);
    expect(info.report!.accuracy).toBeGreaterThan(0.8);
    expect(info.report!.perClass.map((c) => [c.category, c.support])).toEqual(
      [
        [WATER, 7],
        [NOISE, 7],
      ].sort(),
    );
    expect(events).toEqual([{ kind: 'trained', trainedAt: info.trainedAt }]);
    const s = (await core.call('hotline/classify', { text: WATER_TEXT })) as { category: string };
    expect(s.category).toBe(WATER);
    const model = (await core.call('hotline/classifierModel', {})) as { kind: string; model: unknown };
    expect(model.kind).toBe('trained');
    expect(model.model).toMatchObject({ format: 'watchfloor-text-classifier', classes: info.classes });

    await core.close();
    opened.splice(opened.indexOf(core), 1);
    const { core: again } = await open(dir);
    await again.hotline.ready();
    expect(HotlineClassifierInfo.parse(await again.call('hotline/classifierInfo', {}))).toEqual(info);
    const s2 = (await again.call('hotline/classify', { text: WATER_TEXT })) as { category: string };
    expect(s2.category).toBe(WATER);
  });
});

describe('training in slices, with progress', () => {
  const rows = [
    ...[
      '烧烤店半夜音乐吵',
      '工地夜间施工扰民',
      '广场舞声音太大',
      '邻居装修噪音',
      '楼下KTV太吵',
      '汽车鸣笛扰民',
    ].map((text) => ({ text, label: '环境保护' })),
    ...[
      '公司拖欠工资不发',
      '单位不交社保',
      '辞退不给补偿',
      '老板欠薪跑路',
      '加班不给加班费',
      '工资被克扣',
    ].map((text) => ({ text, label: '劳动和社会保障' })),
  ];
  const options = { folds: 3, taxonomy: DEFAULT_TAXONOMY, now: () => new Date('2026-03-02T02:00:00.000Z') };

  it('gives the same classifier and report as one synchronous run, with progress that only moves forward', async () => {
    const sync = runSteps(trainWithReportSteps(rows, options));
    const seen: ReportProgress[] = [];
    const sliced = await trainWithReport(rows, {
      ...options,
      slice: { budgetMs: 0, onProgress: (p) => seen.push(p) },
    });
    expect(sliced.report).toEqual(sync.report);
    const [a, b] = [sync.classifier.model, sliced.classifier.model];
    expect(b.temperature).toBe(a.temperature);
    expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
    expect(sliced.classifier.classify('晚上广场舞的音响太吵了')).toEqual(
      sync.classifier.classify('晚上广场舞的音响太吵了'),
    );

    // fold 1, 2, 3, then the final fit, then the temperature; the fraction never goes back.
    const order = seen.map((p) => (p.phase === 'fold' ? `fold ${p.fold}/${p.folds}` : p.phase));
    expect([...new Set(order)]).toEqual(['fold 1/3', 'fold 2/3', 'fold 3/3', 'final', 'calibration']);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    expect(seen.every((p) => p.done <= p.total && p.fraction >= 0 && p.fraction <= 1)).toBe(true);
    expect(seen.at(-1)!.fraction).toBeGreaterThan(0.97);
    const steps = seen.filter((p) => p.phase === 'final' && p.stage === 'steps');
    // The SVM solves one binary problem per class: two classes here.
    expect(steps.at(-1)).toMatchObject({ done: 2, total: 2 });
  });

  it('suggests the double-dispatch threshold its held-out answers support', () => {
    const words = {
      环境保护: ['噪音', '油烟', '污水', '扬尘', '臭味', '排污'],
      劳动和社会保障: ['工资', '社保', '欠薪', '加班费', '劳动合同', '工伤'],
      交通运输: ['公交', '出租车', '红绿灯', '停车', '拥堵', '地铁'],
    } as const;
    const labels = Object.keys(words) as (keyof typeof words)[];
    const many = labels.flatMap((label, li) =>
      Array.from({ length: 30 }, (_, i) => {
        const own = words[label];
        // Every fifth request also names another class's words: those are the unsure ones.
        const other = words[labels[(li + 1) % labels.length]!];
        const text =
          i % 5 === 0
            ? `${other[i % 6]}和${own[(i + 1) % 6]}的问题，${other[(i + 2) % 6]}也有`
            : `反映${own[i % 6]}问题，${own[(i + 3) % 6]}严重，第${i}次`;
        return { text, label };
      }),
    );
    const { report } = runSteps(trainWithReportSteps(many, { ...options, folds: 5 }));
    const suggested = report.suggestedThreshold!;
    expect(suggested.threshold).not.toBeNull();
    expect(suggested.threshold!).toBeGreaterThan(0);
    expect(suggested.threshold!).toBeLessThanOrEqual(1);
    expect(suggested.retainedAccuracy!).toBeGreaterThanOrEqual(0.9);
    expect(suggested.retainedShare).toBeGreaterThan(0);
    expect(suggested.retainedShare).toBeLessThanOrEqual(1);
  });

  it('sends at most one progress event per interval, and always the end', () => {
    let t = 0;
    const sent: ClassifierTrainingProgress[] = [];
    const throttle = createProgressThrottle((p) => sent.push(p), {
      startedAt: '2026-03-02T02:00:00.000Z',
      folds: 5,
      minIntervalMs: 250,
      now: () => t,
    });
    const at = (fraction: number): ReportProgress => ({
      phase: 'fold',
      fold: 1,
      folds: 5,
      stage: 'steps',
      done: Math.round(fraction * 120),
      total: 120,
      fraction,
    });
    throttle.phase('rows');
    for (let i = 1; i <= 10; i++) {
      t += 100;
      throttle.report(at(i / 20));
    }
    t += 10;
    throttle.phase('done');
    // Reports every 100 ms, sent every 300 ms (the first 250 ms after the last one); the end at once.
    expect(sent.map((p) => p.phase)).toEqual(['rows', 'fold', 'fold', 'fold', 'done']);
    expect(sent.map((p) => p.fraction)).toEqual([0, 0.15, 0.3, 0.45, 1]);
    expect(sent.every((p) => ClassifierTrainingProgress.safeParse(p).success)).toBe(true);
    // A fraction reported lower than one sent before is held at the higher one.
    t += 1000;
    throttle.report(at(0.1));
    expect(sent.at(-1)!.fraction).toBe(1);
  });
});

describe('the hub while it trains', () => {
  it('answers other requests while a training runs, refuses a second one, and reports progress', async () => {
    // Every step of work a slice of its own and every pause an event: the interleaving is visible.
    const hotline = {
      mapDir: null,
      classifier: getDefaultClassifier,
      training: { budgetMs: 0, progressEveryMs: 0 },
    };
    const { core } = await open(undefined, hotline);
    await core.hotline.ready();
    await seedClosedTickets(core);
    const progress: ClassifierTrainingProgress[] = [];
    let classifiedAt = -1;
    let second: Promise<RpcError> | null = null;
    let classified: Promise<unknown> | null = null;
    core.subscribe((event, payload) => {
      if (event !== 'hotline/classifierProgress') return;
      const p = ClassifierTrainingProgress.parse(payload);
      progress.push(p);
      if (!classified && p.phase === 'fold' && p.stage === 'steps' && p.done < p.total) {
        classified = core
          .call('hotline/classify', { text: '楼下广场舞音响太吵，晚上十点还在放' })
          .then((r) => {
            classifiedAt = progress.length;
            return r;
          });
        second = fails(core.call('hotline/trainClassifier', {}, agent), ErrorCode.Conflict);
      }
    });
    const info = HotlineClassifierInfo.parse(
      await core.call('hotline/trainClassifier', { folds: 3, minPerClass: 5 }, agent),
    );
    expect(info.kind).toBe('trained');
    expect(classified).not.toBeNull();
    expect(await classified).toMatchObject({ category: expect.any(String) });
    expect((await second!).message).toContain('already being trained');
    // The answer came in the middle of the training: more fits ran after it.
    const after = progress.slice(classifiedAt);
    expect(after.some((p) => p.phase === 'final' && p.stage === 'steps')).toBe(true);
    expect(progress[0]!.phase).toBe('rows');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    expect(new Set(progress.map((p) => p.startedAt)).size).toBe(1);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
    // The training is over: a new one is accepted again.
    expect(
      HotlineClassifierInfo.parse(
        await core.call('hotline/trainClassifier', { folds: 3, minPerClass: 5 }, agent),
      ).kind,
    ).toBe('trained');
  });

  it('ends the progress of a refused training with failed', async () => {
    const { core } = await open();
    const phases: string[] = [];
    core.subscribe((event, payload) => {
      if (event === 'hotline/classifierProgress')
        phases.push(ClassifierTrainingProgress.parse(payload).phase);
    });
    await fails(core.call('hotline/trainClassifier', {}, agent), ErrorCode.InvalidArgument);
    expect(phases).toEqual(['rows', 'failed']);
  });
});
