import { z } from 'zod';
import { ActorRef, Id, IsoTime, LocalizedText } from './common';
import { Priority } from './ticket-enums';
import { Ticket } from './tickets';
import { ModelFile } from './model-manifest';

/**
 * Predictive maintenance: health models scored on feature windows, the predictive policy that
 * opens preventive tickets, root-cause hypotheses, the dispatch strategy and the
 * predict–verify–feedback loop. Times named `observedAt`, `predictedFailureAt` and failure times
 * are telemetry time (the devices' own clock, which the simulator runs faster than real time);
 * `decidedAt`/`at` of people's actions are wall-clock UTC.
 */

export const Horizon = z.enum(['h4', 'h8', 'h24']);
export type Horizon = z.infer<typeof Horizon>;
export const HORIZON_HOURS: Record<Horizon, number> = { h4: 4, h8: 8, h24: 24 };

export const FailureProbabilities = z.object({ h4: z.number(), h8: z.number(), h24: z.number() });
export type FailureProbabilities = z.infer<typeof FailureProbabilities>;

export const ModelState = z.enum(['loading', 'ready', 'missing', 'invalid']);
export type ModelState = z.infer<typeof ModelState>;

export const ModelStatus = z.object({
  id: z.string(),
  version: z.string().nullable(),
  deviceKind: Id,
  state: ModelState,
  /** Why the model is missing or invalid, for people (English; the UI shows it as it is). */
  error: z.string().nullable(),
  /** `renderer`: a console's Web Worker scored the last cycle; `node`: the core did. */
  scoredBy: z.enum(['node', 'renderer']).nullable(),
  lastCycleAt: IsoTime.nullable(),
  lastCycleMs: z.number().nullable(),
  scored: z.number().int(),
  /** Devices with too little history, silent devices, and windows refused for NaN or gaps. */
  insufficient: z.number().int(),
  silent: z.number().int(),
  refused: z.number().int(),
});
export type ModelStatus = z.infer<typeof ModelStatus>;

export const PredictStatus = z.object({
  models: z.array(ModelStatus),
  /** Device kinds with devices but no usable model: their health comes from rules only. */
  rulesOnlyKinds: z.array(Id),
  cycles: z.number().int(),
  /** Telemetry time of the last closed step that was scored. */
  telemetryTime: IsoTime.nullable(),
  openPreventive: z.number().int(),
});
export type PredictStatus = z.infer<typeof PredictStatus>;

export const DeviceScore = z.object({
  observedAt: IsoTime,
  health: z.number().min(0).max(100),
  probabilities: FailureProbabilities,
  ttfHours: z.number().nullable(),
  /** Model's failure-mode distribution, keyed by mode id. */
  modes: z.record(z.string(), z.number()),
});
export type DeviceScore = z.infer<typeof DeviceScore>;

export const DevicePrediction = z.object({
  sn: z.string(),
  modelId: z.string().nullable(),
  modelVersion: z.string().nullable(),
  /** `rules-only`: no model for the kind; `insufficient`/`silent`: not scored in the last cycle. */
  state: z.enum(['scored', 'rules-only', 'insufficient', 'silent', 'unknown']),
  latest: DeviceScore.nullable(),
  /** Oldest first; one point per cycle, bounded. */
  history: z.array(
    z.object({ t: IsoTime, health: z.number(), h24: z.number(), ttfHours: z.number().nullable() }),
  ),
});
export type DevicePrediction = z.infer<typeof DevicePrediction>;

/** How a feature of the window moved: the evidence behind a prediction or a hypothesis. */
export const FeatureEvidence = z.object({
  feature: z.string(),
  label: LocalizedText,
  pattern: z.enum(['rising', 'falling', 'above', 'below', 'spikes', 'gaps']),
  /** Mean of the first and the last quarter of the window. */
  from: z.number(),
  to: z.number(),
  /** Deviation of the recent value from the fleet's normal, in standard deviations. */
  z: z.number(),
  unit: z.string(),
});
export type FeatureEvidence = z.infer<typeof FeatureEvidence>;

