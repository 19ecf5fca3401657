import {
  DONE_CATEGORIES,
  type ActorRef,
  type Assignee,
  type CustomFields,
  type LinkKind,
  type Priority,
  type Workflow,
} from '@shared/contract';
import { findState, transitionsFrom } from '@shared/domain';
import { DAY, HOUR, MINUTE, type LocalTime } from './local-time';
import type { People } from './people';
import type { Rng } from './prng';
import type { Story } from './story';

/**
 * A ticket's life planned at creation: a list of actions in time order, each one a command an
 * operator, engineer or bureau would issue. Every transition is checked against the workflow
 * while planning (allowed from the current state, note when required, assignee when required),
 * and the plan stops at `now`: whatever has not happened yet simply has not happened.
 */
export interface LinkTarget {
  id: string;
  number: string;
}

export type Action =
  | { k: 'assign'; at: number; actor: ActorRef; assignee: Assignee | null; note?: string }
  | { k: 'to'; at: number; actor: ActorRef; to: string; note?: string }
  | { k: 'comment'; at: number; actor: ActorRef; body: string }
  | { k: 'priority'; at: number; actor: ActorRef; priority: Priority; note?: string }
  | { k: 'fields'; at: number; actor: ActorRef; fields: CustomFields; note?: string }
  | { k: 'link'; at: number; actor: ActorRef; kind: LinkKind; target: LinkTarget }
  | { k: 'hotline'; at: number; actor: ActorRef; op: HotlineOp };

/** A change of a citizen request's hotline dispatch record, as the hotline service would journal it. */
export type HotlineOp =
  | { op: 'dispatch' }
  | { op: 'accept'; departmentId: string }
  | { op: 'reassign'; from: string; to: string; reason: string };

/**
 * How the hotline dispatches a citizen request (decided at intake, see `hotline-history.ts`): the
 * department(s) it goes to first, the one that really owns it, and what the ticket's category is.
 */
export interface HotlineDispatchPlan {
  /** First dispatch: one department, or two (double dispatch, the owner among them). */
  departments: readonly string[];
  /** The bureau that handles it in the end. */
  owner: string;
  /** The category the request is dispatched (and created) with. */
  chosenCategory: string;
  /** The category it really is (set on the ticket when a misroute is corrected). */
  trueCategory: string;
  /** Why the hotline reassigns it when the first department was wrong. */
  reason: string;
}

export class PlanError extends Error {}

export class Plan {
  readonly actions: Action[] = [];
  private t: number;
  private status: string;
  private assignee: Assignee | null;
  private stopped = false;

  constructor(
    private readonly workflow: Workflow,
    created: number,
    assignee: Assignee | null,
    private readonly limit: number,
    /** Statuses this ticket never reaches (stuck or still running at `now`). */
    private readonly blocked: (status: string) => boolean,
  ) {
    this.t = created;
    this.status = workflow.initial;
    this.assignee = assignee;
  }

  get time(): number {
    return this.t;
  }

  get done(): boolean {
    return this.stopped;
  }

  /** Moves the clock forward by at least one second. */
  after(ms: number): number {
    this.t += Math.max(1000, Math.round(ms));
    return this.t;
  }

  /** Moves the clock to `at` (never backwards: at least one second after the last action). */
  until(at: number): number {
    this.t = Math.max(Math.round(at), this.t + 1000);
    return this.t;
  }

  private accept(): boolean {
    if (this.stopped) return false;
    if (this.t > this.limit) {
      this.stopped = true;
      return false;
    }
    return true;
  }

  assign(actor: ActorRef, assignee: Assignee | null, note?: string): boolean {
    if (same(this.assignee, assignee)) return !this.stopped;
    if (!this.accept()) return false;
    this.actions.push({ k: 'assign', at: this.t, actor, assignee, ...(note && { note }) });
    this.assignee = assignee;
    return true;
  }

