import { monotonicFactory } from 'ulid';
import {
  ErrorCode,
  RpcError,
  type ActorRef,
  type Assignee,
  type ConfigDocument,
  type FieldChange,
  type LinkKind,
  type MethodInput,
  type Ticket,
  type TicketChange,
  type TicketLink,
} from '@shared/contract';
import {
  allowedTargets,
  findState,
  findType,
  initialSla,
  reprioritizedSla,
  transitionsFrom,
  validateFields,
  workflowOfType,
} from '@shared/domain';
import type { DomainEvent, TicketChanged, TicketCreated, TicketSet } from '../events';
import { bufferedCryptoPrng } from '../ids/fast-prng';
import type { Clock, StoragePort } from '../ports';
import type { Serializer } from '../rpc/serializer';
import { foldTicket, applyTicketEvent } from './reducer';
import { summaryOf } from './summary';
import { formatTicketNumber, yearIn } from './ticket-numbers';

export interface CommandContext {
  actor: ActorRef;
}

const RECIPROCAL: Record<LinkKind, LinkKind> = {
  parent: 'child',
  child: 'parent',
  related: 'related',
  duplicate: 'duplicate',
};
const CACHE_LIMIT = 5_000;

function invalid(path: string, message: string): RpcError {
  return new RpcError(ErrorCode.InvalidArgument, `${path}: ${message}`, { issues: [{ path, message }] });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Decision {
  events: DomainEvent[];
  result: Ticket;
  changes: TicketChange[];
}

/**
 * Ticket commands. Each decides against the current state inside the serializer, appends its
 * events, and returns once they are durable; the push to other clients follows the same moment.
 */
export class TicketService {
  private readonly ulid = monotonicFactory(bufferedCryptoPrng());
  /** Recently used tickets, so hot tickets are not re-folded from the journal on every command. */
  private readonly cache = new Map<string, Ticket>();

  constructor(
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly serializer: Serializer,
    private readonly config: () => ConfigDocument,
    private readonly publish: (changes: TicketChange[]) => void,
  ) {}

  async get(input: MethodInput<'tickets/get'>): Promise<Ticket> {
    const id = await this.storage.findTicket(input);
    if (!id)
      throw new RpcError(ErrorCode.NotFound, `ticket ${'id' in input ? input.id : input.number} not found`);
    return this.load(id);
  }

  private async load(id: string): Promise<Ticket> {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const ticket = foldTicket(await this.storage.ticketEvents(id));
    if (!ticket) throw new RpcError(ErrorCode.NotFound, `ticket ${id} not found`);
    this.remember(ticket);
    return ticket;
  }

  private remember(ticket: Ticket): void {
    this.cache.delete(ticket.id);
    this.cache.set(ticket.id, ticket);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
  }

  private async loadForWrite(id: string, version: number | undefined): Promise<Ticket> {
    const ticket = await this.load(id);
    if (version !== undefined && version !== ticket.version) {
      throw new RpcError(
        ErrorCode.Conflict,
        `ticket ${ticket.number} was changed by someone else (you have version ${version}, it is now ${ticket.version}); reload and try again`,
        { id, expectedVersion: version, actualVersion: ticket.version },
      );
    }
    return ticket;
  }

  /** Runs a decision in the serializer, appends its events and waits until they are durable. */
  private async command(decide: () => Promise<Decision | { unchanged: Ticket }>): Promise<Ticket> {
    const { durable, decision } = await this.serializer.run(async () => {
      const d = await decide();
      // The state it found may come from a command that is not durable yet: answer after it is.
      if ('unchanged' in d) return { durable: this.storage.whenDurable(), decision: d };
      const written = this.storage.append(d.events);
      // Other tickets a command touched (a link's far side) are re-read from the store when next used.
      for (const c of d.changes) if (c.ticket.id !== d.result.id) this.cache.delete(c.ticket.id);
      this.remember(d.result);
      return { durable: written, decision: d };
    });
    await durable;
    if ('unchanged' in decision) return decision.unchanged;
    this.publish(decision.changes);
    return decision.result;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private checkAssignee(assignee: Assignee | null | undefined, path: string): void {
    if (!assignee) return;
    const dir = this.config().directory;
    const list =
      assignee.kind === 'user' ? dir.users : assignee.kind === 'team' ? dir.teams : dir.departments;
    if (!list.some((x) => x.id === assignee.id))
      throw invalid(`${path}.id`, `no ${assignee.kind} ${assignee.id} in the directory`);
  }

  create(input: MethodInput<'tickets/create'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      if (input.idempotencyKey) {
        const existing = await this.storage.findTicket({ idempotencyKey: input.idempotencyKey });
        if (existing) return { unchanged: await this.load(existing) };
      }
      const config = this.config();
      const type = findType(config, input.typeId);
      if (!type)
        throw invalid(
          'typeId',
          `unknown ticket type ${input.typeId} (known: ${config.types.map((t) => t.id).join(', ')})`,
        );
      const workflow = workflowOfType(config, type.id)!;
      const fieldIssues = validateFields(type, input.fields, true);
      if (fieldIssues.length > 0) {
        throw new RpcError(ErrorCode.InvalidArgument, `${fieldIssues[0]!.path}: ${fieldIssues[0]!.message}`, {
          issues: fieldIssues,
        });
      }
      this.checkAssignee(input.assignee, 'assignee');
      const at = this.now();
      const year = yearIn(config.timezone, Date.parse(at));
      const number = formatTicketNumber(
        config.numbering.prefix,
        year,
        await this.storage.nextTicketNumber(year),
      );
      const priority = input.priority ?? type.defaultPriority;
      const fields = Object.fromEntries(Object.entries(input.fields).filter(([, v]) => v !== null));
      const ticket: TicketCreated['ticket'] = {
        id: this.ulid(Date.parse(at)),
        number,
        typeId: type.id,
        title: input.title,
        description: input.description,
        priority,
        status: workflow.initial,
        assignee: input.assignee ?? null,
        source: input.source,
        businessKeys: input.businessKeys,
        domains: [...new Set(input.domains)],
        location: input.location,
        fields,
        links: [],
        sla: initialSla(config, type.id, priority, at),
        version: 1,
        createdAt: at,
        updatedAt: at,
        createdBy: ctx.actor,
        configVersion: config.version,
        idempotencyKey: input.idempotencyKey ?? null,
      };
      const event: TicketCreated = { v: 1, type: 'ticket.created', at, actor: ctx.actor, ticket };
      const result = applyTicketEvent(undefined, event);
      return { events: [event], result, changes: [{ op: 'created', ticket: summaryOf(result) }] };
    });
  }

  /** One `ticket.changed` on one ticket; the common tail of update, transition, assign and comment. */
  private change(
    ticket: Ticket,
    ctx: CommandContext,
    action: TicketChanged['action'],
    set: TicketSet,
    changes: FieldChange[],
    extra: Pick<TicketChanged, 'comment' | 'note'> = {},
  ): Decision {
    const event: TicketChanged = {
      v: 1,
      type: 'ticket.changed',
      at: this.now(),
      actor: ctx.actor,
      id: ticket.id,
      version: ticket.version + 1,
      action,
      set,
      changes,
      ...(extra.comment && { comment: extra.comment }),
      ...(extra.note && { note: extra.note }),
    };
    const result = applyTicketEvent(ticket, event);
    return { events: [event], result, changes: [{ op: 'updated', ticket: summaryOf(result) }] };
  }

  update(input: MethodInput<'tickets/update'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      const ticket = await this.loadForWrite(input.id, input.version);
      const config = this.config();
      const type = findType(config, ticket.typeId);
      const set: TicketSet = {};
      const changes: FieldChange[] = [];
      const p = input.patch;
      const consider = <K extends keyof TicketSet>(key: K, value: TicketSet[K] | undefined): void => {
        if (value === undefined || same(ticket[key], value)) return;
        set[key] = value;
        changes.push({ field: key, from: ticket[key], to: value });
      };
      consider('title', p.title);
      consider('description', p.description);
      consider('priority', p.priority);
      consider('businessKeys', p.businessKeys);
      consider('domains', p.domains && [...new Set(p.domains)]);
      consider('location', p.location);
      if (p.fields) {
        if (type) {
          const issues = validateFields(type, p.fields, false).filter((i) => {
            // Clearing an optional field is always allowed.
            const key = i.path.slice('fields.'.length);
            return !(p.fields![key] === null && !type.fields.find((f) => f.key === key)?.required);
          });
          if (issues.length > 0) {
            throw new RpcError(ErrorCode.InvalidArgument, `patch.${issues[0]!.path}: ${issues[0]!.message}`, {
              issues: issues.map((i) => ({ ...i, path: `patch.${i.path}` })),
            });
          }
        }
        const merged = { ...ticket.fields };
        for (const [k, v] of Object.entries(p.fields)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        consider('fields', merged);
      }
      if (set.priority) {
        set.sla = reprioritizedSla(config, ticket.typeId, set.priority, ticket.createdAt, ticket.sla);
      }
      if (changes.length === 0) return { unchanged: ticket };
      return this.change(ticket, ctx, 'updated', set, changes, { ...(input.note && { note: input.note }) });
    });
  }

  transition(input: MethodInput<'tickets/transition'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      const ticket = await this.loadForWrite(input.id, input.version);
      const workflow = workflowOfType(this.config(), ticket.typeId);
      if (!workflow)
        throw new RpcError(
          ErrorCode.Internal,
          `ticket type ${ticket.typeId} has no workflow in the current configuration`,
        );
      const allowed = allowedTargets(workflow, ticket.status);
      const transition = transitionsFrom(workflow, ticket.status).find((t) => t.to === input.to);
      if (!transition) {
        throw new RpcError(
          ErrorCode.TransitionNotAllowed,
          `ticket ${ticket.number} cannot go from ${ticket.status} to ${input.to}; allowed: ${allowed.join(', ') || 'none'}`,
          { from: ticket.status, to: input.to, allowed },
        );
      }
      if (transition.requiresNote && !input.note) throw invalid('note', `moving to ${input.to} needs a note`);
      if (transition.requiresAssignee && !ticket.assignee)
        throw invalid('assignee', `assign ticket ${ticket.number} before moving it to ${input.to}`);
      const target = findState(workflow, input.to)!;
      const at = this.now();
      const done = target.category === 'resolved' || target.category === 'closed';
      const sla = {
        ...ticket.sla,
        respondedAt: ticket.sla.respondedAt ?? at,
        resolvedAt: done ? (ticket.sla.resolvedAt ?? at) : null,
      };
      const changes: FieldChange[] = [{ field: 'status', from: ticket.status, to: input.to }];
      return this.change(ticket, ctx, 'transitioned', { status: input.to, sla }, changes, {
        ...(input.note && { note: input.note }),
      });
    });
  }

  assign(input: MethodInput<'tickets/assign'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      const ticket = await this.loadForWrite(input.id, input.version);
      this.checkAssignee(input.assignee, 'assignee');
      if (same(ticket.assignee, input.assignee)) return { unchanged: ticket };
      const sla =
        input.assignee && !ticket.sla.respondedAt ? { ...ticket.sla, respondedAt: this.now() } : undefined;
      return this.change(
        ticket,
        ctx,
        'assigned',
        { assignee: input.assignee, ...(sla && { sla }) },
        [{ field: 'assignee', from: ticket.assignee, to: input.assignee }],
        { ...(input.note && { note: input.note }) },
      );
    });
  }

  comment(input: MethodInput<'tickets/comment'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      const ticket = await this.loadForWrite(input.id, input.version);
      const at = this.now();
      const comment = { id: this.ulid(Date.parse(at)), at, author: ctx.actor, body: input.body };
      return this.change(ticket, ctx, 'commented', {}, [], { comment });
    });
  }

  link(input: MethodInput<'tickets/link'>, ctx: CommandContext): Promise<Ticket> {
    return this.command(async () => {
      const ticket = await this.loadForWrite(input.id, input.version);
      if (input.targetId === ticket.id) throw invalid('targetId', 'a ticket cannot link to itself');
      const target = await this.load(input.targetId).catch(() => {
        throw invalid('targetId', `ticket ${input.targetId} not found`);
      });
      const has = (t: Ticket, kind: LinkKind, other: string): boolean =>
        t.links.some((l) => l.kind === kind && l.ticketId === other);
      const back = RECIPROCAL[input.kind];
      const adding = input.op === 'add';
      if (adding === has(ticket, input.kind, target.id)) return { unchanged: ticket };
      const edit = (t: Ticket, kind: LinkKind, other: Ticket): TicketLink[] =>
        adding
          ? [...t.links, { kind, ticketId: other.id, number: other.number }]
          : t.links.filter((l) => !(l.kind === kind && l.ticketId === other.id));
      const action = adding ? 'linked' : 'unlinked';
      const mine = this.change(ticket, ctx, action, { links: edit(ticket, input.kind, target) }, [
        {
          field: 'links',
          from: adding ? null : `${input.kind}:${target.number}`,
          to: adding ? `${input.kind}:${target.number}` : null,
        },
      ]);
      if (adding === has(target, back, ticket.id)) return mine;
      const theirs = this.change(target, ctx, action, { links: edit(target, back, ticket) }, [
        {
          field: 'links',
          from: adding ? null : `${back}:${ticket.number}`,
          to: adding ? `${back}:${ticket.number}` : null,
        },
      ]);
      return {
        events: [...mine.events, ...theirs.events],
        result: mine.result,
        changes: [...mine.changes, ...theirs.changes],
      };
    });
  }
}
