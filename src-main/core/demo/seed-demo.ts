import { ulid } from 'ulid';
import type {
  ActorRef,
  Assignee,
  ConfigDocument,
  CustomFields,
  FieldChange,
  LinkKind,
  Priority,
  SlaState,
  TicketLink,
  Workflow,
} from '@shared/contract';
import {
  findState,
  findType,
  initialSla,
  reprioritizedSla,
  transitionsFrom,
  workflowOfType,
} from '@shared/domain';
import type { DomainEvent, TicketChanged, TicketCreated, TicketSet } from '../events';
import { defaultMatrixRows } from '../hotline/matrix';
import type { HotlineTicketRecord } from '../hotline/record';
import type { StoragePort } from '../ports';
import { formatTicketNumber } from '../tickets/ticket-numbers';
import { CATEGORIES, citizenStory } from './content-citizen';
import { deviceFaultStory, type StoryContext } from './content-device';
import { processAnomalyStory } from './content-process';
import { preventiveStory } from './content-preventive';
import type { CityPlace } from './geo';
import {
  applyHotlineOp,
  decideIntake,
  type IntakeDecision,
  intakeRecord,
  misrouteFactor,
} from './hotline-history';
import {
  type Action,
  type Fate,
  type LifeInput,
  type Plan,
  decideFate,
  planCitizen,
  planOps,
  planPreventive,
} from './lifecycle';
import { DAY, HOUR, LocalTime, MINUTE } from './local-time';
import { People } from './people';
import { Rng } from './prng';
import { PRIORITIES, SYSTEM, type PriorityWeights, type Story } from './story';
import { world, type Device, type Site } from './world';

export interface DemoOptions {
  count: number;
  seed: number;
  /** Epoch ms; tickets spread over the ~90 days before now. */
  now: number;
}

/** Days of history the demo covers. */
export const DEMO_DAYS = 90;
/** Namespace of the hotline's per-ticket records (as the hotline service journals them). */
const NS_HOTLINE_TICKET = 'hotline-ticket';
/** Tickets created per yielded batch. */
const BATCH_TICKETS = 1_000;

type DemoType = 'citizen-request' | 'device-fault' | 'preventive-maintenance' | 'process-anomaly';

const TYPE_MIX: [DemoType, number][] = [
  ['citizen-request', 0.35],
  ['device-fault', 0.3],
  ['preventive-maintenance', 0.2],
  ['process-anomaly', 0.15],
];

const PRIORITY_MIX: Record<DemoType, PriorityWeights> = {
  'citizen-request': [0.02, 0.13, 0.55, 0.3],
  'device-fault': [0.1, 0.3, 0.45, 0.15],
  'preventive-maintenance': [0.03, 0.17, 0.5, 0.3],
  'process-anomaly': [0.06, 0.25, 0.47, 0.22],
};

/** Relative ticket rate by local hour, per type: hotlines follow office life, telemetry the sun, MES the shifts. */
const HOURLY: Record<DemoType, readonly number[]> = {
  'citizen-request': [
    0.15, 0.1, 0.07, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 1.9, 1.9, 1.6, 1.2, 1.4, 1.7, 1.7, 1.5, 1.3, 1.1, 1.0,
    0.9, 0.7, 0.5, 0.3,
  ],
  'device-fault': [
    0.5, 0.45, 0.4, 0.4, 0.45, 0.6, 0.9, 1.2, 1.4, 1.5, 1.5, 1.5, 1.4, 1.4, 1.4, 1.3, 1.2, 1.0, 0.9, 0.8, 0.7,
    0.65, 0.6, 0.55,
  ],
  'preventive-maintenance': [
    1.0, 2.2, 2.2, 1.0, 0.6, 0.6, 0.6, 0.7, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 0.9, 0.8, 0.7, 0.7, 0.6, 0.6, 0.7,
  ],
  'process-anomaly': [
    0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 1.3, 1.3, 1.2, 1.1, 1.0, 1.0, 1.1, 1.1, 1.0, 0.9, 0.9, 0.8, 1.2,
    1.1, 0.9, 0.8,
  ],
};
const WEEKEND: Record<DemoType, number> = {
  'citizen-request': 0.75,
  'device-fault': 0.95,
  'preventive-maintenance': 1,
  'process-anomaly': 0.85,
};

