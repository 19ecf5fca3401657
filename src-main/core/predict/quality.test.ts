import { describe, expect, it } from 'vitest';
import { predictionRecord as pred, resetPredictionRecordIds } from '../../../tests/helpers/prediction-record';
import type { PredictionRecord } from '@shared/contract';
import { type FailureEvent, type QualityInput, qualityReport, quantile } from './quality';

const H = 3_600_000;
const ms = (iso: string): number => Date.parse(iso);

const fail = (sn: string, at: string, deviceKind = 'pv-inverter'): FailureEvent => ({
  sn,
  deviceKind,
  at: ms(at),
  source: 'ground-truth',
});

/*
 * The hand-checked case (asOf 2026-06-10T00:00Z, tolerance 48 h, window 72 h, min lead 4 h):
 *   P7 A  first 05-31T20:00 pred 06-01T04:00 open          A fails 06-01T08:00 (≤ 04:00+48h) → TP
 *   P1 A  first 06-01T00:00 pred 06-01T10:00 open          same failure covered              → TP
 *   P2 B  first 06-02T00:00 pred 06-02T06:00 closed, NFF   B never fails                     → FP (rule 4)
 *   P3 C  first 06-03T00:00 no pred time, risk-cleared      C fails 06-03T02:00 (in 72 h)     → TP, lead 2 h
 *   P4 D  first 06-04T00:00 closed, fault-confirmed         D: no failure recorded            → TP (rule 1)
 *   P6 F  first 06-05T00:00 pred 06-05T06:00 open           cover ends 06-07T06:00 < asOf     → FP (rule 6)
 *   P8 G  first 06-05T14:00 pred 06-05T20:00 open           G fails 06-06T00:00               → TP, lead 10 h
 *   P5 E  first 06-09T12:00 pred 06-10T00:00 open           cover ends 06-12 > asOf           → pending
 * Failures: A (earliest covering P7: lead 12 h), C (lead 2 h < 4 h: missed), G (lead 10 h),
 *   H (nobody predicted it: missed), W (a wind turbine, missed).
 */
interface HandInput extends QualityInput {
  records: PredictionRecord[];
  failures: FailureEvent[];
}

function handCase(): HandInput {
  resetPredictionRecordIds();
  const records = [
    pred('A', '2026-06-01T00:00:00.000Z', '2026-06-01T10:00:00.000Z'), // t1 = P1
    pred('B', '2026-06-02T00:00:00.000Z', '2026-06-02T06:00:00.000Z', {
      state: 'closed',
      outcome: 'no-fault-found',
    }),
    pred('C', '2026-06-03T00:00:00.000Z', null, { state: 'risk-cleared' }),
    pred('D', '2026-06-04T00:00:00.000Z', '2026-06-04T12:00:00.000Z', {
      state: 'closed',
      outcome: 'fault-confirmed',
    }),
    pred('E', '2026-06-09T12:00:00.000Z', '2026-06-10T00:00:00.000Z'),
    pred('F', '2026-06-05T00:00:00.000Z', '2026-06-05T06:00:00.000Z'),
    pred('A', '2026-05-31T20:00:00.000Z', '2026-06-01T04:00:00.000Z'), // t7 = P7
    pred('G', '2026-06-05T14:00:00.000Z', '2026-06-05T20:00:00.000Z'),
  ];
  return {
    records,
    failures: [
      fail('A', '2026-06-01T08:00:00.000Z'),
      fail('C', '2026-06-03T02:00:00.000Z'),
      fail('G', '2026-06-06T00:00:00.000Z'),
      fail('H', '2026-06-07T00:00:00.000Z'),
      fail('W', '2026-06-08T00:00:00.000Z', 'wind-turbine'),
    ],
    ticketsTotal: 20,
    preventiveTickets: 8,
    ticketsByKind: {
      'pv-inverter': { total: 12, preventive: 8 },
      'wind-turbine': { total: 8, preventive: 0 },
    },
  };
}

const AS_OF = '2026-06-10T00:00:00.000Z';