  /** A transition; returns false when the plan stopped (time ran out, or a blocked status). */
  to(actor: ActorRef, to: string, note?: string): boolean {
    if (this.stopped) return false;
    const transition = transitionsFrom(this.workflow, this.status).find((tr) => tr.to === to);
    if (!transition) {
      throw new PlanError(`workflow ${this.workflow.id} does not allow ${this.status} → ${to}`);
    }
    if (transition.requiresNote && !note)
      throw new PlanError(`${this.workflow.id}: ${this.status} → ${to} needs a note`);
    if (transition.requiresAssignee && !this.assignee) {
      throw new PlanError(`${this.workflow.id}: ${this.status} → ${to} needs an assignee`);
    }
    if (this.blocked(to)) {
      this.stopped = true;
      return false;
    }
    if (!this.accept()) return false;
    this.actions.push({ k: 'to', at: this.t, actor, to, ...(note && { note }) });
    this.status = to;
    return true;
  }

  comment(actor: ActorRef, body: string): boolean {
    if (!body) return !this.stopped;
    if (!this.accept()) return false;
    this.actions.push({ k: 'comment', at: this.t, actor, body });
    return true;
  }

  priority(actor: ActorRef, priority: Priority, note?: string): boolean {
    if (!this.accept()) return false;
    this.actions.push({ k: 'priority', at: this.t, actor, priority, ...(note && { note }) });
    return true;
  }

  fields(actor: ActorRef, fields: CustomFields, note?: string): boolean {
    if (!this.accept()) return false;
    this.actions.push({ k: 'fields', at: this.t, actor, fields, ...(note && { note }) });
    return true;
  }

  /** Journals a change of the hotline's dispatch record (at the time of the command just planned). */
  hotline(actor: ActorRef, op: HotlineOp): boolean {
    if (!this.accept()) return false;
    this.actions.push({ k: 'hotline', at: this.t, actor, op });
    return true;
  }

  link(actor: ActorRef, kind: LinkKind, target: LinkTarget): boolean {
    if (!this.accept()) return false;
    this.actions.push({ k: 'link', at: this.t, actor, kind, target });
    return true;
  }
}

function same(a: Assignee | null, b: Assignee | null): boolean {
  return a === b || (a !== null && b !== null && a.kind === b.kind && a.id === b.id);
}

export interface LifeInput {
  story: Story;
  created: number;
  now: number;
  rng: Rng;
  lt: LocalTime;
  people: People;
  workflow: Workflow;
  target: { responseMinutes: number; resolveMinutes: number } | undefined;
  assignee: Assignee | null;
  link?: { kind: LinkKind; target: LinkTarget; note?: string };
  /** Citizen requests: the hotline's dispatch (absent when the directory has no departments). */
  hotline?: HotlineDispatchPlan;
}

/** Next moment inside office hours (Mon–Fri 08:30–17:30 local), with a little slack after opening. */
export function officeTime(lt: LocalTime, at: number, rng: Rng): number {
  let t = at;
  for (let i = 0; i < 8; i++) {
    const wd = lt.weekday(t);
    const h = lt.hourOfDay(t);
    if (wd >= 1 && wd <= 5 && h >= 8.5 && h < 17.5) return t;
    if (wd >= 1 && wd <= 5 && h < 8.5) return lt.atLocalHour(t, 8.5) + rng.int(0, 90) * MINUTE;
    t = lt.atLocalHour(t + DAY, 8.5);
    if (lt.weekday(t) >= 1 && lt.weekday(t) <= 5) return t + rng.int(0, 90) * MINUTE;
  }
  return t;
}

function isDone(workflow: Workflow, status: string): boolean {
  const s = findState(workflow, status);
  return s !== undefined && DONE_CATEGORIES.includes(s.category);
}

/** How this ticket's story ends (or does not, by `now`). */
export interface Fate {
  /** Work stalls before it is done: such tickets age into SLA breaches. */
  stuck: boolean;
  /** Still running at `now` (its SLA is about to run out, so the wall has something to show). */
  keepOpen: boolean;
}

