import { describe, expect, it } from 'vitest';
import { initI18n } from '../../app/i18n';
import { formatShare, progressText, shortClasses } from './ClassifierView';

describe('classifier view helpers', () => {
  it('lists the categories of a too-few-examples refusal, and nothing for other errors', () => {
    const classes = [{ category: '环境保护/环境污染/噪音污染', count: 2 }];
    expect(
      shortClasses({
        code: 'INVALID_ARGUMENT',
        message: 'too few closed tickets to train',
        details: { code: 'too-few-examples', minPerClass: 8, classes },
      }),
    ).toEqual({ min: 8, classes });
    expect(shortClasses({ code: 'INTERNAL', message: 'boom' })).toEqual({ min: 5, classes: [] });
    expect(shortClasses(null).classes).toEqual([]);
  });

  it('formats shares as percentages', () => {
    expect(formatShare(0.9234)).toBe('92.3%');
  });

  it('names the training phase and how far it is, in Chinese and English', async () => {
    const i18n = initI18n('zh-CN');
    const base = {
      fold: 0,
      folds: 5,
      stage: null,
      done: 0,
      total: 0,
      fraction: 0.3,
      startedAt: '2026-03-02T02:00:00.000Z',
    };
    const fold = { ...base, phase: 'fold' as const, fold: 2, stage: 'steps' as const, done: 60, total: 120 };
    expect(progressText(i18n.t, fold)).toBe('交叉验证第 2/5 折 · 拟合 60/120');
    const features = {
      ...base,
      phase: 'final' as const,
      stage: 'features' as const,
      done: 2001,
      total: 8000,
    };
    expect(progressText(i18n.t, features)).toBe('用全部样本训练 · 提取特征 1001/4000 条');
    expect(progressText(i18n.t, { ...base, phase: 'rows' })).toBe('读取已办结诉求');
    await i18n.changeLanguage('en');
    expect(progressText(i18n.t, fold)).toBe('Cross-validation fold 2/5 · fitting 60/120');
    await i18n.changeLanguage('zh-CN');
  });
});
