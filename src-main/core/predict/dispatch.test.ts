import { describe, expect, it } from 'vitest';
import { DispatchDecision, type Engineer, type PredictConfig, type Sop } from '@shared/contract';
import { DEFAULT_PREDICT_CONFIG, defaultConfig } from '@shared/domain';
import { DISTRICTS } from '../demo/geo';
import {
  applyOverride,
  chooseDispatch,
  DispatchInputError,
  screenEngineers,
  type DispatchInput,
} from './dispatch';

const TZ = 'Asia/Shanghai';
/** Monday 2026-01-05 10:00 in Hangzhou. */
const NOW = Date.parse('2026-01-05T10:00:00+08:00');
const HOUR = 3_600_000;

const sop: Sop = {
  id: 'sop-cap',
  title: { 'zh-CN': '电容更换', en: 'Capacitor replacement' },
  steps: [],
  durationMinutes: 150,
  skills: ['pv-electrical', 'hv-safety'],
};

const day = { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' };
const night = { days: [1, 2, 3, 4, 5], start: '20:00', end: '08:00' };
const eng = (userId: string, over: Partial<Engineer>): Engineer => ({
  userId,
  skills: ['pv-electrical', 'hv-safety'],
  homeLng: 120.2,
  homeLat: 30.27,
  depotId: 'd-east',
  shift: day,
  hourlyCostYuan: 120,
  maxOpenTickets: 3,
  regions: ['上城区'],
  ...over,
});

/** Device in 上城区 near (120.20, 30.27). */
const ENGINEERS: Engineer[] = [
  // Near, on shift, expensive.
  eng('u-near', { homeLng: 120.21, homeLat: 30.28, hourlyCostYuan: 200 }),
  // Near but works nights: off shift at 10:00.
  eng('u-night', { homeLng: 120.19, homeLat: 30.26, shift: night }),
  // Near, on shift, but without high-voltage safety.
  eng('u-noskill', { homeLng: 120.2, homeLat: 30.275, skills: ['pv-electrical'] }),
  // On shift and cheap per hour, but 20 km away.
  eng('u-far', { homeLng: 120.0, homeLat: 30.35, depotId: 'd-west', hourlyCostYuan: 60, regions: [] }),
  // Serves only 淳安县.
  eng('u-chunan', { homeLng: 119.04, homeLat: 29.61, regions: ['淳安县'], depotId: null }),
];

const CONFIG: PredictConfig = {
  ...DEFAULT_PREDICT_CONFIG,
  engineers: ENGINEERS,
  depots: [
    {
      id: 'd-east',
      name: { 'zh-CN': '东库', en: 'East' },
      lng: 120.22,
      lat: 30.28,
      stock: { 'CAP-DCL-1100': 1 },
    },
    {
      id: 'd-south',
      name: { 'zh-CN': '南库', en: 'South' },
      lng: 120.26,
      lat: 30.18,
      stock: { 'CAP-DCL-1100': 2 },
    },
    {
      id: 'd-west',
      name: { 'zh-CN': '西库', en: 'West' },
      lng: 120.0,
      lat: 30.34,
      stock: { 'CAP-DCL-1100': 1 },
    },
  ],
};

const USERS = ENGINEERS.map((e) => ({ id: e.userId, name: e.userId.slice(2) }));

function input(over: Partial<DispatchInput> = {}): DispatchInput {
  return {
    config: CONFIG,
    users: USERS,
    sop,
    parts: [{ sku: 'CAP-DCL-1100', qty: 1 }],
    reservations: {},
    device: { lng: 120.2, lat: 30.27, region: '上城区', customerTier: 'key' },
    dueAtMs: NOW + 6 * HOUR,
    nowMs: NOW,
    timezone: TZ,
    openLoad: {},
    priority: 'P2',
    ...over,
  };
}

describe('dispatch strategy on a fixed scenario', () => {
  it('picks the near on-shift engineer, then the far one, then the one off shift', () => {
    const d = chooseDispatch(input());
    expect(() => DispatchDecision.parse(d)).not.toThrow();
    expect(d.chosen?.userId).toBe('u-near');
    expect(d.alternatives.map((c) => c.userId)).toEqual(['u-far', 'u-night']);
    expect(d.noCandidate).toBeNull();
    expect(d.chosen!.reasons).toEqual(
      expect.arrayContaining(['skills-ok', 'in-geofence', 'on-shift', 'part-at-home-depot', 'fastest']),
    );
    const far = d.alternatives[0]!;
    expect(far.reasons).toEqual(
      expect.arrayContaining(['serves-anywhere', 'part-at-home-depot', 'cheapest']),
    );
    const nightOwl = d.alternatives[1]!;
    expect(nightOwl.onShift).toBe(false);
    expect(nightOwl.reasons).toEqual(expect.arrayContaining(['off-shift-wait', 'sla-at-risk']));
    // Waits until 20:00 (10 h), so it lands after the work was due.
    expect(nightOwl.arrivalMinutes).toBeGreaterThan(600);
    expect(nightOwl.slaRisk).toBeGreaterThan(0.99);
    // Scores descend and carry their components.
    const scores = [d.chosen!, ...d.alternatives].map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(d.chosen!.components.arrival).toBe(1);
    expect(d.parts).toEqual([
      expect.objectContaining({ sku: 'CAP-DCL-1100', qty: 1, depotId: 'd-east', reserved: true }),
    ]);
    expect(d.weights).toEqual(CONFIG.dispatch.weights);
    expect(d.decidedAt).toBe(new Date(NOW).toISOString());
  });

  it('excludes engineers lacking a skill, outside the geofence, or at their ticket limit', () => {
    const { excluded } = screenEngineers(input({ openLoad: { 'u-near': 3 } }));
    expect(Object.fromEntries(excluded.map((x) => [x.userId, x.reasons]))).toEqual({
      'u-near': ['at-capacity'],
      'u-noskill': ['missing-skill'],
      'u-chunan': ['outside-geofence'],
    });
    const d = chooseDispatch(input({ openLoad: { 'u-near': 3 } }));
    expect(d.chosen?.userId).toBe('u-far');
    expect([d.chosen, ...d.alternatives].map((c) => c!.userId)).not.toContain('u-near');
    // One below the limit still counts, with its load shown.
    const loaded = chooseDispatch(input({ openLoad: { 'u-near': 2 } }));
    expect(loaded.chosen).toMatchObject({ userId: 'u-near', load: 2 });
  });

  it('lets cost-heavy weights choose the cheaper engineer', () => {
    const costly = {
      ...CONFIG,
      dispatch: {
        ...CONFIG.dispatch,
        weights: { arrival: 0.05, cost: 0.9, slaRisk: 0.05, customerPriority: 0 },
      },
    };
    const d = chooseDispatch(input({ config: costly }));
    expect(d.chosen?.userId).toBe('u-far');
    expect(d.chosen!.costYuan).toBeLessThan(d.alternatives.find((c) => c.userId === 'u-near')!.costYuan);
  });

  it('fetches a part short at the nearest depot from another one, and says so', () => {
    // East's only capacitor bank is reserved by another ticket: u-near would detour via South…
    const d = chooseDispatch(input({ reservations: { 'd-east': { 'CAP-DCL-1100': 1 } } }));
    const near = [d.chosen!, ...d.alternatives].find((c) => c.userId === 'u-near')!;
    expect(near.reasons).toContain('part-elsewhere');
    const direct = chooseDispatch(input()).chosen!;
    expect(near.distanceKm).toBeGreaterThan(direct.distanceKm + 5);
    // …so the engineer whose own depot holds one is now the faster choice.
    expect(d.chosen?.userId).toBe('u-far');
    expect(d.chosen!.reasons).toContain('part-at-home-depot');
    expect(d.parts[0]).toMatchObject({ depotId: 'd-west', reserved: true });

    // With West's taken as well, the chosen engineer's part comes from South.
    const both = chooseDispatch(
      input({ reservations: { 'd-east': { 'CAP-DCL-1100': 1 }, 'd-west': { 'CAP-DCL-1100': 1 } } }),
    );
    expect(both.chosen!.reasons).toContain('part-elsewhere');
    expect(both.parts[0]).toMatchObject({ depotId: 'd-south', reserved: true, depotName: { en: 'South' } });
  });

  it('reports a part short everywhere without reserving it', () => {
    const none = {
      'd-east': { 'CAP-DCL-1100': 1 },
      'd-south': { 'CAP-DCL-1100': 2 },
      'd-west': { 'CAP-DCL-1100': 1 },
    };
    const d = chooseDispatch(input({ reservations: none }));
    expect(d.parts[0]).toMatchObject({ depotId: null, depotName: null, reserved: false });
    expect(d.chosen!.reasons).toContain('part-short');
    // Quantities add up per SKU: two lines of one bank need two.
    const two = chooseDispatch(
      input({
        parts: [
          { sku: 'CAP-DCL-1100', qty: 1 },
          { sku: 'CAP-DCL-1100', qty: 1 },
        ],
      }),
    );
    expect(two.parts).toHaveLength(1);
    expect(two.parts[0]).toMatchObject({ qty: 2, depotId: 'd-south' });
  });

  it('says why when nobody qualifies', () => {
    const chunan = input({ device: { lng: 119.05, lat: 29.6, region: '淳安县', customerTier: null } });
    const noSkill = {
      ...CONFIG,
      engineers: CONFIG.engineers.map((e) =>
        e.userId === 'u-chunan' ? { ...e, skills: ['pv-electrical'] } : e,
      ),
    };
    // u-far serves anywhere; make it local too, so nobody with the skills serves 淳安县.
    noSkill.engineers = noSkill.engineers.map((e) =>
      e.userId === 'u-far' ? { ...e, regions: ['上城区'] } : e,
    );
    const d = chooseDispatch({ ...chunan, config: noSkill });
    expect(d.chosen).toBeNull();
    expect(d.alternatives).toEqual([]);
    expect(d.noCandidate).toBe('no engineer with skills pv-electrical, hv-safety serves 淳安县');
    // Parts are still planned, from the depot nearest the device.
    expect(d.parts[0]!.reserved).toBe(true);

    const busy = chooseDispatch(
      input({ openLoad: { 'u-near': 3, 'u-far': 3 }, nowMs: Date.parse('2026-01-10T10:00:00+08:00') }),
    );
    expect(busy.chosen).toBeNull();
    expect(busy.noCandidate).toMatch(
      /^every engineer with skills pv-electrical, hv-safety serving 上城区 is at the open-ticket limit or off shift/,
    );
    expect(busy.noCandidate).toContain('u-night: next shift in 58 h');

    const nowhere = chooseDispatch(
      input({ device: { lng: null, lat: null, region: '上城区', customerTier: null } }),
    );
    expect(nowhere.noCandidate).toMatch(/no location/);
    expect(chooseDispatch(input({ users: [] })).noCandidate).toBe(
      'none of the configured engineers is a user of the directory',
    );
    expect(chooseDispatch(input({ config: { ...CONFIG, engineers: [] } })).noCandidate).toBe(
      'no engineers are configured for dispatch',
    );
  });

  it('treats a blank region as unknown rather than outside every geofence', () => {
    const d = chooseDispatch(input({ device: { lng: 120.2, lat: 30.27, region: '', customerTier: null } }));
    expect(d.chosen?.userId).toBe('u-near');
  });

  it('weighs customer priority by the chance of being on time', () => {
    const strategic = chooseDispatch(
      input({
        device: { lng: 120.2, lat: 30.27, region: '上城区', customerTier: 'strategic' },
        priority: 'P4',
      }),
    );
    const standard = chooseDispatch(
      input({
        device: { lng: 120.2, lat: 30.27, region: '上城区', customerTier: 'nobody-knows' },
        priority: 'P4',
      }),
    );
    const urgent = chooseDispatch(
      input({
        device: { lng: 120.2, lat: 30.27, region: '上城区', customerTier: 'nobody-knows' },
        priority: 'P1',
      }),
    );
    expect(strategic.chosen!.components.customerPriority).toBeCloseTo(1 - strategic.chosen!.slaRisk, 3);
    // Unknown tier: the configuration's default (0.4).
    expect(standard.chosen!.components.customerPriority).toBeCloseTo(0.4 * (1 - standard.chosen!.slaRisk), 3);
    expect(urgent.chosen!.components.customerPriority).toBeCloseTo(1 - urgent.chosen!.slaRisk, 3);
    // Without a due time nothing is at SLA risk.
    expect(chooseDispatch(input({ dueAtMs: null })).alternatives.every((c) => c.slaRisk === 0)).toBe(true);
  });

  it('refuses bad input clearly', () => {
    expect(() => chooseDispatch(input({ parts: [{ sku: 'NOPE', qty: 1 }] }))).toThrow(
      /NOPE is not in the parts catalogue/,
    );
    expect(() => chooseDispatch(input({ parts: [{ sku: 'CAP-DCL-1100', qty: 0 }] }))).toThrow(
      DispatchInputError,
    );
    const zero = {
      ...CONFIG,
      dispatch: { ...CONFIG.dispatch, weights: { arrival: 0, cost: 0, slaRisk: 0, customerPriority: 0 } },
    };
    expect(() => chooseDispatch(input({ config: zero }))).toThrow(/all zero/);
    expect(() => chooseDispatch(input({ nowMs: NaN }))).toThrow(/now must be a time/);
    expect(() => chooseDispatch(input({ timezone: 'Nowhere/Land' }))).toThrow(/unknown time zone/);
  });

  it('records an operator override beside the strategy choice', () => {
    const d = chooseDispatch(input());
    const o = applyOverride(
      d,
      { id: 'u-far', name: '远' },
      { id: 'u-zhangwei', name: '张伟' },
      ' 客户指定 ',
      NOW + 60_000,
    );
    expect(o.chosen?.userId).toBe('u-near');
    expect(o.override).toEqual({
      userId: 'u-far',
      name: '远',
      by: { id: 'u-zhangwei', name: '张伟' },
      at: new Date(NOW + 60_000).toISOString(),
      reason: '客户指定',
    });
    expect(() => DispatchDecision.parse(o)).not.toThrow();
    expect(() =>
      applyOverride(d, { id: 'u-far', name: '远' }, { id: 'u-zhangwei', name: '张伟' }, '  ', NOW),
    ).toThrow(/needs a reason/);
    expect(() =>
      applyOverride(d, { id: 'u-far', name: '远' }, { id: 'u-zhangwei', name: '张伟' }, 'x', 'yesterday'),
    ).toThrow(/not a time/);
  });
});

describe('the default configuration', () => {
  const users = defaultConfig('2026-01-01T00:00:00.000Z').directory.users;
  const pv = DEFAULT_PREDICT_CONFIG.knowledge.find((k) => k.deviceKind === 'pv-inverter')!;

  it('finds an engineer for every pv-inverter mode in every demo district, weekday and weekend', () => {
    for (const at of [
      '2026-01-06T10:00:00+08:00',
      '2026-01-06T23:00:00+08:00',
      '2026-01-10T10:00:00+08:00',
    ]) {
      for (const district of DISTRICTS)
        for (const mode of pv.modes) {
          const modeSop = DEFAULT_PREDICT_CONFIG.sops.find((s) => s.id === mode.sopId)!;
          const d = chooseDispatch({
            config: DEFAULT_PREDICT_CONFIG,
            users,
            sop: modeSop,
            parts: mode.parts,
            reservations: {},
            device: { lng: district.lng, lat: district.lat, region: district.name, customerTier: null },
            dueAtMs: Date.parse(at) + 8 * HOUR,
            nowMs: Date.parse(at),
            timezone: TZ,
            openLoad: {},
            priority: 'P2',
          });
          expect(d.chosen, `${mode.id} in ${district.name} at ${at}: ${d.noCandidate}`).not.toBeNull();
        }
    }
  });

  it('sources capacitor banks for the west from outside the empty Yuhang depot', () => {
    const cap = pv.modes.find((m) => m.id === 'capacitor-ageing')!;
    const d = chooseDispatch({
      config: DEFAULT_PREDICT_CONFIG,
      users,
      sop: DEFAULT_PREDICT_CONFIG.sops.find((s) => s.id === cap.sopId)!,
      parts: cap.parts,
      reservations: {},
      device: { lng: 120.0, lat: 30.34, region: '余杭区', customerTier: null },
      dueAtMs: NOW + 8 * HOUR,
      nowMs: NOW,
      timezone: TZ,
      openLoad: {},
      priority: 'P2',
    });
    expect(d.chosen?.userId).toBe('u-chenjing');
    expect(d.chosen!.reasons).toContain('part-elsewhere');
    expect(d.parts[0]!.depotId).not.toBe('depot-yuhang');
  });
});