export function decideFate(input: LifeInput): Fate {
  const { rng, created, now, target } = input;
  const age = now - created;
  const urgent = input.story.priority === 'P1' || input.story.priority === 'P2';
  // Urgent work is escalated until it is done; only routine tickets are left to age for weeks.
  const stuck = rng.chance(age < 30 * DAY ? 0.008 : 0.002) && !(urgent && age > 3 * DAY);
  let keepOpen = false;
  if (target) {
    const due = created + target.resolveMinutes * MINUTE;
    if (due > now && due <= now + 75 * MINUTE) keepOpen = rng.chance(0.7);
    else if (due <= now && due > now - 8 * HOUR) keepOpen = rng.chance(0.2);
  }
  return { stuck, keepOpen };
}

function newPlan(input: LifeInput, fate: Fate): Plan {
  const wf = input.workflow;
  const blockDone = fate.stuck || fate.keepOpen;
  return new Plan(wf, input.created, input.assignee, input.now, (s) => blockDone && isDone(wf, s));
}

const PRIORITY_UP: Record<Priority, Priority> = { P1: 'P1', P2: 'P1', P3: 'P2', P4: 'P3' };

function minutes(x: number): number {
  return x * MINUTE;
}

function addLink(plan: Plan, input: LifeInput, actor: ActorRef): void {
  if (!input.link) return;
  plan.after(minutes(Math.max(1, input.rng.lognormal(6, 0.7))));
  plan.link(actor, input.link.kind, input.link.target);
  if (input.link.note) {
    plan.after(input.rng.int(5, 60) * 1000);
    plan.comment(actor, input.link.note);
  }
}

