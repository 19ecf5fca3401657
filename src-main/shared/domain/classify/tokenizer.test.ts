import { describe, expect, it } from 'vitest';
import { normaliseText, scriptProfile, tokenize } from './tokenizer';

describe('tokenize', () => {
  it('makes character uni/bi/tri-grams inside Han runs and words of ASCII letters', () => {
    const t = tokenize('噪音扰民 KTV太吵！');
    expect(t).toEqual(
      expect.arrayContaining([
        '噪',
        '音',
        '扰',
        '民',
        '噪音',
        '音扰',
        '扰民',
        '噪音扰',
        '音扰民',
        'ktv',
        '吵',
        '太吵',
      ]),
    );
    // Punctuation and the space break runs: no n-gram spans them.
    expect(t.some((x) => x.includes('民k') || x.includes('！') || x.includes(' '))).toBe(false);
  });

  it('folds full-width letters and punctuation, drops digits and stopword uni-grams', () => {
    expect(normaliseText('ＡＢＣ，１２３')).toBe('abc,123');
    const t = tokenize('我的电梯坏了３天，ＡＰＰ也打不开');
    expect(t).toContain('app');
    expect(t).toContain('电梯');
    expect(t).not.toContain('的');
    expect(t).not.toContain('了');
    expect(t.some((x) => /\d/.test(x))).toBe(false);
  });

  it('keeps mixed text apart at every script change', () => {
    const t = tokenize('5G信号差,wifi连不上');
    expect(t).toEqual(expect.arrayContaining(['信号差', 'wifi', '连不上']));
    expect(t).not.toContain('5g');
    expect(t.some((x) => x.includes('差w'))).toBe(false);
  });

  it('limits the n-gram length when asked', () => {
    expect(tokenize('违章建筑', { maxN: 1 })).toEqual(['违', '章', '建', '筑']);
    expect(tokenize('违章建筑', { maxN: 2 }).every((x) => x.length <= 2)).toBe(true);
  });

  it('returns nothing for text without letters', () => {
    expect(tokenize('，。！ 123 ...')).toEqual([]);
  });
});

describe('scriptProfile', () => {
  it('counts Han characters among all letters', () => {
    expect(scriptProfile('路灯不亮 street light')).toEqual({ han: 4, letters: 15 });
  });
});
