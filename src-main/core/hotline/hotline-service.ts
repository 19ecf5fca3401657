import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import {
  type ActorRef,
  type ConfigDocument,
  type DepartmentProposal,
  type DispatchState,
  ErrorCode,
  type EventName,
  type EventPayload,
  type HotlineClassifierInfo,
  type HotlineKpi,
  EnqueueCallParams,
  type IncomingCall,
  type MethodInput,
  type MethodResult,
  type ResponsibilityMatrix,
  RpcError,
  type RouteAnswer,
  type Ticket,
  ticketMethods,
  TrainClassifierParams,
} from '@shared/contract';
import { DEFAULT_TAXONOMY, resolveCategory, taxonomyLeaves, type Taxonomy } from '@shared/domain/taxonomy';
import {
  type ClassifyResult,
  getDefaultClassifier,
  getDefaultClassifierAsync,
  seedTrainingTexts,
  type TextClassifier,
} from '@shared/domain/classify/classifier';
import { classifierFromJson, classifierToJson } from '@shared/domain/classify/model-json';
import { checkClassifyInput } from '@shared/domain/classify/input';
import { dispatchConfidence, toClassifySuggestion } from '@shared/domain/classify/suggestion';
import type { RecordNamespace, RecordPut } from '../events';
import type { Clock, Logger, StoragePort } from '../ports';
import { createRouter, loadGridIndex, type Router, type RouteResult } from '../routing/route';
import type { Handlers } from '../rpc/dispatch';
import type { CommandContext, TicketService } from '../tickets/ticket-service';
import {
  DEFAULT_DEMO_CALL_EVERY_SEC,
  DEFAULT_MAX_WAITING,
  type DemoCallTemplate,
  startDemoCallStream,
} from './demo-calls';
import {
  checkEnoughRows,
  collectTrainingRows,
  createProgressThrottle,
  type StoredClassifier,
  trainWithReport,
} from './classifier-training';
import { computeKpi } from './kpi';
import { categoryCovers, checkMatrixRows, defaultMatrix, resolveMatrix } from './matrix';
import { maskPhone, maskPhonesInText } from './phone-mask';
import type { HotlineTicketRecord } from './record';

/**
 * The 12345 hotline: classification suggestions, routing (grid + responsibility matrix), intake of
 * citizen requests as `citizen-request` tickets, double dispatch with accept/release, reassignment with
 * reasons, first-dispatch accuracy, duplicates, misroute feedback and the waiting-call queue.
 *
 * State: the matrix, one record per citizen ticket and the classifier trained from closed tickets are
 * journaled keyed documents (`hotline-matrix`, `hotline-ticket`, `hotline-classifier`), read back at start; the waiting-call queue is memory only (calls come from
 * telephony or the demo stream and are gone after a restart).
 *
 * The classifier is built once, after start, off the start-up path (about 1–2 s of CPU, in slices of
 * ~16 ms so the event loop keeps serving); until then `hotline/classify` and a submit without a
 * category answer UNAVAILABLE. Training (`hotline/trainClassifier`) runs in the same kind of slices and
 * reports `hotline/classifierProgress`.
 */

export const MAP_CELLS_FILE = 'grid-cells.geojson';
export const MAP_BASE_FILE = 'hangzhou-base.geojson';
const NS_TICKET: RecordNamespace = 'hotline-ticket';
const NS_MATRIX: RecordNamespace = 'hotline-matrix';
const NS_CLASSIFIER: RecordNamespace = 'hotline-classifier';
/** `current`: the calls waiting, journaled on every change so a restart loses no caller. */
const NS_QUEUE: RecordNamespace = 'hotline-queue';
/** One record per call taken off the queue without a ticket, keyed by call id (the audit trail). */
const NS_DISMISSED: RecordNamespace = 'hotline-dismissed-call';

interface StoredQueue {
  waiting: IncomingCall[];
}
const CITIZEN_TYPE = 'citizen-request';
const CHANGE_LOG_LIMIT = 50;

export interface HotlineOptions {
  /** The folder with the grid files; null: routing is unavailable (submit needs explicit departments). */
  mapDir: string | null;
  /** Demo mode: a simulated call joins the queue every `everySec` seconds (true: every 20 s). */
  demoCalls?: boolean | { everySec: number };
  /** Build the classifier right after start (default true); false: on first use. */
  warmUp?: boolean;
  /** The classifier to build (default: the shipped seed classifier). */
  classifier?: () => TextClassifier;
  /** Most calls waiting in the queue (default 12). */
  maxWaiting?: number;
  /**
   * How training shares the event loop: `budgetMs` of work between two turns of the loop (default 16),
   * and at least `progressEveryMs` between two `hotline/classifierProgress` events (default 250).
   */
  training?: { budgetMs?: number; progressEveryMs?: number };
}

export interface HotlineDeps {
  storage: StoragePort;
  clock: Clock;
  logger: Logger;
  tickets: TicketService;
  config: () => ConfigDocument;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  actor: ActorRef;
}

export interface TrainingRow {
  text: string;
  category: string;
  ticketId: string;
  from: string | null;
  to: string;
  reason: string;
}

