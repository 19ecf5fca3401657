import { describe, expect, it } from 'vitest';
import { sampleRecord, sampleStatus } from '../../stores/predict/fixtures';
import { validateOutcome } from './outcome-form';
import { overrideChoices } from './override-choices';
import { summarizeStatus } from './model-status';
import {
  formatHours,
  formatMeasure,
  formatPercent,
  formatZ,
  hoursBetween,
  isPreventiveTicket,
  probabilityRows,
  riskLevel,
} from './prediction-format';

describe('prediction formatting', () => {
  it('recognises preventive tickets by type or by source', () => {
    expect(isPreventiveTicket({ typeId: 'preventive-maintenance', source: 'manual' })).toBe(true);
    expect(isPreventiveTicket({ typeId: 'device-fault', source: 'predictive' })).toBe(true);
    expect(isPreventiveTicket({ typeId: 'device-fault', source: 'mqtt' })).toBe(false);
  });

  it('formats percentages, hours, measures and z-scores, and says — for unknowns', () => {
    expect(formatPercent(0.862)).toBe('86%');
    expect(formatPercent(0.045)).toBe('4.5%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatHours(6.54)).toBe('6.5');
    expect(formatHours(36.4)).toBe('36');
    expect(formatHours(undefined)).toBe('—');
    expect(formatMeasure(412.3)).toBe('412');
    expect(formatMeasure(3.614)).toBe('3.61');
    expect(formatMeasure(0.04213)).toBe('0.042');
    expect(formatZ(2.44)).toBe('+2.4');
    expect(formatZ(-1.06)).toBe('−1.1');
    expect(formatZ(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('orders probabilities by horizon and reads risk levels at fixed cut points', () => {
    expect(probabilityRows({ h24: 0.9, h4: 0.1, h8: 0.3 }).map((r) => r.horizon)).toEqual([
      'h4',
      'h8',
      'h24',
    ]);
    expect([riskLevel(0.1), riskLevel(0.3), riskLevel(0.6), riskLevel(null)]).toEqual([
      'low',
      'watch',
      'high',
      'low',
    ]);
    expect(hoursBetween('2026-11-24T03:00:00.000Z', '2026-11-24T12:30:00.000Z')).toBe(9.5);
    expect(hoursBetween(null, '2026-11-24T12:30:00.000Z')).toBeNull();
    expect(hoursBetween('garbage', '2026-11-24T12:30:00.000Z')).toBeNull();
  });
});

describe('outcome form', () => {
  it('needs an outcome and a non-blank note', () => {
    expect(validateOutcome(null, '')).toEqual({ outcome: 'required', note: 'required' });
    expect(validateOutcome('other', '   ')).toEqual({ note: 'required' });
    expect(validateOutcome('fault-confirmed', '电容鼓包')).toEqual({});
  });
});

describe('override choices', () => {
  const users = [
    { id: 'u-zhangwei', name: '张伟', teamId: 't', roles: ['operator'] },
    { id: 'u-wangqiang', name: '王强', teamId: 't', roles: ['engineer'] },
    { id: 'u-liuyang', name: '刘洋', teamId: 't', roles: ['engineer'] },
    { id: 'u-yangfan', name: '杨帆', teamId: 't', roles: ['engineer'] },
  ];

  it('lists scored candidates best first, then the other engineers, each once', () => {
    const c = overrideChoices(sampleRecord().dispatch, users);
    expect(c.candidates.map((x) => x.userId)).toEqual(['u-wangqiang', 'u-liuyang', 'u-chenjing']);
    expect(c.others.map((u) => u.id)).toEqual(['u-yangfan']);
  });

  it('offers everyone when nobody has the engineer role, and works without a decision', () => {
    const plain = users.map((u) => ({ ...u, roles: ['operator'] }));
    const c = overrideChoices(null, plain);
    expect(c.candidates).toEqual([]);
    expect(c.others).toHaveLength(4);
  });
});

describe('model status badge', () => {
  it('says ready, rules only, loading, a problem with its error text, or unavailable', () => {
    expect(summarizeStatus(null, null)).toBeNull();
    expect(summarizeStatus(sampleStatus(), null)).toMatchObject({ tone: 'ok', label: 'ready' });
    expect(summarizeStatus(sampleStatus({ rulesOnlyKinds: ['meter'] }), null)).toMatchObject({
      tone: 'warn',
      label: 'ready',
      rulesOnly: ['meter'],
    });
    const broken = sampleStatus();
    broken.models[0] = {
      ...broken.models[0]!,
      state: 'invalid',
      error: 'sha256 does not match the manifest',
    };
    expect(summarizeStatus(broken, null)).toMatchObject({
      tone: 'bad',
      label: 'problem',
      problems: 1,
      errors: ['pv-inverter-lstm: sha256 does not match the manifest'],
    });
    expect(summarizeStatus(sampleStatus({ models: [] }), null)).toMatchObject({
      tone: 'warn',
      label: 'none',
    });
    expect(
      summarizeStatus(null, { code: 'METHOD_NOT_FOUND' as never, message: 'no handler for predict/status' }),
    ).toMatchObject({ tone: 'bad', label: 'unavailable' });
  });
});
