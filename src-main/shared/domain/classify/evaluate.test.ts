import { describe, expect, it } from 'vitest';
import { chooseThreshold, type Prediction, scorePredictions } from './evaluate';

const p = (truth: string, predicted: string, confidence: number): Prediction => ({
  truth,
  predicted,
  confidence,
});

describe('scorePredictions', () => {
  it('computes accuracy, per-class and macro F1 on a hand-checked case', () => {
    // a: tp 2, fn 1 (→ b); b: tp 1, fp 1. F1(a) = 4/5 = 0.8, F1(b) = 2/3.
    const r = scorePredictions([p('a', 'a', 0.9), p('a', 'a', 0.8), p('a', 'b', 0.6), p('b', 'b', 0.7)]);
    expect(r.accuracy).toBe(0.75);
    expect(r.perClass.find((c) => c.label === 'a')!.f1).toBeCloseTo(0.8, 10);
    expect(r.perClass.find((c) => c.label === 'b')!.f1).toBeCloseTo(2 / 3, 10);
    expect(r.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
    const bin = r.reliability.find((b) => b.from === 0.6)!;
    expect(bin).toMatchObject({ count: 1, accuracy: 0 });
  });
});

describe('chooseThreshold', () => {
  it('keeps the largest share whose accuracy reaches the target', () => {
    const preds = [
      ...Array.from({ length: 9 }, (_, i) => p('a', 'a', 0.99 - i * 0.01)),
      p('a', 'b', 0.9),
      p('a', 'a', 0.5),
      p('a', 'b', 0.4),
      p('a', 'b', 0.3),
    ];
    const t = chooseThreshold(preds, 0.9, 5);
    expect(t.threshold).toBe(0.5);
    expect(t.retainedShare).toBeCloseTo(11 / 13, 10);
    expect(t.retainedAccuracy).toBeCloseTo(10 / 11, 10);
    expect(chooseThreshold(preds, 0.99, 20).threshold).toBeNull();
  });
});
