import { describe, expect, it } from 'vitest';
import {
  fitBinarySvmSteps,
  fitTemperature,
  type LinearModel,
  logits,
  predictProba,
  runSteps,
  runStepsSliced,
  type SparseVector,
  softmax,
  stratifiedFolds,
  svmRowCosts,
  type TrainProgress,
  trainLinearModel,
  trainLinearModelAsync,
  trainLinearModelSteps,
  vectorize,
  yieldToEventLoop,
} from './linear-model';

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

describe.each(['svm', 'logistic'] as const)('trainLinearModel (%s)', (solver) => {
  const model = trainLinearModel(data, { calibrationFolds: 3, solver });

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

/** 300 texts over three classes: enough for several gradient chunks per step and three calibration folds. */
function biggerSet(): { text: string; label: string }[] {
  const places = ['东门', '西门', '南门', '北门', '中庭', '后院', '广场', '地下车库', '三号楼', '菜场'];
  const times = ['晚上', '凌晨', '周末', '每天中午', '最近一周'];
  const out: { text: string; label: string }[] = [];
  for (const p of places)
    for (const t of times) {
      out.push({ text: `${p}${t}施工噪音太吵，打桩声音很大`, label: 'noise' });
      out.push({ text: `${p}的公司${t}说资金困难，拖欠工资不发`, label: 'wages' });
      out.push({ text: `${p}路灯${t}不亮，路面也坏了`, label: 'roads' });
      out.push({ text: `${t}${p}有人放音乐扰民`, label: 'noise' });
      out.push({ text: `${t}去${p}讨薪，老板不给工钱`, label: 'wages' });
      out.push({ text: `${p}的井盖${t}丢了，坑很深`, label: 'roads' });
    }
  return out;
}

function expectSameModel(a: LinearModel, b: LinearModel): void {
  expect(b.classes).toEqual(a.classes);
  expect(b.features).toEqual(a.features);
  expect(b.temperature).toBe(a.temperature);
  // Bit for bit: the same arithmetic in the same order, only paused.
  expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
  expect(Buffer.from(b.bias.buffer).equals(Buffer.from(a.bias.buffer))).toBe(true);
  expect(Buffer.from(b.idf.buffer).equals(Buffer.from(a.idf.buffer))).toBe(true);
}

describe('training in slices', () => {
  const data = biggerSet();
  const options = { calibrationFolds: 3, epochs: 30, solver: 'logistic' } as const;

  it('gives the same model, bit for bit, as the synchronous training, pausing many times', async () => {
    const sync = trainLinearModel(data, options);
    let pauses = 0;
    const sliced = await trainLinearModelAsync(data, options, {
      budgetMs: 0,
      yieldToLoop: async () => {
        pauses++;
        await yieldToEventLoop();
      },
    });
    expectSameModel(sync, sliced);
    // Four fits of 30 steps each, with several gradient chunks per step, and the temperature fit.
    expect(pauses).toBeGreaterThan(4 * 30 * 2);
  });

  it('lets timers and other callbacks run between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let slept = 0;
    await trainLinearModelAsync(data, options, {
      budgetMs: 2,
      yieldToLoop: () => new Promise((resolve) => setTimeout(() => resolve(void slept++), 1)),
    });
    clearInterval(timer);
    expect(slept).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it('pauses only once the time budget is used up', async () => {
    function* steps(): Generator<number, string, void> {
      for (let i = 1; i <= 10; i++) yield i;
      return 'end';
    }
    let clock = 0;
    const seen: number[] = [];
    const result = await runStepsSliced(steps(), {
      budgetMs: 10,
      // The clock moves 3 ms per look: one look per step, one more when a slice starts.
      now: () => (clock += 3),
      yieldToLoop: async () => undefined,
      onProgress: (p) => seen.push(p),
    });
    expect(result).toBe('end');
    expect(seen).toEqual([4, 8]);
    expect(runSteps(steps())).toBe('end');
  });

  it('reports progress that only moves forward: fits in order, features then steps, counts growing', () => {
    const all: TrainProgress[] = [];
    const steps = trainLinearModelSteps(data, options);
    for (let r = steps.next(); !r.done; r = steps.next()) all.push(r.value);
    const rank = { features: 0, steps: 1, calibration: 2 } as const;
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(b.fits).toBe(4);
      expect(b.done).toBeLessThanOrEqual(b.total);
      const key = (p: TrainProgress): number[] => [p.fit, rank[p.stage], p.done];
      const [ka, kb] = [key(a), key(b)];
      const cmp = ka[0]! - kb[0]! || ka[1]! - kb[1]! || ka[2]! - kb[2]!;
      expect(cmp).toBeLessThanOrEqual(0);
    }
    expect(all[0]).toMatchObject({ fit: 1, stage: 'features' });
    expect(all.at(-1)).toMatchObject({ stage: 'calibration', done: 42, total: 42 });
    expect(all.filter((p) => p.stage === 'steps' && p.done === 30).length).toBeGreaterThanOrEqual(4);
  });

  it('rejects bad data the way the synchronous training throws', async () => {
    await expect(trainLinearModelAsync([])).rejects.toThrow('no training texts');
    await expect(trainLinearModelAsync([{ text: '噪音', label: 'a' }])).rejects.toThrow(
      'at least two categories',
    );
    expect(() => trainLinearModel([])).toThrow('no training texts');
  });
});

describe('the SVM solver (the default)', () => {
  const data = biggerSet();

  it('gives the same model, bit for bit, sliced as in one go, and pauses inside every fit', async () => {
    const options = { calibrationFolds: 3 };
    const sync = trainLinearModel(data, options);
    let pauses = 0;
    const sliced = await trainLinearModelAsync(data, options, {
      budgetMs: 0,
      yieldToLoop: async () => {
        pauses++;
        await yieldToEventLoop();
      },
    });
    expectSameModel(sync, sliced);
    // Four fits, each of three one-vs-rest problems of several passes.
    expect(pauses).toBeGreaterThan(4 * 3 * 2);
    // Not the logistic model: the solver really changed.
    const logistic = trainLinearModel(data, { ...options, solver: 'logistic' });
    expect(Buffer.from(logistic.weights.buffer).equals(Buffer.from(sync.weights.buffer))).toBe(false);
  });

  it('is deterministic, and another seed only reorders the rows (the same optimum within tolerance)', () => {
    const a = trainLinearModel(data, { calibrationFolds: 0 });
    const b = trainLinearModel(data, { calibrationFolds: 0 });
    expectSameModel(a, b);
    const c = trainLinearModel(data, { calibrationFolds: 0, seed: 9 });
    const x = vectorize(a, '北门凌晨施工噪音太吵');
    const [za, zc] = [logits(a, x), logits(c, x)];
    for (let i = 0; i < za.length; i++) expect(zc[i]!).toBeCloseTo(za[i]!, 1);
  });

  it('counts the solved classes as its steps, after the features of each fit', () => {
    const all: TrainProgress[] = [];
    const steps = trainLinearModelSteps(data, { calibrationFolds: 3 });
    for (let r = steps.next(); !r.done; r = steps.next()) all.push(r.value);
    const fitSteps = all.filter((p) => p.stage === 'steps');
    expect(fitSteps.every((p) => p.total === 3 && p.done <= 3)).toBe(true);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      if (a.fit === b.fit && a.stage === b.stage) expect(b.done).toBeGreaterThanOrEqual(a.done);
    }
    expect(fitSteps.filter((p) => p.done === 3).length).toBeGreaterThanOrEqual(4);
  });

  it('separates the classes of a tiny hand-written set with decision values of the right sign', () => {
    const tiny = [
      ...['广场舞太吵了', '半夜施工噪音很大', '楼上装修电钻声吵', 'KTV唱歌太吵扰民'].map((text) => ({
        text,
        label: 'noise',
      })),
      ...['公司拖欠工资三个月', '老板不发工资', '包工头欠薪跑路', '工资被克扣没有发'].map((text) => ({
        text,
        label: 'wages',
      })),
    ];
    const m = trainLinearModel(tiny, { calibrationFolds: 0 });
    const z = (text: string): Float64Array => logits(m, vectorize(m, text));
    const [noise, wages] = [m.classes.indexOf('noise'), m.classes.indexOf('wages')];
    expect(z('晚上跳广场舞的音响太吵')[noise]!).toBeGreaterThan(0);
    expect(z('晚上跳广场舞的音响太吵')[wages]!).toBeLessThan(0);
    expect(z('单位拖欠我两个月工资')[wages]!).toBeGreaterThan(0);
    // Every training text on the right side of the margin's middle.
    for (const d of tiny) {
      const v = z(d.text);
      expect(v[m.classes.indexOf(d.label)]!).toBeGreaterThan(0);
    }
  });

  it('weighs each class the same in total when balanced, each row `c` otherwise', () => {
    const y = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 2, 2]);
    const balanced = svmRowCosts(y, 3, 2, true);
    const total = (cls: number): number => balanced.reduce((s, v, i) => s + (y[i] === cls ? v : 0), 0);
    for (const cls of [0, 1, 2]) expect(total(cls)).toBeCloseTo((2 * y.length) / 3, 12);
    expect(balanced[0]!).toBeCloseTo((2 * 10) / (3 * 6), 12);
    expect(balanced[9]!).toBeCloseTo((2 * 10) / (3 * 2), 12);
    expect([...svmRowCosts(y, 3, 2, false)]).toEqual(new Array(10).fill(2));
  });

  it('leans toward a rare class on an ambiguous text when balanced, and away when not', () => {
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({
        text: `小区门口${i % 2 ? '噪音' : '车辆'}问题很多`,
        label: 'common',
      })),
      ...Array.from({ length: 4 }, () => ({ text: '小区门口路灯坏了', label: 'rare' })),
    ];
    const rareShare = (balanced: boolean): number => {
      const m = trainLinearModel(rows, { calibrationFolds: 0, balanced, minDf: 1 });
      const z = logits(m, vectorize(m, '小区门口'));
      return z[m.classes.indexOf('rare')]! - z[m.classes.indexOf('common')]!;
    };
    expect(rareShare(true)).toBeGreaterThan(rareShare(false));
  });

  it('stops once the projected gradients span ≤ 0.1, with the optimality conditions met', () => {
    // Two features and a noise feature; the classes overlap a little, so some rows end inside the margin.
    const rand = (() => {
      let s = 7;
      return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    })();
    const docs: SparseVector[] = [];
    const sign: number[] = [];
    for (let i = 0; i < 200; i++) {
      const plus = i % 2 === 0;
      const a = (plus ? 1 : 0.3) + 0.4 * rand();
      const b = (plus ? 0.3 : 1) + 0.4 * rand();
      docs.push({ index: Int32Array.from([0, 1, 2]), value: Float32Array.from([a, b, rand()]) });
      sign.push(plus ? 1 : -1);
    }
    const cost = new Float64Array(docs.length).fill(1);
    const result = runSteps(fitBinarySvmSteps(docs, Int8Array.from(sign), cost, 3, 1));
    expect(result.converged).toBe(true);
    expect(result.passes).toBeGreaterThan(1);
    expect(result.passes).toBeLessThan(1000);
    // Dual optimality within the stopping tolerance: g_i = y_i f(x_i) − 1 + alpha_i / (2 c_i).
    for (let i = 0; i < docs.length; i++) {
      const x = docs[i]!;
      let f = result.b;
      for (let t = 0; t < 3; t++) f += result.w[x.index[t]!]! * x.value[t]!;
      const g = sign[i]! * f - 1 + result.alpha[i]! * 0.5;
      expect(result.alpha[i]!).toBeGreaterThanOrEqual(0);
      if (result.alpha[i]! > 0) expect(Math.abs(g)).toBeLessThanOrEqual(0.1 + 1e-9);
      else expect(g).toBeGreaterThanOrEqual(-0.1 - 1e-9);
    }
    // The primal weights are the dual combination of the rows: w = Σ alpha_i y_i x_i, b = Σ alpha_i y_i.
    let b = 0;
    const w = [0, 0, 0];
    docs.forEach((x, i) => {
      b += result.alpha[i]! * sign[i]!;
      for (let t = 0; t < 3; t++) w[t]! += result.alpha[i]! * sign[i]! * x.value[t]!;
    });
    expect(result.b).toBeCloseTo(b, 9);
    w.forEach((v, t) => expect(result.w[t]!).toBeCloseTo(v, 6));
    expect(result.w[0]!).toBeGreaterThan(0);
    expect(result.w[1]!).toBeLessThan(0);

    const cut = runSteps(fitBinarySvmSteps(docs, Int8Array.from(sign), cost, 3, 1, { maxPasses: 1 }));
    expect(cut).toMatchObject({ passes: 1, converged: false });
  });

  it('refuses a cost that is not a positive number and an unknown solver', () => {
    expect(() => trainLinearModel(data, { c: 0 })).toThrow('the SVM cost c must be a positive number');
    expect(() => trainLinearModel(data, { c: Number.NaN })).toThrow('positive number');
    expect(() => trainLinearModel(data, { solver: 'tree' as 'svm' })).toThrow('unknown solver "tree"');
  });
});