export type HotlineHandlerName =
  | 'hotline/queue'
  | 'hotline/enqueue'
  | 'hotline/dismissCall'
  | 'hotline/classify'
  | 'hotline/route'
  | 'hotline/duplicates'
  | 'hotline/submit'
  | 'hotline/dispatch'
  | 'hotline/accept'
  | 'hotline/reassign'
  | 'hotline/matrix'
  | 'hotline/setMatrix'
  | 'hotline/kpi'
  | 'hotline/classifierInfo'
  | 'hotline/trainClassifier'
  | 'hotline/classifierModel';

function invalid(path: string, message: string, extra: Record<string, unknown> = {}): RpcError {
  return new RpcError(ErrorCode.InvalidArgument, `${path}: ${message}`, {
    issues: [{ path, message }],
    ...extra,
  });
}

function haversineM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export class HotlineService {
  /** The values of select field `channel` of the citizen-request type in the current configuration. */
  private channelOptions(): Set<string> {
    const type = this.deps.config().types.find((t) => t.id === CITIZEN_TYPE);
    return new Set(type?.fields.find((f) => f.key === 'channel')?.options?.map((o) => o.value) ?? []);
  }

  private readonly ulid = monotonicFactory();
  private readonly taxonomy: Taxonomy = DEFAULT_TAXONOMY;
  private readonly leafIds = new Map(taxonomyLeaves(DEFAULT_TAXONOMY).map((l) => [l.path, l.id]));
  private classifier: TextClassifier | null = null;
  private classifierError: string | null = null;
  private building: Promise<void> | null = null;
  /** The trained classifier in use (null: the seed, or the one from options). */
  private trained: StoredClassifier | null = null;
  private training = false;
  private router: Router | null = null;
  private routerError: string | null = null;
  private matrixDoc: ResponsibilityMatrix | null = null;
  private readonly records = new Map<string, HotlineTicketRecord>();
  private readonly byExternal = new Map<string, string>();
  private queue: IncomingCall[] = [];
  private queueWrites: Promise<unknown> = Promise.resolve();
  private chain: Promise<unknown> = Promise.resolve();
  private demo: { stop: () => void } | null = null;

  constructor(
    private readonly deps: HotlineDeps,
    private readonly options: HotlineOptions,
  ) {}

  // ---------- life cycle ----------

  async start(): Promise<void> {
    const { storage } = this.deps;
    const saved = (await storage.records(NS_MATRIX)).find((r) => r.id === 'current');
    this.matrixDoc = saved
      ? (saved.doc as ResponsibilityMatrix)
      : defaultMatrix(this.nowIso(), this.deps.actor);
    const savedModel = (await storage.records(NS_CLASSIFIER)).find((r) => r.id === 'current');
    if (savedModel) this.trained = savedModel.doc as StoredClassifier;
    await this.reloadRecords();
    const savedQueue = (await storage.records(NS_QUEUE)).find((r) => r.id === 'current');
    if (savedQueue) this.queue = [...(savedQueue.doc as StoredQueue).waiting];
    this.loadMap();
    if (this.options.warmUp !== false) void this.ready();
    const demo = this.options.demoCalls;
    if (demo) {
      const everySec = demo === true ? DEFAULT_DEMO_CALL_EVERY_SEC : demo.everySec;
      this.demo = startDemoCallStream({ everySec }, (t) => this.enqueueDemo(t));
    }
  }

  /**
   * Reads the journaled per-ticket records again: demo seeding appends them after the core started,
   * and first-dispatch accuracy, duplicates and training must see them in the very first session.
   */
  async reloadRecords(): Promise<void> {
    this.records.clear();
    this.byExternal.clear();
    for (const { id, doc } of await this.deps.storage.records(NS_TICKET)) {
      const r = doc as HotlineTicketRecord;
      this.records.set(id, r);
      if (r.externalId) this.byExternal.set(r.externalId, id);
    }
  }

  /** Stops the demo call stream; resolves once the queue's last change is journaled. */
  async close(): Promise<void> {
    this.demo?.stop();
    this.demo = null;
    await this.queueWrites;
  }

  /** Resolves once the classifier is built (or failed to build: classify then says why). */
  ready(): Promise<void> {
    this.building ??= this.build();
    return this.building;
  }

  private async build(): Promise<void> {
    // Off the start-up path: start() returns before the first slice runs.
    await new Promise((resolve) => setTimeout(resolve, 0));
    try {
      const make = this.options.classifier;
      // A trained leaf-level model stands alone. Otherwise the seed model is needed — as the classifier,
      // or as the refiner a trained model above leaf depth loads with — so it is built first, in slices;
      // loadTrained and getDefaultClassifier then find it built.
      const leafModel = this.trained?.model.depth === 3;
      this.classifier = leafModel ? this.loadTrained() : null;
      if (!this.classifier && !make)
        await getDefaultClassifierAsync({ budgetMs: this.options.training?.budgetMs });
      this.classifier ??= this.loadTrained() ?? (make ?? getDefaultClassifier)();
    } catch (err) {
      this.classifierError = err instanceof Error ? err.message : String(err);
      this.deps.logger.error('the hotline classifier could not be built', {
        error: this.classifierError,
      });
    }
  }

  /** The journaled trained classifier, or null (none, or it no longer fits the taxonomy: seed again). */
  private loadTrained(): TextClassifier | null {
    if (!this.trained) return null;
    try {
      return classifierFromJson(this.trained.model, this.taxonomy);
    } catch (err) {
      this.deps.logger.warn('the trained hotline classifier could not be loaded; the seed model is used', {
        error: err instanceof Error ? err.message : String(err),
      });
      this.trained = null;
      return null;
    }
  }

  private loadMap(): void {
    const dir = this.options.mapDir;
    if (!dir) {
      this.routerError = 'no map folder is configured on this host, so places cannot be routed';
      return;
    }
    try {
      const base = join(dir, MAP_BASE_FILE);
      this.router = createRouter(loadGridIndex(join(dir, MAP_CELLS_FILE), existsSync(base) ? base : null));
    } catch (err) {
      this.routerError = `the grid map could not be loaded: ${(err as Error).message}`;
      this.deps.logger.error('hotline routing is unavailable', { error: this.routerError });
    }
  }

  /** Commands run one at a time (idempotency, queue removal and double-dispatch state stay consistent). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  private get matrixNow(): ResponsibilityMatrix {
    return this.matrixDoc!;
  }

  // ---------- queue ----------

  queueList(): IncomingCall[] {
    return this.queue.map((c) => ({ ...c }));
  }

  /** Adds a call to the queue unless it is full; null when refused. */
  enqueue(
    call: Omit<IncomingCall, 'id' | 'receivedAt' | 'callerPhone'> & { callerPhone: string | null },
  ): IncomingCall | null {
    if (this.queue.length >= this.maxWaiting()) return null;
    const queued: IncomingCall = {
      ...call,
      id: this.ulid(this.deps.clock.now()),
      receivedAt: this.nowIso(),
      callerPhone: maskPhone(call.callerPhone),
      text: maskPhonesInText(call.text),
    };
    this.queue.push(queued);
    this.queueChanged();
    return { ...queued };
  }

  private maxWaiting(): number {
    return this.options.maxWaiting ?? DEFAULT_MAX_WAITING;
  }

  /** `hotline/enqueue`: a call from telephony/ASR, checked by the contract; a full queue is refused. */
  enqueueCall(input: MethodInput<'hotline/enqueue'>): IncomingCall {
    const params = EnqueueCallParams.parse(input);
    const queued = this.enqueue({
      channel: params.channel,
      callerName: params.caller.name,
      callerPhone: params.caller.phone,
      text: params.text,
      place: params.place,
      address: params.address,
    });
    if (!queued)
      throw new RpcError(
        ErrorCode.Unavailable,
        `the call queue is full (${this.maxWaiting()} waiting); route the call to an agent directly or retry later`,
        { waiting: this.queue.length },
      );
    return queued;
  }

  /** Takes a call off the queue without a ticket; the reason is kept with the queue's record. */
  dismissCall(input: MethodInput<'hotline/dismissCall'>, ctx: CommandContext): { waiting: number } {
    const i = this.queue.findIndex((c) => c.id === input.incomingId);
    if (i < 0)
      throw new RpcError(
        ErrorCode.NotFound,
        `call ${input.incomingId} is not waiting (taken by another agent, or dismissed already)`,
      );
    const [call] = this.queue.splice(i, 1);
    const at = this.nowIso();
    const doc = { call, at, actor: ctx.actor, reason: input.reason.trim() };
    this.queueChanged([
      { v: 1, type: 'record.put', ns: NS_DISMISSED, id: call!.id, doc, at, actor: ctx.actor },
    ]);
    return { waiting: this.queue.length };
  }

  /** Journals the queue with `also` (in order, one write at a time) and tells the consoles. */
  private queueChanged(also: RecordPut[] = []): void {
    const doc: StoredQueue = { waiting: [...this.queue] };
    const at = this.nowIso();
    const events: RecordPut[] = [
      ...also,
      { v: 1, type: 'record.put', ns: NS_QUEUE, id: 'current', doc, at, actor: this.deps.actor },
    ];
    this.queueWrites = this.queueWrites
      .then(() => this.deps.storage.append(events))
      .catch((err: unknown) =>
        this.deps.logger.error('the call queue could not be saved', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    this.deps.emit('hotline/queueChanged', { waiting: this.queue.length });
  }

  private enqueueDemo(t: DemoCallTemplate): boolean {
    const { channel, callerName, callerPhone, text, place, address } = t;
    return this.enqueue({ channel, callerName, callerPhone, text, place, address }) !== null;
  }

  // ---------- classification ----------

  /** The classifier, once built: a request in the first seconds after start waits for the build. */
  private async classifierWhenReady(): Promise<TextClassifier> {
    if (!this.classifier && !this.classifierError) await this.ready();
    if (this.classifier) return this.classifier;
    throw new RpcError(ErrorCode.Unavailable, `the classifier failed to build: ${this.classifierError}`);
  }

  private async runClassifier(text: string): Promise<ClassifyResult> {
    const problem = checkClassifyInput(text);
    if (problem) throw invalid('text', problem.message, { code: problem.code });
    return (await this.classifierWhenReady()).classify(text, { alternatives: 3, topWords: 5 });
  }

  async classify(text: string): Promise<MethodResult<'hotline/classify'>> {
    return toClassifySuggestion(
      await this.runClassifier(text),
      (path) => this.leafIds.get(path),
      this.matrixNow.doubleDispatchBelow,
    );
  }

  // ---------- routing ----------

  private routerOrThrow(): Router {
    if (this.router) return this.router;
    throw new RpcError(ErrorCode.Unavailable, `routing is not available: ${this.routerError ?? 'no map'}`);
  }

  private resolveCategoryOrThrow(raw: string, path: string): string {
    const c = resolveCategory(this.taxonomy, raw);
    if (!c)
      throw invalid(
        path,
        `${raw} is not a category of the taxonomy (write it as 环境保护/环境污染/噪音污染)`,
      );
    return c;
  }

  private departmentName(id: string): DepartmentProposal['name'] {
    const d = this.deps.config().directory.departments.find((x) => x.id === id);
    return d ? d.name : { 'zh-CN': id, en: id };
  }

  private proposals(category: string, r: RouteResult | null): DepartmentProposal[] {
    if (r && !r.district) return [];
    const decision = resolveMatrix(this.matrixNow.rows, {
      category,
      district: r?.district ?? null,
      street: r?.street ?? null,
      cellId: r?.cell?.id ?? null,
    });
    if (!decision) return [];
    return decision.departmentIds.map((departmentId) => ({
      departmentId,
      name: this.departmentName(departmentId),
      rule: decision.rule,
    }));
  }

  private answer(r: RouteResult, departments: DepartmentProposal[]): RouteAnswer {
    return {
      ok: r.ok,
      location: r.location ? { lng: r.location.lng, lat: r.location.lat, source: r.location.source } : null,
      cell: r.cell
        ? { id: r.cell.id, district: r.cell.district, street: r.cell.street, manager: r.cell.manager || null }
        : null,
      district: r.district,
      street: r.street,
      candidates: (r.candidates ?? []).map((c) => ({
        name: c.name,
        level: c.level,
        lng: c.lng,
        lat: c.lat,
        district: c.district,
      })),
      reason: r.reason,
      departments,
    };
  }

  private locate(place: MethodInput<'hotline/route'>['place']): RouteResult {
    return this.routerOrThrow().routeLocation(place);
  }

  route(input: MethodInput<'hotline/route'>): RouteAnswer {
    const category = input.category ? this.resolveCategoryOrThrow(input.category, 'category') : null;
    const r = this.locate(input.place);
    return this.answer(r, category ? this.proposals(category, r) : []);
  }

  // ---------- intake ----------

  submit(input: MethodInput<'hotline/submit'>, ctx: CommandContext): Promise<MethodResult<'hotline/submit'>> {
    return this.serial(async () => {
      const { tickets } = this.deps;
      if (input.externalId) {
        const existing = this.byExternal.get(input.externalId);
        if (existing)
          return {
            ticket: await tickets.get({ id: existing }),
            dispatch: this.records.get(existing)!.dispatch,
          };
      }
      if (input.incomingId && !this.queue.some((c) => c.id === input.incomingId))
        throw new RpcError(
          ErrorCode.Conflict,
          `call ${input.incomingId} is no longer waiting (another agent took it, or the host restarted)`,
        );
      const config = this.deps.config();
      const departments = new Set(config.directory.departments.map((d) => d.id));
      input.departmentIds?.forEach((d, i) => {
        if (!departments.has(d)) throw invalid(`departmentIds.${i}`, `no department ${d} in the directory`);
      });
      if (input.departmentIds && new Set(input.departmentIds).size !== input.departmentIds.length)
        throw invalid('departmentIds', 'the same department twice');
      const agentCategory = input.category ? this.resolveCategoryOrThrow(input.category, 'category') : null;

      // The suggestion: needed unless the agent chose the category on text the model cannot read.
      let suggestion: ClassifyResult | null = null;
      const textProblem = checkClassifyInput(input.text);
      if (!agentCategory) suggestion = await this.runClassifier(input.text);
      else if (!textProblem && this.classifier) suggestion = this.classifier.classify(input.text);
      const category = agentCategory ?? suggestion!.category;

      // The place: required unless the agent names the department(s).
      let routed: RouteResult | null = null;
      if (input.place) {
        if (!this.router && !input.departmentIds) this.routerOrThrow();
        if (this.router) {
          const r = this.router.routeLocation(input.place);
          if (r.location && r.district) routed = r;
          else if (!input.departmentIds)
            throw invalid(
              'place',
              `${r.reason?.message ?? 'the place was not found'}; correct it, pick a candidate or click the map`,
              {
                reason: r.reason,
                candidates: this.answer(r, []).candidates,
              },
            );
        }
      } else if (!input.departmentIds) {
        throw invalid(
          'place',
          'where is the problem? Give an address or coordinates, or choose the department(s) yourself',
        );
      }

      const matrixDepts = (c: string): string[] => this.proposals(c, routed).map((p) => p.departmentId);
      const suggestedDepts = suggestion ? this.withDoubleDispatch(suggestion, matrixDepts) : [];
      const chosenDepts =
        input.departmentIds ?? (agentCategory ? matrixDepts(agentCategory) : suggestedDepts);
      if (chosenDepts.length === 0)
        throw invalid(
          'departmentIds',
          `no row of the responsibility matrix covers ${category}${routed?.district ? ` in ${routed.district}` : ''}; choose the department`,
        );
      let duplicate: Ticket | null = null;
      if (input.duplicateOf) duplicate = await tickets.get({ id: input.duplicateOf });

      // Everything is checked: create, dispatch, link.
      const text = maskPhonesInText(input.text);
      const phone = maskPhone(input.caller.phone);
      const leafName = category.split('/').at(-1)!;
      const address = input.place && 'address' in input.place ? input.place.address : undefined;
      const externalKey = input.externalId
        ? { [input.channel === 'open311' ? 'open311Id' : 'callId']: input.externalId }
        : {};
      const created = await tickets.create(
        ticketMethods['tickets/create'].params.parse({
          typeId: CITIZEN_TYPE,
          title: `${leafName}：${Array.from(text).slice(0, 40).join('')}`,
          description: text,
          assignee: { kind: 'department', id: chosenDepts[0] },
          source: 'hotline',
          businessKeys: externalKey,
          location: routed?.location
            ? {
                lng: routed.location.lng,
                lat: routed.location.lat,
                ...(address && { address }),
                ...(routed.cell && { gridId: routed.cell.id }),
              }
            : null,
          fields: {
            category,
            ...(input.caller.name && { callerName: input.caller.name }),
            ...(phone && { callerPhone: phone }),
            // Folders configured before a channel existed keep working: it is set only when known.
            ...(this.channelOptions().has(input.channel) && { channel: input.channel }),
          },
          ...(input.externalId && { idempotencyKey: `hotline:${input.externalId}` }),
        }),
        ctx,
      );
      const names = chosenDepts.map((d) => this.departmentName(d)['zh-CN']).join('、');
      let ticket =
        created.status === 'received'
          ? await tickets.transition(
              { id: created.id, version: created.version, to: 'dispatched', note: `派发至${names}` },
              ctx,
            )
          : created;
      if (duplicate)
        ticket = await tickets.link(
          { id: ticket.id, version: ticket.version, op: 'add', kind: 'duplicate', targetId: duplicate.id },
          ctx,
        );
      const suggested = {
        category: suggestion?.category ?? '',
        confidence: suggestion ? dispatchConfidence(suggestion) : 0,
        departmentIds: suggestedDepts,
      };
      const dispatch: DispatchState = {
        ticketId: ticket.id,
        departments: chosenDepts.map((departmentId) => ({ departmentId, state: 'pending' as const })),
        owner: null,
        reassignments: [],
        suggested,
        chosen: { category, departmentIds: chosenDepts },
        overridden:
          suggested.category !== category ||
          suggested.departmentIds.length !== chosenDepts.length ||
          suggested.departmentIds.some((d, i) => d !== chosenDepts[i]),
      };
      const record: HotlineTicketRecord = {
        ticketId: ticket.id,
        number: ticket.number,
        title: ticket.title,
        createdAt: ticket.createdAt,
        text,
        channel: input.channel,
        externalId: input.externalId ?? null,
        callerPhone: input.caller.phone,
        callerName: input.caller.name,
        lng: routed?.location?.lng ?? null,
        lat: routed?.location?.lat ?? null,
        district: routed?.district ?? null,
        street: routed?.street ?? null,
        cellId: routed?.cell?.id ?? null,
        alternatives: suggestion
          ? [suggestion.category, ...suggestion.alternatives.map((a) => a.category)]
          : [],
        dispatch,
      };
      await this.put(record, ctx.actor);
      if (input.externalId) this.byExternal.set(input.externalId, ticket.id);
      if (input.incomingId) {
        const i = this.queue.findIndex((c) => c.id === input.incomingId);
        if (i >= 0) {
          this.queue.splice(i, 1);
          this.queueChanged();
        }
      }
      return { ticket, dispatch };
    });
  }

  /**
   * The departments for a suggestion: the matrix row of its category (two for a joint row); below the
   * threshold, also the department of the next class that the matrix gives to someone else.
   */
  private withDoubleDispatch(s: ClassifyResult, matrixDepts: (c: string) => string[]): string[] {
    const first = matrixDepts(s.category);
    if (first.length !== 1 || dispatchConfidence(s) >= this.matrixNow.doubleDispatchBelow) return first;
    for (const alt of s.alternatives) {
      const other = matrixDepts(alt.category)[0];
      if (other && other !== first[0]) return [first[0]!, other];
    }
    return first;
  }

  private async put(record: HotlineTicketRecord, actor: ActorRef): Promise<void> {
    await this.deps.storage.append([
      { v: 1, type: 'record.put', ns: NS_TICKET, id: record.ticketId, doc: record, at: this.nowIso(), actor },
    ]);
    this.records.set(record.ticketId, record);
    this.deps.emit('hotline/changed', { ticketId: record.ticketId });
  }

  private recordOrThrow(ticketId: string): HotlineTicketRecord {
    const r = this.records.get(ticketId);
    if (!r) throw new RpcError(ErrorCode.NotFound, `ticket ${ticketId} is not a hotline request`);
    return r;
  }

  dispatchState(ticketId: string): DispatchState | null {
    return this.records.get(ticketId)?.dispatch ?? null;
  }

  accept(input: MethodInput<'hotline/accept'>, ctx: CommandContext): Promise<DispatchState> {
    return this.serial(async () => {
      const record = this.recordOrThrow(input.ticketId);
      const d = record.dispatch;
      if (d.owner === input.departmentId) return d;
      if (d.owner)
        throw new RpcError(
          ErrorCode.Conflict,
          `${this.departmentName(d.owner)['zh-CN']} (${d.owner}) already accepted ticket ${record.number}`,
          { owner: d.owner },
        );
      if (!d.departments.some((x) => x.departmentId === input.departmentId && x.state === 'pending'))
        throw invalid(
          'departmentId',
          `ticket ${record.number} was not dispatched to ${input.departmentId} (dispatched to ${d.departments
            .map((x) => x.departmentId)
            .join(', ')}); reassign it instead`,
        );
      const { tickets } = this.deps;
      let ticket = await tickets.get({ id: record.ticketId });
      const released = d.departments.filter((x) => x.departmentId !== input.departmentId);
      if (ticket.assignee?.kind !== 'department' || ticket.assignee.id !== input.departmentId)
        ticket = await tickets.assign(
          {
            id: ticket.id,
            version: ticket.version,
            assignee: { kind: 'department', id: input.departmentId },
            note: `${this.departmentName(input.departmentId)['zh-CN']}签收，释放${released
              .map((x) => this.departmentName(x.departmentId)['zh-CN'])
              .join('、')}`,
          },
          ctx,
        );
      if (ticket.status === 'dispatched')
        await tickets.transition({ id: ticket.id, version: ticket.version, to: 'accepted', note: '' }, ctx);
      const dispatch: DispatchState = {
        ...d,
        departments: d.departments.map((x) => ({
          departmentId: x.departmentId,
          state: x.departmentId === input.departmentId ? 'accepted' : 'released',
        })),
        owner: input.departmentId,
      };
      await this.put({ ...record, dispatch }, ctx.actor);
      return dispatch;
    });
  }

  reassign(input: MethodInput<'hotline/reassign'>, ctx: CommandContext): Promise<DispatchState> {
    return this.serial(async () => {
      const record = this.recordOrThrow(input.ticketId);
      const d = record.dispatch;
      if (!this.deps.config().directory.departments.some((x) => x.id === input.departmentId))
        throw invalid('departmentId', `no department ${input.departmentId} in the directory`);
      const pending = d.departments.filter((x) => x.state === 'pending').map((x) => x.departmentId);
      const current = d.owner ?? (pending.length === 1 ? pending[0]! : null);
      if (current === input.departmentId)
        throw invalid('departmentId', `ticket ${record.number} is already with ${input.departmentId}`);
      if (!d.owner && pending.includes(input.departmentId))
        throw invalid(
          'departmentId',
          `ticket ${record.number} is already dispatched to ${input.departmentId}; that department accepts it with hotline/accept`,
        );
      const category = input.category === undefined ? null : resolveCategory(this.taxonomy, input.category);
      if (input.category !== undefined && !category)
        throw invalid('category', `"${input.category}" is not a category of the taxonomy`);
      const { tickets } = this.deps;
      let ticket = await tickets.get({ id: record.ticketId });
      if (!['received', 'dispatched', 'accepted', 'returned'].includes(ticket.status))
        throw new RpcError(
          ErrorCode.Conflict,
          `ticket ${record.number} is ${ticket.status}; a replied or closed request is not reassigned`,
        );
      const note = `改派至${this.departmentName(input.departmentId)['zh-CN']}：${input.reason}`;
      if (category && ticket.fields['category'] !== category)
        ticket = await tickets.update(
          {
            id: ticket.id,
            version: ticket.version,
            patch: { fields: { category } },
            note: `更正分类：${category}`,
          },
          ctx,
        );
      if (ticket.status === 'accepted')
        ticket = await tickets.transition(
          { id: ticket.id, version: ticket.version, to: 'returned', note },
          ctx,
        );
      ticket = await tickets.assign(
        {
          id: ticket.id,
          version: ticket.version,
          assignee: { kind: 'department', id: input.departmentId },
          note,
        },
        ctx,
      );
      if (ticket.status !== 'dispatched')
        await tickets.transition({ id: ticket.id, version: ticket.version, to: 'dispatched', note }, ctx);
      const dispatch: DispatchState = {
        ...d,
        departments: [{ departmentId: input.departmentId, state: 'pending' }],
        owner: null,
        reassignments: [
          ...d.reassignments,
          {
            at: this.nowIso(),
            actor: ctx.actor,
            from: current,
            to: input.departmentId,
            reason: input.reason,
            ...(category && { category }),
          },
        ],
      };
      await this.put({ ...record, dispatch }, ctx.actor);
      return dispatch;
    });
  }

  // ---------- duplicates, KPI, feedback ----------

  duplicates(input: MethodInput<'hotline/duplicates'>): MethodResult<'hotline/duplicates'> {
    const since = this.deps.clock.now() - input.withinHours * 3_600_000;
    const out: MethodResult<'hotline/duplicates'> = [];
    for (const r of this.records.values()) {
      if (r.lng === null || r.lat === null) continue;
      if (!categoryCovers(input.category, currentCategory(r))) continue;
      if (Date.parse(r.createdAt) < since) continue;
      const distanceM = haversineM(input.lng, input.lat, r.lng, r.lat);
      if (distanceM > input.radiusM) continue;
      out.push({
        ticketId: r.ticketId,
        number: r.number,
        title: r.title,
        distanceM: Math.round(distanceM * 10) / 10,
        createdAt: r.createdAt,
      });
    }
    return out.sort((a, b) => a.distanceM - b.distanceM).slice(0, 20);
  }

  kpi(input: MethodInput<'hotline/kpi'>): HotlineKpi {
    return computeKpi(this.records.values(), {
      timeZone: this.deps.config().timezone,
      asOf: this.nowIso(),
      ...(input.from && { from: input.from }),
      ...(input.to && { to: input.to }),
    });
  }

  /**
   * Training rows from misroutes: the text with its right category — the one the reassigning agent
   * corrected it to, or else the first of the classifier's classes at submit (its choice and
   * alternatives) that the matrix gives to the department the ticket was finally reassigned to at
   * that place. Misroutes whose right category cannot be told either way are left out.
   */
  misrouteTrainingRows(): TrainingRow[] {
    const rows: TrainingRow[] = [];
    for (const r of this.records.values()) {
      const last = r.dispatch.reassignments.at(-1);
      if (!last) continue;
      const place = { district: r.district, street: r.street, cellId: r.cellId };
      const corrected = r.dispatch.reassignments.findLast((x) => x.category)?.category;
      const category =
        corrected ??
        r.alternatives.find(
          (c) =>
            c !== r.dispatch.chosen.category &&
            (resolveMatrix(this.matrixNow.rows, { category: c, ...place })?.departmentIds ?? []).includes(
              last.to,
            ),
        );
      if (!category) continue;
      rows.push({
        text: r.text,
        category,
        ticketId: r.ticketId,
        from: last.from,
        to: last.to,
        reason: last.reason,
      });
    }
    return rows;
  }

  // ---------- the trained classifier ----------

  classifierInfo(): HotlineClassifierInfo {
    const t = this.trained;
    if (t)
      return {
        kind: 'trained',
        trainedAt: t.trainedAt,
        trainedBy: t.trainedBy,
        examples: t.examples,
        classes: t.classes,
        report: t.report,
      };
    const built = this.classifier;
    return {
      kind: 'seed',
      trainedAt: null,
      trainedBy: null,
      examples: built ? built.info.rows : seedTrainingTexts(this.taxonomy).length,
      classes: built ? built.model.classes : taxonomyLeaves(this.taxonomy).map((l) => l.path),
      report: null,
    };
  }

  classifierModel(): MethodResult<'hotline/classifierModel'> {
    return this.trained ? { kind: 'trained', model: this.trained.model } : { kind: 'seed', model: null };
  }

  /** Every closed citizen request (status category resolved/closed in the current configuration). */
  private async closedCitizenTickets(): Promise<Ticket[]> {
    const { storage, tickets } = this.deps;
    const out: Ticket[] = [];
    for (let offset = 0; ;) {
      const page = await storage.listTickets(
        ticketMethods['tickets/list'].params.parse({
          filter: { typeId: [CITIZEN_TYPE], open: false },
          sort: { field: 'createdAt', dir: 'asc' },
          offset,
          limit: 500,
        }),
        this.deps.clock.now(),
      );
      for (const item of page.items) out.push(await tickets.get({ id: item.id }));
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    return out;
  }

  /**
   * Trains a classifier from closed citizen requests and misroute rows, with a cross-validated report,
   * then puts it in use (classify, submit) and journals it. One training at a time.
   */
  async trainClassifier(
    input: MethodInput<'hotline/trainClassifier'>,
    ctx: CommandContext,
  ): Promise<HotlineClassifierInfo> {
    const params = TrainClassifierParams.parse(input);
    if (this.training)
      throw new RpcError(ErrorCode.Conflict, 'a classifier is already being trained; wait for it to finish');
    this.training = true;
    const startedAt = this.nowIso();
    const progress = createProgressThrottle((p) => this.deps.emit('hotline/classifierProgress', p), {
      startedAt,
      folds: params.folds,
      minIntervalMs: this.options.training?.progressEveryMs,
    });
    progress.phase('rows');
    try {
      const closed = await this.closedCitizenTickets();
      const { rows } = collectTrainingRows(closed, this.misrouteTrainingRows(), this.taxonomy, {
        maxPerClass: params.maxPerClass,
      });
      checkEnoughRows(rows, params.minPerClass, params.folds);
      const now = (): Date => new Date(this.deps.clock.now());
      const { classifier, report } = await trainWithReport(rows, {
        folds: params.folds,
        taxonomy: this.taxonomy,
        now,
        slice: { budgetMs: this.options.training?.budgetMs, onProgress: (p) => progress.report(p) },
      });
      progress.phase('saving');
      const at = this.nowIso();
      const stored: StoredClassifier = {
        model: classifierToJson(classifier),
        trainedAt: at,
        trainedBy: ctx.actor,
        examples: rows.length,
        classes: classifier.model.classes,
        report,
      };
      await this.serial(() =>
        this.deps.storage.append([
          { v: 1, type: 'record.put', ns: NS_CLASSIFIER, id: 'current', doc: stored, at, actor: ctx.actor },
        ]),
      );
      this.trained = stored;
      this.classifier = classifier;
      this.classifierError = null;
      this.building ??= Promise.resolve();
      this.deps.logger.info('hotline classifier trained', {
        examples: rows.length,
        classes: stored.classes.length,
        accuracy: report.accuracy,
      });
      this.deps.emit('hotline/classifierChanged', { kind: 'trained', trainedAt: at });
      progress.phase('done');
      return this.classifierInfo();
    } catch (err) {
      progress.phase('failed');
      throw err;
    } finally {
      this.training = false;
    }
  }

  // ---------- the matrix ----------

  matrix(): ResponsibilityMatrix {
    return this.matrixNow;
  }

  setMatrix(input: MethodInput<'hotline/setMatrix'>, ctx: CommandContext): Promise<ResponsibilityMatrix> {
    return this.serial(async () => {
      const current = this.matrixNow;
      if (input.version !== current.version)
        throw new RpcError(
          ErrorCode.Conflict,
          `the matrix was changed by someone else (you have version ${input.version}, it is now ${current.version}); reload and try again`,
          { id: 'matrix', expectedVersion: input.version, actualVersion: current.version },
        );
      const grid = this.router?.grid ?? null;
      const places = grid
        ? (() => {
            const districts = new Set<string>();
            const streets = new Set<string>();
            const cellIds = new Set<string>();
            for (const c of grid.cells) {
              districts.add(c.district);
              streets.add(c.street);
              cellIds.add(c.id);
            }
            return { districts, streets, cells: (id: string) => cellIds.has(id) };
          })()
        : null;
      const issues = checkMatrixRows(input.rows, this.deps.config(), places, this.taxonomy);
      if (issues.length)
        throw new RpcError(ErrorCode.InvalidArgument, `${issues[0]!.path}: ${issues[0]!.message}`, {
          issues,
        });
      const at = this.nowIso();
      const version = current.version + 1;
      const next: ResponsibilityMatrix = {
        version,
        rows: input.rows,
        doubleDispatchBelow: input.doubleDispatchBelow,
        changes: [
          ...current.changes,
          { version, at, actor: ctx.actor, note: input.note, rows: input.rows.length },
        ].slice(-CHANGE_LOG_LIMIT),
      };
      await this.deps.storage.append([
        { v: 1, type: 'record.put', ns: NS_MATRIX, id: 'current', doc: next, at, actor: ctx.actor },
      ]);
      this.matrixDoc = next;
      return next;
    });
  }

  /** The RPC handlers of every hotline method. */
  handlers(): Pick<Handlers, HotlineHandlerName> {
    return {
      'hotline/queue': async () => this.queueList(),
      'hotline/enqueue': async (q) => this.enqueueCall(q),
      'hotline/dismissCall': async (q, ctx) => this.dismissCall(q, ctx),
      'hotline/classify': async (q) => this.classify(q.text),
      'hotline/route': async (q) => this.route(q),
      'hotline/duplicates': async (q) => this.duplicates(q),
      'hotline/submit': (q, ctx) => this.submit(q, ctx),
      'hotline/dispatch': async (q) => this.dispatchState(q.ticketId),
      'hotline/accept': (q, ctx) => this.accept(q, ctx),
      'hotline/reassign': (q, ctx) => this.reassign(q, ctx),
      'hotline/matrix': async () => this.matrix(),
      'hotline/setMatrix': (q, ctx) => this.setMatrix(q, ctx),
      'hotline/kpi': async (q) => this.kpi(q),
      'hotline/classifierInfo': async () => this.classifierInfo(),
      'hotline/trainClassifier': (q, ctx) => this.trainClassifier(q, ctx),
      'hotline/classifierModel': async () => this.classifierModel(),
    };
  }
}

/** The request's category now: the last correction made on reassignment, else the agent's choice. */
function currentCategory(r: HotlineTicketRecord): string {
  return r.dispatch.reassignments.findLast((x) => x.category)?.category ?? r.dispatch.chosen.category;
}
