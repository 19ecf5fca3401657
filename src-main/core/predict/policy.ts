import type { FailureProbabilities, Horizon, Priority, PredictivePolicy } from '@shared/contract';
import { HORIZON_HOURS } from '@shared/contract';

/**
 * The predictive policy of one device, cycle by cycle: when a risk becomes a ticket (level held
 * for `persistCycles`, or a steep rise), when an open ticket is updated (the risk grew by
 * `updateStep`), and when it clears itself (below `clearBelow` for `clearCycles`). Pure: the
 * service owns the state and carries out the decision.
 */

export interface RiskState {
  /** Consecutive cycles at or above `openAt`. */
  atRisk: number;
  /** Consecutive cycles below `clearBelow`. */
  calm: number;
  /** The policy probability of the previous cycle (NaN: none). */
  last: number;
}

export const freshRisk = (): RiskState => ({ atRisk: 0, calm: 0, last: Number.NaN });

export type PolicyAction =
  { kind: 'none' } | { kind: 'open'; why: 'level' | 'slope' } | { kind: 'update' } | { kind: 'clear' };

export interface OpenTicketView {
  /** Policy probability at the ticket's last update. */
  lastReported: number;
  /** Work has started (an engineer is on it): no automatic clearing. */
  started: boolean;
}

export function decide(
  policy: PredictivePolicy,
  state: RiskState,
  probabilities: FailureProbabilities,
  open: OpenTicketView | null,
): { action: PolicyAction; state: RiskState } {
  const p = probabilities[policy.horizon];
  const next: RiskState = {
    atRisk: p >= policy.openAt ? state.atRisk + 1 : 0,
    calm: p < policy.clearBelow ? state.calm + 1 : 0,
    last: p,
  };
  if (!policy.enabled) return { action: { kind: 'none' }, state: next };
  if (!open) {
    if (next.atRisk >= policy.persistCycles) return { action: { kind: 'open', why: 'level' }, state: next };
    const rise = Number.isNaN(state.last) ? 0 : p - state.last;
    if (rise >= policy.slopePerCycle && p >= policy.slopeFloor)
      return { action: { kind: 'open', why: 'slope' }, state: next };
    return { action: { kind: 'none' }, state: next };
  }
  if (policy.autoClear && !open.started && next.calm >= policy.clearCycles)
    return { action: { kind: 'clear' }, state: next };
  if (p - open.lastReported >= policy.updateStep) return { action: { kind: 'update' }, state: next };
  return { action: { kind: 'none' }, state: next };
}

export function priorityOf(policy: PredictivePolicy, probabilities: FailureProbabilities): Priority {
  if (probabilities.h4 >= policy.p1At) return 'P1';
  if (probabilities.h8 >= policy.p2At) return 'P2';
  return 'P3';
}

/** The shortest horizon the model is fairly sure of; the policy's horizon otherwise. */
export function horizonOf(policy: PredictivePolicy, probabilities: FailureProbabilities): Horizon {
  for (const h of ['h4', 'h8', 'h24'] as const) if (probabilities[h] >= 0.5) return h;
  return policy.horizon;
}

/**
 * When the device is expected to fail: the regression's time to failure where the model gives one
 * below its cap, else the middle of the chosen horizon.
 */
export function predictedFailureAt(
  observedAt: number,
  ttfHours: number | null,
  capHours: number,
  horizon: Horizon,
): number {
  const hours =
    ttfHours !== null && Number.isFinite(ttfHours) && ttfHours < capHours
      ? Math.max(0, ttfHours)
      : HORIZON_HOURS[horizon] / 2;
  return observedAt + hours * 3_600_000;
}

/** One ticket per device, failure mode and time window, whoever asks and however often. */
export function idempotencyKey(sn: string, modeId: string, observedAt: number, windowHours: number): string {
  return `pred:${sn}:${modeId}:${Math.floor(observedAt / (windowHours * 3_600_000))}`;
}
