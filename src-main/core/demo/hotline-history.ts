import type { ActorRef, DispatchState, MatrixRow } from '@shared/contract';
import { ticketText } from '../hotline/classifier-training';
import { resolveMatrix } from '../hotline/matrix';
import type { HotlineTicketRecord } from '../hotline/record';
import { CATEGORIES, type Category, deptName } from './content-citizen';
import type { CityPlace } from './geo';
import type { HotlineDispatchPlan, HotlineOp } from './lifecycle';
import type { LocalTime } from './local-time';
import { hash32, type Rng } from './prng';

/**
 * The 12345 hotline's side of the demo's citizen requests: where each one was dispatched first, and the
 * `hotline-ticket` record the hotline service journals for it (dispatch, acceptance, reassignment), so
 * that first-dispatch accuracy has ninety days of history and the classifier can be trained from the
 * demo's closed requests.
 *
 * The story: most requests go straight to the bureau that handles them; a share (about a fifth, more for
 * the categories that are easily confused, at night, at weekends, early in the window when the agents
 * were new to the matrix, and on some bad days) goes to one of the category's `wrong` bureaus first,
 * which returns it; the hotline then reassigns it with a reason and corrects the category. A few
 * requests the classifier was unsure about go to two bureaus at once (double dispatch): the owner
 * accepts, the other is released.
 */

/** Share of the requests dispatched correctly that still go to two bureaus (the classifier was unsure). */
const DOUBLE_DISPATCH = 0.07;
/** The matrix's double-dispatch threshold the demo's suggestions are drawn around. */
const UNSURE_BELOW = 0.93;

const ALL_PATHS = [...new Set(CATEGORIES.map((c) => c.taxonomyPath))];

const REASONS = [
  '经核实属{owner}职责范围，原承办单位退回',
  '{wrong}退回：非其管辖，按职责改派{owner}',
  '诉求涉及{name}，应由{owner}承办',
  '派发有误，{name}按权责清单由{owner}处理',
  '原承办单位反馈不属其职责，经协调改派{owner}',
];

/**
 * How much more (or less) often than a category's own rate requests go astray at `at`: the agents
 * get better over the window (×1.3 at its start, ×0.8 at `now`), nights and weekends are worse, and
 * each local day has its own luck (×0.75–1.3, fixed by the day and the seed).
 */
export function misrouteFactor(
  at: number,
  window: { start: number; now: number },
  lt: LocalTime,
  seed: number,
): number {
  const progress = Math.min(1, Math.max(0, (at - window.start) / (window.now - window.start)));
  const trend = 1.3 - 0.5 * progress;
  const hour = lt.hourOfDay(at);
  const night = hour < 7 || hour >= 22 ? 1.25 : 1;
  const wd = lt.weekday(at);
  const weekend = wd === 0 || wd === 6 ? 1.15 : 1;
  const luck = 0.75 + 0.55 * (hash32(`${seed}/${lt.isoDate(at)}`) / 0x1_0000_0000);
  return trend * night * weekend * luck;
}

/** The matrix's department(s) for a category at the request's place. */
function matrixDepartments(rows: readonly MatrixRow[], category: string, place: CityPlace): string[] {
  return (
    resolveMatrix(rows, {
      category,
      district: place.street.district.name,
      street: place.street.name,
      cellId: place.location.gridId ?? null,
    })?.departmentIds ?? []
  );
}

export interface IntakeDecision {
  plan: HotlineDispatchPlan;
  suggested: DispatchState['suggested'];
  /** The classifier's classes at intake, best first (what misroute training rows are chosen from). */
  alternatives: string[];
}

/**
 * Decides a request's dispatch at intake. `owner` and `wrong` are department ids of the directory (the
 * category's own bureau and the wrong one the story drew); `wrongPath` is the category that leads to the
 * wrong bureau.
 */
