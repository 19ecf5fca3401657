import { z } from 'zod';
import { ActorRef, Id, IsoTime, LocalizedText } from './common';
import { Ticket } from './tickets';

/**
 * The 12345 hotline: classification suggestions, routing to the grid and the responsible
 * department, intake of citizen requests (triage view, Open311, demo call stream), double
 * dispatch with accept/release, reassignments with reasons, and first-dispatch accuracy.
 * Coordinates are WGS84 unless `crs` says GCJ-02 (converted at the edge).
 */

export const Crs = z.enum(['wgs84', 'gcj02']);

export const CallText = z.string().trim().min(1).max(5000);

export const ClassifySuggestion = z.object({
  /** `<level1>/<level2>/<level3>` (Chinese names of the taxonomy). */
  category: z.string(),
  leafId: z.string(),
  confidence: z.number().min(0).max(1),
  topWords: z.array(z.object({ word: z.string(), weight: z.number() })),
  alternatives: z.array(z.object({ category: z.string(), leafId: z.string(), confidence: z.number() })),
  /** Below the double-dispatch threshold: the agent should confirm, or it goes to two owners. */
  lowConfidence: z.boolean(),
});
export type ClassifySuggestion = z.infer<typeof ClassifySuggestion>;

export const PlaceInput = z.union([
  z.strictObject({ lng: z.number(), lat: z.number(), crs: Crs.default('wgs84') }),
  z.strictObject({ address: z.string().trim().min(1).max(300) }),
]);
export type PlaceInput = z.input<typeof PlaceInput>;

export const GridCellInfo = z.object({
  id: z.string(),
  district: z.string(),
  street: z.string(),
  manager: z.string().nullable(),
});

export const DepartmentProposal = z.object({
  departmentId: Id,
  name: LocalizedText,
  /** Which matrix row decided: `default:<category>` or `exception:<row id>`. */
  rule: z.string(),
});
export type DepartmentProposal = z.infer<typeof DepartmentProposal>;

export const RouteAnswer = z.object({
  ok: z.boolean(),
  location: z
    .object({ lng: z.number(), lat: z.number(), source: z.enum(['coordinates', 'address']) })
    .nullable(),
  cell: GridCellInfo.nullable(),
  district: z.string().nullable(),
  street: z.string().nullable(),
  /** An ambiguous address: the places it could mean (the agent picks one, or clicks the map). */
  candidates: z.array(
    z.object({
      name: z.string(),
      level: z.string(),
      lng: z.number(),
      lat: z.number(),
      district: z.string().nullable(),
    }),
  ),
  /** Why nothing was located (code for the UI's text, message in English). */
  reason: z.object({ code: z.string(), message: z.string() }).nullable(),
  departments: z.array(DepartmentProposal),
});
export type RouteAnswer = z.infer<typeof RouteAnswer>;

/** One row of the responsibility matrix: a category prefix at a place → department(s). */
export const MatrixRow = z.object({
  id: Id,
  /** A category path or prefix (`环境保护/环境污染` covers every leaf under it). */
  category: z.string().min(1).max(200),
  /** Null: everywhere (a default). Otherwise the most specific of district, street, cell wins. */
  district: z.string().max(40).nullable(),
  street: z.string().max(40).nullable(),
  cellId: z.string().max(64).nullable(),
  /** One department, or two for a joint responsibility (double dispatch). */
  departmentIds: z.array(Id).min(1).max(2),
  note: z.string().max(200).default(''),
});
export type MatrixRow = z.infer<typeof MatrixRow>;

export const ResponsibilityMatrix = z.object({
  version: z.number().int().positive(),
  rows: z.array(MatrixRow).max(5000),
  /** Below this classifier confidence a request goes to two departments (the top two categories'). */
  doubleDispatchBelow: z.number().min(0).max(1),
  changes: z.array(
    z.object({
      version: z.number().int(),
      at: IsoTime,
      actor: ActorRef,
      note: z.string(),
      rows: z.number().int(),
    }),
  ),
});
export type ResponsibilityMatrix = z.infer<typeof ResponsibilityMatrix>;

