import { describe, expect, it } from 'vitest';
import type { PredictConfig } from '@shared/contract';
import {
  applyDraft,
  changedFields,
  changedSections,
  dayRuns,
  draftOf,
  exportText,
  issuesOf,
  parseImport,
  rebaseDraft,
  splitIssues,
  validateDraft,
} from './config-draft';

const config = (): PredictConfig => ({
  knowledge: [
    {
      deviceKind: 'pv-inverter',
      modes: [
        {
          id: 'fan-failure',
          name: { 'zh-CN': '风扇故障', en: 'Fan failure' },
          causes: [{ id: 'bearing', name: { 'zh-CN': '轴承磨损', en: 'Worn bearing' }, prior: 0.6 }],
          symptoms: [{ feature: 'tempGradient.mean', pattern: 'rising', threshold: 0.3, weight: 0.8 }],
          sopId: 'sop-fan',
          parts: [{ sku: 'FAN-1', qty: 1 }],
          resolutionCodes: ['FAN'],
          keywords: ['风扇'],
        },
      ],
    },
  ],
  sops: [
    {
      id: 'sop-fan',
      title: { 'zh-CN': '更换风扇', en: 'Replace the fan' },
      steps: [],
      durationMinutes: 60,
      skills: ['pv-mechanical'],
    },
  ],
  parts: [{ sku: 'FAN-1', name: { 'zh-CN': '风扇', en: 'Fan' }, unitCostYuan: 650 }],
  depots: [{ id: 'd1', name: { 'zh-CN': '东仓', en: 'East' }, lng: 120.2, lat: 30.3, stock: { 'FAN-1': 4 } }],
  engineers: [],
  dispatch: {
    weights: { arrival: 0.4, cost: 0.2, slaRisk: 0.3, customerPriority: 0.1 },
    travel: { speedKmh: 40, detourFactor: 1.3, costPerKmYuan: 2.5 },
    customerTiers: { default: 0.5 },
  },
  weather: { url: 'https://wx.example.com/f?lat={lat}&lng={lng}', pollMinutes: 60 },
});

describe('predictive configuration draft', () => {
  it('round-trips a configuration and reports nothing changed', () => {
    const c = config();
    const draft = draftOf(c);
    expect(draft.values.arrival).toBe('0.4');
    expect(draft.weatherUrl).toBe(c.weather.url);
    expect(validateDraft(draft)).toEqual({});
    expect(changedFields(c, draft)).toEqual([]);
    expect(applyDraft(c, draft)).toEqual(c);
  });

  it('applies edits to a copy, leaving everything else and the base untouched', () => {
    const c = config();
    const draft = draftOf(c);
    draft.values.slaRisk = '0.55';
    draft.values.speedKmh = ' 35 ';
    draft.weatherUrl = '   ';
    expect(changedFields(c, draft)).toEqual(['slaRisk', 'speedKmh', 'weatherUrl']);
    const next = applyDraft(c, draft);
    expect(next.dispatch.weights.slaRisk).toBe(0.55);
    expect(next.dispatch.travel.speedKmh).toBe(35);
    expect(next.weather).toEqual({ url: null, pollMinutes: 60 });
    expect(next.knowledge).toEqual(c.knowledge);
    expect(next.knowledge).not.toBe(c.knowledge);
    expect(c.dispatch.weights.slaRisk).toBe(0.3);
    expect(changedSections(c, next)).toEqual(['dispatch', 'weather']);
  });

  it('refuses weights outside 0–1, all-zero weights, bad numbers and travel out of bounds', () => {
    const draft = draftOf(config());
    draft.values.arrival = '1.2';
    draft.values.cost = '';
    draft.values.slaRisk = 'abc';
    draft.values.speedKmh = '0';
    draft.values.detourFactor = '0.9';
    draft.values.costPerKmYuan = '-1';
    expect(validateDraft(draft)).toEqual({
      arrival: { kind: 'range', min: 0, max: 1 },
      cost: { kind: 'number' },
      slaRisk: { kind: 'number' },
      speedKmh: { kind: 'above', min: 0, max: 200 },
      detourFactor: { kind: 'range', min: 1, max: 3 },
      costPerKmYuan: { kind: 'min', min: 0 },
    });
    const zero = draftOf(config());
    for (const k of ['arrival', 'cost', 'slaRisk', 'customerPriority'] as const) zero.values[k] = '0';
    expect(validateDraft(zero)).toEqual({ weights: { kind: 'weightsZero' } });
    // One weight still unreadable: that field's problem, not "all zero".
    zero.values.cost = 'x';
    expect(validateDraft(zero)).toEqual({ cost: { kind: 'number' } });
  });

  it('checks the weather URL as the server does; empty means no weather', () => {
    const draft = draftOf(config());
    draft.weatherUrl = 'https://wx.example.com/f?lat={lat}';
    expect(validateDraft(draft).weatherUrl).toEqual({ kind: 'urlPlaceholders' });
    draft.weatherUrl = 'ftp://wx/{lat}/{lng}';
    expect(validateDraft(draft).weatherUrl).toEqual({ kind: 'urlScheme' });
    draft.weatherUrl = `https://x/{lat}/{lng}/${'a'.repeat(500)}`;
    expect(validateDraft(draft).weatherUrl).toEqual({ kind: 'urlLength' });
    draft.weatherUrl = '';
    expect(validateDraft(draft)).toEqual({});
  });

  it('rebases a draft onto a newer configuration, keeping only the edits', () => {
    const old = config();
    const draft = draftOf(old);
    draft.values.cost = '0.35';
    const newer = config();
    newer.dispatch.travel.speedKmh = 55;
    newer.dispatch.weights.cost = 0.25;
    newer.weather.url = null;
    const rebased = rebaseDraft(old, newer, draft);
    expect(rebased.values.cost).toBe('0.35');
    expect(rebased.values.speedKmh).toBe('55');
    expect(rebased.weatherUrl).toBe('');
    expect(changedFields(newer, rebased)).toEqual(['cost']);
  });

  it('puts server issues beside their fields and lists the rest', () => {
    const { byField, rest } = splitIssues([
      { path: 'config.dispatch.weights.cost', message: 'Too big: expected number to be <=1' },
      { path: 'config.dispatch.weights', message: 'at least one weight must be above 0' },
      { path: 'config.weather.url', message: 'must contain {lat} and {lng}' },
      { path: 'config.knowledge.0.modes.0.sopId', message: 'no SOP sop-x' },
      { path: 'note', message: 'Too small' },
    ]);
    expect(byField).toEqual({
      cost: ['Too big: expected number to be <=1'],
      weights: ['at least one weight must be above 0'],
      weatherUrl: ['must contain {lat} and {lng}'],
    });
    expect(rest.map((i) => i.path)).toEqual(['config.knowledge.0.modes.0.sopId', 'note']);
  });

  it('reads the issues of an error, ignoring malformed details', () => {
    expect(issuesOf({ issues: [{ path: 'config.x', message: 'bad' }, null, { message: 3 }] })).toEqual([
      { path: 'config.x', message: 'bad' },
      { path: '', message: '3' },
    ]);
    expect(issuesOf(undefined)).toEqual([]);
    expect(issuesOf({ current: 4 })).toEqual([]);
  });
});

