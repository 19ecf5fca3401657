import { describe, expect, it } from 'vitest';
import { DEFAULT_PREDICT_CONFIG } from '@shared/domain';
import { HistoryIndex, MIN_SAME_MODEL, matchModes } from './history-index';

const modes = DEFAULT_PREDICT_CONFIG.knowledge.find((k) => k.deviceKind === 'pv-inverter')!.modes;
const A = 'GSI-110KTL 组串式逆变器（110kW）';
const B = 'HPC-50K 组串式逆变器（50kW）';

function entry(n: number, model: string | null, code: string | null, text: string, kind = 'pv-inverter') {
  return {
    ticketNumber: `WF-2026-${String(n).padStart(5, '0')}`,
    deviceKind: kind,
    deviceModel: model,
    resolutionCode: code,
    text,
  };
}

describe('history of resolved tickets', () => {
  it('maps a ticket by resolution code first, then by keywords', () => {
    // The code wins even when the note talks about a fan.
    expect(matchModes({ resolutionCode: 'cap-replace', text: '风扇正常，更换电容' }, modes)).toEqual([
      'capacitor-ageing',
    ]);
    expect(matchModes({ resolutionCode: null, text: '直流端子松动，有打火痕迹，已紧固' }, modes)).toEqual([
      'loose-contact',
    ]);
    // An unknown code falls back to keywords.
    expect(matchModes({ resolutionCode: 'OTHER', text: '风扇轴承异响，更换风扇' }, modes)).toEqual([
      'fan-failure',
    ]);
    // Most distinct keyword hits wins; ties count for each; nothing: no mode.
    expect(matchModes({ resolutionCode: null, text: '电容鼓包，纹波超标；风扇积尘' }, modes)).toEqual([
      'capacitor-ageing',
    ]);
    expect(matchModes({ resolutionCode: null, text: '电容 风扇' }, modes)).toEqual([
      'capacitor-ageing',
      'fan-failure',
    ]);
    expect(matchModes({ resolutionCode: null, text: '客户误报，设备正常' }, modes)).toEqual([]);
  });

  it('compares with the same model when there are enough, else with the kind', () => {
    const idx = new HistoryIndex();
    for (let i = 0; i < MIN_SAME_MODEL; i++) idx.add(entry(i, A, 'CAP-REPLACE', ''));
    idx.add(entry(100, B, 'FAN-REPLACE', ''));
    idx.add(entry(101, B, null, '端子氧化松动'));
    idx.add(entry(200, null, 'FAN-REPLACE', '', 'wind-turbine'));

    const a = idx.rates('pv-inverter', A, modes);
    expect(a['capacitor-ageing']).toMatchObject({ similarResolved: 5, matching: 5, scope: 'model' });
    expect(a['fan-failure']!.matching).toBe(0);
    expect(a['capacitor-ageing']!.examples[0]).toBe('WF-2026-00004');

    const b = idx.rates('pv-inverter', B, modes);
    expect(b['fan-failure']).toMatchObject({ similarResolved: 7, matching: 1, scope: 'kind' });
    expect(b['loose-contact']).toMatchObject({ matching: 1, examples: ['WF-2026-00101'] });
    expect(b['capacitor-ageing']!.matching).toBe(5);

    // A blank model is unknown, and other kinds never count.
    expect(idx.rates('pv-inverter', '', modes)['capacitor-ageing']!.scope).toBe('kind');
    expect(idx.rates('battery-line', A, modes)['capacitor-ageing']).toMatchObject({
      similarResolved: 0,
      matching: 0,
    });
  });

  it('keeps one entry per ticket number and forgets reopened tickets', () => {
    const idx = new HistoryIndex();
    idx.add(entry(1, A, 'CAP-REPLACE', ''));
    idx.add(entry(1, A, 'FAN-REPLACE', ''));
    expect(idx.size).toBe(1);
    expect(idx.rates('pv-inverter', A, modes)['fan-failure']!.matching).toBe(1);
    expect(idx.remove('WF-2026-00001')).toBe(true);
    expect(idx.size).toBe(0);
  });

  it('caps examples at five', () => {
    const idx = new HistoryIndex();
    for (let i = 0; i < 9; i++) idx.add(entry(i, A, 'FAN-REPLACE', ''));
    expect(idx.rates('pv-inverter', A, modes)['fan-failure']!.examples).toHaveLength(5);
  });

  it('refuses entries without number or kind', () => {
    const idx = new HistoryIndex();
    expect(() => idx.add({ ...entry(1, A, null, ''), ticketNumber: '' })).toThrow(/ticket number/);
    expect(() => idx.add(entry(1, A, null, '', ''))).toThrow(/no device kind/);
  });
});
