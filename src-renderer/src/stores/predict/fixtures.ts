import type {
  DispatchCandidate,
  PolicySet,
  PredictionRecord,
  PredictivePolicy,
  PredictStatus,
  QualityFigures,
  QualityReport,
} from '@shared/contract';

/** Contract-shaped sample data for the prediction store's and components' tests. */

export const candidate = (userId: string, name: string, score: number): DispatchCandidate => ({
  userId,
  name,
  score,
  components: { arrival: 0.8, cost: 0.6, slaRisk: 0.9, customerPriority: 0.5 },
  arrivalMinutes: 42,
  distanceKm: 18.5,
  costYuan: 260,
  slaRisk: 0.08,
  onShift: true,
  load: 2,
  depotId: 'depot-east',
  reasons: ['skills-ok', 'part-at-home-depot', 'something-new'],
});

export function sampleRecord(overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    ticketId: 'T1',
    ticketNumber: 'WF-2026-000001',
    sn: 'INV-0001',
    deviceKind: 'pv-inverter',
    modeId: 'capacitor-ageing',
    idempotencyKey: 'pred:INV-0001:capacitor-ageing:0',
    modelId: 'pv-inverter-lstm',
    modelVersion: '1.0.0',
    firstObservedAt: '2026-11-24T02:00:00.000Z',
    observedAt: '2026-11-24T03:00:00.000Z',
    probabilities: { h4: 0.12, h8: 0.41, h24: 0.86 },
    ttfHours: 9.5,
    predictedFailureAt: '2026-11-24T12:30:00.000Z',
    horizon: 'h24',
    drivers: [
      {
        feature: 'ripple.mean',
        label: { 'zh-CN': '纹波均值', en: 'Ripple mean' },
        pattern: 'rising',
        from: 1.2,
        to: 3.6,
        z: 3.1,
        unit: '%',
      },
    ],
    hypotheses: [
      {
        modeId: 'capacitor-ageing',
        mode: { 'zh-CN': '电容老化', en: 'Capacitor ageing' },
        cause: { 'zh-CN': '直流母线电容容量衰减', en: 'DC-link capacitor lost capacitance' },
        score: 0.72,
        modelProbability: 0.8,
        symptoms: [],
        history: { similarResolved: 14, matching: 9, examples: ['WF-2026-000777'] },
        sopId: 'sop-cap',
        partSkus: ['CAP-450V'],
      },
    ],
    dispatch: {
      decidedAt: '2026-11-24T03:00:05.000Z',
      sop: {
        id: 'sop-cap',
        title: { 'zh-CN': '更换直流母线电容', en: 'Replace DC-link capacitors' },
        steps: [
          { 'zh-CN': '断开直流侧', en: 'Isolate the DC side' },
          { 'zh-CN': '更换电容', en: 'Replace the capacitors' },
        ],
        durationMinutes: 90,
        skills: ['inverter'],
      },
      parts: [
        {
          sku: 'CAP-450V',
          name: { 'zh-CN': '母线电容', en: 'DC-link capacitor' },
          qty: 2,
          depotId: 'depot-east',
          depotName: { 'zh-CN': '东区仓', en: 'East depot' },
          reserved: true,
        },
      ],
      weights: { arrival: 0.4, cost: 0.2, slaRisk: 0.3, customerPriority: 0.1 },
      chosen: candidate('u-wangqiang', '王强', 0.78),
      alternatives: [candidate('u-liuyang', '刘洋', 0.64), candidate('u-chenjing', '陈静', 0.51)],
      noCandidate: null,
      override: null,
    },
    weather: null,
    updates: [],
    state: 'open',
    outcome: null,
    outcomeNote: null,
    failure: null,
    ...overrides,
  };
}

export const figures = (overrides: Partial<QualityFigures> = {}): QualityFigures => ({
  predictions: 10,
  truePositives: 7,
  falsePositives: 2,
  pending: 1,
  failures: 8,
  predictedFailures: 7,
  precision: 7 / 9,
  recall: 7 / 8,
  falseAlarmRate: 2 / 9,
  medianLeadHours: 6.5,
  p10LeadHours: 4.2,
  preventiveShare: 0.37,
  ...overrides,
});

export function sampleReport(overrides: Partial<QualityReport> = {}): QualityReport {
  return {
    asOf: '2026-11-24T06:00:00.000Z',
    overall: figures(),
    byKind: [{ deviceKind: 'pv-inverter', figures: figures() }],
    byModel: [{ modelVersion: '1.0.0', figures: figures() }],
    leadHours: [4.5, 6.5, 7, 12],
    daily: [
      { day: '2026-11-24', predictions: 10, truePositives: 7, falsePositives: 2, failures: 8, missed: 1 },
    ],
    items: [
      {
        ticketId: 'T1',
        ticketNumber: 'WF-2026-000001',
        sn: 'INV-0001',
        deviceKind: 'pv-inverter',
        modelVersion: '1.0.0',
        verdict: 'true-positive',
        observedAt: '2026-11-24T02:00:00.000Z',
        failureAt: '2026-11-24T09:00:00.000Z',
        leadHours: 7,
      },
      {
        ticketId: null,
        ticketNumber: null,
        sn: 'INV-0002',
        deviceKind: 'pv-inverter',
        modelVersion: null,
        verdict: 'missed',
        observedAt: null,
        failureAt: '2026-11-24T05:00:00.000Z',
        leadHours: null,
      },
    ],
    ...overrides,
  };
}

export const samplePolicy = (overrides: Partial<PredictivePolicy> = {}): PredictivePolicy => ({
  deviceKind: 'pv-inverter',
  enabled: true,
  horizon: 'h24',
  openAt: 0.6,
  persistCycles: 2,
  slopePerCycle: 0.15,
  slopeFloor: 0.3,
  updateStep: 0.1,
  clearBelow: 0.2,
  clearCycles: 6,
  autoClear: true,
  windowHours: 72,
  p1At: 0.8,
  p2At: 0.5,
  ...overrides,
});

export const samplePolicySet = (version = 1): PolicySet => ({
  version,
  policies: [samplePolicy()],
  changes: [],
});

export const sampleStatus = (overrides: Partial<PredictStatus> = {}): PredictStatus => ({
  models: [
    {
      id: 'pv-inverter-lstm',
      version: '1.0.0',
      deviceKind: 'pv-inverter',
      state: 'ready',
      error: null,
      scoredBy: 'node',
      lastCycleAt: '2026-11-24T06:00:00.000Z',
      lastCycleMs: 42,
      scored: 590,
      insufficient: 10,
      silent: 0,
      refused: 0,
    },
  ],
  rulesOnlyKinds: [],
  cycles: 12,
  telemetryTime: '2026-11-24T06:00:00.000Z',
  openPreventive: 3,
  ...overrides,
});
