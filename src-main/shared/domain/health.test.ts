import { describe, expect, it } from 'vitest';
import type { MetricDef } from '../contract';
import { bandOf, healthOf, metricScore } from './health';

const ripple: MetricDef = {
  key: 'ripple',
  label: { 'zh-CN': '纹波', en: 'Ripple' },
  unit: '%',
  min: 0,
  max: 50,
  warn: 3,
  alarm: 6,
  higherIsWorse: true,
  weight: 1,
};
const irradiance: MetricDef = { ...ripple, key: 'irradiance', warn: null, alarm: null, max: 1500 };
/** Lower is worse: an efficiency that should stay high. */
const efficiency: MetricDef = {
  ...ripple,
  key: 'eff',
  min: 0,
  max: 100,
  warn: 90,
  alarm: 80,
  higherIsWorse: false,
};

describe('the shared health scale', () => {
  it('puts warn at 80 and alarm at 40, whichever way a metric is worse', () => {
    expect(metricScore(3, ripple)).toBe(80);
    expect(metricScore(6, ripple)).toBe(40);
    expect(metricScore(4.5, ripple)).toBe(60);
    expect(metricScore(0, ripple)).toBe(100);
    expect(metricScore(50, ripple)).toBe(0);
    expect(metricScore(90, efficiency)).toBe(80);
    expect(metricScore(80, efficiency)).toBe(40);
    expect(metricScore(100, efficiency)).toBe(100);
    expect(metricScore(0, efficiency)).toBe(0);
    expect(bandOf(metricScore(2.9, ripple))).toBe('good');
    expect(bandOf(metricScore(3.1, ripple))).toBe('warn');
    expect(bandOf(metricScore(6, ripple))).toBe('alarm');
  });

  it('ignores metrics without thresholds or values, and weighs the rest', () => {
    expect(Number.isNaN(metricScore(500, irradiance))).toBe(true);
    expect(Number.isNaN(metricScore(Number.NaN, ripple))).toBe(true);
    expect(healthOf([irradiance], () => 1400)).toBe(100);
    expect(healthOf([ripple, irradiance], (s) => (s === 0 ? 6 : 100))).toBe(40);
    expect(healthOf([{ ...ripple, weight: 0.5 }], () => 50)).toBe(50);
    expect(healthOf([{ ...ripple, weight: 0 }], () => 50)).toBe(100);
    expect(healthOf([ripple, efficiency], (s) => (s === 0 ? 1 : 85))).toBe(60);
  });
});
