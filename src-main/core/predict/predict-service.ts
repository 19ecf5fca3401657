import { join } from 'node:path';
import {
  ErrorCode,
  RpcError,
  type ActorRef,
  type ConfigDocument,
  type Device,
  type DevicePrediction,
  type DeviceScore,
  type EventName,
  type EventPayload,
  type MethodInput,
  type ModelStatus,
  type PolicySet,
  type PredictConfig,
  type PredictConfigSet,
  type PredictStatus,
  type PredictionRecord,
  type PredictivePolicy,
  type QualityReport,
  type Ticket,
  type TicketChange,
  type TicketFilter,
  DONE_CATEGORIES,
} from '@shared/contract';
import type { ModelFile } from '@shared/contract/model-manifest';
import { DEFAULT_PREDICT_CONFIG, DEFAULT_PREDICTIVE_POLICIES, checkPredictConfig } from '@shared/domain';
import type { RecordNamespace } from '../events';
import type { Clock, Logger, StoragePort } from '../ports';
import type { TicketService } from '../tickets/ticket-service';
import type { SampleSink, TelemetryPipeline } from '../telemetry/pipeline';
import { chooseDispatch, applyOverride } from './dispatch';
import { metricLabels, topDrivers, type LabelLookup } from './evidence';
import { FeatureWindows, type WindowState } from './features';
import { HistoryIndex } from './history-index';
import { listModelDirs, loadModel, modelFile, ModelLoadError, type LoadedModel } from './manifest';
import {
  decide,
  freshRisk,
  horizonOf,
  idempotencyKey,
  predictedFailureAt,
  priorityOf,
  type RiskState,
} from './policy';
import { qualityReport } from './quality';
import { rankHypotheses } from './root-cause';
import { createNodeScorer, interpretRow, type WindowScorer } from './scorer';
import { ScoringCoordinator } from './scoring-coordinator';
import { WeatherClient } from './weather';

/**
 * Predictive maintenance in the core: feature windows from the ingest pipeline, one scoring cycle
 * per closed step of telemetry time (in a console's Web Worker when one is attached, else in
 * Node), health pushed to the heatmap and map, the predictive policy opening, updating and
 * clearing preventive tickets (idempotent per device, failure mode and time window), root-cause
 * hypotheses, dispatch, and the records the predict–verify–feedback loop is measured on.
 */

const PREVENTIVE_TYPE = 'preventive-maintenance';
const FAULT_TYPE = 'device-fault';
/** Samples of a step may still arrive this long after it ends (devices report at their own phase). */
const GRACE_MS = 5 * 60_000;
const HISTORY_POINTS = 96;
const MAX_CHANGES_KEPT = 50;
/** Work has started once a preventive ticket is in one of these states: it is never auto-cleared. */
const STARTED_STATES = new Set(['in_progress', 'resolved', 'closed']);

export interface GroundTruthFailure {
  sn: string;
  failureAt: number;
}

export interface PredictOptions {
  /** Folder of `<model>/manifest.json` + model file; null: no models (rules only). */
  modelsDir: string | null;
  /** Demo mode: the simulator's planned failures, recorded as telemetry time passes them. */
  groundTruth?: () => readonly GroundTruthFailure[] | null;
  weather?: WeatherClient | null;
  /** How long a console's worker may take before the core scores a cycle itself. */
  rendererDeadlineMs?: number;
  /** Scorer factory (tests); default onnxruntime-web in Node. */
  createScorer?: (model: LoadedModel) => Promise<WindowScorer>;
}

export interface FailureRecord {
  sn: string;
  deviceKind: string;
  /** Telemetry time, epoch ms. */
  at: number;
  source: 'ground-truth' | 'fault-ticket';
}

interface ModelRuntime {
  dir: string;
  status: ModelStatus;
  model: LoadedModel | null;
  windows: FeatureWindows | null;
  coordinator: ScoringCoordinator | null;
  kindIndex: number;
  /** endStep of the last cycle run (-1: none). */
  lastEnd: number;
}

interface Deps {
  storage: StoragePort;
  clock: Clock;
  logger: Logger;
  pipeline: TelemetryPipeline;
  tickets: TicketService;
  config: () => ConfigDocument;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  actor: ActorRef;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export class PredictService {
  private readonly models = new Map<string, ModelRuntime>();
  private readonly records = new Map<string, PredictionRecord>();
  /** Device → its open preventive ticket (at most one: the policy updates rather than adds). */
  private readonly openBySn = new Map<string, string>();
  /** Idempotency keys of every recorded prediction (a record never changes its key). */
  private readonly keys = new Set<string>();
  private readonly failures = new Map<string, FailureRecord>();
  private readonly risk = new Map<string, RiskState>();
  private readonly latest = new Map<
    string,
    { score: DeviceScore | null; state: DevicePrediction['state'] }
  >();
  private readonly history = new Map<string, DevicePrediction['history']>();
  private readonly historyIndex = new HistoryIndex();
  private readonly learned = new Set<string>();
  private policies: PolicySet = { version: 1, policies: DEFAULT_PREDICTIVE_POLICIES, changes: [] };
  private predictConfig: PredictConfig = DEFAULT_PREDICT_CONFIG;
  private configSet: PredictConfigSet = { version: 1, config: DEFAULT_PREDICT_CONFIG, changes: [] };
  private cycles = 0;
  private cycleId = 0;
  private lastTelemetryTime: number | null = null;
  private running: Promise<number> | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private weather: WeatherClient | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly options: PredictOptions,
  ) {}

