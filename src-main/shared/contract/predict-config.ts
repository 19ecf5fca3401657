import { z } from 'zod';
import { ActorRef, Id, LocalizedText } from './common';
import { DispatchWeights, Sop } from './predict';

/**
 * The configuration behind predictive work, edited by business staff like the rest: the
 * failure-mode knowledge graph (device kind → failure modes → symptom patterns over features →
 * causes → SOPs and spare parts), the spare-part depots, the engineers the dispatch strategy may
 * choose, its weights, and the weather source.
 */

export const SymptomPattern = z.object({
  /** A feature of the model's window (`ripple.mean`, `coverage`, …). */
  feature: z.string().min(1).max(64),
  pattern: z.enum(['rising', 'falling', 'above', 'below', 'spikes', 'gaps']),
  /**
   * rising/falling: relative change from the first to the last quarter of the window (0.3 = +30 %);
   * above/below: z-score against the fleet's normal; spikes: max/mean ratio; gaps: coverage below.
   */
  threshold: z.number(),
  weight: z.number().min(0).max(1),
});
export type SymptomPattern = z.infer<typeof SymptomPattern>;

export const FailureModeDef = z.object({
  id: Id,
  name: LocalizedText,
  causes: z.array(z.object({ id: Id, name: LocalizedText, prior: z.number().min(0).max(1) })).min(1),
  symptoms: z.array(SymptomPattern).max(20),
  sopId: Id.nullable(),
  parts: z.array(z.object({ sku: z.string().min(1).max(64), qty: z.number().int().positive() })).max(10),
  /** Resolution codes and repair-note keywords that mean this mode in resolved tickets. */
  resolutionCodes: z.array(z.string().min(1).max(64)).max(20),
  keywords: z.array(z.string().min(1).max(40)).max(40),
});
export type FailureModeDef = z.infer<typeof FailureModeDef>;

export const KindKnowledge = z.object({ deviceKind: Id, modes: z.array(FailureModeDef).min(1).max(50) });
export type KindKnowledge = z.infer<typeof KindKnowledge>;

export const PartDef = z.object({
  sku: z.string().min(1).max(64),
  name: LocalizedText,
  unitCostYuan: z.number().min(0),
});
export type PartDef = z.infer<typeof PartDef>;

export const Depot = z.object({
  id: Id,
  name: LocalizedText,
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** Quantity on hand per SKU (reservations are kept apart, in the journal). */
  stock: z.record(z.string(), z.number().int().min(0)),
});
export type Depot = z.infer<typeof Depot>;

export const Shift = z.object({
  /** ISO weekdays 1 (Monday) … 7, in the configuration's time zone. */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: z.string().regex(/^\d{2}:\d{2}$/),
  /** May be before `start` for a night shift. */
  end: z.string().regex(/^\d{2}:\d{2}$/),
});
export type Shift = z.infer<typeof Shift>;

export const Engineer = z.object({
  /** A user of the directory. */
  userId: Id,
  skills: z.array(Id).max(30),
  homeLng: z.number().min(-180).max(180),
  homeLat: z.number().min(-90).max(90),
  depotId: Id.nullable(),
  shift: Shift,
  hourlyCostYuan: z.number().min(0),
  maxOpenTickets: z.number().int().min(1).max(100),
  /** Districts the engineer serves (geofence); empty: anywhere. */
  regions: z.array(z.string().max(40)).max(50),
});
export type Engineer = z.infer<typeof Engineer>;

export const DispatchSettings = z.object({
  weights: DispatchWeights,
  travel: z.object({
    speedKmh: z.number().positive().max(200),
    /** Road distance over straight-line distance. */
    detourFactor: z.number().min(1).max(3),
    costPerKmYuan: z.number().min(0),
  }),
  /** Customer priority 0…1 by a device's `customerTier` metadata; unknown tiers get `default`. */
  customerTiers: z.record(z.string(), z.number().min(0).max(1)),
});
export type DispatchSettings = z.infer<typeof DispatchSettings>;

export const WeatherSettings = z.object({
  /** Forecast endpoint; `{lat}` and `{lng}` are filled in. Null: no weather context. */
  url: z.string().max(500).nullable(),
  pollMinutes: z.number().int().min(1).max(1440),
});
export type WeatherSettings = z.infer<typeof WeatherSettings>;

export const PredictConfig = z.object({
  knowledge: z.array(KindKnowledge),
  sops: z.array(Sop),
  parts: z.array(PartDef),
  depots: z.array(Depot),
  engineers: z.array(Engineer),
  dispatch: DispatchSettings,
  weather: WeatherSettings,
});
export type PredictConfig = z.infer<typeof PredictConfig>;

export const PredictConfigChange = z.object({
  version: z.number().int().positive(),
  at: z.iso.datetime({ offset: false }),
  actor: ActorRef,
  note: z.string(),
  /** Top-level sections that changed (knowledge, sops, parts, depots, engineers, dispatch, weather). */
  sections: z.array(z.string()),
});
export type PredictConfigChange = z.infer<typeof PredictConfigChange>;

/** The predictive configuration with its version and the recorded changes (newest first, bounded). */
export const PredictConfigSet = z.object({
  version: z.number().int().positive(),
  config: PredictConfig,
  changes: z.array(PredictConfigChange),
});
export type PredictConfigSet = z.infer<typeof PredictConfigSet>;

export const predictConfigMethods = {
  'predict/config': { params: z.strictObject({}), result: PredictConfigSet },
  /** Replaces the predictive configuration after checking every cross-reference. */
  'predict/setConfig': {
    params: z.strictObject({
      config: PredictConfig,
      version: z.number().int().positive(),
      note: z.string().trim().min(1).max(500),
    }),
    result: PredictConfigSet,
  },
} as const;
