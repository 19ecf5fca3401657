import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValid as isUlid, decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { DONE_CATEGORIES, TicketListParams, type ConfigDocument, type Ticket } from '@shared/contract';
import {
  findType,
  initialSla,
  slaPhase,
  statusCategories,
  transitionsFrom,
  validateFields,
  workflowOfType,
} from '@shared/domain';
import { defaultConfig } from '@shared/domain';
import { createCore } from '../create-core';
import type { DomainEvent, TicketChanged, TicketCreated, TicketEvent } from '../events';
import { silentLogger, type StoragePort } from '../ports';
import { Serializer } from '../rpc/serializer';
import { FileStore } from '../store/file-store';
import { applyTicketEvent } from '../tickets/reducer';
import { startOfDayIn, yearIn } from '../tickets/ticket-numbers';
import { TicketService } from '../tickets/ticket-service';
import { DISTRICTS, HANGZHOU_BBOX } from './geo';
import { isValidVin } from './keys';
import { demoTicketEvents, seedDemoData, type DemoOptions } from './seed-demo';

const config: ConfigDocument = defaultConfig('2025-01-01T00:00:00.000Z');
/** A Wednesday, 14:30 in Hangzhou. */
const NOW = Date.parse('2026-03-18T06:30:00.000Z');
const HOUR = 3_600_000;

function collect(options: DemoOptions, cfg = config): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (const batch of demoTicketEvents(cfg, options)) out.push(...batch);
  return out;
}

function fold(events: DomainEvent[]): Map<string, Ticket> {
  const tickets = new Map<string, Ticket>();
  for (const e of events) {
    if (e.type === 'ticket.created') tickets.set(e.ticket.id, applyTicketEvent(undefined, e));
    else if (e.type === 'ticket.changed') tickets.set(e.id, applyTicketEvent(tickets.get(e.id), e));
  }
  return tickets;
}

const stream = collect({ count: 1_500, seed: 7, now: NOW });
const tickets = fold(stream);
const big = collect({ count: 20_000, seed: 42, now: NOW });
const bigTickets = fold(big);
const categories = statusCategories(config);
const isOpen = (t: Ticket): boolean => !DONE_CATEGORIES.includes(categories.get(t.status)!);