export const Caller = z.object({
  name: z.string().trim().max(50).nullable().default(null),
  /** Stored as given; every answer carries only the masked form (138****5678). */
  phone: z.string().trim().max(30).nullable().default(null),
});

const Channel = z.enum(['phone', 'web', 'app', 'wechat', 'open311']);

/** A call waiting for an agent (from telephony/ASR, or the demo's call stream). */
export const IncomingCall = z.object({
  id: Id,
  receivedAt: IsoTime,
  channel: Channel,
  callerName: z.string().nullable(),
  /** Masked: 138****5678. */
  callerPhone: z.string().nullable(),
  /** What the caller said (ASR text) or wrote. */
  text: z.string(),
  /** Coordinates the caller's system sent (WGS84), when any. */
  place: z.object({ lng: z.number(), lat: z.number() }).nullable(),
  address: z.string().nullable(),
});
export type IncomingCall = z.infer<typeof IncomingCall>;

/** A call the telephony/ASR system (or a web form) hands to the queue. */
export const EnqueueCallParams = z.strictObject({
  text: CallText,
  channel: Channel.default('phone'),
  caller: Caller.default({ name: null, phone: null }),
  /** WGS84 coordinates from the caller's system, when it sent any. */
  place: z
    .strictObject({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) })
    .nullable()
    .default(null),
  address: z.string().trim().min(1).max(300).nullable().default(null),
});
export type EnqueueCallParams = z.input<typeof EnqueueCallParams>;

export const SubmitCallParams = z.strictObject({
  /** The queued call this request answers (removed from the queue once the ticket exists). */
  incomingId: Id.optional(),
  text: CallText,
  caller: Caller.default({ name: null, phone: null }),
  place: PlaceInput.nullable().default(null),
  channel: Channel.default('phone'),
  /** The agent's choices; absent: the suggestion is taken. Each override is recorded. */
  category: z.string().max(200).optional(),
  departmentIds: z.array(Id).min(1).max(2).optional(),
  /** Link to an earlier request this one duplicates (same key = one problem). */
  duplicateOf: Id.optional(),
  /** External id (Open311 service_request_id, telephony call id); repeats return the first ticket. */
  externalId: z.string().max(100).optional(),
});
export type SubmitCallParams = z.input<typeof SubmitCallParams>;

export const DispatchState = z.object({
  ticketId: Id,
  /** The departments the request went to; two while a double dispatch is open. */
  departments: z.array(z.object({ departmentId: Id, state: z.enum(['pending', 'accepted', 'released']) })),
  owner: Id.nullable(),
  reassignments: z.array(
    z.object({
      at: IsoTime,
      actor: ActorRef,
      from: Id.nullable(),
      to: Id,
      reason: z.string(),
      /** The category the request really belongs to, when the reassigning agent corrected it. */
      category: z.string().optional(),
    }),
  ),
  /** Suggestion vs what the agent chose, kept for accuracy and training. */
  suggested: z.object({ category: z.string(), confidence: z.number(), departmentIds: z.array(Id) }),
  chosen: z.object({ category: z.string(), departmentIds: z.array(Id) }),
  overridden: z.boolean(),
});
export type DispatchState = z.infer<typeof DispatchState>;

export const SubmitCallResult = z.object({ ticket: Ticket, dispatch: DispatchState });

export const AccuracyFigures = z.object({
  tickets: z.number().int(),
  /** Never reassigned to another department. */
  firstTimeRight: z.number().int(),
  accuracy: z.number().nullable(),
  doubleDispatched: z.number().int(),
});

