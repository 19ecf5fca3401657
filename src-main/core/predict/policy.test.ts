import type { PredictivePolicy } from '@shared/contract';
import { describe, expect, it } from 'vitest';
import {
  decide,
  freshRisk,
  horizonOf,
  idempotencyKey,
  predictedFailureAt,
  priorityOf,
  type RiskState,
} from './policy';

const POLICY: PredictivePolicy = {
  deviceKind: 'pv-inverter',
  enabled: true,
  horizon: 'h24',
  openAt: 0.6,
  persistCycles: 2,
  slopePerCycle: 0.15,
  slopeFloor: 0.35,
  updateStep: 0.15,
  clearBelow: 0.25,
  clearCycles: 3,
  autoClear: true,
  windowHours: 72,
  p1At: 0.6,
  p2At: 0.5,
};
const p = (h24: number, h8 = 0, h4 = 0) => ({ h4, h8, h24 });

function run(series: number[], open: { lastReported: number; started: boolean } | null = null) {
  let state: RiskState = freshRisk();
  return series.map((x) => {
    const r = decide(POLICY, state, p(x), open);
    state = r.state;
    return r.action.kind;
  });
}

describe('predictive policy', () => {
  it('opens once the level has held for persistCycles', () => {
    expect(run([0.55, 0.65, 0.5, 0.62, 0.7])).toEqual(['none', 'none', 'none', 'none', 'open']);
  });

  it('opens at once on a steep rise above the slope floor, not below it', () => {
    expect(run([0.2, 0.4])).toEqual(['none', 'open']);
    expect(run([0.05, 0.3])).toEqual(['none', 'none']);
  });

  it('updates an open ticket only when the risk grew by updateStep since its last report', () => {
    expect(run([0.7, 0.8, 0.86], { lastReported: 0.7, started: false })).toEqual(['none', 'none', 'update']);
  });

  it('clears after clearCycles calm cycles unless work has started or auto-clear is off', () => {
    expect(run([0.2, 0.1, 0.2], { lastReported: 0.7, started: false })).toEqual(['none', 'none', 'clear']);
    expect(run([0.2, 0.1, 0.2], { lastReported: 0.7, started: true })).toEqual(['none', 'none', 'none']);
    let state = freshRisk();
    for (let i = 0; i < 5; i++) {
      const r = decide({ ...POLICY, autoClear: false }, state, p(0.1), { lastReported: 0.7, started: false });
      expect(r.action.kind).toBe('none');
      state = r.state;
    }
  });

  it('does nothing when disabled but keeps counting', () => {
    const r = decide({ ...POLICY, enabled: false }, { atRisk: 5, calm: 0, last: 0.9 }, p(0.9), null);
    expect(r).toEqual({ action: { kind: 'none' }, state: { atRisk: 6, calm: 0, last: 0.9 } });
  });

  it('derives priority, horizon and failure time from the probabilities', () => {
    expect(priorityOf(POLICY, p(0.9, 0.7, 0.65))).toBe('P1');
    expect(priorityOf(POLICY, p(0.9, 0.55, 0.2))).toBe('P2');
    expect(priorityOf(POLICY, p(0.9, 0.2, 0.1))).toBe('P3');
    expect(horizonOf(POLICY, p(0.9, 0.6, 0.1))).toBe('h8');
    expect(horizonOf(POLICY, p(0.4))).toBe('h24');
    const t = Date.UTC(2026, 10, 25);
    expect(predictedFailureAt(t, 10, 72, 'h24')).toBe(t + 10 * 3_600_000);
    // At the regression's cap the model says "later than that": the horizon's middle is used.
    expect(predictedFailureAt(t, 72, 72, 'h8')).toBe(t + 4 * 3_600_000);
  });

  it('keys a risk by device, failure mode and time window', () => {
    const t = Date.UTC(2026, 10, 25, 1);
    expect(idempotencyKey('INV-1', 'fan-failure', t, 72)).toBe(
      idempotencyKey('INV-1', 'fan-failure', t + 3_600_000, 72),
    );
    expect(idempotencyKey('INV-1', 'fan-failure', t, 72)).not.toBe(
      idempotencyKey('INV-1', 'loose-contact', t, 72),
    );
  });
});