describe('demoTicketEvents: determinism and shape', () => {
  it('gives byte-identical output for the same seed and different output for another', () => {
    const again = collect({ count: 1_500, seed: 7, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(stream));
    const other = collect({ count: 1_500, seed: 8, now: NOW });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(stream));
  });

  it('yields batches of about a thousand new tickets', () => {
    const sizes = [...demoTicketEvents(config, { count: 2_500, seed: 3, now: NOW })].map(
      (b) => b.filter((e) => e.type === 'ticket.created').length,
    );
    expect(sizes).toEqual([1_000, 1_000, 500]);
  });

  it('creates exactly `count` tickets with unique ULIDs and unique, increasing numbers per local year', () => {
    const created = stream.filter((e): e is TicketCreated => e.type === 'ticket.created');
    expect(created).toHaveLength(1_500);
    expect(tickets.size).toBe(1_500);
    const ids = new Set(created.map((e) => e.ticket.id));
    expect(ids.size).toBe(1_500);
    for (const e of created) {
      expect(isUlid(e.ticket.id)).toBe(true);
      expect(decodeTime(e.ticket.id)).toBe(Date.parse(e.at));
    }
    const lastByYear = new Map<number, number>();
    let lastAt = 0;
    for (const e of created) {
      const at = Date.parse(e.at);
      expect(at).toBeGreaterThanOrEqual(lastAt);
      lastAt = at;
      const m = /^WF-(\d{4})-(\d{6})$/.exec(e.ticket.number)!;
      expect(m).not.toBeNull();
      const year = Number(m[1]);
      expect(year).toBe(yearIn(config.timezone, at));
      expect(Number(m[2])).toBe((lastByYear.get(year) ?? 0) + 1);
      lastByYear.set(year, Number(m[2]));
    }
  });

  it('restarts numbering on local New Year when the window spans it', () => {
    const now = Date.parse('2026-01-20T02:00:00.000Z');
    const created = collect({ count: 900, seed: 5, now }).filter(
      (e): e is TicketCreated => e.type === 'ticket.created',
    );
    const years = [...new Set(created.map((e) => e.ticket.number.slice(3, 7)))];
    expect(years).toEqual(['2025', '2026']);
    expect(created.find((e) => e.ticket.number.startsWith('WF-2026-'))!.ticket.number).toBe('WF-2026-000001');
  });

  it('keeps every event at or before now, in journal time order, each ticket with consecutive versions', () => {
    const problems: string[] = [];
    const last = new Map<string, { at: number; version: number }>();
    let prev = 0;
    for (const e of big) {
      const at = Date.parse(e.at);
      if (at > NOW) problems.push(`${e.at} is after now`);
      if (new Date(at).toISOString() !== e.at) problems.push(`${e.at} is not a canonical UTC time`);
      if (at < prev) problems.push(`${e.at} is earlier than the event before it in the journal`);
      prev = at;
      if (e.type === 'ticket.created') {
        if (last.has(e.ticket.id)) problems.push(`${e.ticket.number} is created twice`);
        last.set(e.ticket.id, { at, version: 1 });
      } else if (e.type === 'ticket.changed') {
        const before = last.get(e.id);
        if (!before) problems.push(`${e.id} changes before it is created`);
        else if (e.version !== before.version + 1)
          problems.push(`${e.id}: version ${e.version} after ${before.version}`);
        last.set(e.id, { at, version: e.version });
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('refuses bad options and configurations without the demo types', () => {
    expect(() => collect({ count: -1, seed: 1, now: NOW })).toThrow(/count/);
    expect(() => collect({ count: 1.5, seed: 1, now: NOW })).toThrow(/count/);
    expect(() => collect({ count: 10, seed: 1, now: Number.NaN })).toThrow(/now/);
    expect(collect({ count: 0, seed: 1, now: NOW })).toEqual([]);
    const foreign = { ...config, types: config.types.map((t) => ({ ...t, id: `x-${t.id}` })) };
    expect(() => collect({ count: 10, seed: 1, now: NOW }, foreign)).toThrow(/ticket types/);
  });
});

describe('demoTicketEvents: every ticket lives a valid life', () => {
  it('replays through the real TicketService command by command with identical events', async () => {
    // The service decides each command against the state folded from the demo's own events; its
    // events must equal the demo's (ids of new tickets and comments aside, which it mints itself).
    const byId = new Map<string, TicketEvent[]>();
    let clock = 0;
    let captured: DomainEvent[] = [];
    let nextNumber = 1;
    const storage = {
      kind: 'memory',
      append: async (events: DomainEvent[]) => {
        captured.push(...events);
      },
      ticketEvents: async (id: string) => byId.get(id) ?? [],
      findTicket: async (lookup: { id?: string }) => (lookup.id && byId.has(lookup.id) ? lookup.id : null),
      nextTicketNumber: async () => nextNumber,
    } as unknown as StoragePort;
    const service = new TicketService(
      storage,
      { now: () => clock },
      new Serializer(),
      () => config,
      () => undefined,
    );
    const norm = (e: DomainEvent, like: DomainEvent): string => {
      if (e.type === 'ticket.created' && like.type === 'ticket.created') {
        return JSON.stringify({ ...e, ticket: { ...e.ticket, id: like.ticket.id } });
      }
      if (e.type === 'ticket.changed' && like.type === 'ticket.changed' && e.comment && like.comment) {
        return JSON.stringify({ ...e, comment: { ...e.comment, id: like.comment.id } });
      }
      return JSON.stringify(e);
    };
    const record = (e: TicketEvent): void => {
      const id = e.type === 'ticket.created' ? e.ticket.id : e.id;
      byId.set(id, [...(byId.get(id) ?? []), e]);
    };

    for (let i = 0; i < stream.length; i++) {
      const e = stream[i]!;
      if (e.type !== 'ticket.created' && e.type !== 'ticket.changed') continue;
      clock = Date.parse(e.at);
      captured = [];
      const ctx = { actor: e.actor };
      if (e.type === 'ticket.created') {
        const t = e.ticket;
        nextNumber = Number(t.number.slice(-6));
        await service.create(
          {
            typeId: t.typeId,
            title: t.title,
            description: t.description,
            priority: t.priority,
            assignee: t.assignee,
            source: t.source,
            businessKeys: t.businessKeys,
            domains: t.domains,
            location: t.location,
            fields: t.fields,
            ...(t.idempotencyKey !== null && { idempotencyKey: t.idempotencyKey }),
          },
          ctx,
        );
        expect(captured).toHaveLength(1);
        expect(norm(captured[0]!, e)).toBe(JSON.stringify(e));
        record(e);
        continue;
      }
      const base = { id: e.id, version: e.version - 1, ...(e.note !== undefined && { note: e.note }) };
      switch (e.action) {
        case 'assigned':
          await service.assign({ ...base, assignee: e.set.assignee ?? null }, ctx);
          break;
        case 'transitioned':
          await service.transition({ ...base, to: e.set.status! }, ctx);
          break;
        case 'commented':
          await service.comment({ id: e.id, version: e.version - 1, body: e.comment!.body }, ctx);
          break;
        case 'updated':
          await service.update(
            {
              ...base,
              patch: {
                ...(e.set.priority && { priority: e.set.priority }),
                ...(e.set.fields && { fields: e.set.fields }),
              },
            },
            ctx,
          );
          break;
        case 'linked': {
          const link = e.set.links!.at(-1)!;
          await service.link(
            { id: e.id, version: e.version - 1, op: 'add', kind: link.kind, targetId: link.ticketId },
            ctx,
          );
          break;
        }
        default:
          throw new Error(`unexpected action ${e.action}`);
      }
      expect(captured.length).toBeGreaterThan(0);
      for (let k = 0; k < captured.length; k++) {
        const mine = stream[i + k]!;
        expect(norm(captured[k]!, mine)).toBe(JSON.stringify(mine));
        record(mine as TicketEvent);
      }
      i += captured.length - 1;
    }
  }, 60_000);

  it('walks only allowed transitions, with notes and assignees where the workflow demands them', () => {
    const problems: string[] = [];
    let transitions = 0;
    const state = new Map<string, { status: string; assigned: boolean; typeId: string }>();
    for (const e of big) {
      if (e.type === 'ticket.created') {
        state.set(e.ticket.id, {
          status: e.ticket.status,
          assigned: e.ticket.assignee !== null,
          typeId: e.ticket.typeId,
        });
        continue;
      }
      if (e.type !== 'ticket.changed') continue;
      const s = state.get(e.id)!;
      if (e.action === 'assigned') s.assigned = e.set.assignee !== null && e.set.assignee !== undefined;
      if (e.action !== 'transitioned') continue;
      const wf = workflowOfType(config, s.typeId)!;
      const tr = transitionsFrom(wf, s.status).find((t) => t.to === e.set.status);
      if (!tr) problems.push(`${s.status} → ${e.set.status} is not allowed in ${wf.id}`);
      else if (tr.requiresNote && !e.note?.trim())
        problems.push(`${s.status} → ${e.set.status} without a note`);
      else if (tr.requiresAssignee && !s.assigned)
        problems.push(`${s.status} → ${e.set.status} without an assignee`);
      s.status = e.set.status!;
      transitions++;
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(transitions).toBeGreaterThan(big.length / 2);
  });

  it('assigns only directory entries that fit the type', () => {
    const dir = config.directory;
    const exists = (a: { kind: string; id: string }): boolean =>
      (a.kind === 'user' ? dir.users : a.kind === 'team' ? dir.teams : dir.departments).some(
        (x) => x.id === a.id,
      );
    const bureaus = new Set(['dept-urban', 'dept-housing', 'dept-env', 'dept-transport', 'dept-water']);
    const problems: string[] = [];
    for (const e of big) {
      const assignee =
        e.type === 'ticket.created' ? e.ticket.assignee : e.type === 'ticket.changed' ? e.set.assignee : null;
      if (!assignee) continue;
      if (!exists(assignee)) problems.push(`${assignee.kind} ${assignee.id} is not in the directory`);
      const t = bigTickets.get(e.type === 'ticket.created' ? e.ticket.id : (e as TicketChanged).id)!;
      const bureau = assignee.kind === 'department' && bureaus.has(assignee.id);
      if (bureau !== (t.typeId === 'citizen-request'))
        problems.push(`${t.number} (${t.typeId}) assigned to ${assignee.id}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('keeps custom fields valid for their type, at creation and at the end', () => {
    const issues = [
      ...[...bigTickets.values()].flatMap((t) => validateFields(findType(config, t.typeId)!, t.fields, true)),
      ...big.flatMap((e) =>
        e.type === 'ticket.created'
          ? validateFields(findType(config, e.ticket.typeId)!, e.ticket.fields, true)
          : [],
      ),
    ];
    expect(issues).toEqual([]);
  });

  it('keeps SLA times consistent: due times from the policy, responded and resolved as the service sets them', () => {
    const problems: string[] = [];
    // The rules of TicketService, replayed independently of the generator.
    const sla = new Map<string, { responded: string | null; resolved: string | null }>();
    for (const e of big) {
      if (e.type === 'ticket.created') {
        sla.set(e.ticket.id, { responded: null, resolved: null });
        continue;
      }
      if (e.type !== 'ticket.changed') continue;
      const s = sla.get(e.id)!;
      if (e.action === 'transitioned') {
        s.responded ??= e.at;
        s.resolved = DONE_CATEGORIES.includes(categories.get(e.set.status!)!) ? (s.resolved ?? e.at) : null;
      } else if (e.action === 'assigned' && e.set.assignee) {
        s.responded ??= e.at;
      }
      if (e.set.sla && (e.set.sla.respondedAt !== s.responded || e.set.sla.resolvedAt !== s.resolved)) {
        problems.push(
          `${e.id} v${e.version}: sla ${JSON.stringify(e.set.sla)} expected ${JSON.stringify(s)}`,
        );
      }
    }
    for (const t of bigTickets.values()) {
      const due = initialSla(config, t.typeId, t.priority, t.createdAt);
      const s = sla.get(t.id)!;
      if (
        t.sla.responseDueAt !== due.responseDueAt ||
        t.sla.resolveDueAt !== due.resolveDueAt ||
        t.sla.policyId !== due.policyId
      ) {
        problems.push(`${t.number}: due times ${JSON.stringify(t.sla)} do not follow the policy`);
      }
      if (t.sla.respondedAt !== s.responded || t.sla.resolvedAt !== s.resolved)
        problems.push(`${t.number}: final SLA differs`);
      if ((t.sla.resolvedAt === null) !== isOpen(t))
        problems.push(`${t.number}: resolvedAt ${t.sla.resolvedAt} in ${t.status}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('links both sides of every link', () => {
    const back = { parent: 'child', child: 'parent', related: 'related', duplicate: 'duplicate' } as const;
    let links = 0;
    for (const t of bigTickets.values()) {
      for (const l of t.links) {
        links++;
        const other = bigTickets.get(l.ticketId)!;
        expect(other.number).toBe(l.number);
        expect(
          other.links.some((x) => x.kind === back[l.kind] && x.ticketId === t.id && x.number === t.number),
        ).toBe(true);
      }
    }
    const kinds = new Set([...bigTickets.values()].flatMap((t) => t.links.map((l) => l.kind)));
    expect(kinds).toEqual(new Set(['duplicate', 'parent', 'child', 'related']));
    expect(links).toBeGreaterThan(100);
  });
});

describe('demoTicketEvents: realism', () => {
  const all = [...bigTickets.values()];
  const share = (pred: (t: Ticket) => boolean, list = all): number => list.filter(pred).length / list.length;

  it('mixes types and priorities as a control room sees them', () => {
    expect(share((t) => t.typeId === 'citizen-request')).toBeCloseTo(0.35, 1);
    expect(share((t) => t.typeId === 'device-fault')).toBeCloseTo(0.3, 1);
    expect(share((t) => t.typeId === 'preventive-maintenance')).toBeCloseTo(0.2, 1);
    expect(share((t) => t.typeId === 'process-anomaly')).toBeCloseTo(0.15, 1);
    const within = (x: number, target: number, tol: number): void =>
      expect(Math.abs(x - target)).toBeLessThan(tol);
    within(
      share((t) => t.priority === 'P1'),
      0.05,
      0.02,
    );
    within(
      share((t) => t.priority === 'P2'),
      0.2,
      0.03,
    );
    within(
      share((t) => t.priority === 'P3'),
      0.5,
      0.03,
    );
    within(
      share((t) => t.priority === 'P4'),
      0.25,
      0.03,
    );
    // Type-dependent: device faults are more often urgent than citizen requests.
    const urgent = (type: string): number =>
      share(
        (t) => t.priority === 'P1' || t.priority === 'P2',
        all.filter((t) => t.typeId === type),
      );
    expect(urgent('device-fault')).toBeGreaterThan(urgent('citizen-request') * 2);
  });

  it('closes old tickets, keeps recent ones open, and leaves the wall something to show', async () => {
    const age = (t: Ticket): number => NOW - Date.parse(t.createdAt);
    const old = all.filter((t) => age(t) > 30 * 24 * HOUR);
    const recent = all.filter((t) => age(t) < 6 * HOUR);
    expect(share((t) => !isOpen(t), old)).toBeGreaterThan(0.95);
    expect(share(isOpen, recent)).toBeGreaterThan(0.6);
    const open = all.filter(isOpen);
    const breached = open.filter((t) => slaPhase(t.sla, NOW) === 'breached');
    const atRisk = open.filter((t) => slaPhase(t.sla, NOW) === 'at-risk');
    expect(breached.length).toBeGreaterThan(20);
    expect(atRisk.length).toBeGreaterThan(2);
    expect(open.length).toBeLessThan(all.length * 0.2);
    // Some resolved late, most in time.
    const resolved = all.filter((t) => t.sla.resolvedAt && t.status !== 'cancelled');
    const late = resolved.filter((t) => slaPhase(t.sla, NOW) === 'breached');
    expect(late.length / resolved.length).toBeGreaterThan(0.03);
    expect(late.length / resolved.length).toBeLessThan(0.3);
  });

  it('follows a daily rhythm with more tickets in working hours', () => {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Shanghai',
      hour: 'numeric',
      hourCycle: 'h23',
    });
    const hour = (t: Ticket): number => Number(fmt.format(Date.parse(t.createdAt)));
    const sample = all.slice(0, 6_000);
    const day = sample.filter((t) => hour(t) >= 9 && hour(t) < 17).length / 8;
    const night = sample.filter((t) => hour(t) >= 1 && hour(t) < 5).length / 4;
    expect(day / night).toBeGreaterThan(1.8);
    const first = Date.parse(all[0]!.createdAt);
    expect(NOW - first).toBeGreaterThan(88 * 24 * HOUR);
    expect(NOW - first).toBeLessThanOrEqual(90 * 24 * HOUR);
  });

  it('places tickets inside Hangzhou with addresses and grid ids of the district', () => {
    const codes = new Map(DISTRICTS.map((d) => [d.code, d.name]));
    const b = HANGZHOU_BBOX;
    const problems: string[] = [];
    for (const t of all) {
      const loc = t.location;
      if (!loc) {
        problems.push(`${t.number} has no location`);
        continue;
      }
      if (!(loc.lng > b.minLng && loc.lng < b.maxLng && loc.lat > b.minLat && loc.lat < b.maxLat)) {
        problems.push(`${t.number} at ${loc.lng},${loc.lat} is outside Hangzhou`);
      }
      const m = /^(\d{6})-\d{3}-\d{3}$/.exec(loc.gridId ?? '');
      if (!m || !loc.address?.includes(`杭州市${codes.get(m[1]!)}`))
        problems.push(`${t.number}: ${loc.gridId} / ${loc.address}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // Spread over the city, not piled on one point.
    expect(new Set(all.map((t) => t.location!.gridId)).size).toBeGreaterThan(500);
    expect(new Set(all.map((t) => t.location!.gridId!.slice(0, 6))).size).toBe(DISTRICTS.length);
  });

  it('carries the business keys and caller details each kind of ticket needs', () => {
    for (const t of all) {
      const k = t.businessKeys;
      switch (t.typeId) {
        case 'citizen-request':
          expect(k.callId ?? k.sessionId).toBeTruthy();
          if (k.callId) expect(k.callId).toMatch(/^HZ12345-\d{8}-\d{6}-\d{4}$/);
          expect(t.fields.callerName).toMatch(/^.(先生|女士)$/);
          expect(t.fields.callerPhone).toMatch(/^(1\d{2}\*{4}\d{4}|0571-\*{4}\d{4})$/);
          expect(t.domains).toEqual([]);
          break;
        case 'device-fault':
          expect(k.deviceSn ?? k.siteId).toBeTruthy();
          if (t.domains.includes('after-sales')) expect(k.orderNo).toMatch(/^AS\d{14}$/);
          break;
        case 'preventive-maintenance':
          expect(k.deviceSn).toBeTruthy();
          expect(t.fields.riskScore).toBeGreaterThanOrEqual(35);
          expect(t.source).toBe('predictive');
          break;
        case 'process-anomaly':
          expect(k.batchNo).toBeTruthy();
          if (k.vin) {
            expect(isValidVin(k.vin)).toBe(true);
            expect(k.orderNo).toBeTruthy();
            expect(t.domains).toContain('after-sales');
          }
          expect(t.domains).toContain('quality');
          break;
      }
    }
    expect(all.some((t) => t.businessKeys.vin)).toBe(true);
    expect(all.some((t) => t.businessKeys.deviceSn?.startsWith('INV-'))).toBe(true);
    expect(all.some((t) => t.businessKeys.deviceSn?.startsWith('WTG-'))).toBe(true);
    expect(all.some((t) => t.businessKeys.deviceSn?.startsWith('BLS-'))).toBe(true);
  });

  it('writes varied Chinese titles, descriptions and comments', () => {
    const titles = new Set(all.map((t) => t.title));
    expect(titles.size).toBeGreaterThan(all.length * 0.5);
    for (const t of all.slice(0, 2_000)) {
      expect(t.title).toMatch(/[\u4e00-\u9fff]/);
      expect(t.title.length).toBeLessThanOrEqual(200);
      expect(t.description.length).toBeGreaterThan(30);
    }
    const comments = new Set(all.flatMap((t) => t.comments.map((c) => c.body)));
    expect(comments.size).toBeGreaterThan(200);
    const notes = new Set(all.flatMap((t) => t.history.map((h) => h.note).filter(Boolean)));
    expect(notes.size).toBeGreaterThan(300);
  });
});

describe('seedDemoData into a FileStore', () => {
  it('seeds, lists, survives a restart, accepts commands and refuses a second seeding', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'wf-demo-'));
    const dir = join(tmp, 'data');
    try {
      const storage = await FileStore.open({ dir, logger: silentLogger });
      const clock = { now: () => NOW };
      const core = await createCore({ storage, host: 'in-process', version: 'test', clock });
      const progress: number[] = [];
      const result = await seedDemoData(
        storage,
        config,
        { count: 3_000, seed: 11, now: NOW },
        (done, total) => {
          expect(total).toBe(3_000);
          progress.push(done);
        },
      );
      expect(result.tickets).toBe(3_000);
      expect(progress.at(-1)).toBe(3_000);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(storage.counts().tickets).toBe(3_000);
      expect(storage.counts().events).toBe(result.events + 1); // + the configuration core published

      const all = await storage.listTickets(
        TicketListParams.parse({ sort: { field: 'number', dir: 'asc' }, limit: 500 }),
        NOW,
      );
      expect(all.total).toBe(3_000);
      const numbers: string[] = [];
      for (let offset = 0; offset < 3_000; offset += 500) {
        const page = await storage.listTickets(
          TicketListParams.parse({ sort: { field: 'createdAt', dir: 'asc' }, offset, limit: 500 }),
          NOW,
        );
        numbers.push(...page.items.map((t) => t.number));
      }
      expect(new Set(numbers).size).toBe(3_000);

      const open = await storage.listTickets(
        TicketListParams.parse({
          filter: { open: true, priority: ['P1', 'P2'] },
          sort: { field: 'resolveDueAt', dir: 'asc' },
        }),
        NOW,
      );
      expect(open.total).toBeGreaterThan(0);
      const hotline = await storage.listTickets(
        TicketListParams.parse({ filter: { typeId: ['citizen-request'], text: '噪音' } }),
        NOW,
      );
      expect(hotline.total).toBeGreaterThan(0);
      const byKey = await storage.listTickets(
        TicketListParams.parse({ filter: { businessKey: { key: 'deviceSn', value: 'INV-' } } }),
        NOW,
      );
      expect(byKey.total).toBeGreaterThan(0);
      const stats = await storage.stats(NOW, startOfDayIn(config.timezone, NOW));
      expect(stats.breached).toBeGreaterThan(0);
      expect(stats.createdToday).toBeGreaterThan(0);

      // The core works on demo tickets: the full ticket folds from the journal, commands apply.
      const first = open.items[0]!;
      const ticket = (await core.call('tickets/get', { number: first.number })) as Ticket;
      expect(ticket.history).toHaveLength(ticket.version);
      const wf = workflowOfType(config, ticket.typeId)!;
      const next = transitionsFrom(wf, ticket.status).find((t) => !t.requiresAssignee || ticket.assignee);
      expect(next).toBeDefined();
      const moved = (await core.call('tickets/transition', {
        id: ticket.id,
        version: ticket.version,
        to: next!.to,
        note: '演示数据验证',
      })) as Ticket;
      expect(moved.version).toBe(ticket.version + 1);
      await expect(seedDemoData(storage, config, { count: 10, seed: 1, now: NOW })).rejects.toThrow(
        /already holds 3,000 tickets/,
      );
      const openBefore = (await storage.listTickets(TicketListParams.parse({ filter: { open: true } }), NOW))
        .total;
      await core.close();

      const reopened = await FileStore.open({ dir, logger: silentLogger });
      expect(reopened.counts().tickets).toBe(3_000);
      const again = await reopened.listTickets(TicketListParams.parse({ filter: { open: true } }), NOW);
      expect(again.total).toBe(openBefore);
      await reopened.close();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('publishes the configuration first when the store has none', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'wf-demo-'));
    try {
      const storage = await FileStore.open({ dir: join(tmp, 'data'), logger: silentLogger });
      const result = await seedDemoData(storage, config, { count: 200, seed: 2, now: NOW });
      expect(await storage.latestConfig()).toEqual(config);
      expect(storage.counts()).toMatchObject({ tickets: 200, events: result.events });
      const list = await storage.listTickets(
        TicketListParams.parse({ filter: { open: false }, limit: 1 }),
        NOW,
      );
      expect(list.total).toBeGreaterThan(100);
      await storage.close();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