export const Hypothesis = z.object({
  modeId: Id,
  mode: LocalizedText,
  cause: LocalizedText,
  /** 0…1, hypotheses of one prediction sum to at most 1. */
  score: z.number().min(0).max(1),
  modelProbability: z.number().min(0).max(1).nullable(),
  symptoms: z.array(FeatureEvidence),
  /** From resolved tickets of similar devices. */
  history: z.object({
    similarResolved: z.number().int(),
    matching: z.number().int(),
    examples: z.array(z.string()).max(5),
  }),
  sopId: Id.nullable(),
  partSkus: z.array(z.string()),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

export const Sop = z.object({
  id: Id,
  title: LocalizedText,
  steps: z.array(LocalizedText).max(30),
  durationMinutes: z.number().int().positive(),
  skills: z.array(Id),
});
export type Sop = z.infer<typeof Sop>;

export const PartAllocation = z.object({
  sku: z.string(),
  name: LocalizedText,
  qty: z.number().int().positive(),
  depotId: Id.nullable(),
  depotName: LocalizedText.nullable(),
  /** False when no depot has it: the ticket shows the shortage. */
  reserved: z.boolean(),
});
export type PartAllocation = z.infer<typeof PartAllocation>;

export const DispatchCandidate = z.object({
  userId: Id,
  name: z.string(),
  /** Weighted total, higher is better, 0…1. */
  score: z.number(),
  components: z.object({
    arrival: z.number(),
    cost: z.number(),
    slaRisk: z.number(),
    customerPriority: z.number(),
  }),
  arrivalMinutes: z.number(),
  distanceKm: z.number(),
  costYuan: z.number(),
  /** Probability-like 0…1 that the work ends after the predicted failure or the SLA due time. */
  slaRisk: z.number(),
  onShift: z.boolean(),
  load: z.number().int(),
  depotId: Id.nullable(),
  /** Short machine-readable reasons (skills-ok, off-shift, part-at-depot, …), rendered by the UI. */
  reasons: z.array(z.string()),
});
export type DispatchCandidate = z.infer<typeof DispatchCandidate>;

export const DispatchWeights = z.object({
  arrival: z.number().min(0).max(1),
  cost: z.number().min(0).max(1),
  slaRisk: z.number().min(0).max(1),
  customerPriority: z.number().min(0).max(1),
});
export type DispatchWeights = z.infer<typeof DispatchWeights>;

export const DispatchDecision = z.object({
  decidedAt: IsoTime,
  sop: Sop.nullable(),
  parts: z.array(PartAllocation),
  weights: DispatchWeights,
  chosen: DispatchCandidate.nullable(),
  /** Next best, at most 3. */
  alternatives: z.array(DispatchCandidate),
  /** When nobody qualifies: why (no skill, nobody on shift within a day, …). */
  noCandidate: z.string().nullable(),
  override: z
    .object({ userId: Id, name: z.string(), by: ActorRef, at: IsoTime, reason: z.string() })
    .nullable(),
});
export type DispatchDecision = z.infer<typeof DispatchDecision>;

export const WeatherContext = z.object({
  source: z.string(),
  fetchedAt: IsoTime,
  /** Next hours at the device: max air temperature, mean cloud cover, summary. */
  maxTempC: z.number(),
  cloudCover: z.number(),
  summary: LocalizedText,
});
export type WeatherContext = z.infer<typeof WeatherContext>;

export const Outcome = z.enum(['fault-confirmed', 'no-fault-found', 'other']);
export type Outcome = z.infer<typeof Outcome>;

export const PredictionRecord = z.object({
  ticketId: Id,
  ticketNumber: z.string(),
  sn: z.string(),
  deviceKind: Id,
  modeId: Id,
  idempotencyKey: z.string(),
  modelId: z.string(),
  modelVersion: z.string(),
  /** Telemetry time of the window that first opened the ticket, and of the latest update. */
  firstObservedAt: IsoTime,
  observedAt: IsoTime,
  probabilities: FailureProbabilities,
  ttfHours: z.number().nullable(),
  predictedFailureAt: IsoTime.nullable(),
  horizon: Horizon,
  drivers: z.array(FeatureEvidence),
  hypotheses: z.array(Hypothesis),
  dispatch: DispatchDecision.nullable(),
  weather: WeatherContext.nullable(),
  /** Risk updates after opening (probability grew, predicted time moved). */
  updates: z.array(z.object({ observedAt: IsoTime, h24: z.number(), priority: Priority, note: z.string() })),
  state: z.enum(['open', 'risk-cleared', 'closed']),
  outcome: Outcome.nullable(),
  outcomeNote: z.string().nullable(),
  /** A real failure of the device matched to this prediction (telemetry time). */
  failure: z.object({ at: IsoTime, source: z.enum(['ground-truth', 'fault-ticket']) }).nullable(),
});
export type PredictionRecord = z.infer<typeof PredictionRecord>;

/** Rules of one device kind: when a risk becomes a ticket, grows, or clears. */
export const PredictivePolicy = z.object({
  deviceKind: Id,
  enabled: z.boolean(),
  /** Which probability opens tickets. */
  horizon: Horizon,
  /** Level: probability at or above which a cycle counts as at risk. */
  openAt: z.number().min(0.01).max(0.99),
  /** Persistence: consecutive at-risk cycles before a ticket opens. */
  persistCycles: z.number().int().min(1).max(48),
  /** Slope: a rise per cycle at least this large, above `slopeFloor`, opens without waiting. */
  slopePerCycle: z.number().min(0).max(1),
  slopeFloor: z.number().min(0).max(1),
  /** An open ticket is updated when the probability has grown by this much since the last update. */
  updateStep: z.number().min(0.01).max(1),
  /** Risk below this for `clearCycles` cycles clears a ticket nobody started work on. */
  clearBelow: z.number().min(0).max(0.99),
  clearCycles: z.number().int().min(1).max(96),
  autoClear: z.boolean(),
  /** Idempotency time window: one ticket per device, failure mode and window. */
  windowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** Priority by probability of the short horizons. */
  p1At: z.number().min(0).max(1),
  p2At: z.number().min(0).max(1),
});
export type PredictivePolicy = z.infer<typeof PredictivePolicy>;

export const PolicyChange = z.object({
  version: z.number().int().positive(),
  at: IsoTime,
  actor: ActorRef,
  deviceKind: Id,
  note: z.string(),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
});
export type PolicyChange = z.infer<typeof PolicyChange>;

export const PolicySet = z.object({
  version: z.number().int().positive(),
  policies: z.array(PredictivePolicy),
  /** Newest first, bounded. */
  changes: z.array(PolicyChange),
});
export type PolicySet = z.infer<typeof PolicySet>;

export const QualityFilter = z.strictObject({
  deviceKind: Id.optional(),
  modelVersion: z.string().max(64).optional(),
  /** Telemetry-time range. */
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  /** A failure counts as predicted when a preventive ticket opened at least this long before it. */
  minLeadHours: z.number().min(0).max(168).default(4),
});
export type QualityFilter = z.input<typeof QualityFilter>;

export const QualityFigures = z.object({
  predictions: z.number().int(),
  truePositives: z.number().int(),
  falsePositives: z.number().int(),
  pending: z.number().int(),
  failures: z.number().int(),
  predictedFailures: z.number().int(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  falseAlarmRate: z.number().nullable(),
  medianLeadHours: z.number().nullable(),
  p10LeadHours: z.number().nullable(),
  preventiveShare: z.number().nullable(),
});
export type QualityFigures = z.infer<typeof QualityFigures>;

export const QualityReport = z.object({
  asOf: IsoTime,
  overall: QualityFigures,
  byKind: z.array(z.object({ deviceKind: Id, figures: QualityFigures })),
  byModel: z.array(z.object({ modelVersion: z.string(), figures: QualityFigures })),
  /** Lead hours of every predicted failure (for the distribution chart). */
  leadHours: z.array(z.number()),
  /** Per telemetry day: predictions, true and false positives, failures, missed. */
  daily: z.array(
    z.object({
      day: z.string(),
      predictions: z.number().int(),
      truePositives: z.number().int(),
      falsePositives: z.number().int(),
      failures: z.number().int(),
      missed: z.number().int(),
    }),
  ),
  /** Drill-down: every prediction and failure behind the figures. */
  items: z.array(
    z.object({
      ticketId: Id.nullable(),
      ticketNumber: z.string().nullable(),
      sn: z.string(),
      deviceKind: Id,
      modelVersion: z.string().nullable(),
      verdict: z.enum(['true-positive', 'false-positive', 'pending', 'missed']),
      observedAt: IsoTime.nullable(),
      failureAt: IsoTime.nullable(),
      leadHours: z.number().nullable(),
    }),
  ),
});
export type QualityReport = z.infer<typeof QualityReport>;

/** A cycle's windows for a console's Web Worker to score (float32, little-endian, base64). */
export const ScoringJob = z.object({
  cycleId: z.number().int(),
  modelId: z.string(),
  modelVersion: z.string(),
  count: z.number().int().min(0),
  steps: z.number().int().positive(),
  width: z.number().int().positive(),
  /** Raw (unnormalised) windows `[count][steps][width]`; the worker normalises per the manifest. */
  windows: z.string(),
  /** Deadline (wall clock) after which the core scores the cycle itself. */
  deadline: IsoTime,
});
export type ScoringJob = z.infer<typeof ScoringJob>;

export const predictMethods = {
  'predict/status': { params: z.strictObject({}), result: PredictStatus },
  'predict/device': { params: z.strictObject({ sn: z.string().min(1).max(64) }), result: DevicePrediction },
  'predict/ticket': { params: z.strictObject({ ticketId: Id }), result: PredictionRecord.nullable() },
  'predict/overrideDispatch': {
    params: z.strictObject({ ticketId: Id, userId: Id, reason: z.string().trim().min(1).max(500) }),
    result: PredictionRecord,
  },
  /** Records the outcome and resolves (or closes) the preventive ticket in one step. */
  'predict/recordOutcome': {
    params: z.strictObject({
      ticketId: Id,
      version: z.number().int().positive(),
      outcome: Outcome,
      note: z.string().trim().min(1).max(4000),
    }),
    result: Ticket,
  },
  'predict/quality': { params: QualityFilter, result: QualityReport },
  'predict/policies': { params: z.strictObject({}), result: PolicySet },
  'predict/setPolicy': {
    params: z.strictObject({
      policy: PredictivePolicy,
      /** The version the change was made against (optimistic). */
      version: z.number().int().positive(),
      note: z.string().trim().min(1).max(500),
    }),
    result: PolicySet,
  },
  /** A console's scorer asks for the current cycle's windows; null when there is nothing to score. */
  'predict/scoringJob': {
    params: z.strictObject({ modelId: z.string().max(100).optional() }),
    result: ScoringJob.nullable(),
  },
  /** A model's manifest and ONNX bytes, for a console's Web Worker (the core has checked both). */
  'predict/model': {
    params: z.strictObject({ modelId: z.string().min(1).max(100) }),
    result: ModelFile,
  },
  'predict/submitScores': {
    params: z.strictObject({
      cycleId: z.number().int(),
      modelId: z.string().max(100),
      modelVersion: z.string().max(64),
      /** float32 base64, `[count][outputWidth]` per output name of the manifest. */
      outputs: z.record(z.string().max(64), z.string().max(64 * 1024 * 1024)),
    }),
    result: z.object({ accepted: z.boolean(), reason: z.string().nullable() }),
  },
} as const;

export const predictEvents = {
  /** After each cycle and each policy change. */
  'predict/changed': z.object({
    cycles: z.number().int(),
    telemetryTime: IsoTime.nullable(),
    openPreventive: z.number().int(),
    policyVersion: z.number().int(),
    /** The predictive configuration's version (knowledge graph, dispatch, weather). */
    configVersion: z.number().int(),
  }),
  /** A cycle's windows are ready; a console scorer may fetch them with `predict/scoringJob`. */
  'predict/cycle': z.object({ cycleId: z.number().int(), modelId: z.string(), count: z.number().int() }),
} as const;