describe('qualityReport on a hand-checked case', () => {
  const report = qualityReport(handCase(), {}, AS_OF);

  it('counts true/false positives and pending by the documented rules', () => {
    const o = report.overall;
    // TP: P7, P1, P3, P4, P8 = 5; FP: P2, P6 = 2; pending: P5 = 1.
    expect(o.predictions).toBe(8);
    expect(o.truePositives).toBe(5);
    expect(o.falsePositives).toBe(2);
    expect(o.pending).toBe(1);
    expect(o.precision).toBeCloseTo(5 / 7, 12);
    // The false discovery rate: 1 − precision.
    expect(o.falseAlarmRate).toBeCloseTo(2 / 7, 12);
  });

  it('computes recall with the 4 h minimum lead and lead times from the earliest prediction', () => {
    const o = report.overall;
    // 5 failures; predicted ≥ 4 h ahead: A (12 h, P7 not P1) and G (10 h). C had only 2 h.
    expect(o.failures).toBe(5);
    expect(o.predictedFailures).toBe(2);
    expect(o.recall).toBeCloseTo(0.4, 12);
    // Leads [10, 12]: median 11; p10 = 10 + 0.1 × (12 − 10) = 10.2.
    expect(report.leadHours).toEqual([10, 12]);
    expect(o.medianLeadHours).toBeCloseTo(11, 12);
    expect(o.p10LeadHours).toBeCloseTo(10.2, 12);
    // 8 of 20 tickets were preventive.
    expect(o.preventiveShare).toBeCloseTo(0.4, 12);
  });

  it('splits by device kind and model', () => {
    const pv = report.byKind.find((k) => k.deviceKind === 'pv-inverter')!.figures;
    // Four PV failures (A, C, G, H), two predicted; 8 of 12 PV tickets preventive.
    expect(pv.failures).toBe(4);
    expect(pv.recall).toBeCloseTo(0.5, 12);
    expect(pv.preventiveShare).toBeCloseTo(8 / 12, 12);
    const wind = report.byKind.find((k) => k.deviceKind === 'wind-turbine')!.figures;
    expect(wind).toMatchObject({ predictions: 0, failures: 1, predictedFailures: 0, recall: 0 });
    expect(wind.precision).toBeNull();
    expect(wind.preventiveShare).toBe(0);
    // The only model scores PV inverters: its failures are the four PV ones.
    expect(report.byModel).toHaveLength(1);
    expect(report.byModel[0]!.modelVersion).toBe('pv-inverter-lstm@1.0.0');
    expect(report.byModel[0]!.figures).toMatchObject({ predictions: 8, truePositives: 5, failures: 4 });
    expect(report.byModel[0]!.figures.recall).toBeCloseTo(0.5, 12);
  });

  it('groups days in Asia/Shanghai (UTC+8)', () => {
    // P7 at 05-31T20:00Z is 06-01 04:00 in Shanghai, so 06-01 holds P7 and P1 and failure A.
    expect(report.daily).toEqual([
      { day: '2026-06-01', predictions: 2, truePositives: 2, falsePositives: 0, failures: 1, missed: 0 },
      { day: '2026-06-02', predictions: 1, truePositives: 0, falsePositives: 1, failures: 0, missed: 0 },
      { day: '2026-06-03', predictions: 1, truePositives: 1, falsePositives: 0, failures: 1, missed: 1 },
      { day: '2026-06-04', predictions: 1, truePositives: 1, falsePositives: 0, failures: 0, missed: 0 },
      // P6 (00:00Z → 08:00) and P8 (14:00Z → 22:00) are both on 06-05 locally.
      { day: '2026-06-05', predictions: 2, truePositives: 1, falsePositives: 1, failures: 0, missed: 0 },
      { day: '2026-06-06', predictions: 0, truePositives: 0, falsePositives: 0, failures: 1, missed: 0 },
      { day: '2026-06-07', predictions: 0, truePositives: 0, falsePositives: 0, failures: 1, missed: 1 },
      { day: '2026-06-08', predictions: 0, truePositives: 0, falsePositives: 0, failures: 1, missed: 1 },
      { day: '2026-06-09', predictions: 1, truePositives: 0, falsePositives: 0, failures: 0, missed: 0 },
    ]);
  });

  it('lists every prediction and every missed failure for drill-down', () => {
    expect(report.items).toHaveLength(8 + 3);
    const p1 = report.items.find((i) => i.ticketNumber === 'PM-1')!;
    expect(p1).toMatchObject({
      verdict: 'true-positive',
      leadHours: 8,
      failureAt: '2026-06-01T08:00:00.000Z',
    });
    const p4 = report.items.find((i) => i.ticketNumber === 'PM-4')!;
    expect(p4).toMatchObject({ verdict: 'true-positive', failureAt: null, leadHours: null });
    const missed = report.items.filter((i) => i.verdict === 'missed').map((i) => i.sn);
    expect(missed).toEqual(['C', 'H', 'W']);
  });
});

