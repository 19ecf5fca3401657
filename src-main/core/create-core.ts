import {
  ConfigDocument,
  ErrorCode,
  RpcError,
  type SimulatorStatus,
  type ConnectorSettings,
  type ActorRef,
  type EventName,
  type EventPayload,
  type SystemInfo,
  type TicketChange,
} from '@shared/contract';
import { DEFAULT_DEVICE_KINDS, checkConfig } from '@shared/domain';
import { ConnectorService, type SecretVault } from './connectors/connector-service';
import type { ConnectorRuntime, ConnectorRuntimeOptions } from './connectors/types';
import { DeviceService } from './devices/device-service';
import { TelemetryPipeline } from './telemetry/pipeline';
import { defaultConfig } from '@shared/domain';
import {
  type Clock,
  type Logger,
  type SimulatorPort,
  type StoragePort,
  silentLogger,
  systemClock,
} from './ports';
import { HotlineService, type HotlineOptions } from './hotline/hotline-service';
import { PredictService, type PredictOptions } from './predict/predict-service';
import { dispatch, type Handlers } from './rpc/dispatch';
import { Serializer } from './rpc/serializer';
import { startOfDayIn } from './tickets/ticket-numbers';
import { TicketService, type CommandContext } from './tickets/ticket-service';
import { ViewService } from './views/view-service';

export interface CorePorts {
  storage: StoragePort;
  host: SystemInfo['host'];
  version: string;
  clock?: Clock;
  logger?: Logger;
  /** Who a call acts as when the host does not say (single-operator desktop, CLI). */
  defaultActor?: ActorRef;
  /** MQTT connections and the simulator; without them connector and simulator methods are unavailable. */
  telemetry?: {
    vault: SecretVault;
    runtime: (options: ConnectorRuntimeOptions) => ConnectorRuntime;
    embeddedBrokerUrl?: () => string | null;
    simulator?: SimulatorPort;
    /** Runs last when the core closes: what the host started for telemetry (the embedded broker). */
    dispose?: () => Promise<void>;
  };
  /** Health models and the predictive policy; without it only rules score devices. */
  predict?: PredictOptions & {
    /** No 1 s timer: the caller runs cycles with `core.predict.runDue()` (evaluation, tests). */
    manualCycles?: boolean;
  };
  /**
   * The 12345 hotline. `mapDir` is the folder with the grid files (null: no routing); `demoCalls` adds
   * a simulated call to the queue every `everySec` seconds (true: every 20 s). Without this option the
   * hotline methods still answer (no routing; the classifier is built on first use).
   */
  hotline?: { mapDir: string | null; demoCalls?: boolean | { everySec: number } } & Pick<
    HotlineOptions,
    'classifier' | 'maxWaiting' | 'training'
  >;
}

export type CoreListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Core {
  call(method: string, params: unknown, session?: CommandContext): Promise<unknown>;
  subscribe(listener: CoreListener): () => void;
  readonly storage: StoragePort;
  readonly defaultActor: ActorRef;
  /** The ingest pipeline, for hosts that feed it directly and for benchmarks. */
  readonly telemetry: TelemetryPipeline;
  /** Prediction cycles, failures and records (evaluation, tests, hosts). */
  readonly predict: PredictService;
  /** The hotline (queue, classifier readiness, misroute training rows). */
  readonly hotline: HotlineService;
  /** Creates a connector unless one with the same client id exists (demo set-up); null without MQTT. */
  ensureConnector(settings: ConnectorSettings): Promise<string | null>;
  close(): Promise<void>;
}

export const SYSTEM_ACTOR: ActorRef = { id: 'system', name: 'Watchfloor' };

const NO_SIMULATOR: SimulatorStatus = {
  available: false,
  running: false,
  devices: 0,
  speed: 1,
  seed: 0,
  brokerUrl: null,
  startedAt: null,
  published: 0,
  failures: 0,
  groundTruthFile: null,
};

/** Configuration saved before device kinds existed gets the default kinds. */
function withDefaults(config: ConfigDocument | null): ConfigDocument | null {
  if (!config || config.deviceKinds?.length) return config;
  return { ...config, deviceKinds: DEFAULT_DEVICE_KINDS };
}
export const DEFAULT_OPERATOR: ActorRef = { id: 'u-zhangwei', name: '张伟' };

/**
 * Builds the whole core from its ports. Each host wires the same core; tests wire fakes. A new
 * store is seeded with the default configuration here, journaled like any other change.
 */