/** wf-ops: device faults and process anomalies. */
export function planOps(input: LifeInput, fate: Fate): Plan {
  const { rng, story, people } = input;
  const plan = newPlan(input, fate);
  const resp = input.target?.responseMinutes ?? 60;
  const res = input.target?.resolveMinutes ?? 1440;
  const noc = rng.pick(people.noc);
  const supervisor = rng.pick(people.supervisors);
  const engineer = rng.pick(people.members(story.routing.team));
  const team = people.team(story.routing.team, rng);
  const engineerAssignee = people.user(engineer) ?? team;
  const process = story.typeId === 'process-anomaly';
  const dispatcher = process && !story.routedAtCreation ? rng.pick(people.qa) : noc;

  addLink(plan, input, noc);

  // Cancelled: a false alarm, a duplicate, or fixed by the owner before anyone went.
  if (rng.chance(process ? 0.03 : 0.05)) {
    if (!input.assignee && rng.chance(0.4) && team) {
      plan.after(minutes(resp * rng.lognormal(0.3, 0.6)));
      plan.assign(dispatcher, team, story.say('dispatch', rng));
      plan.after(rng.int(5, 90) * 1000);
      plan.to(dispatcher, 'assigned');
    }
    plan.after(minutes(Math.max(3, resp * rng.lognormal(0.6, 0.7))));
    plan.to(noc, 'cancelled', story.say('cancel', rng));
    return plan;
  }

  // Dispatch by the NOC (or QA for anomalies) unless routing already assigned a team.
  let assignee = input.assignee;
  if (!assignee) {
    plan.after(minutes(resp * rng.lognormal(0.3, 0.7)));
    // Mostly straight to the engineer on duty; sometimes to the team, formally dispatched.
    const viaTeam = rng.chance(0.2) ? team : null;
    const first = viaTeam ?? engineerAssignee;
    if (first) {
      plan.assign(
        dispatcher,
        first,
        story.say('dispatch', rng, first.kind === 'user' ? { who: engineer.name } : {}),
      );
      assignee = first;
      if (viaTeam || rng.chance(0.2)) {
        plan.after(rng.int(5, 90) * 1000);
        plan.to(dispatcher, 'assigned');
      }
    }
  }
  // An engineer of the team takes the ticket over (or works it under the team's name).
  if ((!assignee || assignee.kind !== 'user') && (!assignee || rng.chance(0.45)) && engineerAssignee) {
    plan.after(minutes(resp * rng.lognormal(0.35, 0.8)));
    plan.assign(engineer, engineerAssignee);
  }
  if (rng.chance(0.2)) {
    plan.after(minutes(rng.lognormal(3, 0.6)));
    plan.comment(engineer, story.say('ack', rng));
  }
  const remote = story.remote && rng.chance(0.6);
  const urgent = story.priority === 'P1' || story.priority === 'P2';
  plan.after(minutes(remote ? rng.lognormal(8, 0.5) : rng.lognormal(urgent ? 35 : 70, 0.5)));
  plan.to(engineer, 'in_progress');
  if (rng.chance(0.3)) {
    plan.after(minutes(rng.lognormal(remote ? 10 : 25, 0.6)));
    plan.comment(engineer, story.say('diagnose', rng));
  }
  if (story.priority !== 'P1' && rng.chance(0.025)) {
    plan.after(minutes(rng.lognormal(30, 0.6)));
    plan.priority(noc, PRIORITY_UP[story.priority], story.say('escalate', rng));
  }
  if (!remote && rng.chance(process ? 0.14 : 0.1)) {
    plan.after(minutes(res * rng.lognormal(0.12, 0.5)));
    plan.to(engineer, 'pending', story.say('hold', rng));
    if (fate.stuck && rng.chance(0.5)) return plan;
    plan.after(rng.lognormal(30 * HOUR, 0.6));
    plan.to(engineer, 'in_progress', story.say('resume', rng) || undefined);
  }
  if (rng.chance(0.1)) {
    plan.after(minutes(res * rng.lognormal(0.08, 0.6)));
    plan.comment(engineer, story.say('progress', rng));
  }
  plan.after(minutes(remote ? res * rng.lognormal(0.04, 0.6) : res * rng.lognormal(0.26, 0.75)));
  if (!plan.to(engineer, 'resolved', story.say('resolve', rng))) return plan;
  const resolvedAt = plan.time;
  if (story.downtime && story.typeId === 'device-fault' && rng.chance(0.3)) {
    plan.after(minutes(rng.lognormal(4, 0.5)));
    plan.fields(engineer, { downtimeMinutes: Math.round((resolvedAt - input.created) / MINUTE) });
  }
  if (rng.chance(0.035)) {
    plan.after(rng.lognormal(8 * HOUR, 0.7));
    plan.to(noc, 'in_progress', story.say('reopen', rng));
    plan.after(minutes(res * rng.lognormal(0.12, 0.6)));
    if (!plan.to(engineer, 'resolved', story.say('resolve', rng))) return plan;
  }
  plan.after(Math.max(20 * MINUTE, rng.lognormal(10 * HOUR, 0.8)));
  plan.to(supervisor, 'closed', story.say('close', rng) || undefined);
  return plan;
}

