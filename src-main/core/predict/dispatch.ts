import type {
  ActorRef,
  Depot,
  DispatchCandidate,
  DispatchDecision,
  DispatchWeights,
  Engineer,
  PartAllocation,
  PredictConfig,
  Priority,
  Sop,
  User,
} from '@shared/contract';
import type { LngLat } from '@shared/domain';
import { estimateTravel, haversineKm, isOnShift, waitMinutes } from './travel';

/**
 * The dispatch strategy: which engineer goes, with which parts from which depot. Engineers are
 * screened (skills of the SOP, geofence, open-ticket limit, a shift within reach), then scored on
 * four configurable objectives — time to arrive, cost, SLA risk, customer priority — and the best
 * is proposed with the next ones as alternatives, each with machine-readable reasons. Pure: the
 * caller supplies stock reservations and loads and records the decision.
 */

export class DispatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DispatchInputError';
  }
}

/** Reason codes on candidates (and the exclusions behind `noCandidate`), for the UI's i18n. */
export const DISPATCH_REASONS = [
  'skills-ok',
  'in-geofence',
  'serves-anywhere',
  'on-shift',
  'off-shift-wait',
  'part-at-home-depot',
  'part-elsewhere',
  'part-short',
  'sla-at-risk',
  'fastest',
  'cheapest',
] as const;
export type DispatchReason = (typeof DISPATCH_REASONS)[number];

