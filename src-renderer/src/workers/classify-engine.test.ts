import { describe, expect, it } from 'vitest';
import { ClassifySuggestion } from '@shared/contract/hotline';
import { getDefaultClassifier } from '@shared/domain/classify/classifier';
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
