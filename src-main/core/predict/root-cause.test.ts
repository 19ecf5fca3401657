import { describe, expect, it } from 'vitest';
import { FEATURES, makeWindow, NORMAL, PV_LABELS as labels } from '../../../tests/helpers/pv-window';
import { DEFAULT_PREDICT_CONFIG } from '@shared/domain';
import { HistoryIndex } from './history-index';
import { rankHypotheses, type RankInput } from './root-cause';

const knowledge = DEFAULT_PREDICT_CONFIG.knowledge.find((k) => k.deviceKind === 'pv-inverter')!;

function rank(window: Float32Array, extra: Partial<RankInput> = {}) {
  return rankHypotheses({
    knowledge,
    window,
    features: FEATURES,
    normalisation: NORMAL,
    modelModes: null,
    history: null,
    labels,
    ...extra,
  });
}

/** ESR climbing: ripple doubles over the day. */
const risingRipple = makeWindow({
  'ripple.mean': (s) => 0.9 + s * 0.05,
  'ripple.max': (s) => 1.1 + s * 0.06,
});
/** A loose terminal: reports missing and loss bursts, with local heating spikes. */
const looseWindow = makeWindow({
  coverage: (s) => (s >= 30 && s % 3 === 0 ? 0.55 : 0.97),
  'packetLoss.max': (s) => (s >= 30 && s % 4 === 0 ? 22 : 0.8),
  'packetLoss.mean': (s) => (s >= 30 ? 0.9 : 0.3),
  'tempGradient.max': (s) => (s >= 30 && s % 5 === 0 ? 2.5 : 0.3),
});