export const EXCLUSION_REASONS = [
  'not-in-directory',
  'missing-skill',
  'outside-geofence',
  'at-capacity',
  'no-shift-soon',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface PartNeed {
  sku: string;
  qty: number;
}

export interface DispatchDevice {
  lng: number | null;
  lat: number | null;
  /** District (the geofence); null or blank: unknown, no engineer is excluded for it. */
  region: string | null;
  /** `customerTier` metadata; unknown or null tiers get the configuration's `default`. */
  customerTier: string | null;
}

export interface DispatchInput {
  config: PredictConfig;
  /** The directory's users (names; an engineer not in it is not dispatched). */
  users: readonly Pick<User, 'id' | 'name'>[];
  sop: Sop | null;
  parts: readonly PartNeed[];
  /** Quantity already reserved by open tickets, per depot id and SKU. */
  reservations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  device: DispatchDevice;
  /**
   * When the work must be done: the earlier of the predicted failure and the SLA due time, on the
   * same clock as `nowMs` (wall clock: shifts are people's time). Null: nothing is due.
   */
  dueAtMs: number | null;
  nowMs: number;
  /** IANA zone of the shifts. */
  timezone: string;
  /** Open tickets per user id. */
  openLoad: Readonly<Record<string, number>>;
  priority: Priority;
  /** An engineer whose next shift starts later than this is not considered (default 24). */
  maxWaitHours?: number;
}

export interface Exclusion {
  userId: string;
  reasons: ExclusionReason[];
  detail: string;
}

/** Minutes of lateness over which the SLA risk goes from 0.27 to 0.73 (logistic scale). */
const SLA_RISK_SCALE_MIN = 45;
/** Floors for the relative-to-best normalisation, so 3 vs 6 minutes is not a 2× difference. */
const ARRIVAL_FLOOR_MIN = 10;
const COST_FLOOR_YUAN = 20;
/** A P1 job counts like the most important customer whatever the tier. */
const PRIORITY_URGENCY: Record<Priority, number> = { P1: 1, P2: 0.7, P3: 0.4, P4: 0.2 };

interface PartsPlan {
  allocations: PartAllocation[];
  pickups: Depot[];
  reasons: DispatchReason[];
}

interface Evaluated {
  candidate: DispatchCandidate;
  plan: PartsPlan;
}

export function chooseDispatch(input: DispatchInput): DispatchDecision {
  const { config, sop, device } = input;
  const weights = config.dispatch.weights;
  const wSum = weights.arrival + weights.cost + weights.slaRisk + weights.customerPriority;
  if (!(wSum > 0))
    throw new DispatchInputError('dispatch weights are all zero; at least one must be positive');
  if (!Number.isFinite(input.nowMs)) throw new DispatchInputError(`now must be a time, got ${input.nowMs}`);
  if (input.dueAtMs !== null && !Number.isFinite(input.dueAtMs))
    throw new DispatchInputError(`due time must be a time or null, got ${input.dueAtMs}`);
  const needs = mergeNeeds(input.parts, config);
  const base = {
    decidedAt: new Date(input.nowMs).toISOString(),
    sop,
    weights,
    override: null,
  };

  const at = device.lng !== null && device.lat !== null ? { lng: device.lng, lat: device.lat } : null;
  if (!at) {
    return {
      ...base,
      parts: planParts(needs, input, null).allocations,
      chosen: null,
      alternatives: [],
      noCandidate: 'the device has no location, so travel cannot be estimated',
    };
  }

  const { eligible, excluded } = screenEngineers(input);
  const evaluated = eligible.map((e) => evaluate(e.engineer, e.name, e.wait, at, needs, input));
  if (evaluated.length === 0) {
    return {
      ...base,
      parts: planParts(needs, input, at).allocations,
      chosen: null,
      alternatives: [],
      noCandidate: explainNone(input, excluded),
    };
  }

  score(evaluated, weights, wSum, input);
  evaluated.sort(
    (a, b) =>
      b.candidate.score - a.candidate.score ||
      a.candidate.arrivalMinutes - b.candidate.arrivalMinutes ||
      a.candidate.userId.localeCompare(b.candidate.userId),
  );
  const best = evaluated[0]!;
  return {
    ...base,
    parts: best.plan.allocations,
    chosen: best.candidate,
    alternatives: evaluated.slice(1, 4).map((e) => e.candidate),
    noCandidate: null,
  };
}

/** Which engineers may go, and why the others may not. */
export function screenEngineers(input: DispatchInput): {
  eligible: { engineer: Engineer; name: string; wait: number }[];
  excluded: Exclusion[];
} {
  const skills = input.sop?.skills ?? [];
  const region = regionOf(input.device);
  const maxWait = (input.maxWaitHours ?? 24) * 60;
  const names = new Map(input.users.map((u) => [u.id, u.name]));
  const eligible: { engineer: Engineer; name: string; wait: number }[] = [];
  const excluded: Exclusion[] = [];
  for (const e of input.config.engineers) {
    const reasons: ExclusionReason[] = [];
    const detail: string[] = [];
    const name = names.get(e.userId);
    if (name === undefined) reasons.push('not-in-directory');
    const missing = skills.filter((s) => !e.skills.includes(s));
    if (missing.length) {
      reasons.push('missing-skill');
      detail.push(`lacks ${missing.join(', ')}`);
    }
    if (region !== null && e.regions.length > 0 && !e.regions.includes(region)) {
      reasons.push('outside-geofence');
      detail.push(`does not serve ${region}`);
    }
    const load = input.openLoad[e.userId] ?? 0;
    if (load >= e.maxOpenTickets) {
      reasons.push('at-capacity');
      detail.push(`${load}/${e.maxOpenTickets} open tickets`);
    }
    const wait = waitMinutes(e.shift, input.timezone, input.nowMs);
    if (wait === null || wait > maxWait) {
      reasons.push('no-shift-soon');
      detail.push(wait === null ? 'has no shift' : `next shift in ${Math.round(wait / 60)} h`);
    }
    if (reasons.length) excluded.push({ userId: e.userId, reasons, detail: detail.join('; ') });
    else eligible.push({ engineer: e, name: name!, wait: wait! });
  }
  return { eligible, excluded };
}

function explainNone(input: DispatchInput, excluded: Exclusion[]): string {
  const skills = input.sop?.skills ?? [];
  const region = regionOf(input.device);
  const withSkills = skills.length ? ` with skills ${skills.join(', ')}` : '';
  if (input.config.engineers.length === 0) return 'no engineers are configured for dispatch';
  if (excluded.every((x) => x.reasons.includes('not-in-directory')))
    return 'none of the configured engineers is a user of the directory';
  const fit = excluded.filter(
    (x) =>
      !x.reasons.includes('not-in-directory') &&
      !x.reasons.includes('missing-skill') &&
      !x.reasons.includes('outside-geofence'),
  );
  if (fit.length === 0)
    return region !== null
      ? `no engineer${withSkills} serves ${region}`
      : `no engineer has skills ${skills.join(', ')}`;
  const where = region !== null ? ` serving ${region}` : '';
  const hours = input.maxWaitHours ?? 24;
  const list = fit.map((x) => `${x.userId}: ${x.detail}`).join('; ');
  return `every engineer${withSkills}${where} is at the open-ticket limit or off shift for more than ${hours} h (${list})`;
}

/** A blank region is as unknown as a missing one. */
function regionOf(device: DispatchDevice): string | null {
  return device.region?.trim() || null;
}

function mergeNeeds(parts: readonly PartNeed[], config: PredictConfig): PartNeed[] {
  const known = new Set(config.parts.map((p) => p.sku));
  const merged = new Map<string, number>();
  for (const p of parts) {
    if (!known.has(p.sku)) throw new DispatchInputError(`part ${p.sku} is not in the parts catalogue`);
    if (!Number.isInteger(p.qty) || p.qty < 1)
      throw new DispatchInputError(`part ${p.sku}: quantity must be a positive integer, got ${p.qty}`);
    merged.set(p.sku, (merged.get(p.sku) ?? 0) + p.qty);
  }
  return [...merged].map(([sku, qty]) => ({ sku, qty }));
}

function available(input: DispatchInput, depot: Depot, sku: string): number {
  return (depot.stock[sku] ?? 0) - (input.reservations[depot.id]?.[sku] ?? 0);
}

/**
 * For each part the depot with enough unreserved stock nearest to `ref` (the engineer's own depot,
 * else home; the device when nobody is chosen); none: the part is short.
 */
function planParts(
  needs: PartNeed[],
  input: DispatchInput,
  ref: LngLat | null,
  homeDepotId?: string | null,
): PartsPlan {
  const { config } = input;
  const allocations: PartAllocation[] = [];
  const pickups: Depot[] = [];
  const reasons = new Set<DispatchReason>();
  for (const need of needs) {
    const part = config.parts.find((p) => p.sku === need.sku)!;
    const stocked = config.depots.filter((d) => available(input, d, need.sku) >= need.qty);
    const depot = ref
      ? stocked.sort((a, b) => haversineKm(ref, a) - haversineKm(ref, b) || a.id.localeCompare(b.id))[0]
      : stocked[0];
    allocations.push({
      sku: need.sku,
      name: part.name,
      qty: need.qty,
      depotId: depot?.id ?? null,
      depotName: depot?.name ?? null,
      reserved: depot !== undefined,
    });
    if (!depot) reasons.add('part-short');
    else {
      reasons.add(depot.id === homeDepotId ? 'part-at-home-depot' : 'part-elsewhere');
      if (!pickups.includes(depot)) pickups.push(depot);
    }
  }
  return { allocations, pickups, reasons: [...reasons] };
}

function evaluate(
  e: Engineer,
  name: string,
  wait: number,
  at: LngLat,
  needs: PartNeed[],
  input: DispatchInput,
): Evaluated {
  const { config, sop } = input;
  const home = { lng: e.homeLng, lat: e.homeLat };
  const ownDepot = config.depots.find((d) => d.id === e.depotId) ?? null;
  const plan = planParts(needs, input, ownDepot ?? home, e.depotId);
  // Home → the depots holding the parts (nearest first) → the device.
  const route: LngLat[] = [home];
  const rest = [...plan.pickups];
  while (rest.length) {
    const from = route[route.length - 1]!;
    rest.sort((a, b) => haversineKm(from, a) - haversineKm(from, b) || a.id.localeCompare(b.id));
    route.push(rest.shift()!);
  }
  route.push(at);
  const travel = estimateTravel(route, config.dispatch.travel);
  const arrival = wait + travel.minutes;
  const duration = sop?.durationMinutes ?? 0;
  const cost =
    travel.roadKm * config.dispatch.travel.costPerKmYuan +
    ((travel.minutes + duration) / 60) * e.hourlyCostYuan;
  const slaRisk =
    input.dueAtMs === null
      ? 0
      : logistic((arrival + duration - (input.dueAtMs - input.nowMs) / 60_000) / SLA_RISK_SCALE_MIN);
  const onShift = isOnShift(e.shift, input.timezone, input.nowMs);
  const reasons: string[] = [
    'skills-ok',
    e.regions.length === 0 ? 'serves-anywhere' : 'in-geofence',
    onShift ? 'on-shift' : 'off-shift-wait',
    ...plan.reasons,
  ];
  if (slaRisk >= 0.5) reasons.push('sla-at-risk');
  return {
    plan,
    candidate: {
      userId: e.userId,
      name,
      score: 0,
      components: { arrival: 0, cost: 0, slaRisk: 0, customerPriority: 0 },
      arrivalMinutes: round(arrival, 1),
      distanceKm: round(travel.roadKm, 1),
      costYuan: round(cost, 0),
      slaRisk: round(slaRisk, 4),
      onShift,
      load: input.openLoad[e.userId] ?? 0,
      depotId: e.depotId,
      reasons,
    },
  };
}

/**
 * Components, each 0…1 and higher-better: arrival and cost relative to the best candidate
 * (best / own, floored), SLA as the chance of finishing in time, customer priority as the
 * importance of the job times that chance — an important job gains most from an on-time engineer,
 * which is what lets the weight change a choice. The total is the weighted mean.
 */
function score(list: Evaluated[], weights: DispatchWeights, wSum: number, input: DispatchInput): void {
  const tiers = input.config.dispatch.customerTiers;
  const tier = input.device.customerTier;
  const tierValue = (tier !== null ? tiers[tier] : undefined) ?? tiers['default'] ?? 0.5;
  const importance = Math.max(tierValue, PRIORITY_URGENCY[input.priority]);
  const bestArrival = Math.min(...list.map((e) => e.candidate.arrivalMinutes));
  const bestCost = Math.min(...list.map((e) => e.candidate.costYuan));
  for (const { candidate: c } of list) {
    const comp = {
      arrival: (bestArrival + ARRIVAL_FLOOR_MIN) / (c.arrivalMinutes + ARRIVAL_FLOOR_MIN),
      cost: (bestCost + COST_FLOOR_YUAN) / (c.costYuan + COST_FLOOR_YUAN),
      slaRisk: 1 - c.slaRisk,
      customerPriority: importance * (1 - c.slaRisk),
    };
    c.components = {
      arrival: round(comp.arrival, 4),
      cost: round(comp.cost, 4),
      slaRisk: round(comp.slaRisk, 4),
      customerPriority: round(comp.customerPriority, 4),
    };
    c.score = round(
      (weights.arrival * comp.arrival +
        weights.cost * comp.cost +
        weights.slaRisk * comp.slaRisk +
        weights.customerPriority * comp.customerPriority) /
        wSum,
      4,
    );
    if (c.arrivalMinutes === bestArrival) c.reasons.push('fastest');
    if (c.costYuan === bestCost) c.reasons.push('cheapest');
  }
}

/** An operator's choice over the strategy's; the strategy's choice stays for the record. */
export function applyOverride(
  decision: DispatchDecision,
  user: Pick<User, 'id' | 'name'>,
  by: ActorRef,
  reason: string,
  at: number | string,
): DispatchDecision {
  const why = reason.trim();
  if (!why) throw new DispatchInputError('an override needs a reason');
  if (why.length > 500) throw new DispatchInputError('the override reason is longer than 500 characters');
  const when = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(when)) throw new DispatchInputError(`override time is not a time: ${String(at)}`);
  return {
    ...decision,
    override: { userId: user.id, name: user.name, by, at: new Date(when).toISOString(), reason: why },
  };
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
