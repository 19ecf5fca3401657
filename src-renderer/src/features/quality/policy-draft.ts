import type { Horizon, PredictivePolicy } from '@shared/contract';

/** The numeric fields of a policy, with the contract's bounds. */
export const NUMERIC_FIELDS = {
  openAt: { min: 0.01, max: 0.99, integer: false, step: 0.01 },
  persistCycles: { min: 1, max: 48, integer: true, step: 1 },
  slopePerCycle: { min: 0, max: 1, integer: false, step: 0.01 },
  slopeFloor: { min: 0, max: 1, integer: false, step: 0.01 },
  updateStep: { min: 0.01, max: 1, integer: false, step: 0.01 },
  clearBelow: { min: 0, max: 0.99, integer: false, step: 0.01 },
  clearCycles: { min: 1, max: 96, integer: true, step: 1 },
  windowHours: { min: 1, max: 24 * 30, integer: true, step: 1 },
  p1At: { min: 0, max: 1, integer: false, step: 0.01 },
  p2At: { min: 0, max: 1, integer: false, step: 0.01 },
} as const;

export type NumericField = keyof typeof NUMERIC_FIELDS;
export const NUMERIC_KEYS = Object.keys(NUMERIC_FIELDS) as NumericField[];

/** The form's state: numbers as typed (strings), so a half-typed value is not lost or coerced. */
export interface PolicyDraft {
  deviceKind: string;
  enabled: boolean;
  autoClear: boolean;
  horizon: Horizon;
  values: Record<NumericField, string>;
}

export type PolicyProblem =
  | { kind: 'number' }
  | { kind: 'integer' }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'clearAboveOpen' }
  | { kind: 'priorityOrder' };

export function draftOf(policy: PredictivePolicy): PolicyDraft {
  const values = {} as Record<NumericField, string>;
  for (const k of NUMERIC_KEYS) values[k] = String(policy[k]);
  return {
    deviceKind: policy.deviceKind,
    enabled: policy.enabled,
    autoClear: policy.autoClear,
    horizon: policy.horizon,
    values,
  };
}

/** Field → problem; empty when the draft is a valid policy. */
export function validateDraft(draft: PolicyDraft): Partial<Record<NumericField, PolicyProblem>> {
  const out: Partial<Record<NumericField, PolicyProblem>> = {};
  const num: Partial<Record<NumericField, number>> = {};
  for (const k of NUMERIC_KEYS) {
    const spec = NUMERIC_FIELDS[k];
    const text = draft.values[k].trim();
    const v = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(v)) out[k] = { kind: 'number' };
    else if (spec.integer && !Number.isInteger(v)) out[k] = { kind: 'integer' };
    else if (v < spec.min || v > spec.max) out[k] = { kind: 'range', min: spec.min, max: spec.max };
    else num[k] = v;
  }
  if (num.clearBelow !== undefined && num.openAt !== undefined && num.clearBelow >= num.openAt)
    out.clearBelow = { kind: 'clearAboveOpen' };
  if (num.p1At !== undefined && num.p2At !== undefined && num.p1At < num.p2At)
    out.p1At = { kind: 'priorityOrder' };
  return out;
}

/** The policy the draft describes (call after `validateDraft` found nothing). */
export function policyOf(draft: PolicyDraft): PredictivePolicy {
  const values = Object.fromEntries(NUMERIC_KEYS.map((k) => [k, Number(draft.values[k])])) as Record<
    NumericField,
    number
  >;
  return {
    deviceKind: draft.deviceKind,
    enabled: draft.enabled,
    horizon: draft.horizon,
    autoClear: draft.autoClear,
    ...values,
  };
}

/** Fields whose value differs from the saved policy. */
export function changedFields(saved: PredictivePolicy, draft: PolicyDraft): (keyof PredictivePolicy)[] {
  const out: (keyof PredictivePolicy)[] = [];
  if (saved.enabled !== draft.enabled) out.push('enabled');
  if (saved.autoClear !== draft.autoClear) out.push('autoClear');
  if (saved.horizon !== draft.horizon) out.push('horizon');
  for (const k of NUMERIC_KEYS) {
    const v = Number(draft.values[k]);
    if (draft.values[k].trim() === '' || !Number.isFinite(v) || v !== saved[k]) out.push(k);
  }
  return out;
}