describe('root-cause hypotheses', () => {
  it('ranks capacitor ageing first for rising ripple even when the model leans elsewhere', () => {
    const h = rank(risingRipple, {
      modelModes: { 'capacitor-ageing': 0.3, 'loose-contact': 0.25, 'fan-failure': 0.45 },
    });
    expect(h.map((x) => x.modeId)).toEqual(['capacitor-ageing', 'fan-failure', 'loose-contact']);
    const top = h[0]!;
    expect(top.modelProbability).toBe(0.3);
    expect(top.cause['zh-CN']).toContain('ESR');
    expect(top.sopId).toBe('sop-pv-cap-replace');
    expect(top.partSkus).toEqual(['CAP-DCL-1100']);
    // Evidence: which features matched which pattern, with Chinese/English labels.
    expect(top.symptoms.map((s) => `${s.feature}:${s.pattern}`)).toEqual(
      expect.arrayContaining(['ripple.mean:rising', 'ripple.mean:above', 'ripple.max:rising']),
    );
    expect(top.symptoms[0]!.label['zh-CN']).toContain('纹波');
    expect(h.find((x) => x.modeId === 'fan-failure')!.symptoms).toEqual([]);
  });

  it('ranks loose contact first for gaps and loss spikes', () => {
    const h = rank(looseWindow, {
      modelModes: { 'capacitor-ageing': 0.34, 'loose-contact': 0.33, 'fan-failure': 0.33 },
    });
    expect(h[0]!.modeId).toBe('loose-contact');
    expect(h[0]!.symptoms.map((s) => s.pattern)).toEqual(expect.arrayContaining(['spikes', 'gaps', 'above']));
    expect(h[0]!.score).toBeGreaterThan(h[1]!.score + 0.1);
  });

  it('ranks on symptoms and history alone when there is no model', () => {
    const h = rank(looseWindow);
    expect(h[0]!.modeId).toBe('loose-contact');
    expect(h.every((x) => x.modelProbability === null)).toBe(true);
  });

  it('lets the history of similar devices tip a tie', () => {
    const tie = { 'capacitor-ageing': 0.45, 'loose-contact': 0.1, 'fan-failure': 0.45 };
    const idx = new HistoryIndex();
    const model = 'GSI-110KTL 组串式逆变器（110kW）';
    idx.add({
      ticketNumber: 'T-1',
      deviceKind: 'pv-inverter',
      deviceModel: model,
      resolutionCode: 'FAN-REPLACE',
      text: '',
    });
    idx.add({
      ticketNumber: 'T-2',
      deviceKind: 'pv-inverter',
      deviceModel: model,
      resolutionCode: null,
      text: '风扇轴承卡滞，过温降额',
    });
    idx.add({
      ticketNumber: 'T-3',
      deviceKind: 'pv-inverter',
      deviceModel: model,
      resolutionCode: 'TERM-RETORQUE',
      text: '',
    });
    // Without history the tie goes to the knowledge graph's order…
    expect(rank(makeWindow(), { modelModes: tie })[0]!.modeId).toBe('capacitor-ageing');
    // …with it, to the mode similar devices turned out to have.
    const h = rank(makeWindow(), {
      modelModes: tie,
      history: idx.rates('pv-inverter', model, knowledge.modes),
    });
    expect(h[0]!.modeId).toBe('fan-failure');
    expect(h[0]!.history).toEqual({ similarResolved: 3, matching: 2, examples: ['T-2', 'T-1'] });
  });

  it('keeps scores within 0…1 summing to at most 1, deterministically', () => {
    for (const w of [risingRipple, looseWindow, makeWindow()]) {
      const a = rank(w, {
        modelModes: { 'capacitor-ageing': 0.2, 'loose-contact': 0.5, 'fan-failure': 0.3 },
      });
      const sum = a.reduce((s, x) => s + x.score, 0);
      expect(sum).toBeLessThanOrEqual(1);
      for (const x of a) expect(x.score).toBeGreaterThanOrEqual(0);
      expect(
        rank(w, { modelModes: { 'capacitor-ageing': 0.2, 'loose-contact': 0.5, 'fan-failure': 0.3 } }),
      ).toEqual(a);
    }
    // A window matching every mode at once is rescaled to sum to 1.
    const everything = makeWindow({
      'ripple.mean': (s) => 0.9 + s * 0.05,
      'ripple.max': (s) => 1.1 + s * 0.06,
      'tempGradient.mean': (s) => (s >= 36 ? 1 : 0),
      'tempGradient.max': (s) => (s >= 36 ? 3 : 0.3),
      coverage: (s) => (s >= 36 ? 0.5 : 1),
      'packetLoss.max': (s) => (s >= 36 ? 30 : 0.8),
      'packetLoss.mean': (s) => (s >= 36 ? 1.5 : 0.3),
    });
    const all = rank(everything, {
      modelModes: { 'capacitor-ageing': 0.4, 'loose-contact': 0.3, 'fan-failure': 0.3 },
    });
    expect(all.reduce((s, x) => s + x.score, 0)).toBeGreaterThan(0.99);
    expect(all.reduce((s, x) => s + x.score, 0)).toBeLessThanOrEqual(1);
  });

  it('gives modes the model does not know no model probability', () => {
    const h = rank(risingRipple, { modelModes: { 'capacitor-ageing': 0.9 } });
    expect(h.find((x) => x.modeId === 'fan-failure')!.modelProbability).toBe(0);
  });

  it('refuses model probabilities outside 0…1 and broken windows', () => {
    expect(() => rank(risingRipple, { modelModes: { 'fan-failure': 1.4 } })).toThrow(
      /fan-failure must be in 0…1/,
    );
    expect(() => rank(risingRipple, { modelModes: { 'fan-failure': NaN } })).toThrow(/0…1/);
    expect(() => rank(new Float32Array(5))).toThrow(/not a multiple/);
  });

  it('ignores symptoms over features the window does not have', () => {
    const h = rankHypotheses({
      knowledge,
      window: new Float32Array(8 * 2).fill(1),
      features: ['ripple.mean', 'coverage'],
      normalisation: { mean: [0.8, 0.98], std: [0.3, 0.05] },
      modelModes: null,
      history: null,
      labels,
    });
    expect(h).toHaveLength(3);
    expect(h.every((x) => Number.isFinite(x.score))).toBe(true);
  });
});