describe('predictive configuration import', () => {
  it('accepts an exported file and a saved predict/config answer', () => {
    const c = config();
    const file = exportText({ version: 7, config: c, changes: [] });
    expect(file.name).toBe('predict-config-v7.json');
    expect(parseImport(file.text)).toEqual({ ok: true, config: c });
    expect(parseImport(JSON.stringify({ version: 7, config: c, changes: [] }))).toEqual({
      ok: true,
      config: c,
    });
  });

  it('refuses a file that is not JSON, with the reason', () => {
    const r = parseImport('{ not json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toBe('(file)');
    expect(r.issues[0]!.message).toMatch(/^not JSON/);
  });

  it('refuses a document of the wrong shape with the paths of its problems', () => {
    const c = config() as unknown as { dispatch: { weights: Record<string, unknown> }; sops?: unknown };
    c.dispatch.weights.cost = 'high';
    delete c.sops;
    const r = parseImport(JSON.stringify(c));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(['config.dispatch.weights.cost', 'config.sops']);
    expect(parseImport('[]').ok).toBe(false);
    expect(parseImport('null').ok).toBe(false);
  });

  it('applies the checks that need no references: zero weights, a URL without placeholders', () => {
    const c = config();
    c.dispatch.weights = { arrival: 0, cost: 0, slaRisk: 0, customerPriority: 0 };
    c.weather.url = 'https://wx.example.com/forecast';
    const r = parseImport(JSON.stringify(c));
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: 'config.dispatch.weights', message: 'at least one weight must be above 0' },
        { path: 'config.weather.url', message: 'must contain {lat} and {lng}' },
      ],
    });
  });

  it('leaves cross-references to the server (a missing SOP parses)', () => {
    const c = config();
    c.knowledge[0]!.modes[0]!.sopId = 'sop-missing';
    const r = parseImport(JSON.stringify(c));
    expect(r.ok).toBe(true);
    if (r.ok) expect(changedSections(config(), r.config)).toEqual(['knowledge']);
  });
});

describe('shift days', () => {
  it('groups ISO weekdays into runs', () => {
    expect(dayRuns([1, 2, 3, 4, 5])).toEqual([[1, 5]]);
    expect(dayRuns([7, 5, 6, 1])).toEqual([
      [1, 1],
      [5, 7],
    ]);
    expect(dayRuns([3, 3])).toEqual([[3, 3]]);
    expect(dayRuns([])).toEqual([]);
  });
});
