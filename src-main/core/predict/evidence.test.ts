import { describe, expect, it } from 'vitest';
import { FEATURES, makeWindow, NORMAL, PV_LABELS as labels } from '../../../tests/helpers/pv-window';
import { EvidenceError, matchDegree, patternMeasure, spikeRatio, topDrivers, windowStats } from './evidence';

describe('window evidence', () => {
  it('summarises first and last quarters, z and relative change', () => {
    const w = makeWindow({ 'ripple.mean': (s) => (s < 12 ? 1 : s >= 36 ? 2 : 1.5) });
    const st = windowStats({ window: w, features: FEATURES, normalisation: NORMAL });
    const r = st.byFeature.get('ripple.mean')!;
    expect(r.from).toBeCloseTo(1);
    expect(r.to).toBeCloseTo(2);
    expect(r.z).toBeCloseTo((2 - 0.8) / 0.3);
    expect(r.change).toBeCloseTo(1);
    expect(patternMeasure(st, 'ripple.mean', 'rising', 0.4)).toEqual({ value: r.change, threshold: 0.4 });
    expect(patternMeasure(st, 'ripple.mean', 'falling', 0.4)!.value).toBeCloseTo(-1);
    expect(patternMeasure(st, 'nope.mean', 'above', 2)).toBeNull();
  });

  it('measures change near zero against the fleet spread, not the tiny level', () => {
    const w = makeWindow({ 'tempGradient.mean': (s) => (s < 12 ? 0.001 : 0.2) });
    const st = windowStats({ window: w, features: FEATURES, normalisation: NORMAL });
    // 0.199 over max(0.001, std 0.2): about 1, not 199.
    expect(st.byFeature.get('tempGradient.mean')!.change).toBeCloseTo(0.995, 2);
  });

  it('sees loss spikes as the recent peak of the max over the typical mean', () => {
    const w = makeWindow({ 'packetLoss.max': (s) => (s === 44 ? 18 : 0.8) });
    const st = windowStats({ window: w, features: FEATURES, normalisation: NORMAL });
    expect(spikeRatio(st, 'packetLoss.max')).toBeCloseTo(18 / 0.3);
    // A healthy window has no spike beyond its normal max/mean.
    const calm = windowStats({ window: makeWindow(), features: FEATURES, normalisation: NORMAL });
    expect(spikeRatio(calm, 'packetLoss.max')).toBeCloseTo(0.8 / 0.3);
  });

  it('measures gaps as missing coverage against the allowed share', () => {
    const w = makeWindow({ coverage: (s) => (s >= 36 ? 0.7 : 1) });
    const st = windowStats({ window: w, features: FEATURES, normalisation: NORMAL });
    const m = patternMeasure(st, 'coverage', 'gaps', 0.9)!;
    expect(m.value).toBeCloseTo(0.3);
    expect(m.threshold).toBeCloseTo(0.1);
  });

  it('grades a match 0.5 at the threshold, 1 at 1.5×, 0 at half', () => {
    expect(matchDegree(1, 1)).toBe(0.5);
    expect(matchDegree(1.5, 1)).toBe(1);
    expect(matchDegree(3, 1)).toBe(1);
    expect(matchDegree(0.5, 1)).toBe(0);
    expect(matchDegree(0.75, 1)).toBeCloseTo(0.25);
    expect(matchDegree(NaN, 1)).toBe(0);
  });

  it('returns the strongest drivers with Chinese and English labels, context excluded', () => {
    const w = makeWindow({
      'ripple.mean': (s) => 0.8 + s * 0.1,
      'packetLoss.mean': (s) => (s >= 36 ? 0.9 : 0.3),
      // A dark day: irradiance far below normal is context, not a driver.
      'irradiance.mean': () => 0,
      'ambient.mean': () => 40,
    });
    const d = topDrivers(w, FEATURES, NORMAL, labels);
    expect(d.map((x) => x.feature)).toEqual(['ripple.mean', 'packetLoss.mean']);
    expect(d[0]!.label).toEqual({ 'zh-CN': '直流电压纹波（均值）', en: 'Voltage ripple (mean)' });
    expect(d[0]!.unit).toBe('%');
    // Ripple 1.35 → 4.95 (+267 %) is more striking than loss 0.3 → 0.9 (+200 %).
    expect(d[0]).toMatchObject({ pattern: 'rising', from: 1.35, to: 4.95 });
    expect(d[1]).toMatchObject({ pattern: 'rising', from: 0.3, to: 0.9, z: 3 });
    expect(topDrivers(w, FEATURES, NORMAL, labels, { includeContext: true }).map((x) => x.feature)).toContain(
      'ambient.mean',
    );
    expect(topDrivers(w, FEATURES, NORMAL, labels, { limit: 1 })).toHaveLength(1);
  });

  it('gives no drivers for a window where nothing stands out', () => {
    expect(topDrivers(makeWindow(), FEATURES, NORMAL, labels)).toEqual([]);
  });

  it('labels coverage and unknown metrics sensibly', () => {
    const d = topDrivers(makeWindow({ coverage: () => 0.2 }), FEATURES, NORMAL, labels);
    expect(d[0]).toMatchObject({ feature: 'coverage', pattern: 'gaps', label: { 'zh-CN': '数据完整度' } });
    const odd = topDrivers(
      new Float32Array(8).fill(5),
      ['mystery.mean', 'coverage'],
      { mean: [0, 1], std: [1, 1] },
      labels,
    );
    expect(odd[0]).toMatchObject({ feature: 'mystery.mean', label: { en: 'mystery.mean' }, unit: '' });
  });

  it('refuses malformed windows and normalisation with a clear error', () => {
    const ok = { features: FEATURES, normalisation: NORMAL };
    expect(() => windowStats({ ...ok, window: new Float32Array(10) })).toThrow(/not a multiple of 9/);
    expect(() => windowStats({ ...ok, window: new Float32Array(27) })).toThrow(/3 steps/);
    expect(() =>
      windowStats({ ...ok, window: makeWindow(), normalisation: { mean: [1], std: [1] } }),
    ).toThrow(/1 means and 1 stds for 9/);
    const zeroStd = { mean: NORMAL.mean, std: NORMAL.std.map((s, i) => (i === 2 ? 0 : s)) };
    expect(() => windowStats({ ...ok, window: makeWindow(), normalisation: zeroStd })).toThrow(
      /tempGradient.mean is not usable/,
    );
    const nanTail = makeWindow({ 'ripple.max': (s) => (s >= 36 ? NaN : 1) });
    expect(() => windowStats({ ...ok, window: nanTail })).toThrow(EvidenceError);
    expect(() => windowStats({ ...ok, window: nanTail })).toThrow(
      /ripple.max has no finite value in the last quarter/,
    );
  });

  it('skips isolated NaN values rather than poisoning the means', () => {
    const w = makeWindow({ 'ripple.mean': (s) => (s === 40 ? NaN : 2) });
    const st = windowStats({ window: w, features: FEATURES, normalisation: NORMAL });
    expect(st.byFeature.get('ripple.mean')!.to).toBeCloseTo(2);
  });
});