/** wf-preventive: a predicted failure is confirmed, scheduled and serviced, or cleared. */
export function planPreventive(input: LifeInput, fate: Fate): Plan {
  const { rng, story, people, lt } = input;
  const plan = newPlan(input, fate);
  const resp = input.target?.responseMinutes ?? 240;
  const res = input.target?.resolveMinutes ?? 4320;
  const noc = rng.pick(people.noc);
  const supervisor = rng.pick(people.supervisors);
  const engineer = rng.pick(people.members(story.routing.team));
  const team = people.team(story.routing.team, rng);
  const engineerAssignee = people.user(engineer) ?? team;

  let assignee = input.assignee;
  if (!assignee && team) {
    plan.after(minutes(resp * rng.lognormal(0.3, 0.7)));
    plan.assign(noc, team, story.say('dispatch', rng));
    assignee = team;
  }
  if (rng.chance(0.15)) {
    if (rng.chance(0.3) && assignee) {
      plan.after(minutes(resp * rng.lognormal(0.4, 0.6)));
      plan.to(engineer, 'scheduled');
    }
    plan.after(minutes(resp * rng.lognormal(0.8, 0.7)));
    plan.to(rng.chance(0.5) ? engineer : noc, 'risk_cleared', story.say('clear', rng));
    return plan;
  }
  if (engineerAssignee && rng.chance(0.4)) {
    plan.after(minutes(resp * rng.lognormal(0.4, 0.7)));
    plan.assign(engineer, engineerAssignee);
  }
  if (rng.chance(0.15)) {
    plan.after(minutes(rng.lognormal(5, 0.6)));
    plan.comment(engineer, story.say('ack', rng));
  }
  const urgent = story.priority === 'P1';
  if (urgent && rng.chance(0.6)) {
    plan.after(minutes(rng.lognormal(60, 0.5)));
    plan.to(engineer, 'in_progress');
  } else {
    plan.after(minutes(resp * rng.lognormal(0.5, 0.6)));
    const serviceAt = officeTime(lt, plan.time + res * MINUTE * rng.lognormal(0.3, 0.5), rng);
    plan.to(engineer, 'scheduled');
    if (rng.chance(0.3)) {
      plan.after(rng.int(1, 10) * MINUTE);
      plan.comment(engineer, story.say('schedule', rng, { day: lt.monthDay(serviceAt) }));
    }
    plan.until(serviceAt);
    plan.to(engineer, 'in_progress');
  }
  if (rng.chance(0.2)) {
    plan.after(minutes(rng.lognormal(25, 0.5)));
    plan.comment(engineer, story.say('diagnose', rng));
  }
  plan.after(minutes(rng.lognormal(100, 0.5)));
  if (!plan.to(engineer, 'resolved', story.say('resolve', rng))) return plan;
  plan.after(Math.max(30 * MINUTE, rng.lognormal(20 * HOUR, 0.7)));
  plan.to(supervisor, 'closed', story.say('close', rng) || undefined);
  return plan;
}

function department(id: string): Assignee {
  return { kind: 'department', id };
}