export const HotlineKpi = z.object({
  asOf: IsoTime,
  overall: AccuracyFigures,
  byDay: z.array(z.object({ day: z.string() }).extend(AccuracyFigures.shape)),
  byCategory: z.array(z.object({ category: z.string() }).extend(AccuracyFigures.shape)),
  byDepartment: z.array(z.object({ departmentId: Id }).extend(AccuracyFigures.shape)),
  byCell: z.array(z.object({ cellId: z.string() }).extend(AccuracyFigures.shape)),
  /** Misroutes seen often enough to propose a matrix row (category at a place → department). */
  matrixSuggestions: z.array(
    z.object({
      category: z.string(),
      district: z.string().nullable(),
      departmentId: Id,
      misroutes: z.number().int(),
    }),
  ),
});
export type HotlineKpi = z.infer<typeof HotlineKpi>;

/** Held-out (cross-validated) figures of a classifier trained from the organisation's closed tickets. */
export const ClassifierReport = z.object({
  accuracy: z.number().min(0).max(1),
  macroF1: z.number().min(0).max(1),
  perClass: z.array(
    z.object({ category: z.string(), f1: z.number().min(0).max(1), support: z.number().int().nonnegative() }),
  ),
  folds: z.number().int().min(2),
  /**
   * The double-dispatch threshold this model's held-out answers suggest: the lowest level-1 confidence
   * at which the requests kept are at least 90 % right (null: no threshold reaches it), and the share
   * of requests that would go to one department. Absent in reports from before it was computed.
   */
  suggestedThreshold: z
    .object({
      threshold: z.number().min(0).max(1).nullable(),
      retainedShare: z.number().min(0).max(1),
      retainedAccuracy: z.number().min(0).max(1).nullable(),
    })
    .optional(),
});
export type ClassifierReport = z.infer<typeof ClassifierReport>;

/** The classifier the hotline uses: the shipped seed model, or one trained from closed tickets. */
export const HotlineClassifierInfo = z.object({
  kind: z.enum(['seed', 'trained']),
  trainedAt: IsoTime.nullable(),
  trainedBy: ActorRef.nullable(),
  /** Training rows (tickets and misroute rows; the seed model: its seed texts). */
  examples: z.number().int().nonnegative(),
  /** Category paths the model decides between. */
  classes: z.array(z.string()),
  report: ClassifierReport.nullable(),
});
export type HotlineClassifierInfo = z.infer<typeof HotlineClassifierInfo>;

export const TrainClassifierParams = z.strictObject({
  folds: z.number().int().min(2).max(10).default(5),
  /** Fewest examples every category must have. */
  minPerClass: z.number().int().min(2).max(1000).default(5),
  /** Most examples per category (the newest are kept), so a long history trains in seconds. */
  maxPerClass: z.number().int().min(10).max(20000).default(400),
});
export type TrainClassifierParams = z.input<typeof TrainClassifierParams>;

/**
 * How far the running `hotline/trainClassifier` is. `rows`: reading the closed tickets; `seed`: building
 * the seed refiner; `fold`: cross-validation fit `fold` of `folds` with its held-out predictions;
 * `final`: the fit on all rows; `calibration`: the temperature fit; `saving`: journaling the model;
 * `done` / `failed`: the training ended (the caller got the result or the error).
 */
