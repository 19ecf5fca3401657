import { connect, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import type { ConnectorState, ConnectorStatus } from '@shared/contract';
import type { Clock, Logger } from '../ports';
import {
  backoffDelay,
  describeConnectionError,
  redactUrl,
  type ConnectionProblem,
  type ConnectionTarget,
} from './connection-errors';
import type { ConnectorRecord, ConnectorRuntime, ConnectorRuntimeOptions, ConnectorSecrets } from './types';

/** Timing of reconnects and shutdown; the defaults are what the hub uses, tests shorten them. */
export interface ConnectorTuning {
  /** First reconnect delay; it doubles per failed attempt… */
  minDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** A connection that lasted at least this long starts the backoff again from `minDelayMs`. */
  stableMs: number;
  /** Time for the TCP/TLS/WebSocket connect and the CONNACK. */
  connectTimeoutMs: number;
  /** How long `close()` waits for a polite DISCONNECT before dropping the socket. */
  endTimeoutMs: number;
  /** Jitter source, [0, 1). */
  random: () => number;
}

export const DEFAULT_CONNECTOR_TUNING: ConnectorTuning = {
  minDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableMs: 10_000,
  connectTimeoutMs: 10_000,
  endTimeoutMs: 2_000,
  random: Math.random,
};

const MAX_GAPS = 20;
const SINK_LOG_INTERVAL_MS = 60_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `{sn}` in a topic pattern is a `+` on the wire; patterns that end up equal keep the highest QoS. */
export function subscriptionFilters(
  subscriptions: readonly { topic: string; qos: 0 | 1 | 2 }[],
): Record<string, { qos: 0 | 1 | 2 }> {
  const filters: Record<string, { qos: 0 | 1 | 2 }> = {};
  for (const s of subscriptions) {
    const filter = s.topic
      .split('/')
      .map((level) => (level === '{sn}' ? '+' : level))
      .join('/');
    const known = filters[filter];
    if (!known || known.qos < s.qos) filters[filter] = { qos: s.qos };
  }
  return filters;
}

/** The status of one connector; it outlives restarts of its connection (counters and gaps carry on). */
class StatusTracker {
  state: ConnectorState;
  since: number;
  lastError: string | null = null;
  messages = 0;
  lastMessageAt: number | null = null;
  reconnects = 0;
  private readonly gaps: { from: number; to: number | null }[] = [];
  private emitted: { state: ConnectorState; lastError: string | null } | null = null;

  constructor(
    private readonly id: string,
    private readonly ctx: Context,
    state: ConnectorState,
  ) {
    this.state = state;
    this.since = ctx.clock.now();
  }

  /** Changes state (and lastError unless undefined); tells `onStatus` when either changed. */
  set(state: ConnectorState, lastError?: string | null): void {
    if (state !== this.state) {
      this.state = state;
      this.since = this.ctx.clock.now();
    }
    if (lastError !== undefined) this.lastError = lastError;
    if (this.emitted && this.emitted.state === this.state && this.emitted.lastError === this.lastError)
      return;
    this.emitted = { state: this.state, lastError: this.lastError };
    try {
      this.ctx.onStatus(this.id, this.snapshot());
    } catch (err) {
      this.ctx.logger.error('connector status listener failed', {
        connector: this.id,
        error: errorText(err),
      });
    }
  }

  openGap(now: number): void {
    const last = this.gaps.at(-1);
    if (last && last.to === null) return;
    this.gaps.push({ from: now, to: null });
    if (this.gaps.length > MAX_GAPS) this.gaps.shift();
  }

  closeGap(now: number): void {
    const last = this.gaps.at(-1);
    if (last && last.to === null) last.to = now;
  }

  snapshot(): ConnectorStatus {
    return {
      state: this.state,
      since: iso(this.since),
      lastError: this.lastError,
      messages: this.messages,
      lastMessageAt: this.lastMessageAt === null ? null : iso(this.lastMessageAt),
      reconnects: this.reconnects,
      gaps: this.gaps.map((g) => ({ from: iso(g.from), to: g.to === null ? null : iso(g.to) })),
    };
  }
}

interface Context extends ConnectorRuntimeOptions {
  tuning: ConnectorTuning;
  clock: Clock;
  logger: Logger;
  sinkFailed(connectorId: string, err: unknown): void;
}

/** Ends a client: a polite DISCONNECT when connected, else drop the socket; never waits forever. */
function endClient(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.stream?.destroy();
      finish();
    }, timeoutMs);
    try {
      client.end(!client.connected, () => finish());
    } catch {
      client.stream?.destroy();
      finish();
    }
  });
}

