import { describe, expect, it } from 'vitest';
import { samplePolicy, sampleReport } from '../../stores/predict/fixtures';
import { changedFields, draftOf, policyOf, validateDraft } from './policy-draft';
import { countByVerdict, drillItems, filterOptions, leadHistogram } from './quality-model';

describe('quality model', () => {
  it('bins lead hours, ignoring negative or non-finite values', () => {
    const h = leadHistogram([0.5, 4, 5.9, 6, 30, -1, Number.NaN], 2, 4);
    expect(h.counts.length).toBe(16); // up to 30 h in 2 h bins
    expect(h.counts.slice(0, 4)).toEqual([1, 0, 2, 1]); // 4 and 5.9 share [4, 6)
    expect(h.counts[15]).toBe(1);
    expect(h.labels[0]).toBe('0–2');
    expect(leadHistogram([], 2, 12).counts).toEqual(new Array(12).fill(0));
  });

  it('counts verdicts and lists the items of one verdict newest first', () => {
    const items = sampleReport().items;
    expect(countByVerdict(items)).toEqual({ 'true-positive': 1, 'false-positive': 0, pending: 0, missed: 1 });
    expect(drillItems(items, null).map((i) => i.sn)).toEqual(['INV-0002', 'INV-0001']);
    expect(drillItems(items, 'missed').map((i) => i.sn)).toEqual(['INV-0002']);
  });

  it('offers the configured kinds, the reported ones, and keeps the current choice', () => {
    const o = filterOptions(sampleReport(), ['meter'], { deviceKind: 'gone', modelVersion: '0.9.0' });
    expect(o.kinds).toEqual(['gone', 'meter', 'pv-inverter']);
    expect(o.versions).toEqual(['0.9.0', '1.0.0']);
    expect(filterOptions(null, [], { deviceKind: '', modelVersion: '' })).toEqual({
      kinds: [],
      versions: [],
    });
  });
});

describe('policy draft', () => {
  it('round-trips a policy and finds nothing changed', () => {
    const p = samplePolicy();
    const d = draftOf(p);
    expect(validateDraft(d)).toEqual({});
    expect(policyOf(d)).toEqual(p);
    expect(changedFields(p, d)).toEqual([]);
  });

  it('refuses text, fractions of cycles, values out of range, and contradictory thresholds', () => {
    const d = draftOf(samplePolicy());
    d.values.openAt = 'abc';
    d.values.persistCycles = '2.5';
    d.values.windowHours = '0';
    d.values.p1At = '0.4';
    const problems = validateDraft(d);
    expect(problems.openAt).toEqual({ kind: 'number' });
    expect(problems.persistCycles).toEqual({ kind: 'integer' });
    expect(problems.windowHours).toEqual({ kind: 'range', min: 1, max: 720 });
    expect(problems.p1At).toEqual({ kind: 'priorityOrder' });
    const e = draftOf(samplePolicy());
    e.values.clearBelow = '0.7';
    expect(validateDraft(e).clearBelow).toEqual({ kind: 'clearAboveOpen' });
    e.values.clearBelow = '';
    expect(validateDraft(e).clearBelow).toEqual({ kind: 'number' });
  });

  it('lists the changed fields', () => {
    const p = samplePolicy();
    const d = draftOf(p);
    d.values.openAt = '0.70';
    d.autoClear = false;
    expect(changedFields(p, d)).toEqual(['autoClear', 'openAt']);
  });
});