const RECIPROCAL: Record<LinkKind, LinkKind> = {
  parent: 'child',
  child: 'parent',
  related: 'related',
  duplicate: 'duplicate',
};

/** A ticket while its events are being written: the fold's state, kept small. */
interface Live {
  id: string;
  number: string;
  typeId: string;
  createdAt: string;
  priority: Priority;
  status: string;
  assignee: Assignee | null;
  sla: SlaState;
  links: TicketLink[];
  fields: CustomFields;
  version: number;
  workflow: Workflow;
  plan: Action[];
  next: number;
  /** Citizen requests: the hotline's record of it, as last journaled (or about to be). */
  hotline: HotlineTicketRecord | null;
}

interface Pending {
  at: number;
  seq: number;
  live: Live;
}

/** A binary min-heap of each live ticket's next action, by time then by insertion. */
class Agenda {
  private items: Pending[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, live: Live): void {
    const item = { at, seq: this.seq++, live };
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p]!;
      if (!before(item, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = item;
  }

  peek(): Pending | undefined {
    return this.items[0];
  }

  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(a[r]!, a[l]!) ? r : l;
        const child = a[c]!;
        if (!before(child, last)) break;
        a[i] = child;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

const isoDays = new Map<number, string>();

/** `new Date(ms).toISOString()` for whole milliseconds, without a Date per call (it is called per event). */
function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = isoDays.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (isoDays.size > 4096) isoDays.clear();
    isoDays.set(day, prefix);
  }
  let r = ms - day * DAY;
  const h = Math.floor(r / HOUR);
  r -= h * HOUR;
  const m = Math.floor(r / MINUTE);
  r -= m * MINUTE;
  const sec = Math.floor(r / 1000);
  const milli = r - sec * 1000;
  return `${prefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

const CHANNELS: readonly HotlineTicketRecord['channel'][] = ['phone', 'web', 'app', 'wechat', 'open311'];

function channelOf(value: unknown): HotlineTicketRecord['channel'] {
  return CHANNELS.find((c) => c === value) ?? 'phone';
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function checkOptions(options: DemoOptions): void {
  if (!Number.isInteger(options.count) || options.count < 0)
    throw new Error(`demo count must be a whole number ≥ 0 (got ${options.count})`);
  if (!Number.isInteger(options.seed)) throw new Error(`demo seed must be an integer (got ${options.seed})`);
  if (!Number.isFinite(options.now) || options.now < DEMO_DAYS * DAY)
    throw new Error(`demo now must be an epoch time in ms (got ${options.now})`);
}

/**
 * Creation times over the demo window, sorted, each with its ticket type: a daily rhythm per type
 * (more in office hours for the hotline, daylight for PV, shift starts for MES), fewer at
 * weekends, and a gentle upward trend towards `now`.
 */
function schedule(
  rng: Rng,
  lt: LocalTime,
  count: number,
  now: number,
  types: DemoType[],
): { times: Float64Array; kinds: Uint8Array } {
  const weights = types.map((t) => TYPE_MIX.find(([id]) => id === t)![1]);
  const start = now - DEMO_DAYS * DAY;
  const end = now - MINUTE;
  const raw = new Float64Array(count);
  const rawKinds = new Uint8Array(count);
  const maxW = types.map((t) => Math.max(...HOURLY[t]) * 1.15);
  for (let i = 0; i < count; i++) {
    const k = rng.index(weights);
    const type = types[k]!;
    let t: number;
    for (;;) {
      t = start + Math.floor(rng.next() * (end - start));
      const hour = Math.floor(lt.hourOfDay(t));
      const wd = lt.weekday(t);
      const trend = 0.85 + (0.3 * (t - start)) / (end - start);
      const w = HOURLY[type][hour]! * (wd === 0 || wd === 6 ? WEEKEND[type] : 1) * trend;
      if (rng.next() * maxW[k]! < w) break;
    }
    raw[i] = t;
    rawKinds[i] = k;
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => raw[a]! - raw[b]! || a - b);
  const times = new Float64Array(count);
  const kinds = new Uint8Array(count);
  order.forEach((from, to) => {
    times[to] = raw[from]!;
    kinds[to] = rawKinds[from]!;
  });
  return { times, kinds };
}

/**
 * Demo tickets as journaled domain events, in journal order and in batches (about
 * {@link BATCH_TICKETS} new tickets each), ready for `StoragePort.append`. Deterministic: the
 * same config, count, seed and now give byte-identical events.
 *
 * Every ticket is created, then lives through a valid path of its type's workflow: dispatch,
 * acceptance, comments, holds, escalations, resolution and closure by the people of the directory,
 * with versions, history changes and SLA times exactly as the ticket service writes them. Events
 * of all tickets are merged in time order, so the journal reads like a real control room's.
 */
export function* demoTicketEvents(config: ConfigDocument, options: DemoOptions): Generator<DomainEvent[]> {
  checkOptions(options);
  const { now, count } = options;
  const types = TYPE_MIX.map(([id]) => id).filter((id) => findType(config, id) && workflowOfType(config, id));
  if (types.length === 0) {
    throw new Error(
      `demo data needs at least one of the ticket types ${TYPE_MIX.map(([id]) => id).join(', ')} in the configuration`,
    );
  }
  if (count === 0) return;

  const lt = new LocalTime(config.timezone);
  const rng = Rng.derive(options.seed, 'content');
  const idRng = Rng.derive(options.seed, 'ids');
  const { times, kinds } = schedule(Rng.derive(options.seed, 'schedule'), lt, count, now, types);
  const people = new People(config);
  const w = world();
  const agenda = new Agenda();
  const counters = new Map<number, number>();
  const usedKeys = new Set<string>();
  let keysDay = '';
  const workflows = new Map(types.map((t) => [t, workflowOfType(config, t)!]));
  const matrixRows = defaultMatrixRows();
  const window = { start: now - DEMO_DAYS * DAY, now };

  // What later tickets link to.
  const recentCitizen: { live: Live; at: number; category: number; variant: number; place: CityPlace }[] = [];
  const lastPreventive = new Map<string, { live: Live; at: number }>();
  const lastLineFault = new Map<string, { live: Live; at: number }>();
  let outage: { parent: Live; site: Site; until: number; remaining: number } | null = null;

  let batch: DomainEvent[] = [];
  let createdInBatch = 0;

  const emit = (e: DomainEvent): void => {
    batch.push(e);
  };

  const change = (
    live: Live,
    at: string,
    actor: ActorRef,
    action: TicketChanged['action'],
    set: TicketSet,
    changes: FieldChange[],
    extra: Pick<TicketChanged, 'comment' | 'note'> = {},
  ): void => {
    live.version += 1;
    emit({
      v: 1,
      type: 'ticket.changed',
      at,
      actor,
      id: live.id,
      version: live.version,
      action,
      set,
      changes,
      ...(extra.comment && { comment: extra.comment }),
      ...(extra.note && { note: extra.note }),
    });
  };

  /** Applies one planned action the way TicketService would, emitting its event(s). */
  const perform = (live: Live, a: Action): void => {
    const atIso = iso(a.at);
    switch (a.k) {
      case 'assign': {
        const sla = a.assignee && !live.sla.respondedAt ? { ...live.sla, respondedAt: atIso } : undefined;
        const from = live.assignee;
        live.assignee = a.assignee;
        if (sla) live.sla = sla;
        change(
          live,
          atIso,
          a.actor,
          'assigned',
          { assignee: a.assignee, ...(sla && { sla }) },
          [{ field: 'assignee', from, to: a.assignee }],
          {
            ...(a.note && { note: a.note }),
          },
        );
        return;
      }
      case 'to': {
        const tr = transitionsFrom(live.workflow, live.status).find((t) => t.to === a.to);
        if (!tr || (tr.requiresNote && !a.note) || (tr.requiresAssignee && !live.assignee)) {
          throw new Error(`demo generator bug: ${live.number} cannot go ${live.status} → ${a.to}`);
        }
        const target = findState(live.workflow, a.to)!;
        const done = target.category === 'resolved' || target.category === 'closed';
        const sla = {
          ...live.sla,
          respondedAt: live.sla.respondedAt ?? atIso,
          resolvedAt: done ? (live.sla.resolvedAt ?? atIso) : null,
        };
        const from = live.status;
        live.status = a.to;
        live.sla = sla;
        change(
          live,
          atIso,
          a.actor,
          'transitioned',
          { status: a.to, sla },
          [{ field: 'status', from, to: a.to }],
          {
            ...(a.note && { note: a.note }),
          },
        );
        return;
      }
      case 'comment': {
        const comment = { id: ulid(a.at, idRng.prng), at: atIso, author: a.actor, body: a.body };
        change(live, atIso, a.actor, 'commented', {}, [], { comment });
        return;
      }
      case 'priority': {
        if (a.priority === live.priority) return;
        const from = live.priority;
        live.priority = a.priority;
        live.sla = reprioritizedSla(config, live.typeId, a.priority, live.createdAt, live.sla);
        change(
          live,
          atIso,
          a.actor,
          'updated',
          { priority: a.priority, sla: live.sla },
          [{ field: 'priority', from, to: a.priority }],
          {
            ...(a.note && { note: a.note }),
          },
        );
        return;
      }
      case 'fields': {
        const merged = { ...live.fields, ...a.fields };
        const from = live.fields;
        live.fields = merged;
        change(live, atIso, a.actor, 'updated', { fields: merged }, [{ field: 'fields', from, to: merged }], {
          ...(a.note && { note: a.note }),
        });
        return;
      }
      case 'hotline': {
        if (!live.hotline) throw new Error(`demo generator bug: ${live.number} has no hotline record`);
        live.hotline = applyHotlineOp(live.hotline, a.op, atIso, a.actor);
        emit({
          v: 1,
          type: 'record.put',
          at: atIso,
          actor: a.actor,
          ns: NS_HOTLINE_TICKET,
          id: live.id,
          doc: live.hotline,
        });
        return;
      }
      case 'link': {
        const target = linkTargets.get(a.target.id);
        if (!target) throw new Error(`demo generator bug: link target ${a.target.number} is gone`);
        releaseTarget(target.id);
        const back = RECIPROCAL[a.kind];
        if (live.links.some((l) => l.kind === a.kind && l.ticketId === target.id)) return;
        live.links = [...live.links, { kind: a.kind, ticketId: target.id, number: target.number }];
        change(live, atIso, a.actor, 'linked', { links: live.links }, [
          { field: 'links', from: null, to: `${a.kind}:${target.number}` },
        ]);
        if (!target.links.some((l) => l.kind === back && l.ticketId === live.id)) {
          target.links = [...target.links, { kind: back, ticketId: live.id, number: live.number }];
          change(target, atIso, a.actor, 'linked', { links: target.links }, [
            { field: 'links', from: null, to: `${back}:${live.number}` },
          ]);
        }
        return;
      }
    }
  };

  // Link targets stay reachable (by id) until the link that names them has been written.
  const linkTargets = new Map<string, Live>();
  const targetUses = new Map<string, number>();
  const holdTarget = (live: Live): void => {
    linkTargets.set(live.id, live);
    targetUses.set(live.id, (targetUses.get(live.id) ?? 0) + 1);
  };
  const releaseTarget = (id: string): void => {
    const n = (targetUses.get(id) ?? 1) - 1;
    if (n <= 0) {
      targetUses.delete(id);
      linkTargets.delete(id);
    } else targetUses.set(id, n);
  };

  const drainUntil = (t: number): void => {
    for (let top = agenda.peek(); top && top.at <= t; top = agenda.peek()) {
      agenda.pop();
      const live = top.live;
      perform(live, live.plan[live.next++]!);
      if (live.next < live.plan.length) agenda.push(live.plan[live.next]!.at, live);
      else live.plan = [];
    }
  };

  const ctxOf = (at: number): StoryContext => ({
    rng,
    at,
    lt,
    noc: people.noc,
    hotline: people.hotline,
    qa: people.qa,
  });

  for (let i = 0; i < count; i++) {
    const at = times[i]!;
    drainUntil(at);
    const type = types[kinds[i]!]!;
    const workflow = workflows.get(type)!;
    const priority = rng.weighted(PRIORITIES, PRIORITY_MIX[type]);
    const ctx = ctxOf(at);
    let story: Story;
    let link: LifeInput['link'];
    let citizen: { category: number; variant: number; place: CityPlace } | null = null;
    let intake: IntakeDecision | null = null;
    let device: Device | undefined;
    let becomesOutage = false;

    switch (type) {
      case 'citizen-request': {
        // A repeat call about something reported in the last three days.
        const earlier = recentCitizen.length > 0 && rng.chance(0.025) ? rng.pick(recentCitizen) : null;
        const dup = earlier && at - earlier.at < 3 * DAY ? earlier : null;
        const s = citizenStory(ctx, {
          priority: dup ? dup.live.priority : priority,
          ...(dup && { duplicateOf: { category: dup.category, variant: dup.variant, place: dup.place } }),
        });
        if (dup) {
          holdTarget(dup.live);
          link = { kind: 'duplicate', target: dup.live };
        }
        citizen = { category: s.categoryIndex, variant: s.variant, place: s.place };
        const c = CATEGORIES[s.categoryIndex]!;
        const owner = people.dept(s.routing.dept, rng);
        const wrong = people.dept(s.routing.wrongDept, rng);
        if (owner && wrong) {
          intake = decideIntake(
            rng,
            c,
            s.place,
            matrixRows,
            {
              owner: owner.id,
              wrong: wrong.id,
              wrongPath: c.wrongPaths[c.wrong.indexOf(s.routing.wrongDept!)] ?? c.taxonomyPath,
            },
            misrouteFactor(at, window, lt, options.seed),
          );
          // The ticket is created with the category it is dispatched with.
          s.fields = { ...s.fields, category: intake.plan.chosenCategory };
        }
        story = s;
        break;
      }
      case 'device-fault': {
        if (outage && (at > outage.until || outage.remaining <= 0)) outage = null;
        if (outage && rng.chance(0.7)) {
          const site = outage.site;
          device = rng.pick(w.devices['pv-inverter'].filter((d) => d.site === site));
          story = deviceFaultStory(ctx, {
            priority: rng.chance(0.5) ? 'P2' : 'P3',
            device,
            fault: '通讯中断',
          });
          holdTarget(outage.parent);
          link = {
            kind: 'parent',
            target: outage.parent,
            note: `${site.short}全站通讯中断，本告警为其子告警，随主工单一并处理。`,
          };
          outage.remaining -= 1;
        } else if (priority === 'P1' && rng.chance(0.05)) {
          device = rng.pick(w.devices['pv-inverter']);
          story = deviceFaultStory(ctx, { priority: 'P1', device, siteOutage: true });
          becomesOutage = true;
        } else {
          story = deviceFaultStory(ctx, { priority });
          device = story.facts.device;
          const pm = device ? lastPreventive.get(device.sn) : undefined;
          if (pm && at - pm.at < 14 * DAY && at - pm.at > HOUR && rng.chance(0.03)) {
            holdTarget(pm.live);
            link = {
              kind: 'related',
              target: pm.live,
              note: `该设备 ${lt.monthDay(pm.at)} 已有预测性维护工单 ${pm.live.number}，预测命中，关联处理。`,
            };
          }
        }
        break;
      }
      case 'preventive-maintenance': {
        // Idempotency keys carry the local day, so only today's keys can collide.
        const day = lt.isoDate(at);
        if (day !== keysDay) {
          usedKeys.clear();
          keysDay = day;
        }
        story = preventiveStory(ctx, priority, usedKeys);
        break;
      }
      case 'process-anomaly': {
        story = processAnomalyStory(ctx, priority);
        const key = story.facts.lineKey;
        const fault = key ? lastLineFault.get(key) : undefined;
        if (fault && at - fault.at < 2 * DAY && rng.chance(0.06)) {
          holdTarget(fault.live);
          link = {
            kind: 'related',
            target: fault.live,
            note: `与设备故障工单 ${fault.live.number} 同一产线，可能相关。`,
          };
        }
        break;
      }
    }

    // Identity: ULID from the seeded stream; number per local year, in creation order.
    const year = lt.year(at);
    const n = (counters.get(year) ?? 0) + 1;
    counters.set(year, n);
    const id = ulid(at, idRng.prng);
    const number = formatTicketNumber(config.numbering.prefix, year, n);
    const atIso = iso(at);
    const type0 = findType(config, type)!;
    const policy = config.slaPolicies.find((p) => p.id === type0.slaPolicyId);
    const target = policy?.targets[story.priority];
    const assignee = !story.routedAtCreation
      ? null
      : type === 'citizen-request'
        ? intake
          ? { kind: 'department' as const, id: intake.plan.departments[0]! }
          : people.dept(rng.chance(0.07) ? story.routing.wrongDept : story.routing.dept, rng)
        : people.team(story.routing.team, rng);
    const sla = initialSla(config, type, story.priority, atIso);
    const ticket: TicketCreated['ticket'] = {
      id,
      number,
      typeId: type,
      title: story.title,
      description: story.description,
      priority: story.priority,
      status: workflow.initial,
      assignee,
      source: story.source,
      businessKeys: story.businessKeys,
      domains: [...new Set(story.domains)],
      location: story.location ? { ...story.location } : null,
      fields: story.fields,
      links: [],
      sla,
      version: 1,
      createdAt: atIso,
      updatedAt: atIso,
      createdBy: story.createdBy,
      configVersion: config.version,
      idempotencyKey: story.idempotencyKey,
    };
    emit({ v: 1, type: 'ticket.created', at: atIso, actor: story.createdBy, ticket });

    const input: LifeInput = {
      story,
      created: at,
      now,
      rng,
      lt,
      people,
      workflow,
      target,
      assignee,
      ...(link && { link }),
      ...(intake && { hotline: intake.plan }),
    };
    const fate: Fate = decideFate(input);
    let plan: Plan;
    if (workflow.id === 'wf-citizen' || type === 'citizen-request') plan = planCitizen(input, fate);
    else if (type === 'preventive-maintenance') plan = planPreventive(input, fate);
    else plan = planOps(input, fate);

    const live: Live = {
      id,
      number,
      typeId: type,
      createdAt: atIso,
      priority: story.priority,
      status: workflow.initial,
      assignee,
      sla,
      links: [],
      fields: story.fields,
      version: 1,
      workflow,
      plan: plan.actions,
      next: 0,
      hotline: intake
        ? intakeRecord(
            {
              ...ticket,
              channel: channelOf(story.fields['channel']),
              externalId: story.businessKeys['callId'] ?? story.businessKeys['sessionId'] ?? null,
              callerName: stringField(story.fields['callerName']),
              callerPhone: stringField(story.fields['callerPhone']),
            },
            citizen!.place,
            intake,
          )
        : null,
    };
    if (plan.actions.length > 0) agenda.push(plan.actions[0]!.at, live);
    // A link that never happened (the plan stopped before it) releases its target.
    if (link && !plan.actions.some((a) => a.k === 'link')) releaseTarget(link.target.id);

    if (citizen) {
      recentCitizen.push({ live, at, ...citizen });
      if (recentCitizen.length > 400) recentCitizen.shift();
    }
    if (type === 'preventive-maintenance' && story.facts.device)
      lastPreventive.set(story.facts.device.sn, { live, at });
    if (type === 'device-fault' && device?.line)
      lastLineFault.set(`${device.line.factory.code}/${device.line.code}`, { live, at });
    if (becomesOutage && device)
      outage = { parent: live, site: device.site, until: at + 2 * HOUR, remaining: rng.int(2, 4) };

    if (++createdInBatch >= BATCH_TICKETS) {
      yield batch;
      batch = [];
      createdInBatch = 0;
    }
  }
  drainUntil(Number.POSITIVE_INFINITY);
  if (batch.length > 0) yield batch;
}

/**
 * Seeds an empty store with demo tickets: appends the generator's batches one after the other
 * (generating the next batch while the previous one is being made durable) and reports progress
 * in tickets. Refuses a store that already holds tickets. Publishes `config` first when the store
 * has no configuration yet. Returns the tickets created and the events appended.
 */
export async function seedDemoData(
  storage: StoragePort,
  config: ConfigDocument,
  options: DemoOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<{ tickets: number; events: number }> {
  checkOptions(options);
  const existing = storage.counts().tickets;
  if (existing > 0) {
    throw new Error(
      `refusing to seed demo data: the store already holds ${existing.toLocaleString('en-US')} tickets (demo data only goes into an empty store)`,
    );
  }
  let events = 0;
  let tickets = 0;
  if (!(await storage.latestConfig())) {
    await storage.append([
      {
        v: 1,
        type: 'config.published',
        at: new Date(options.now - DEMO_DAYS * DAY - HOUR).toISOString(),
        actor: SYSTEM,
        config,
      },
    ]);
    events += 1;
  }
  onProgress?.(0, options.count);
  let pending: Promise<void> = Promise.resolve();
  try {
    for (const batch of demoTicketEvents(config, options)) {
      await pending;
      pending = storage.append(batch);
      events += batch.length;
      for (const e of batch) if (e.type === 'ticket.created') tickets += 1;
      onProgress?.(tickets, options.count);
    }
  } finally {
    await pending;
  }
  return { tickets, events };
}