/**
 * One broker connection for one version of a connector's settings. It owns a single MqttClient for
 * its whole life (so the client's in-flight QoS 2 state survives reconnects) and drives the
 * reconnects itself: mqtt.js's own reconnect runs at a fixed period, ours backs off.
 */
class Connection {
  client: MqttClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private attempt = 0;
  private connected = false;
  private connectedAt = 0;
  /** The broker has confirmed our subscriptions in the session we are in. */
  private subscribed = false;
  private firstConnect = true;
  private problem: ConnectionProblem | null = null;
  private lastLogged: string | null = null;
  private readonly target: ConnectionTarget;

  constructor(
    private readonly record: ConnectorRecord,
    private readonly status: StatusTracker,
    private readonly ctx: Context,
    /** Topics an earlier version of this connector subscribed to in the same persistent session. */
    private readonly staleFilters: readonly string[],
  ) {
    this.target = {
      host: record.settings.url,
      port: null,
      clientId: record.settings.clientId,
      connectTimeoutMs: ctx.tuning.connectTimeoutMs,
    };
  }

  private get id(): string {
    return this.record.id;
  }

  start(after: Promise<void>): void {
    this.status.set('connecting', null);
    void after.then(() => {
      if (!this.stopped) this.open();
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.stopping = client ? endClient(client, this.ctx.tuning.endTimeoutMs) : Promise.resolve();
    return this.stopping;
  }

  private open(): void {
    const s = this.record.settings;
    let url = s.url;
    if (url === 'embedded://') {
      const resolved = this.ctx.resolveEmbeddedUrl();
      if (resolved === null) {
        this.fail({ state: 'error', message: 'embedded:// was chosen but this hub runs no embedded broker' });
        this.scheduleRetry();
        return;
      }
      url = resolved;
    }
    try {
      const u = new URL(url);
      this.target.host = u.hostname;
      this.target.port = u.port ? Number(u.port) : null;
    } catch {
      this.fail({ state: 'error', message: `The broker URL is not valid: ${redactUrl(url)}` });
      return;
    }

    let secrets: ConnectorSecrets;
    try {
      secrets = this.ctx.secrets(this.id);
    } catch (err) {
      this.fail({ state: 'error', message: `The connector's secrets cannot be read: ${errorText(err)}` });
      this.scheduleRetry();
      return;
    }
    if (secrets.password !== null && s.username === null) {
      this.fail({
        state: 'error',
        message: 'A password is stored but no user name is set: MQTT sends a password only with a user name',
      });
      return;
    }

    const options: IClientOptions = {
      protocolVersion: 4,
      clientId: s.clientId,
      clean: !s.persistentSession,
      keepalive: s.keepaliveSec,
      reconnectPeriod: 0,
      connectTimeout: this.ctx.tuning.connectTimeoutMs,
      resubscribe: false,
      rejectUnauthorized: s.tls.rejectUnauthorized,
    };
    if (s.username !== null) options.username = s.username;
    if (secrets.password !== null) options.password = secrets.password;
    if (s.tls.ca !== null) options.ca = s.tls.ca;
    if (s.tls.cert !== null) options.cert = s.tls.cert;
    if (secrets.tlsKey !== null) options.key = secrets.tlsKey;

    let client: MqttClient;
    try {
      client = connect(url, options);
    } catch (err) {
      this.fail({ state: 'error', message: `Cannot connect to ${redactUrl(url)}: ${errorText(err)}` });
      return;
    }
    this.client = client;
    client.on('connect', (connack) => this.onConnect(client, connack));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.onError(err));
    client.on('close', () => this.onClose());
    this.ctx.logger.info('mqtt connecting', {
      connector: this.id,
      url: redactUrl(url),
      clientId: s.clientId,
    });
  }

  private onConnect(client: MqttClient, connack: IConnackPacket): void {
    if (this.stopped) return;
    const s = this.record.settings;
    const now = this.ctx.clock.now();
    const resumed = s.persistentSession && connack.sessionPresent;
    this.connected = true;
    this.connectedAt = now;
    this.problem = null;
    this.lastLogged = null;
    this.status.closeGap(now);
    this.status.set('connected', null);
    this.ctx.logger.info('mqtt connected', { connector: this.id, sessionPresent: resumed });

    if (this.firstConnect && resumed && this.staleFilters.length > 0) {
      client.unsubscribe([...this.staleFilters], (err) => {
        if (err && !this.stopped) {
          this.ctx.logger.warn('mqtt unsubscribe failed', { connector: this.id, error: errorText(err) });
        }
      });
    }
    this.firstConnect = false;
    // A resumed session still holds our subscriptions; subscribing again would make the broker
    // re-send retained messages. Subscribe on a new session, or if the last attempt never got a SUBACK.
    if (resumed && this.subscribed) return;
    this.subscribed = false;
    const filters = subscriptionFilters(s.subscriptions);
    client.subscribe(filters, (err, granted) => {
      if (this.stopped || client !== this.client) return;
      if (err) {
        // Lost the connection before the SUBACK: the next connect subscribes again.
        if (client.connected) {
          this.status.set(this.status.state, `Subscribing failed: ${errorText(err)}`);
        }
        return;
      }
      this.subscribed = true;
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) {
        const message = `The broker refused the subscription to ${refused.join(', ')} (not allowed?)`;
        this.ctx.logger.warn('mqtt subscription refused', { connector: this.id, topics: refused });
        this.status.set(this.status.state, message);
      }
      const downgraded = (granted ?? []).filter((g) => g.qos !== 128 && g.qos < (filters[g.topic]?.qos ?? 0));
      if (downgraded.length > 0) {
        this.ctx.logger.warn('mqtt subscription granted at a lower QoS', {
          connector: this.id,
          granted: downgraded.map((g) => `${g.topic}@${g.qos}`),
        });
      }
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const now = this.ctx.clock.now();
    const status = this.status;
    status.messages++;
    status.lastMessageAt = now;
    try {
      this.ctx.onMessage(this.id, topic, payload, now);
    } catch (err) {
      this.ctx.sinkFailed(this.id, err);
    }
  }

  private onError(err: unknown): void {
    if (this.stopped) return;
    const problem = describeConnectionError(err, this.target);
    this.problem = problem;
    if (!this.connected) this.fail(problem);
    else this.log(problem.message);
  }

  private onClose(): void {
    if (this.stopped) return;
    const now = this.ctx.clock.now();
    if (this.connected) {
      this.connected = false;
      if (now - this.connectedAt >= this.ctx.tuning.stableMs) this.attempt = 0;
      this.status.openGap(now);
      const problem = this.problem ?? {
        state: 'disconnected',
        message: 'The broker closed the connection (restarted, or another client took this client id)',
      };
      this.fail(problem);
    } else if (!this.problem) {
      this.fail({ state: 'disconnected', message: 'The broker closed the connection before accepting it' });
    }
    this.problem = null;
    this.scheduleRetry();
  }

  private fail(problem: ConnectionProblem): void {
    this.status.set(problem.state, problem.message);
    this.log(problem.message);
  }

  /** Logs a problem once, not on every retry of the same failure. */
  private log(message: string): void {
    if (message === this.lastLogged) return;
    this.lastLogged = message;
    this.ctx.logger.warn('mqtt connection problem', { connector: this.id, error: message });
  }

  private scheduleRetry(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt, this.ctx.tuning, this.ctx.tuning.random);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.status.reconnects++;
      const client = this.client;
      if (client) {
        // Keep the stores: a QoS 2 message received but not yet released must survive the reconnect.
        client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      } else {
        this.open();
      }
    }, delay);
  }
}

