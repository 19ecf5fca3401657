import { describe, expect, it } from 'vitest';
import { ClassifySuggestion } from '@shared/contract/hotline';
import { getDefaultClassifier, trainClassifier } from '@shared/domain/classify/classifier';
import { classifierToJson } from '@shared/domain/classify/model-json';
import { ClassifyEngine } from './classify-engine';

const now = (): number => performance.now();

describe('classify worker engine', () => {
  const built = ClassifyEngine.build(now, getDefaultClassifier);
  const engine = built.engine!;

  it('builds the seed classifier and says ready', () => {
    expect(built.message.type).toBe('ready');
    expect(engine).not.toBeNull();
  });

  it('answers with the hotline/classify suggestion shape, lowConfidence against the given threshold', () => {
    const text = '楼下广场舞音响每天晚上十点还很吵，影响休息';
    const sure = engine.handle({ type: 'classify', id: 1, text, doubleDispatchBelow: 0 }, now);
    const unsure = engine.handle({ type: 'classify', id: 2, text, doubleDispatchBelow: 1.01 }, now);
    if (sure.type !== 'classified' || unsure.type !== 'classified') throw new Error('not classified');
    expect(sure.id).toBe(1);
    expect(ClassifySuggestion.parse(sure.suggestion)).toEqual(sure.suggestion);
    expect(sure.suggestion.lowConfidence).toBe(false);
    expect(unsure.suggestion.lowConfidence).toBe(true);
    expect(sure.suggestion.category.split('/')).toHaveLength(3);
    for (const a of sure.suggestion.alternatives) expect(a.leafId).not.toBe('');
    expect(sure.ms).toBeGreaterThanOrEqual(0);
  });

  it('tells bad text (input) apart from a failure', () => {
    const res = engine.handle(
      { type: 'classify', id: 3, text: 'the street light is broken', doubleDispatchBelow: 0.5 },
      now,
    );
    expect(res).toMatchObject({ type: 'error', id: 3, kind: 'input' });
  });

  it('says failed when the classifier cannot be built', () => {
    const res = ClassifyEngine.build(now, () => {
      throw new Error('no model');
    });
    expect(res.engine).toBeNull();
    expect(res.message).toEqual({ type: 'failed', message: 'no model' });
  });
});

describe("classify worker engine: the hub's trained model", () => {
  const WATER = '城乡建设/市政管理/供水供气';
  const NOISE = '环境保护/环境污染/噪音污染';
  const text = '蓝鲸站点又出问题了，请尽快处理';
  const places = ['东门', '西门', '南门', '北门', '中庭', '后院'];
  const trained = trainClassifier([
    ...places.map((p) => ({ text: `${p}的蓝鲸站点又坏了`, label: WATER })),
    ...places.map((p) => ({ text: `${p}的白鹭站点又坏了`, label: NOISE })),
  ]);
  const model = JSON.parse(JSON.stringify(classifierToJson(trained))) as unknown;

  it('answers with the trained model after useModel, and with the seed again after useModel(null)', () => {
    const engine = new ClassifyEngine(getDefaultClassifier());
    const classify = (id: number): string => {
      const res = engine.handle({ type: 'classify', id, text, doubleDispatchBelow: 0.5 }, now);
      if (res.type !== 'classified') throw new Error('not classified');
      return res.suggestion.category;
    };
    expect(classify(1)).not.toBe(WATER);
    expect(engine.useModel({ type: 'useModel', id: 2, model })).toEqual({
      type: 'modelLoaded',
      id: 2,
      kind: 'trained',
    });
    expect(engine.kind).toBe('trained');
    expect(classify(3)).toBe(WATER);
    expect(engine.useModel({ type: 'useModel', id: 4, model: null })).toMatchObject({ kind: 'seed' });
    expect(classify(5)).not.toBe(WATER);
  });

  it('refuses a model that is not a classifier and keeps the current one', () => {
    const engine = new ClassifyEngine(getDefaultClassifier());
    const res = engine.useModel({ type: 'useModel', id: 1, model: { format: 'other' } });
    expect(res).toMatchObject({ type: 'modelFailed', id: 1 });
    expect(engine.kind).toBe('seed');
  });
});