  // ---- start-up ----

  async start(): Promise<void> {
    const { storage } = this.deps;
    for (const { doc } of await storage.records('prediction')) {
      this.index(doc as PredictionRecord);
    }
    for (const { id, doc } of await storage.records('failure')) this.failures.set(id, doc as FailureRecord);
    const policy = (await storage.records('predict-policy')).find((r) => r.id === 'current');
    if (policy) this.policies = policy.doc as PolicySet;
    const cfg = (await storage.records('predict-config')).find((r) => r.id === 'current');
    if (cfg) {
      this.configSet = cfg.doc as PredictConfigSet;
      this.predictConfig = this.configSet.config;
    }
    this.weather = this.options.weather ?? this.configuredWeather();
    await this.loadModels();
    this.deps.pipeline.useSink(this.sink);
  }

  private async loadModels(): Promise<void> {
    const dir = this.options.modelsDir;
    const kinds = this.deps.config().deviceKinds;
    const found = dir ? await listModelDirs(dir) : [];
    for (const name of found) {
      const modelDir = join(dir!, name);
      let runtime: ModelRuntime;
      try {
        const model = await loadModel(
          modelDir,
          (kind) => kinds.find((k) => k.id === kind)?.metrics.map((m) => m.key) ?? null,
        );
        const kind = model.manifest.deviceKind;
        if (this.models.has(kind)) {
          this.deps.logger.warn('a second model for a device kind is ignored', { kind, dir: modelDir });
          continue;
        }
        const scorerFactory = this.options.createScorer ?? createNodeScorer;
        let nodeScorer: Promise<WindowScorer> | null = null;
        const coordinator = new ScoringCoordinator({
          node: () => (nodeScorer ??= scorerFactory(model)),
          manifest: model.manifest,
          clock: this.deps.clock,
          deadlineMs: this.options.rendererDeadlineMs ?? 3_000,
          onJob: (job) =>
            this.deps.emit('predict/cycle', { cycleId: job.cycleId, modelId: job.modelId, count: job.count }),
        });
        // Fail at start-up, visibly, rather than at the first cycle.
        await coordinator.warmUp();
        runtime = {
          dir: modelDir,
          model,
          windows: new FeatureWindows(model.compiled),
          coordinator,
          kindIndex: this.deps.pipeline.kindIndexOf(kind),
          lastEnd: -1,
          status: this.freshStatus(model.manifest.id, model.manifest.version, kind, 'ready', null),
        };
      } catch (err) {
        const reason = err instanceof ModelLoadError ? err.reason : 'invalid';
        const message = err instanceof Error ? err.message : String(err);
        this.deps.logger.error('model not loaded', { dir: modelDir, error: message });
        const kind = err instanceof ModelLoadError && err.deviceKind ? err.deviceKind : `?${name}`;
        runtime = {
          dir: modelDir,
          model: null,
          windows: null,
          coordinator: null,
          kindIndex: -1,
          lastEnd: -1,
          status: this.freshStatus(name, null, kind, reason === 'missing' ? 'missing' : 'invalid', message),
        };
      }
      this.models.set(runtime.status.deviceKind, runtime);
    }
  }

  private freshStatus(
    id: string,
    version: string | null,
    deviceKind: string,
    state: ModelStatus['state'],
    error: string | null,
  ): ModelStatus {
    return {
      id,
      version,
      deviceKind,
      state,
      error,
      scoredBy: null,
      lastCycleAt: null,
      lastCycleMs: null,
      scored: 0,
      insufficient: 0,
      silent: 0,
      refused: 0,
    };
  }

  /** Every accepted sample goes to the feature windows of its kind's model. */
  private readonly sink: SampleSink = {
    sample: (slot, kind, ts, values, base) => {
      for (const m of this.models.values()) if (m.kindIndex === kind) m.windows?.add(slot, ts, values, base);
    },
    clear: (slot) => {
      for (const m of this.models.values()) m.windows?.clear(slot);
    },
    grow: (capacity) => {
      for (const m of this.models.values()) m.windows?.ensureCapacity(capacity);
    },
  };

  close(): void {
    this.deps.pipeline.useSink(null);
  }