interface Entry {
  record: ConnectorRecord;
  status: StatusTracker;
  connection: Connection | null;
}

/**
 * The hub's MQTT connections (mqtt.js 5), one per enabled connector, kept in line with the saved
 * connectors by `apply`. Every message goes to `onMessage` raw; its status (state, last error,
 * counters, outages) is read with `status()` and pushed through `onStatus` when the state changes.
 */
export class ConnectorManager implements ConnectorRuntime {
  private readonly entries = new Map<string, Entry>();
  private readonly ending = new Set<Promise<void>>();
  /** A connector's connection that is still ending; a new one for the same id starts after it. */
  private readonly endingById = new Map<string, Promise<void>>();
  private readonly ctx: Context;
  private closed = false;
  private sinkFailures = 0;
  private sinkFailuresLogged = 0;
  private lastSinkLog = Number.NEGATIVE_INFINITY;

  constructor(options: ConnectorRuntimeOptions, tuning: Partial<ConnectorTuning> = {}) {
    this.ctx = {
      ...options,
      tuning: { ...DEFAULT_CONNECTOR_TUNING, ...tuning },
      sinkFailed: (id, err) => this.sinkFailed(id, err),
    };
  }

  apply(records: readonly ConnectorRecord[]): void {
    if (this.closed) throw new Error('The connector manager is closed');
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const entry = this.entries.get(record.id);
      if (!entry) {
        const status = new StatusTracker(
          record.id,
          this.ctx,
          record.settings.enabled ? 'connecting' : 'disabled',
        );
        const created: Entry = { record, status, connection: null };
        this.entries.set(record.id, created);
        if (record.settings.enabled) {
          this.startConnection(created, this.endingById.get(record.id) ?? Promise.resolve(), []);
        } else status.set('disabled', null);
        continue;
      }
      if (
        entry.record.version === record.version &&
        entry.record.settings.enabled === record.settings.enabled
      ) {
        continue;
      }
      const previous = entry.record;
      entry.record = record;
      const ended = entry.connection
        ? this.stopConnection(record.id, entry.connection)
        : (this.endingById.get(record.id) ?? Promise.resolve());
      entry.connection = null;
      if (record.settings.enabled) {
        this.startConnection(entry, ended, staleFilters(previous, record));
      } else {
        entry.status.closeGap(this.ctx.clock.now());
        entry.status.set('disabled', null);
      }
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      this.entries.delete(id);
      if (entry.connection) void this.stopConnection(entry.record.id, entry.connection);
      this.ctx.logger.info('mqtt connector removed', { connector: id });
    }
  }

  status(connectorId: string): ConnectorStatus {
    const entry = this.entries.get(connectorId);
    if (entry) return entry.status.snapshot();
    return {
      state: 'disabled',
      since: iso(this.ctx.clock.now()),
      lastError: null,
      messages: 0,
      lastMessageAt: null,
      reconnects: 0,
      gaps: [],
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) {
      if (entry.connection) void this.stopConnection(entry.record.id, entry.connection);
      entry.connection = null;
    }
    this.entries.clear();
    await Promise.all([...this.ending]);
    if (this.sinkFailures > this.sinkFailuresLogged) {
      this.ctx.logger.error('mqtt message handler failures', { failures: this.sinkFailures });
    }
  }

  /** How many times `onMessage` threw (each is caught and counted, never passed to mqtt.js). */
  get messageHandlerFailures(): number {
    return this.sinkFailures;
  }

  /** The live mqtt.js client of a connector, for tests and diagnostics; null when there is none. */
  debugClient(connectorId: string): MqttClient | null {
    return this.entries.get(connectorId)?.connection?.client ?? null;
  }

  private startConnection(entry: Entry, after: Promise<void>, stale: readonly string[]): void {
    const connection = new Connection(entry.record, entry.status, this.ctx, stale);
    entry.connection = connection;
    connection.start(after);
  }

  private stopConnection(connectorId: string, connection: Connection): Promise<void> {
    const ended = connection.stop();
    this.ending.add(ended);
    this.endingById.set(connectorId, ended);
    void ended.finally(() => {
      this.ending.delete(ended);
      if (this.endingById.get(connectorId) === ended) this.endingById.delete(connectorId);
    });
    return ended;
  }

  private sinkFailed(connectorId: string, err: unknown): void {
    this.sinkFailures++;
    const now = this.ctx.clock.now();
    if (now - this.lastSinkLog < SINK_LOG_INTERVAL_MS) return;
    this.lastSinkLog = now;
    this.ctx.logger.error('mqtt message handler failed', {
      connector: connectorId,
      error: errorText(err),
      failuresSinceLastLog: this.sinkFailures - this.sinkFailuresLogged,
    });
    this.sinkFailuresLogged = this.sinkFailures;
  }
}

/** Filters the previous version subscribed to that the new one drops, when it resumes the same session. */
function staleFilters(previous: ConnectorRecord, next: ConnectorRecord): string[] {
  const a = previous.settings;
  const b = next.settings;
  if (!a.enabled || !a.persistentSession || !b.persistentSession) return [];
  if (a.url !== b.url || a.clientId !== b.clientId) return [];
  const keep = subscriptionFilters(b.subscriptions);
  return Object.keys(subscriptionFilters(a.subscriptions)).filter((f) => !(f in keep));
}
