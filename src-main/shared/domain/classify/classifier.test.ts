import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY, taxonomyLeaves } from '../taxonomy';
import {
  buildSeedClassifierAsync,
  getDefaultClassifier,
  getDefaultClassifierAsync,
  seedTrainingTexts,
  trainClassifier,
  trainClassifierAsync,
} from './classifier';
import type { LinearModel } from './linear-model';
import { ClassifyInputError, checkClassifyInput, MAX_TEXT_CHARS } from './input';
import { classifierFromJson, classifierToJson } from './model-json';
import { SEED_EXAMPLES } from './seed-examples';

const seed = getDefaultClassifier();
const SEED_FINGERPRINT = { features: 8869, temperature: 0.397382033392698, hash: '3bf883fa' };

describe('the shipped zero-shot default', () => {
  it.each([
    ['楼下广场舞音响太吵，晚上十点还在放', '环境保护/环境污染/噪音污染'],
    ['隔壁楼顶私自搭建了一间铁皮房，明显是违建', '城乡建设/城乡规划/违章建筑'],
    ['化工厂烟囱天天冒黑烟，空气很臭', '环境保护/环境污染/大气污染'],
    ['包工头拖欠我们工人半年工资不给', '劳动和社会保障/劳动关系/拖欠工资'],
    ['孩子上小学划片的学校太远了', '教育文体/教育管理/招生入学'],
    ['公交车班次太少了，等了四十分钟', '交通运输/公共交通/公交线路'],
  ])('puts "%s" in %s', (text, leaf) => {
    const r = seed.classify(text);
    expect(r.category).toBe(leaf);
    expect(r.confidence).toBeGreaterThan(0.3);
    expect(r.leafId).toBe(taxonomyLeaves(DEFAULT_TAXONOMY).find((l) => l.path === leaf)!.id);
  });

  it('explains itself with words of the text and ranks alternatives below the answer', () => {
    const r = seed.classify('楼下广场舞音响太吵，晚上十点还在放');
    expect(r.topWords.length).toBeGreaterThan(0);
    for (const w of r.topWords) {
      expect('楼下广场舞音响太吵，晚上十点还在放').toContain(w.word);
      expect(w.weight).toBeGreaterThan(0);
    }
    expect(r.alternatives).toHaveLength(3);
    const all = [r.confidence, ...r.alternatives.map((a) => a.confidence)];
    expect([...all].sort((a, b) => b - a)).toEqual(all);
    expect(all.every((c) => c >= 0 && c <= 1)).toBe(true);
    // Levels are nested: a level's probability is at least its child's.
    expect(r.levels[0]!).toBeGreaterThanOrEqual(r.levels[1]!);
    expect(r.levels[1]!).toBeGreaterThanOrEqual(r.levels[2]!);
  });

  it('is still the logistic model its thresholds were measured on, bit for bit', () => {
    // FNV-1a over the weights, bias and idf bytes and the temperature; stored from the model before the
    // SVM solver became the training default (docs/classifier.md's zero-shot figures and the matrix's
    // default double-dispatch threshold come from this model).
    const m = seed.model;
    let h = 0x811c9dc5;
    const mix = (bytes: Uint8Array): void => {
      for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    };
    for (const a of [m.weights, m.bias, m.idf]) mix(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    mix(new Uint8Array(Float64Array.of(m.temperature).buffer));
    expect({ features: m.features.length, temperature: m.temperature, hash: h.toString(16) }).toEqual(
      SEED_FINGERPRINT,
    );
  });

  it('has seed examples only for leaves that exist, and a few dozen per level-1 class', () => {
    const ids = new Set(taxonomyLeaves(DEFAULT_TAXONOMY).map((l) => l.id));
    expect(Object.keys(SEED_EXAMPLES).filter((id) => !ids.has(id))).toEqual([]);
    expect(seedTrainingTexts().length).toBeGreaterThan(500);
  });
});

describe('bad input', () => {
  it.each([
    ['', 'empty'],
    ['   \n ', 'empty'],
    ['路'.repeat(MAX_TEXT_CHARS + 1), 'too-long'],
    ['The street light outside my house has been broken for a week', 'unsupported-language'],
    ['12345 !!!', 'unsupported-language'],
  ])('rejects %j with a typed error (%s)', (text, code) => {
    expect(checkClassifyInput(text)?.code).toBe(code);
    try {
      seed.classify(text);
      expect.unreachable('classify must throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ClassifyInputError);
      expect((err as ClassifyInputError).code).toBe(code);
    }
  });

  it('accepts Chinese with a few English words', () => {
    expect(checkClassifyInput('小区WiFi信号很差，宽带经常断网')).toBeNull();
  });
});

describe('a trained level-1 classifier', () => {
  const rows = [
    ...[
      '烧烤店半夜音乐吵',
      '工地夜间施工扰民',
      '广场舞声音太大',
      '邻居装修噪音',
      '工厂排放废气刺鼻',
      '河里污水发臭',
    ].map((text) => ({ text, label: '环境保护' })),
    ...[
      '公司拖欠工资不发',
      '单位不交社保',
      '辞退不给补偿',
      '退休金没到账',
      '工伤认定不办理',
      '老板欠薪跑路',
    ].map((text) => ({ text, label: '劳动和社会保障' })),
  ];
  const trained = trainClassifier(rows, { now: () => new Date('2026-01-01T00:00:00Z') });

  it('decides level 1 and takes the lower levels from the seed model', () => {
    const r = trained.classify('晚上广场舞的音响太吵了');
    expect(r.depth).toBe(1);
    expect(r.category).toBe('环境保护/环境污染/噪音污染');
    expect(r.levels[0]).toBeCloseTo(r.confidence, 10);
    expect(r.levels[2]!).toBeLessThanOrEqual(r.confidence);
    expect(r.alternatives[0]!.category.startsWith('劳动和社会保障/')).toBe(true);
  });

  it('survives a JSON round trip with the same answers', () => {
    const json = JSON.parse(JSON.stringify(classifierToJson(trained)));
    const back = classifierFromJson(json);
    const text = '公司三个月没发工资了';
    expect(back.classify(text).category).toBe(trained.classify(text).category);
    expect(back.classify(text).confidence).toBeCloseTo(trained.classify(text).confidence, 3);
    expect(back.info).toMatchObject({ kind: 'trained', depth: 1, trainedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('refuses a model file of another taxonomy or a damaged one', () => {
    const json = classifierToJson(trained);
    expect(() => classifierFromJson({ ...json, taxonomy: { id: 'other', version: '1' } })).toThrow(
      /taxonomy other/,
    );
    expect(() => classifierFromJson({ ...json, bias: [0] })).toThrow(/bias must have one entry per class/);
  });
});

function expectSameModel(a: LinearModel, b: LinearModel): void {
  expect(b.classes).toEqual(a.classes);
  expect(b.features).toEqual(a.features);
  expect(b.temperature).toBe(a.temperature);
  expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
  expect(Buffer.from(b.bias.buffer).equals(Buffer.from(a.bias.buffer))).toBe(true);
}

describe('building and training in slices (the hub keeps its event loop)', () => {
  it('builds the same seed model as the synchronous build, pausing many times', async () => {
    let pauses = 0;
    const sliced = await buildSeedClassifierAsync(undefined, undefined, undefined, {
      budgetMs: 5,
      yieldToLoop: () => new Promise((resolve) => setImmediate(() => resolve(void pauses++))),
    });
    expectSameModel(seed.model, sliced.model);
    expect(sliced.info).toEqual(seed.info);
    expect(pauses).toBeGreaterThan(10);
  });

  it('shares the one default classifier between the synchronous and the sliced getter', async () => {
    expect(await getDefaultClassifierAsync()).toBe(getDefaultClassifier());
  });

  it('trains the same level-1 classifier, with the seed refiner, as trainClassifier', async () => {
    const rows = [
      ...['烧烤店半夜音乐吵', '工地夜间施工扰民', '广场舞声音太大', '邻居装修噪音'].map((text) => ({
        text,
        label: '环境保护',
      })),
      ...['公司拖欠工资不发', '单位不交社保', '辞退不给补偿', '老板欠薪跑路'].map((text) => ({
        text,
        label: '劳动和社会保障',
      })),
    ];
    const now = () => new Date('2026-01-01T00:00:00Z');
    const sync = trainClassifier(rows, { now });
    const sliced = await trainClassifierAsync(rows, { now }, { budgetMs: 0 });
    expectSameModel(sync.model, sliced.model);
    expect(sliced.info).toEqual(sync.info);
    expect(sliced.classify('晚上广场舞的音响太吵了')).toEqual(sync.classify('晚上广场舞的音响太吵了'));
    await expect(
      trainClassifierAsync([...rows, { text: '路灯坏了', label: '城乡建设/市政管理' }]),
    ).rejects.toThrow('same depth');
  });
});