describe('qualityReport filters and options', () => {
  it('filters by kind, by model version and by telemetry time', () => {
    const wind = qualityReport(handCase(), { deviceKind: 'wind-turbine' }, AS_OF).overall;
    expect(wind).toMatchObject({ predictions: 0, failures: 1, preventiveShare: 0 });

    const input = handCase();
    input.records.push(
      pred('H', '2026-06-06T12:00:00.000Z', '2026-06-06T20:00:00.000Z', { modelVersion: '2.0.0' }),
    );
    const v2 = qualityReport(input, { modelVersion: '2.0.0' }, AS_OF).overall;
    // Only the v2 prediction: it covers H (12 h ahead).
    expect(v2).toMatchObject({ predictions: 1, truePositives: 1, predictedFailures: 1 });
    const both = qualityReport(input, {}, AS_OF);
    expect(both.byModel.map((m) => m.modelVersion)).toEqual([
      'pv-inverter-lstm@1.0.0',
      'pv-inverter-lstm@2.0.0',
    ]);
    expect(both.overall.recall).toBeCloseTo(3 / 5, 12);

    // From 06-05: predictions P6, P8, P5; failures G, H, W.
    const late = qualityReport(handCase(), { from: '2026-06-05T00:00:00.000Z' }, AS_OF).overall;
    expect(late).toMatchObject({
      predictions: 3,
      truePositives: 1,
      falsePositives: 1,
      pending: 1,
      failures: 3,
    });
  });

  it('honours minLeadHours', () => {
    // With 1 h minimum lead, C (2 h) counts too: 3 of 5, leads [2, 10, 12].
    const r = qualityReport(handCase(), { minLeadHours: 1 }, AS_OF);
    expect(r.overall.recall).toBeCloseTo(0.6, 12);
    expect(r.leadHours).toEqual([2, 10, 12]);
    expect(r.overall.medianLeadHours).toBe(10);
  });

  it('keeps warm-up failures out of recall but lets them decide verdicts', () => {
    const r = qualityReport({ ...handCase(), recallFrom: ms('2026-06-02T00:00:00.000Z') }, {}, AS_OF);
    // A is before recallFrom: P7 and P1 stay true positives, A leaves the recall denominator.
    expect(r.overall.truePositives).toBe(5);
    expect(r.overall.failures).toBe(4);
    expect(r.overall.predictedFailures).toBe(1);
    expect(r.daily.find((d) => d.day === '2026-06-01')!.failures).toBe(0);
  });

  it('uses the evaluation oracle when given', () => {
    resetPredictionRecordIds();
    const t0 = ms('2026-06-01T00:00:00.000Z');
    const iso = (t: number): string => new Date(t).toISOString();
    const input: QualityInput = {
      records: [
        // X degrades and fails 100 h later, beyond pred + 48 h: right device, late failure → TP (rule 3).
        pred('X', iso(t0), iso(t0 + 6 * H)),
        // Y is healthy; its cover period is still running at asOf: FP only through the oracle.
        pred('Y', iso(t0 + 90 * H), iso(t0 + 100 * H)),
        // Z degrades but its failure is after the run: pending.
        pred('Z', iso(t0 + 90 * H), iso(t0 + 100 * H)),
      ],
      failures: [{ sn: 'X', deviceKind: 'pv-inverter', at: t0 + 100 * H, source: 'ground-truth' }],
      ticketsTotal: 3,
      preventiveTickets: 3,
      degrading: (sn) => sn !== 'Y',
    };
    const asOf = iso(t0 + 110 * H);
    const r = qualityReport(input, {}, asOf);
    expect(r.overall).toMatchObject({ truePositives: 1, falsePositives: 1, pending: 1 });
    // X's prediction was right but its window did not cover the failure: not a predicted failure.
    expect(r.overall.recall).toBe(0);
    expect(r.items.find((i) => i.sn === 'X')!.leadHours).toBe(100);
    // Without the oracle, Y and Z are both pending, and X's window (ended at 54 h) makes it an FP.
    const plain = qualityReport({ ...input, degrading: undefined }, {}, asOf);
    expect(plain.overall).toMatchObject({ truePositives: 0, falsePositives: 1, pending: 2 });
  });

  it('counts a failure the service matched even when the caller did not list it', () => {
    resetPredictionRecordIds();
    const r = qualityReport(
      {
        records: [
          pred('K', '2026-06-01T00:00:00.000Z', '2026-06-01T08:00:00.000Z', {
            failure: { at: '2026-06-01T06:00:00.000Z', source: 'fault-ticket' },
          }),
        ],
        failures: [],
        ticketsTotal: 0,
        preventiveTickets: 0,
      },
      {},
      AS_OF,
    );
    expect(r.overall).toMatchObject({
      truePositives: 1,
      failures: 1,
      predictedFailures: 1,
      preventiveShare: null,
    });
    expect(r.overall.medianLeadHours).toBe(6);
  });

  it('merges a ground-truth failure and the fault ticket of the same outage', () => {
    const input = handCase();
    // A fault ticket for A's outage, 20 minutes after the ground truth's time; and a second,
    // separate failure of H three days later.
    input.failures.push({ ...fail('A', '2026-06-01T08:20:00.000Z'), source: 'fault-ticket' });
    input.failures.push(fail('H', '2026-06-09T00:00:00.000Z'));
    const r = qualityReport(input, {}, AS_OF);
    expect(r.overall.failures).toBe(6);
    expect(r.leadHours).toEqual([10, 12]);
  });

  it('gives empty figures for no data', () => {
    const r = qualityReport({ records: [], failures: [], ticketsTotal: 0, preventiveTickets: 0 }, {}, AS_OF);
    expect(r.overall).toMatchObject({ predictions: 0, precision: null, recall: null, medianLeadHours: null });
    expect(r.daily).toEqual([]);
    expect(r.items).toEqual([]);
  });
});

describe('qualityReport refuses bad input', () => {
  it('names the bad time', () => {
    expect(() => qualityReport(handCase(), {}, 'yesterday')).toThrow(/asOf is not an ISO time/);
    const input = handCase();
    input.records[0] = { ...input.records[0]!, firstObservedAt: 'soon' };
    expect(() => qualityReport(input, {}, AS_OF)).toThrow(/firstObservedAt of PM-1/);
    const nan = handCase();
    nan.failures.push({ sn: 'Q', deviceKind: 'pv-inverter', at: Number.NaN, source: 'ground-truth' });
    expect(() => qualityReport(nan, {}, AS_OF)).toThrow(/failure of Q has no valid time/);
  });

  it('validates the filter', () => {
    expect(() => qualityReport(handCase(), { minLeadHours: -1 }, AS_OF)).toThrow();
    expect(() => qualityReport(handCase(), { from: 'June' }, AS_OF)).toThrow();
    expect(() => qualityReport(handCase(), { extra: 1 } as never, AS_OF)).toThrow();
  });
});

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.1)).toBe(7);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    // (5 − 1) × 0.1 = 0.4 → 1 + 0.4 × (2 − 1).
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
  });
});
