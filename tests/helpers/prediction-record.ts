import type { PredictionRecord } from '../../src-main/shared/contract';

let seq = 0;

/** Ticket ids start again at t1 (hand-checked cases name their predictions t1, t2, …). */
export function resetPredictionRecordIds(): void {
  seq = 0;
}

/**
 * An open capacitor-ageing prediction of PV inverter `sn`, first seen at `first` with failure predicted
 * at `predicted`; `extra` overrides any field.
 */
export function predictionRecord(
  sn: string,
  first: string,
  predicted: string | null,
  extra: Partial<PredictionRecord> = {},
): PredictionRecord {
  seq++;
  return {
    ticketId: `t${seq}`,
    ticketNumber: `PM-${seq}`,
    sn,
    deviceKind: 'pv-inverter',
    modeId: 'capacitor-ageing',
    idempotencyKey: `pred:${sn}:capacitor-ageing:${seq}`,
    modelId: 'pv-inverter-lstm',
    modelVersion: '1.0.0',
    firstObservedAt: first,
    observedAt: first,
    probabilities: { h4: 0.2, h8: 0.4, h24: 0.8 },
    ttfHours: null,
    predictedFailureAt: predicted,
    horizon: 'h24',
    drivers: [],
    hypotheses: [],
    dispatch: null,
    weather: null,
    updates: [],
    state: 'open',
    outcome: null,
    outcomeNote: null,
    failure: null,
    ...extra,
  };
}