/** wf-citizen: the hotline dispatches to a bureau, the bureau accepts and replies, the hotline closes. */
export function planCitizen(input: LifeInput, fate: Fate): Plan {
  const { rng, story, people, lt } = input;
  const plan = newPlan(input, fate);
  const resp = input.target?.responseMinutes ?? 240;
  const res = input.target?.resolveMinutes ?? 7200;
  const agent = people.hotline.find((a) => a.id === story.createdBy.id) ?? rng.pick(people.hotline);
  const hl = input.hotline;
  const right = hl ? department(hl.owner) : people.dept(story.routing.dept, rng);
  const wrong = hl ? null : people.dept(story.routing.wrongDept, rng);
  const urgent = story.priority === 'P1' || story.priority === 'P2';
  const work = (t: number): number => (urgent ? t : officeTime(lt, t, rng));

  addLink(plan, input, agent);
  if (!right) return plan;

  // With a hotline plan the intake decided where it goes first; otherwise a few go astray here.
  const misroute = hl
    ? !hl.departments.includes(hl.owner)
    : input.assignee
      ? input.assignee.id !== right.id
      : wrong !== null && wrong.id !== right.id && rng.chance(0.07);
  const firstPick = hl ? department(hl.departments[0]!) : misroute ? wrong : right;
  const names = (ids: readonly string[]): string => ids.map((id) => people.deptActor(id).name).join('、');
  // The intake agent usually chose the bureau while taking the call (assignee at creation).
  if (input.assignee) {
    plan.after(rng.int(20, 600) * 1000);
  } else {
    plan.after(minutes(resp * rng.lognormal(0.22, 0.6)));
    plan.assign(agent, firstPick, story.say('dispatch', rng));
    plan.after(rng.int(5, 60) * 1000);
  }
  if (!plan.to(agent, 'dispatched', hl ? `派发至${names(hl.departments)}` : undefined)) return plan;
  if (hl) plan.hotline(agent, { op: 'dispatch' });
  const first = input.assignee ?? firstPick;
  if (misroute && first) {
    plan.until(work(plan.time + rng.lognormal(3 * HOUR, 0.6)));
    plan.to(people.deptActor(first.id), 'returned', story.say('return', rng));
    if (fate.stuck && rng.chance(0.4)) return plan;
    plan.after(minutes(rng.lognormal(40, 0.6)));
    // As hotline/reassign writes it: the assignment and the new dispatch carry the reason.
    const note = hl ? `改派至${names([right.id])}：${hl.reason}` : '退回后改派';
    plan.assign(agent, right, note);
    if (!hl) plan.after(rng.int(5, 60) * 1000);
    if (!plan.to(agent, 'dispatched', hl ? note : undefined)) return plan;
    if (hl) {
      plan.hotline(agent, { op: 'reassign', from: first.id, to: right.id, reason: hl.reason });
      if (hl.chosenCategory !== hl.trueCategory) {
        plan.after(rng.int(20, 300) * 1000);
        plan.fields(agent, { category: hl.trueCategory }, '改派后更正诉求分类');
      }
    }
  }
  const bureau = people.deptActor(right.id);
  plan.until(work(plan.time + rng.lognormal(urgent ? 40 * MINUTE : 2 * HOUR, 0.7)));
  // A double dispatch: the owner accepts and the other bureau is released (as hotline/accept does).
  if (hl && !misroute && hl.departments[0] !== hl.owner)
    plan.assign(
      bureau,
      right,
      `${bureau.name}签收，释放${names(hl.departments.filter((d) => d !== hl.owner))}`,
    );
  if (!plan.to(bureau, 'accepted')) return plan;
  // hotline/accept is for double dispatch: a single bureau accepts on the ticket alone.
  if (hl && !misroute && hl.departments.length > 1) {
    plan.hotline(bureau, { op: 'accept', departmentId: right.id });
    // Dispatched to two under the other bureau's category: the owner files it under its own.
    if (!misroute && hl.chosenCategory !== hl.trueCategory) {
      plan.after(rng.int(60, 900) * 1000);
      plan.fields(bureau, { category: hl.trueCategory }, '签收后更正诉求分类');
    }
  }
  if (rng.chance(0.2)) {
    plan.until(work(plan.time + rng.lognormal(4 * HOUR, 0.7)));
    plan.comment(bureau, story.say('progress', rng));
  }
  const replyAt = work(plan.time + minutes(res * rng.lognormal(0.28, 0.6)));
  plan.until(replyAt);
  const duplicateOf = input.link?.kind === 'duplicate' ? input.link.target.number : null;
  const reply = duplicateOf
    ? `与工单 ${duplicateOf} 反映问题相同，已并案处理，处理结果同该工单。已于 ${lt.monthDay(replyAt)} 回复市民。`
    : story.say('reply', rng, { date: lt.monthDay(replyAt) });
  if (!plan.to(bureau, 'replied', reply)) return plan;
  if (rng.chance(0.04)) {
    plan.after(rng.lognormal(20 * HOUR, 0.5));
    plan.to(agent, 'accepted', story.say('rework', rng));
    const again = work(plan.time + rng.lognormal(1.5 * DAY, 0.5));
    plan.until(again);
    if (!plan.to(bureau, 'replied', story.say('reply', rng, { date: lt.monthDay(again) }))) return plan;
  }
  plan.until(officeTime(lt, plan.time + rng.lognormal(26 * HOUR, 0.5), rng));
  plan.to(agent, 'closed', story.say('revisit', rng) || undefined);
  return plan;
}