export function decideIntake(
  rng: Rng,
  c: Category,
  place: CityPlace,
  rows: readonly MatrixRow[],
  ids: { owner: string; wrong: string; wrongPath: string },
  factor: number,
): IntakeDecision {
  const { owner, wrong, wrongPath } = ids;
  const truePath = c.taxonomyPath;
  const misroute = wrong !== owner && rng.chance(Math.min(0.6, c.misroute * factor));
  const joint = matrixDepartments(rows, truePath, place);
  let departments: string[];
  let chosenCategory = truePath;
  let suggested: DispatchState['suggested'];
  if (misroute) {
    // The agent took a wrong category (the classifier's, mostly) and the matrix's bureau for it.
    departments = [wrong];
    chosenCategory = wrongPath;
    suggested = {
      category: rng.chance(0.8) ? wrongPath : truePath,
      confidence: round3(rng.float(0.55, 0.98)),
      departmentIds: [],
    };
  } else if (joint.length > 1 && joint.includes(owner)) {
    // A joint row of the matrix (water pollution: ecology and water bureaus) is a double dispatch anyway.
    departments = joint;
    suggested = { category: truePath, confidence: round3(rng.float(0.8, 0.99)), departmentIds: [] };
  } else if (wrong !== owner && rng.chance(DOUBLE_DISPATCH)) {
    departments = rng.chance(0.7) ? [owner, wrong] : [wrong, owner];
    if (departments[0] === wrong) chosenCategory = wrongPath;
    suggested = {
      category: chosenCategory,
      confidence: round3(rng.float(0.4, UNSURE_BELOW - 0.01)),
      departmentIds: [],
    };
  } else {
    departments = [owner];
    // Now and then the classifier was wrong and the agent corrected it.
    const right = rng.chance(0.88);
    suggested = {
      category: right ? truePath : wrongPath,
      confidence: round3(right ? rng.float(UNSURE_BELOW, 0.995) : rng.float(0.45, 0.95)),
      departmentIds: [],
    };
  }
  const unsure = departments.length > 1 && suggested.category === chosenCategory;
  suggested.departmentIds = unsure ? [...departments] : matrixDepartments(rows, suggested.category, place);
  // The classifier's runners-up: the confusable categories first, then whatever else scored.
  const confusable = [...new Set([truePath, ...c.wrongPaths])].filter((p) => p !== suggested.category);
  const alternatives = [suggested.category, ...rng.sample(confusable, 3)];
  for (const p of rng.sample(ALL_PATHS, 4))
    if (alternatives.length < 4 && !alternatives.includes(p)) alternatives.push(p);
  return {
    plan: {
      departments,
      owner,
      chosenCategory,
      trueCategory: truePath,
      reason: fillReason(rng.pick(REASONS), { owner, wrong, name: c.name }),
    },
    suggested,
    alternatives,
  };
}

function fillReason(template: string, v: { owner: string; wrong: string; name: string }): string {
  return template
    .replace('{owner}', deptName(v.owner))
    .replace('{wrong}', deptName(v.wrong))
    .replace('{name}', v.name);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The record as the hotline service keeps it right after intake (before the dispatch is journaled). */
export function intakeRecord(
  ticket: {
    id: string;
    number: string;
    title: string;
    description: string;
    createdAt: string;
    channel: HotlineTicketRecord['channel'];
    externalId: string | null;
    callerName: string | null;
    callerPhone: string | null;
  },
  place: CityPlace,
  decision: IntakeDecision,
): HotlineTicketRecord {
  const { plan } = decision;
  const departmentIds = [...plan.departments];
  return {
    ticketId: ticket.id,
    number: ticket.number,
    title: ticket.title,
    createdAt: ticket.createdAt,
    text: ticketText(ticket),
    channel: ticket.channel,
    externalId: ticket.externalId,
    callerPhone: ticket.callerPhone,
    callerName: ticket.callerName,
    lng: place.location.lng,
    lat: place.location.lat,
    district: place.street.district.name,
    street: place.street.name,
    cellId: place.location.gridId ?? null,
    alternatives: decision.alternatives,
    dispatch: {
      ticketId: ticket.id,
      departments: departmentIds.map((departmentId) => ({ departmentId, state: 'pending' as const })),
      owner: null,
      reassignments: [],
      suggested: decision.suggested,
      chosen: { category: plan.chosenCategory, departmentIds },
      overridden:
        decision.suggested.category !== plan.chosenCategory ||
        decision.suggested.departmentIds.length !== departmentIds.length ||
        decision.suggested.departmentIds.some((d, i) => d !== departmentIds[i]),
    },
  };
}

/** The record after `op` (a new object: journaled records are never changed in place). */
export function applyHotlineOp(
  record: HotlineTicketRecord,
  op: HotlineOp,
  at: string,
  actor: ActorRef,
): HotlineTicketRecord {
  const d = record.dispatch;
  switch (op.op) {
    case 'dispatch':
      return record;
    case 'accept':
      return {
        ...record,
        dispatch: {
          ...d,
          departments: d.departments.map((x) => ({
            departmentId: x.departmentId,
            state: x.departmentId === op.departmentId ? 'accepted' : 'released',
          })),
          owner: op.departmentId,
        },
      };
    case 'reassign':
      return {
        ...record,
        dispatch: {
          ...d,
          departments: [{ departmentId: op.to, state: 'pending' }],
          owner: null,
          reassignments: [...d.reassignments, { at, actor, from: op.from, to: op.to, reason: op.reason }],
        },
      };
  }
}
