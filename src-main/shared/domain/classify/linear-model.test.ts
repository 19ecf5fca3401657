import { describe, expect, it } from 'vitest';
import { fitTemperature, predictProba, softmax, stratifiedFolds, trainLinearModel } from './linear-model';

const data = [
  ...[
    '广场舞太吵了',
    '半夜施工噪音很大',
    '楼上装修电钻声吵',
    'KTV唱歌太吵扰民',
    '汽车鸣笛噪音扰民',
    '烧烤店音响吵闹',
  ].map((text) => ({ text, label: 'noise' })),
  ...[
    '公司拖欠工资三个月',
    '老板不发工资',
    '包工头欠薪跑路',
    '工资被克扣没有发',
    '讨薪无门拖欠工资',
    '离职后不结工资',
  ].map((text) => ({ text, label: 'wages' })),
];

describe('trainLinearModel', () => {
  const model = trainLinearModel(data, { calibrationFolds: 3 });

  it('separates the classes of a tiny hand-written set', () => {
    const best = (text: string): string => {
      const p = predictProba(model, text);
      return model.classes[p[0]! > p[1]! ? 0 : 1]!;
    };
    expect(best('晚上跳广场舞的音响太吵')).toBe('noise');
    expect(best('单位拖欠我两个月工资')).toBe('wages');
  });

  it('gives probabilities in [0,1] that sum to 1 and rank the right class first', () => {
    for (const text of ['噪音扰民', '工资拖欠', '今天天气很好']) {
      const p = predictProba(model, text);
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    }
    // A clear text is more confident than one the model has no word of.
    const clear = predictProba(model, '噪音太吵了扰民')[model.classes.indexOf('noise')]!;
    const unknown = predictProba(model, '今天天气很好');
    expect(clear).toBeGreaterThan(Math.max(...unknown));
    expect(model.temperature).toBeGreaterThan(0);
  });
});

describe('calibration helpers', () => {
  it('softmax with a higher temperature keeps the order and flattens the distribution', () => {
    const z = [2, 1, 0];
    const sharp = softmax(z, 0.5);
    const flat = softmax(z, 4);
    expect(sharp[0]! > sharp[1]! && sharp[1]! > sharp[2]!).toBe(true);
    expect(flat[0]! > flat[1]! && flat[1]! > flat[2]!).toBe(true);
    expect(flat[0]!).toBeLessThan(sharp[0]!);
  });

  it('fits a temperature above 1 for over-confident logits that are often wrong', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ logits: [10, 0], truth: i % 2 }));
    expect(fitTemperature(rows)).toBeGreaterThan(5);
    const right = Array.from({ length: 20 }, () => ({ logits: [1, 0], truth: 0 }));
    expect(fitTemperature(right)).toBeLessThan(0.2);
  });

  it('spreads every class evenly over stratified folds', () => {
    const labels = [...Array(10).fill('a'), ...Array(5).fill('b')] as string[];
    const folds = stratifiedFolds(labels, 5, 7);
    for (let f = 0; f < 5; f++) {
      expect(labels.filter((l, i) => l === 'a' && folds[i] === f)).toHaveLength(2);
      expect(labels.filter((l, i) => l === 'b' && folds[i] === f)).toHaveLength(1);
    }
  });
});