export async function createCore(ports: CorePorts): Promise<Core> {
  const clock = ports.clock ?? systemClock;
  const logger = ports.logger ?? silentLogger;
  const storage = ports.storage;
  const defaultActor = ports.defaultActor ?? DEFAULT_OPERATOR;
  const startedAt = new Date(clock.now()).toISOString();
  const listeners = new Set<CoreListener>();
  let closed = false;

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    for (const l of listeners) {
      try {
        l(event, payload);
      } catch (err) {
        logger.error('event listener failed', { event, error: String(err) });
      }
    }
  };

  let config = withDefaults(await storage.latestConfig());
  if (!config) {
    const seeded = defaultConfig(startedAt);
    const issues = checkConfig(ConfigDocument.parse(seeded));
    if (issues.length) throw new Error(`default configuration is invalid: ${JSON.stringify(issues)}`);
    await storage.append([
      { v: 1, type: 'config.published', at: startedAt, actor: SYSTEM_ACTOR, config: seeded },
    ]);
    config = seeded;
  }
  const currentConfig = (): ConfigDocument => config!;

  const serializer = new Serializer();
  // Tickets are built before predictions (which need them) but report their changes to them.
  let predictRef: PredictService | null = null;
  const tickets = new TicketService(storage, clock, serializer, currentConfig, (changes: TicketChange[]) => {
    emit('tickets/changed', { changes });
    void predictRef?.onTicketsChanged(changes).catch((err: unknown) => {
      logger.warn('predictive bookkeeping of a ticket change failed', { error: String(err) });
    });
  });
  const views = new ViewService(storage, clock, serializer, (op, id) => emit('views/changed', { op, id }));

  const pipeline = new TelemetryPipeline(clock, {
    register: (found) =>
      void devices.registerUnknown(found, { actor: SYSTEM_ACTOR }).catch((err: unknown) => {
        logger.warn('registering devices seen in telemetry failed', { error: String(err) });
      }),
    frame: (frame) => emit('telemetry/changed', frame),
  });
  pipeline.useConfig(config);
  const syncRegistry = async (): Promise<number> => {
    const { version, devices: list } = await storage.devices();
    pipeline.useRegistry(version, list);
    return version;
  };
  const devices = new DeviceService(storage, clock, serializer, currentConfig, (_version, sns) => {
    void syncRegistry().then((version) => emit('devices/changed', { version, sns }));
  });
  await syncRegistry();

  const unavailable = (what: string): never => {
    throw new RpcError(ErrorCode.Unavailable, `${what} is not available on this host`);
  };
  const telemetryPorts = ports.telemetry;
  const connectors = telemetryPorts
    ? new ConnectorService(
        storage,
        clock,
        serializer,
        telemetryPorts.vault,
        telemetryPorts.runtime({
          secrets: (id) => ({
            password: telemetryPorts.vault.get(id, 'password'),
            tlsKey: telemetryPorts.vault.get(id, 'tlsKey'),
          }),
          resolveEmbeddedUrl: telemetryPorts.embeddedBrokerUrl ?? (() => null),
          onMessage: (id, topic, payload, at) => pipeline.ingest(id, topic, payload, at),
          onStatus: (id, status) => emit('connectors/changed', { id, status }),
          logger,
          clock,
        }),
        (records) => pipeline.useConnectors(records),
        (id, status) => emit('connectors/changed', { id, status }),
      )
    : null;
  if (connectors) await connectors.start();
  const simulator = telemetryPorts?.simulator ?? null;
  simulator?.onChange((status) => emit('simulator/changed', status));
  pipeline.start();

  const predict: PredictService = new PredictService(
    { storage, clock, logger, pipeline, tickets, config: currentConfig, emit, actor: SYSTEM_ACTOR },
    ports.predict ?? { modelsDir: null },
  );
  predictRef = predict;
  await predict.start();
  void predict.learnFromStore().catch((err: unknown) => {
    logger.warn('reading resolved tickets for root-cause history failed', { error: String(err) });
  });
  const predictTimer = ports.predict?.manualCycles
    ? null
    : setInterval(() => {
        predict.runDue().catch((err: unknown) => {
          logger.error('prediction cycle failed', {
            error: err instanceof Error ? err.message : String(err),
          });
        });
      }, 1000);

  const hotline = new HotlineService(
    { storage, clock, logger, tickets, config: currentConfig, emit, actor: SYSTEM_ACTOR },
    ports.hotline ? { ...ports.hotline, warmUp: true } : { mapDir: null, warmUp: false },
  );
  await hotline.start();

  const handlers: Handlers = {
    ...hotline.handlers(),
    'tickets/list': (q) => storage.listTickets(q, clock.now()),
    'tickets/facets': (q) => storage.facets(q.filter, clock.now()),
    'tickets/stats': () => {
      const now = clock.now();
      return storage.stats(now, startOfDayIn(currentConfig().timezone, now));
    },
    'tickets/get': (q) => tickets.get(q),
    'tickets/create': (q, ctx) => tickets.create(q, ctx),
    'tickets/update': (q, ctx) => tickets.update(q, ctx),
    'tickets/transition': (q, ctx) => tickets.transition(q, ctx),
    'tickets/assign': (q, ctx) => tickets.assign(q, ctx),
    'tickets/comment': (q, ctx) => tickets.comment(q, ctx),
    'tickets/link': (q, ctx) => tickets.link(q, ctx),
    'config/get': async () => currentConfig(),
    'views/list': (_q, ctx) => views.list(ctx),
    'views/save': (q, ctx) => views.save(q, ctx),
    'views/delete': (q, ctx) => views.remove(q, ctx),
    'devices/list': () => devices.list(),
    'devices/get': (q) => devices.get(q.sn),
    'devices/upsert': (q, ctx) => devices.upsert(q, ctx),
    'devices/remove': (q, ctx) => devices.remove(q, ctx),
    'devices/import': (q, ctx) => devices.import(q, ctx),
    'telemetry/frame': async (q) => pipeline.frame(q.metric),
    'telemetry/device': async (q) => {
      const found = pipeline.device(q.sn);
      if (!found) throw new RpcError(ErrorCode.NotFound, `device ${q.sn} not found`);
      return found;
    },
    'telemetry/stats': async () => pipeline.stats(),
    'telemetry/quarantine': async (q) => pipeline.quarantineSamples(q.limit),
    'connectors/list': () => (connectors ? connectors.list() : unavailable('MQTT')),
    'connectors/save': (q, ctx) => (connectors ? connectors.save(q, ctx) : unavailable('MQTT')),
    'connectors/remove': (q, ctx) => (connectors ? connectors.remove(q, ctx) : unavailable('MQTT')),
    'simulator/status': async () => simulator?.status() ?? NO_SIMULATOR,
    'simulator/start': (q) => (simulator ? simulator.start(q) : unavailable('The simulator')),
    'simulator/stop': () => (simulator ? simulator.stop() : unavailable('The simulator')),
    'predict/status': async () => predict.status(),
    'predict/device': async (q) => predict.device(q.sn),
    'predict/ticket': async (q) => predict.ticket(q.ticketId),
    'predict/overrideDispatch': (q, ctx) => predict.overrideDispatch(q, ctx.actor),
    'predict/recordOutcome': (q, ctx) => predict.recordOutcome(q, ctx.actor),
    'predict/quality': (q) => predict.quality(q),
    'predict/policies': async () => predict.policySet(),
    'predict/setPolicy': (q, ctx) => predict.setPolicy(q, ctx.actor),
    'predict/scoringJob': async (q) => predict.scoringJob(q.modelId),
    'predict/model': async (q) => predict.modelFile(q.modelId),
    'predict/config': async () => predict.predictConfigSet(),
    'predict/setConfig': (q, ctx) => predict.setPredictConfig(q, ctx.actor),
    'predict/submitScores': async (q) => predict.submitScores(q),
    'system/info': async (_q, ctx) => {
      const counts = storage.counts();
      return {
        product: 'watchfloor' as const,
        version: ports.version,
        host: ports.host,
        startedAt,
        user: ctx.actor,
        store: {
          kind: storage.kind,
          events: counts.events,
          journalBytes: counts.journalBytes,
          tickets: counts.tickets,
          recovery: storage.recovery,
        },
      };
    },
  };

  return {
    storage,
    defaultActor,
    telemetry: pipeline,
    predict,
    hotline,
    async ensureConnector(settings) {
      return connectors ? connectors.ensure(settings, { actor: SYSTEM_ACTOR }) : null;
    },
    call(method, params, session) {
      if (closed) return Promise.reject(new Error('core is closed'));
      return dispatch(handlers, method, params, session ?? { actor: defaultActor }, logger);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (predictTimer) clearInterval(predictTimer);
      await hotline.close();
      await predict.runDue().catch(() => 0);
      predict.close();
      pipeline.stop();
      await simulator?.stop().catch(() => undefined);
      await connectors?.close();
      listeners.clear();
      await serializer.run(async () => undefined);
      await storage.close();
      await telemetryPorts?.dispose?.();
    },
  };
}