export const ClassifierTrainingProgress = z.object({
  phase: z.enum(['rows', 'seed', 'fold', 'final', 'calibration', 'saving', 'done', 'failed']),
  /** 1-based fold in phase `fold` (0 otherwise), of `folds`. */
  fold: z.number().int().nonnegative(),
  folds: z.number().int().nonnegative(),
  /** Inside a fit: `features` (texts vectorised) or `steps` (optimiser steps); null: the phase's own units. */
  stage: z.enum(['features', 'steps']).nullable(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Share of the whole training done, 0..1; never decreases within one training. */
  fraction: z.number().min(0).max(1),
  /** When this training started: tells one training's events from the next one's. */
  startedAt: IsoTime,
});
export type ClassifierTrainingProgress = z.infer<typeof ClassifierTrainingProgress>;

export const hotlineMethods = {
  /** Calls waiting for an agent, oldest first. */
  'hotline/queue': { params: z.strictObject({}), result: z.array(IncomingCall) },
  /** Telephony/ASR hands a call to the queue; a full queue answers UNAVAILABLE. */
  'hotline/enqueue': { params: EnqueueCallParams, result: IncomingCall },
  /** Takes a call off the queue without a ticket (hung up, wrong number, test call), with a reason. */
  'hotline/dismissCall': {
    params: z.strictObject({ incomingId: Id, reason: z.string().trim().min(1).max(200) }),
    result: z.object({ waiting: z.number().int().min(0) }),
  },
  'hotline/classify': { params: z.strictObject({ text: CallText }), result: ClassifySuggestion },
  'hotline/route': {
    params: z.strictObject({ place: PlaceInput, category: z.string().max(200).optional() }),
    result: RouteAnswer,
  },
  'hotline/duplicates': {
    params: z.strictObject({
      category: z.string().max(200),
      lng: z.number(),
      lat: z.number(),
      radiusM: z.number().positive().max(5000).default(300),
      withinHours: z.number().positive().max(720).default(72),
    }),
    result: z.array(
      z.object({
        ticketId: Id,
        number: z.string(),
        title: z.string(),
        distanceM: z.number(),
        createdAt: IsoTime,
      }),
    ),
  },
  'hotline/submit': { params: SubmitCallParams, result: SubmitCallResult },
  'hotline/dispatch': { params: z.strictObject({ ticketId: Id }), result: DispatchState.nullable() },
  /** A department takes a double-dispatched request; the other is released. */
  'hotline/accept': { params: z.strictObject({ ticketId: Id, departmentId: Id }), result: DispatchState },
  'hotline/reassign': {
    params: z.strictObject({
      ticketId: Id,
      departmentId: Id,
      reason: z.string().trim().min(1).max(500),
      /** The right category (taxonomy path or id), when the first one was wrong: the ticket takes it. */
      category: z.string().trim().min(1).max(200).optional(),
    }),
    result: DispatchState,
  },
  'hotline/matrix': { params: z.strictObject({}), result: ResponsibilityMatrix },
  'hotline/setMatrix': {
    params: z.strictObject({
      rows: z.array(MatrixRow).max(5000),
      doubleDispatchBelow: z.number().min(0).max(1),
      version: z.number().int().positive(),
      note: z.string().trim().min(1).max(500),
    }),
    result: ResponsibilityMatrix,
  },
  'hotline/kpi': {
    params: z.strictObject({ from: IsoTime.optional(), to: IsoTime.optional() }),
    result: HotlineKpi,
  },
  /** Which classifier `hotline/classify` and submit use. */
  'hotline/classifierInfo': { params: z.strictObject({}), result: HotlineClassifierInfo },
  /**
   * Trains a classifier from the closed citizen requests (and misroute rows), reports its
   * cross-validated accuracy and puts it in use. Too few examples: INVALID_ARGUMENT.
   */
  'hotline/trainClassifier': { params: TrainClassifierParams, result: HotlineClassifierInfo },
  /** The trained model as JSON (for the console's classify worker); null while the seed model is used. */
  'hotline/classifierModel': {
    params: z.strictObject({}),
    result: z.object({ kind: z.enum(['seed', 'trained']), model: z.unknown().nullable() }),
  },
} as const;

export const hotlineEvents = {
  /** A citizen request was dispatched, accepted or reassigned. */
  'hotline/changed': z.object({ ticketId: Id }),
  /** The queue of waiting calls changed (a call arrived or was taken). */
  'hotline/queueChanged': z.object({ waiting: z.number().int() }),
  /** The hotline's classifier was replaced (a model was trained). */
  'hotline/classifierChanged': z.object({ kind: z.enum(['seed', 'trained']), trainedAt: IsoTime.nullable() }),
  /** A classifier training is under way (at most 4 a second), or ended (`done` / `failed`). */
  'hotline/classifierProgress': ClassifierTrainingProgress,
} as const;