  private configuredWeather(): WeatherClient | null {
    const { url, pollMinutes } = this.predictConfig.weather;
    if (!url) return null;
    try {
      return new WeatherClient({ url, pollMinutes, clock: this.deps.clock });
    } catch (err) {
      this.deps.logger.error('the configured weather URL is unusable; tickets go without weather', {
        url,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }

  /** The forecast source for ticket context (the hub knows its own URL only once it listens). */
  useWeather(client: WeatherClient | null): void {
    this.weather = client;
  }

  // ---- cycles ----

  telemetryTime(): number | null {
    const t = this.deps.pipeline.telemetryTime();
    return t > 0 ? t : null;
  }

  /** Runs the cycles telemetry time has made due; concurrent calls share one run. */
  runDue(): Promise<number> {
    this.running ??= this.runDueNow().finally(() => (this.running = null));
    return this.running;
  }

  private async runDueNow(): Promise<number> {
    const t = this.telemetryTime();
    let ran = 0;
    if (t !== null) {
      for (const m of this.models.values()) {
        if (!m.model || !m.windows || !m.coordinator) continue;
        const endStep = Math.floor((t - GRACE_MS) / m.windows.compiled.stepMs);
        if (endStep <= m.lastEnd) continue;
        m.lastEnd = endStep;
        try {
          await this.cycle(m, endStep);
          m.status.error = null;
        } catch (err) {
          // The model stays loaded; the next step tries again. The console shows why this one failed.
          const message = err instanceof Error ? err.message : String(err);
          m.status = {
            ...m.status,
            error: `cycle at ${iso(endStep * m.windows.compiled.stepMs)} failed: ${message}`,
          };
          this.deps.logger.error('prediction cycle failed', { model: m.status.id, error: message });
        }
        ran++;
      }
      await this.recordGroundTruth(t);
    }
    if (ran > 0) this.emitChanged();
    return ran;
  }

  private async cycle(m: ModelRuntime, endStep: number): Promise<void> {
    const started = Date.now();
    const model = m.model!;
    const fw = m.windows!;
    const { steps } = model.manifest.window;
    const width = fw.width;
    const kind = model.manifest.deviceKind;
    const devices: { sn: string; slot: number }[] = [];
    for (const d of this.deps.pipeline.devicesWithSlots()) if (d.kind === kind) devices.push(d);
    const buffer = new Float32Array(devices.length * steps * width);
    const scored: { sn: string; slot: number; row: number }[] = [];
    let insufficient = 0;
    let silent = 0;
    const scratch = new Float32Array(steps * width);
    for (const d of devices) {
      const state: WindowState = fw.window(d.slot, endStep, scratch, 0);
      if (state === 'ok') {
        buffer.set(scratch, scored.length * steps * width);
        scored.push({ ...d, row: scored.length });
        continue;
      }
      if (state === 'insufficient') insufficient++;
      if (state === 'silent') silent++;
      this.deps.pipeline.setModelHealth(d.slot, Number.NaN);
      this.latest.set(d.sn, {
        score: this.latest.get(d.sn)?.score ?? null,
        state: state === 'silent' ? 'silent' : state === 'insufficient' ? 'insufficient' : 'unknown',
      });
    }
    const windows = buffer.subarray(0, scored.length * steps * width);
    const cycleId = ++this.cycleId;
    let refused = 0;
    const observedAt = endStep * fw.compiled.stepMs;
    if (scored.length > 0) {
      const { outputs, scoredBy } = await m.coordinator!.score(cycleId, windows, scored.length);
      m.status.scoredBy = scoredBy;
      const policy = this.policyOf(kind);
      for (const d of scored) {
        const row = interpretRow(model.manifest, outputs, d.row);
        if (row === null) {
          refused++;
          this.deps.pipeline.setModelHealth(d.slot, Number.NaN);
          continue;
        }
        const health = Math.max(0, Math.min(100, Math.round(100 * (1 - row.probabilities.h24))));
        this.deps.pipeline.setModelHealth(d.slot, health);
        const score: DeviceScore = {
          observedAt: iso(observedAt),
          health,
          probabilities: row.probabilities,
          ttfHours: row.ttfHours,
          modes: row.modes,
        };
        this.latest.set(d.sn, { score, state: 'scored' });
        const hist = this.history.get(d.sn) ?? [];
        hist.push({ t: score.observedAt, health, h24: r3(row.probabilities.h24), ttfHours: row.ttfHours });
        if (hist.length > HISTORY_POINTS) hist.splice(0, hist.length - HISTORY_POINTS);
        this.history.set(d.sn, hist);
        if (policy) {
          const window = windows.subarray(d.row * steps * width, (d.row + 1) * steps * width);
          await this.applyPolicy(policy, m, d.sn, score, window, observedAt);
        }
      }
    }
    m.status = {
      ...m.status,
      lastCycleAt: iso(this.deps.clock.now()),
      lastCycleMs: Date.now() - started,
      scored: scored.length - refused,
      insufficient,
      silent,
      refused,
    };
    this.cycles++;
    this.lastTelemetryTime = observedAt;
  }

  private policyOf(kind: string): PredictivePolicy | null {
    return this.policies.policies.find((p) => p.deviceKind === kind) ?? null;
  }

  private openRecordOf(sn: string): PredictionRecord | null {
    const id = this.openBySn.get(sn);
    return id === undefined ? null : (this.records.get(id) ?? null);
  }

  private async applyPolicy(
    policy: PredictivePolicy,
    m: ModelRuntime,
    sn: string,
    score: DeviceScore,
    window: Float32Array,
    observedAt: number,
  ): Promise<void> {
    const open = this.openRecordOf(sn);
    const ticketStatus = open ? await this.ticketStatus(open.ticketId) : null;
    const { action, state } = decide(
      policy,
      this.risk.get(sn) ?? freshRisk(),
      score.probabilities,
      open
        ? {
            lastReported: (open.updates.at(-1)?.h24 ?? open.probabilities.h24) as number,
            started: ticketStatus !== null && STARTED_STATES.has(ticketStatus),
          }
        : null,
    );
    this.risk.set(sn, state);
    try {
      if (action.kind === 'open') await this.openTicket(policy, m, sn, score, window, observedAt);
      else if (action.kind === 'update' && open) await this.updateTicket(policy, open, score);
      else if (action.kind === 'clear' && open) await this.clearTicket(open, score);
    } catch (err) {
      // One device's ticket must not stop the cycle for the rest; the next cycle tries again.
      this.deps.logger.error('predictive ticket action failed', {
        sn,
        action: action.kind,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private async ticketStatus(id: string): Promise<string | null> {
    try {
      return (await this.deps.tickets.get({ id })).status;
    } catch {
      return null;
    }
  }

  private labelOf = (kind: string): LabelLookup => {
    const def = this.deps.config().deviceKinds.find((k) => k.id === kind);
    return def ? metricLabels(def) : () => null;
  };

  private async openTicket(
    policy: PredictivePolicy,
    m: ModelRuntime,
    sn: string,
    score: DeviceScore,
    window: Float32Array,
    observedAt: number,
  ): Promise<void> {
    const manifest = m.model!.manifest;
    const device = await this.deps.storage.device(sn);
    const knowledge = this.predictConfig.knowledge.find((k) => k.deviceKind === manifest.deviceKind) ?? null;
    const labels = this.labelOf(manifest.deviceKind);
    const drivers = topDrivers(window, manifest.features, manifest.normalisation, labels);
    const hypotheses = knowledge
      ? rankHypotheses({
          knowledge,
          window,
          features: manifest.features,
          normalisation: manifest.normalisation,
          modelModes: score.modes,
          history: this.historyIndex.rates(manifest.deviceKind, device?.model ?? '', knowledge.modes),
          labels,
        })
      : [];
    const modeId =
      hypotheses[0]?.modeId ?? Object.entries(score.modes).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
    const horizon = horizonOf(policy, score.probabilities);
    const failAt = predictedFailureAt(
      observedAt,
      score.ttfHours,
      manifest.outputs.timeToFailure?.capHours ?? Infinity,
      horizon,
    );
    const priority = priorityOf(policy, score.probabilities);
    const key = idempotencyKey(sn, modeId, observedAt, policy.windowHours);
    // This device, mode and window already had its ticket (maybe done already): one is enough.
    if (this.keys.has(key)) return;

    // A restart between creating the ticket and recording it, or a second hub: adopt the open
    // preventive ticket of the device instead of opening another.
    const existing = await this.deps.storage.listTickets(
      {
        filter: { businessKey: { key: 'deviceSn', value: sn }, typeId: [PREVENTIVE_TYPE], open: true },
        sort: { field: 'createdAt', dir: 'asc' },
        offset: 0,
        limit: 1,
      },
      this.deps.clock.now(),
    );
    const mode = knowledge?.modes.find((x) => x.id === modeId) ?? null;
    const sop = mode?.sopId ? (this.predictConfig.sops.find((s) => s.id === mode.sopId) ?? null) : null;
    const dispatch = chooseDispatch({
      config: this.predictConfig,
      users: this.deps.config().directory.users,
      sop,
      parts: mode?.parts ?? [],
      reservations: this.reservations(),
      device: {
        lng: device?.lng ?? null,
        lat: device?.lat ?? null,
        region: device?.region ?? '',
        customerTier: device?.metadata.customerTier ?? null,
      },
      dueAtMs: this.deps.clock.now() + Math.max(0, failAt - observedAt),
      nowMs: this.deps.clock.now(),
      timezone: this.deps.config().timezone,
      openLoad: this.openLoad(),
      priority,
    });
    const weather =
      device?.lat != null && device.lng != null && this.weather
        ? await this.weather.context(device.lat, device.lng, observedAt)
        : null;

    let ticket: Ticket;
    if (existing.items[0]) {
      ticket = await this.deps.tickets.get({ id: existing.items[0].id });
      if (this.records.has(ticket.id)) return;
    } else {
      ticket = await this.deps.tickets.create(
        {
          typeId: PREVENTIVE_TYPE,
          title: this.title(device, sn, mode?.name['zh-CN'] ?? modeId, score),
          description: this.description(score, failAt, drivers, hypotheses[0] ?? null, manifest),
          priority,
          assignee: dispatch.chosen ? { kind: 'user', id: dispatch.chosen.userId } : null,
          source: 'predictive',
          businessKeys: { deviceSn: sn },
          domains: ['after-sales'],
          location:
            device?.lng != null && device.lat != null
              ? { lng: device.lng, lat: device.lat, address: `${device.region} ${device.site}` }
              : null,
          fields: {
            deviceKind: manifest.deviceKind,
            failureMode: ['capacitor-ageing', 'loose-contact', 'fan-failure'].includes(modeId)
              ? modeId
              : 'other',
            riskScore: Math.round(100 * score.probabilities.h24),
            predictedFailureAt: iso(failAt),
            ...(dispatch.parts.length > 0 && {
              sparePart: dispatch.parts.map((p) => `${p.name['zh-CN']}×${p.qty}`).join('、'),
            }),
          },
          idempotencyKey: key,
        },
        { actor: this.deps.actor },
      );
      // The key answered with a ticket that is already recorded: nothing new to record.
      if (this.records.has(ticket.id)) return;
    }
    const record: PredictionRecord = {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      sn,
      deviceKind: manifest.deviceKind,
      modeId,
      idempotencyKey: ticket.idempotencyKey ?? key,
      modelId: manifest.id,
      modelVersion: manifest.version,
      firstObservedAt: iso(observedAt),
      observedAt: iso(observedAt),
      probabilities: score.probabilities,
      ttfHours: score.ttfHours,
      predictedFailureAt: iso(failAt),
      horizon,
      drivers,
      hypotheses,
      dispatch,
      weather,
      updates: [],
      state: 'open',
      outcome: null,
      outcomeNote: null,
      failure: null,
    };
    await this.putRecord(record);
  }

  private title(device: Device | null, sn: string, modeName: string, score: DeviceScore): string {
    const where = device ? `${device.site} ` : '';
    return `${where}${sn} 预测${modeName}（24h 失效概率 ${Math.round(100 * score.probabilities.h24)}%）`.slice(
      0,
      200,
    );
  }

  private description(
    score: DeviceScore,
    failAt: number,
    drivers: PredictionRecord['drivers'],
    top: PredictionRecord['hypotheses'][number] | null,
    manifest: LoadedModel['manifest'],
  ): string {
    const pct = (x: number) => `${Math.round(100 * x)}%`;
    return [
      `模型 ${manifest.id} v${manifest.version} 于 ${score.observedAt} 的预测：`,
      `失效概率 4h ${pct(score.probabilities.h4)} · 8h ${pct(score.probabilities.h8)} · 24h ${pct(score.probabilities.h24)}；预计失效 ${iso(failAt)}。`,
      top ? `最可能原因：${top.mode['zh-CN']} — ${top.cause['zh-CN']}（${pct(top.score)}）。` : '',
      drivers.length
        ? `主要依据：${drivers.map((d) => `${d.label['zh-CN']} ${d.from.toFixed(2)}→${d.to.toFixed(2)} ${d.unit}`).join('；')}。`
        : '',
    ]
      .filter(Boolean)
      .join('\n');
  }

  private async updateTicket(
    policy: PredictivePolicy,
    record: PredictionRecord,
    score: DeviceScore,
  ): Promise<void> {
    const ticket = await this.deps.tickets.get({ id: record.ticketId });
    if (this.doneStatuses().has(ticket.status) || this.records.get(record.ticketId)?.state !== 'open') return;
    const priority = priorityOf(policy, score.probabilities);
    const rank = (p: string) => Number(p.slice(1));
    const failAt = predictedFailureAt(
      Date.parse(score.observedAt),
      score.ttfHours,
      this.models.get(record.deviceKind)?.model?.manifest.outputs.timeToFailure?.capHours ?? Infinity,
      horizonOf(policy, score.probabilities),
    );
    const note = `风险上升：24h 失效概率 ${Math.round(100 * record.probabilities.h24)}% → ${Math.round(100 * score.probabilities.h24)}%`;
    await this.deps.tickets.update(
      {
        id: ticket.id,
        version: ticket.version,
        patch: {
          // Risk only ever raises the priority; people may have raised it further by hand.
          ...(rank(priority) < rank(ticket.priority) && { priority }),
          fields: { riskScore: Math.round(100 * score.probabilities.h24), predictedFailureAt: iso(failAt) },
        },
        note,
      },
      { actor: this.deps.actor },
    );
    await this.patchRecord(record.ticketId, (current) =>
      current.state !== 'open'
        ? null
        : {
            ...current,
            observedAt: score.observedAt,
            probabilities: score.probabilities,
            ttfHours: score.ttfHours,
            predictedFailureAt: iso(failAt),
            updates: [
              ...current.updates,
              { observedAt: score.observedAt, h24: score.probabilities.h24, priority, note },
            ].slice(-50),
          },
    );
  }

  private async clearTicket(record: PredictionRecord, score: DeviceScore): Promise<void> {
    const ticket = await this.deps.tickets.get({ id: record.ticketId });
    const note = `风险解除：24h 失效概率回落至 ${Math.round(100 * score.probabilities.h24)}%，工作尚未开始，自动关闭。`;
    await this.deps.tickets.transition(
      { id: ticket.id, version: ticket.version, to: 'risk_cleared', note },
      { actor: this.deps.actor },
    );
    await this.patchRecord(record.ticketId, (current) => ({
      ...current,
      state: 'risk-cleared',
      observedAt: score.observedAt,
    }));
  }

  // ---- records ----

  /**
   * Changes a record as it is at the moment of writing: commands and cycles await between reading
   * and writing, and a change made meanwhile (an outcome, an override) must not be overwritten.
   * `change` returns null to leave the record as it is.
   */
  private patchRecord(
    ticketId: string,
    change: (current: PredictionRecord) => PredictionRecord | null,
  ): Promise<PredictionRecord | null> {
    const current = this.records.get(ticketId);
    const next = current ? change(current) : null;
    if (!next) return Promise.resolve(current ?? null);
    return this.putRecord(next).then(() => next);
  }

  private putRecord(record: PredictionRecord): Promise<void> {
    this.index(record);
    return this.put('prediction', record.ticketId, record);
  }

  private index(record: PredictionRecord): void {
    this.records.set(record.ticketId, record);
    this.keys.add(record.idempotencyKey);
    if (record.state === 'open') this.openBySn.set(record.sn, record.ticketId);
    else if (this.openBySn.get(record.sn) === record.ticketId) this.openBySn.delete(record.sn);
  }

  private put(ns: RecordNamespace, id: string, doc: unknown): Promise<void> {
    const write = this.writes.then(() =>
      this.deps.storage.append([
        { v: 1, type: 'record.put', at: iso(this.deps.clock.now()), actor: this.deps.actor, ns, id, doc },
      ]),
    );
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Parts reserved by open predictive tickets, per depot and SKU. */
  private reservations(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.records.values()) {
      if (r.state !== 'open' || !r.dispatch) continue;
      for (const p of r.dispatch.parts) {
        if (!p.reserved || !p.depotId) continue;
        const depot = (out[p.depotId] ??= {});
        depot[p.sku] = (depot[p.sku] ?? 0) + p.qty;
      }
    }
    return out;
  }

  private openLoad(): Record<string, number> {
    const load: Record<string, number> = {};
    for (const r of this.records.values()) {
      const who = r.dispatch?.override?.userId ?? r.dispatch?.chosen?.userId;
      if (r.state === 'open' && who) load[who] = (load[who] ?? 0) + 1;
    }
    return load;
  }

  async recordFailures(list: readonly Omit<FailureRecord, 'deviceKind'>[]): Promise<number> {
    let added = 0;
    for (const f of list) {
      const id = `${f.sn}@${iso(f.at)}`;
      if (this.failures.has(id)) continue;
      const device = await this.deps.storage.device(f.sn);
      const failure: FailureRecord = { ...f, deviceKind: device?.kind ?? 'unknown' };
      this.failures.set(id, failure);
      await this.put('failure', id, failure);
      added++;
      // The prediction this failure proves right: the device's latest one opened before it.
      let match: PredictionRecord | null = null;
      for (const r of this.records.values()) {
        if (r.sn !== f.sn || r.failure || Date.parse(r.firstObservedAt) > f.at) continue;
        if (!match || r.firstObservedAt > match.firstObservedAt) match = r;
      }
      if (match)
        await this.patchRecord(match.ticketId, (current) =>
          current.failure ? null : { ...current, failure: { at: iso(f.at), source: f.source } },
        );
    }
    return added;
  }

  private async recordGroundTruth(t: number): Promise<void> {
    const truth = this.options.groundTruth?.();
    if (!truth) return;
    const due = truth
      .filter((g) => g.failureAt <= t)
      .map((g) => ({ sn: g.sn, at: g.failureAt, source: 'ground-truth' as const }));
    if (due.length) await this.recordFailures(due);
  }

  /**
   * Follows ticket changes: a fault ticket opened for a device is a failure of it (at the current
   * telemetry time); a predictive ticket people closed is no longer open; resolved device tickets
   * teach the root-cause ranking.
   */
  async onTicketsChanged(changes: readonly TicketChange[]): Promise<void> {
    const done = this.doneStatuses();
    for (const { op, ticket } of changes) {
      const sn = ticket.businessKeys.deviceSn;
      if (op === 'created' && ticket.typeId === FAULT_TYPE && sn) {
        const t = this.telemetryTime();
        if (t !== null) await this.recordFailures([{ sn, at: t, source: 'fault-ticket' }]);
      }
      if (!done.has(ticket.status)) continue;
      const record = this.records.get(ticket.id);
      if (record?.state === 'open')
        await this.patchRecord(ticket.id, (current) =>
          current.state === 'open' ? { ...current, state: 'closed' } : null,
        );
      if (sn && (ticket.typeId === FAULT_TYPE || ticket.typeId === PREVENTIVE_TYPE))
        await this.learn(ticket.id, sn);
    }
  }

  private doneStatuses(): Set<string> {
    const out = new Set<string>();
    for (const wf of this.deps.config().workflows)
      for (const st of wf.states) if (DONE_CATEGORIES.includes(st.category)) out.add(st.id);
    return out;
  }

  private async learn(ticketId: string, sn: string): Promise<void> {
    if (this.learned.has(ticketId)) return;
    this.learned.add(ticketId);
    const [ticket, device] = await Promise.all([
      this.deps.tickets.get({ id: ticketId }),
      this.deps.storage.device(sn),
    ]);
    this.learnFromResolved(ticket, device?.model ?? '');
  }

  /** Resolved device tickets already in the store (demo history, earlier sessions). */
  async learnFromStore(limit = 500): Promise<number> {
    const list = await this.deps.storage.listTickets(
      {
        filter: { typeId: [FAULT_TYPE, PREVENTIVE_TYPE], open: false },
        sort: { field: 'updatedAt', dir: 'desc' },
        offset: 0,
        limit,
      },
      this.deps.clock.now(),
    );
    let learned = 0;
    for (const t of list.items) {
      const sn = t.businessKeys.deviceSn;
      if (!sn) continue;
      await this.learn(t.id, sn);
      learned++;
    }
    return learned;
  }

  /** Resolved tickets teach the root-cause ranking (resolution codes, repair notes). */
  learnFromResolved(ticket: Ticket, deviceModel: string): void {
    const kind = typeof ticket.fields.deviceKind === 'string' ? ticket.fields.deviceKind : null;
    if (!kind) return;
    const notes = [
      ticket.title,
      ...ticket.comments.map((c) => c.body),
      ...ticket.history.map((h) => h.note ?? ''),
    ].join('\n');
    this.historyIndex.add({
      ticketNumber: ticket.number,
      deviceKind: kind,
      deviceModel,
      resolutionCode: typeof ticket.fields.resolutionCode === 'string' ? ticket.fields.resolutionCode : null,
      text: notes,
    });
  }

  // ---- methods ----

  status(): PredictStatus {
    const kindsWithModels = new Set(
      [...this.models.values()].filter((m) => m.status.state === 'ready').map((m) => m.status.deviceKind),
    );
    const kindsWithDevices = new Set<string>();
    for (const d of this.deps.pipeline.devicesWithSlots()) kindsWithDevices.add(d.kind);
    let openPreventive = 0;
    for (const r of this.records.values()) if (r.state === 'open') openPreventive++;
    return {
      models: [...this.models.values()].map((m) => m.status),
      rulesOnlyKinds: [...kindsWithDevices].filter((k) => !kindsWithModels.has(k)).sort(),
      cycles: this.cycles,
      telemetryTime: this.lastTelemetryTime === null ? null : iso(this.lastTelemetryTime),
      openPreventive,
    };
  }

  device(sn: string): DevicePrediction {
    const slot = this.deps.pipeline.slotOf(sn);
    if (slot < 0) throw new RpcError(ErrorCode.NotFound, `device ${sn} not found`);
    let kind = '';
    for (const d of this.deps.pipeline.devicesWithSlots()) if (d.sn === sn) kind = d.kind;
    const runtime = this.models.get(kind);
    const model = runtime?.model?.manifest ?? null;
    const latest = this.latest.get(sn);
    return {
      sn,
      modelId: model?.id ?? null,
      modelVersion: model?.version ?? null,
      state: !model ? 'rules-only' : (latest?.state ?? 'unknown'),
      latest: latest?.score ?? null,
      history: this.history.get(sn) ?? [],
    };
  }

  ticket(ticketId: string): PredictionRecord | null {
    return this.records.get(ticketId) ?? null;
  }

  allRecords(): PredictionRecord[] {
    return [...this.records.values()];
  }

  allFailures(): FailureRecord[] {
    return [...this.failures.values()];
  }

  async overrideDispatch(
    input: MethodInput<'predict/overrideDispatch'>,
    actor: ActorRef,
  ): Promise<PredictionRecord> {
    const record = this.records.get(input.ticketId);
    if (!record || !record.dispatch)
      throw new RpcError(ErrorCode.NotFound, `ticket ${input.ticketId} has no dispatch decision to override`);
    const user = this.deps.config().directory.users.find((u) => u.id === input.userId);
    if (!user)
      throw new RpcError(ErrorCode.InvalidArgument, `no user ${input.userId} in the directory`, {
        issues: [{ path: 'userId', message: 'unknown user' }],
      });
    const ticket = await this.deps.tickets.get({ id: record.ticketId });
    await this.deps.tickets.assign(
      {
        id: ticket.id,
        version: ticket.version,
        assignee: { kind: 'user', id: user.id },
        note: `改派：${input.reason}`,
      },
      { actor },
    );
    const at = iso(this.deps.clock.now());
    const next = await this.patchRecord(record.ticketId, (current) => ({
      ...current,
      dispatch: current.dispatch ? applyOverride(current.dispatch, user, actor, input.reason, at) : null,
    }));
    return next!;
  }

  async recordOutcome(input: MethodInput<'predict/recordOutcome'>, actor: ActorRef): Promise<Ticket> {
    const record = this.records.get(input.ticketId);
    if (!record)
      throw new RpcError(ErrorCode.NotFound, `ticket ${input.ticketId} is not a predictive ticket`);
    let ticket = await this.deps.tickets.get({ id: input.ticketId });
    if (ticket.version !== input.version)
      throw new RpcError(
        ErrorCode.Conflict,
        `ticket ${ticket.number} changed (version ${ticket.version}); reload it`,
        {
          current: ticket.version,
        },
      );
    const label = { 'fault-confirmed': '确认故障', 'no-fault-found': '未发现故障', other: '其他' }[
      input.outcome
    ];
    const note = `处理结果：${label}。${input.note}`;
    // The preventive workflow resolves from "in service": walk there first when needed.
    if (ticket.status === 'new' || ticket.status === 'scheduled') {
      if (!ticket.assignee) {
        ticket = await this.deps.tickets
          .assign(
            { id: ticket.id, version: ticket.version, assignee: { kind: 'user', id: actor.id } },
            { actor },
          )
          .catch(() => ticket);
      }
      ticket = await this.deps.tickets.transition(
        { id: ticket.id, version: ticket.version, to: 'in_progress' },
        { actor },
      );
    }
    if (ticket.status === 'in_progress')
      ticket = await this.deps.tickets.transition(
        { id: ticket.id, version: ticket.version, to: 'resolved', note },
        { actor },
      );
    else
      throw new RpcError(
        ErrorCode.TransitionNotAllowed,
        `ticket ${ticket.number} is ${ticket.status}; an outcome is recorded when work ends`,
      );
    await this.patchRecord(record.ticketId, (current) => ({
      ...current,
      state: 'closed',
      outcome: input.outcome,
      outcomeNote: input.note,
    }));
    this.emitChanged();
    return ticket;
  }

  /**
   * The quality report. The preventive share counts the tickets created since the first
   * predictive ticket of this folder, so years of earlier history do not dilute it.
   */
  async quality(filter: MethodInput<'predict/quality'>): Promise<QualityReport> {
    const now = this.deps.clock.now();
    let first: PredictionRecord | null = null;
    for (const r of this.records.values()) if (!first || r.firstObservedAt < first.firstObservedAt) first = r;
    const since = first ? await this.ticketCreatedAt(first.ticketId) : null;
    let total = 0;
    let preventive = 0;
    if (since !== null) {
      const count = async (filter: TicketFilter): Promise<number> =>
        (
          await this.deps.storage.listTickets(
            { filter, sort: { field: 'createdAt', dir: 'desc' }, offset: 0, limit: 1 },
            now,
          )
        ).total;
      const createdFrom = iso(since);
      total = await count({ createdFrom });
      preventive = await count({ createdFrom, typeId: [PREVENTIVE_TYPE] });
    }
    return qualityReport(
      {
        records: this.allRecords(),
        failures: this.allFailures(),
        ticketsTotal: total,
        preventiveTickets: preventive,
      },
      filter,
      iso(this.telemetryTime() ?? now),
    );
  }

  private async ticketCreatedAt(id: string): Promise<number | null> {
    try {
      return Date.parse((await this.deps.tickets.get({ id })).createdAt);
    } catch {
      return null;
    }
  }

  policySet(): PolicySet {
    return this.policies;
  }

  async setPolicy(input: MethodInput<'predict/setPolicy'>, actor: ActorRef): Promise<PolicySet> {
    if (input.version !== this.policies.version)
      throw new RpcError(
        ErrorCode.Conflict,
        `the policies changed (version ${this.policies.version}); reload before saving`,
        { current: this.policies.version },
      );
    const kinds = this.deps.config().deviceKinds.map((k) => k.id);
    if (!kinds.includes(input.policy.deviceKind))
      throw new RpcError(ErrorCode.InvalidArgument, `unknown device kind ${input.policy.deviceKind}`, {
        issues: [{ path: 'policy.deviceKind', message: `known: ${kinds.join(', ')}` }],
      });
    if (input.policy.clearBelow >= input.policy.openAt)
      throw new RpcError(
        ErrorCode.InvalidArgument,
        'clearBelow must be below openAt, or tickets would open and clear in turn',
        {
          issues: [{ path: 'policy.clearBelow', message: 'must be below openAt' }],
        },
      );
    const before = this.policyOf(input.policy.deviceKind);
    const changes = Object.entries(input.policy)
      .filter(([k, v]) => (before as Record<string, unknown> | null)?.[k] !== v)
      .map(([field, to]) => ({
        field,
        from: (before as Record<string, unknown> | null)?.[field] ?? null,
        to,
      }));
    const version = this.policies.version + 1;
    const next: PolicySet = {
      version,
      policies: [
        ...this.policies.policies.filter((p) => p.deviceKind !== input.policy.deviceKind),
        input.policy,
      ],
      changes: [
        {
          version,
          at: iso(this.deps.clock.now()),
          actor,
          deviceKind: input.policy.deviceKind,
          note: input.note,
          changes,
        },
        ...this.policies.changes,
      ].slice(0, MAX_CHANGES_KEPT),
    };
    await this.put('predict-policy', 'current', next);
    this.policies = next;
    this.emitChanged();
    return next;
  }

  predictConfigSet(): PredictConfigSet {
    return this.configSet;
  }

  /**
   * Replaces the knowledge graph, SOPs, parts, depots, engineers, dispatch weights and weather
   * source in one step, after every cross-reference checks out; recorded with who, when and why.
   * Open tickets keep the decisions they were made with; new ones use the new configuration.
   */
  async setPredictConfig(
    input: MethodInput<'predict/setConfig'>,
    actor: ActorRef,
  ): Promise<PredictConfigSet> {
    if (input.version !== this.configSet.version)
      throw new RpcError(
        ErrorCode.Conflict,
        `the predictive configuration changed (version ${this.configSet.version}); reload before saving`,
        { current: this.configSet.version },
      );
    const issues = checkPredictConfig(input.config, this.deps.config()).map((i) => ({
      path: `config.${i.path}`,
      message: i.message,
    }));
    if (issues.length)
      throw new RpcError(
        ErrorCode.InvalidArgument,
        `the predictive configuration has ${issues.length} problem(s): ${issues[0]!.path}: ${issues[0]!.message}`,
        { issues },
      );
    const before = this.configSet.config as Record<string, unknown>;
    const sections = Object.keys(input.config).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify((input.config as Record<string, unknown>)[k]),
    );
    const version = this.configSet.version + 1;
    const next: PredictConfigSet = {
      version,
      config: input.config,
      changes: [
        { version, at: iso(this.deps.clock.now()), actor, note: input.note, sections },
        ...this.configSet.changes,
      ].slice(0, MAX_CHANGES_KEPT),
    };
    await this.put('predict-config', 'current', next);
    this.configSet = next;
    this.predictConfig = next.config;
    if (sections.includes('weather') && !this.options.weather) this.weather = this.configuredWeather();
    this.emitChanged();
    return next;
  }

  scoringJob(modelId: string | undefined): ReturnType<ScoringCoordinator['job']> {
    for (const m of this.models.values()) {
      if (!m.coordinator || (modelId && m.status.id !== modelId)) continue;
      const job = m.coordinator.job();
      if (job) return job;
    }
    // Asking counts as attaching: the next cycles wait for this console.
    for (const m of this.models.values()) m.coordinator?.attach();
    return null;
  }

  /** The manifest and ONNX bytes of a loaded model, for a console's worker. */
  modelFile(modelId: string): ModelFile {
    const m = [...this.models.values()].find((x) => x.status.id === modelId);
    if (!m?.model)
      throw new RpcError(
        ErrorCode.NotFound,
        m ? `model ${modelId} is ${m.status.state}: ${m.status.error ?? ''}` : `no model ${modelId}`,
      );
    return modelFile(m.model);
  }

  submitScores(input: MethodInput<'predict/submitScores'>): { accepted: boolean; reason: string | null } {
    const m = [...this.models.values()].find((x) => x.status.id === input.modelId);
    if (!m?.coordinator) return { accepted: false, reason: `no model ${input.modelId}` };
    return m.coordinator.submit(input);
  }

  private emitChanged(): void {
    let openPreventive = 0;
    for (const r of this.records.values()) if (r.state === 'open') openPreventive++;
    this.deps.emit('predict/changed', {
      cycles: this.cycles,
      telemetryTime: this.lastTelemetryTime === null ? null : iso(this.lastTelemetryTime),
      openPreventive,
      policyVersion: this.policies.version,
      configVersion: this.configSet.version,
    });
  }
}
