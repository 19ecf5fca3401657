import {
  HEALTH_NO_DATA,
  HEALTH_OFFLINE,
  type ConfigDocument,
  type Device,
  type DeviceKind,
  type DeviceState,
  type DeviceTelemetry,
  type EventPayload,
  type QuarantineReason,
  type QuarantineSample,
  type TelemetryFrame,
  type TelemetryStats,
} from '@shared/contract';
import type { ConnectorConfig } from '../connectors/types';
import type { Clock } from '../ports';
import { healthOf } from './health';
import { FlatScanner, compileJsonPath, flatKeyOf, type Getter } from './json-path';

/** Raw samples kept per device, per metric. */
export const RING = 64;
/** History buckets: 5-minute averages for the last 6 hours. */
export const BUCKET_MS = 5 * 60_000;
export const BUCKETS = 72;
const QUARANTINE_KEPT = 500;
/** Refused messages copied into the quarantine list per second at most; the counters count them all. */
const QUARANTINE_SAMPLES_PER_SECOND = 50;
const PREVIEW_CHARS = 200;

interface CompiledMapping {
  /** The topic filter without its trailing `#` (matched by {@link matchTopic}). */
  levels: readonly string[];
  multi: boolean;
  sn: Getter | null;
  ts: { get: Getter; format: 'ms' | 's' | 'iso' } | null;
  metrics: { metric: string; get: Getter; scale: number; at: number }[];
  /** When every path is `$.key`: reads the payload bytes without JSON.parse (falls back to it). */
  flat: FlatScanner | null;
  /** The scanner's output, reused per message; `snAt`/`tsAt` index into it (-1: not from JSON). */
  flatValues: unknown[];
  snAt: number;
  tsAt: number;
  kind: string | null;
  /** Ring slot of each mapped metric for a device kind (index into kinds), computed on first use. */
  slots: (Int8Array | undefined)[];
}

/**
 * `compileTopicPattern(...).match(topic.split('/'))` without the split (five strings per message):
 * walks the topic's levels in place. Returns the `{sn}` level ('' when the pattern has none), or
 * null when the topic does not match. `levels` is the pattern without its trailing `#`.
 */
export function matchTopic(levels: readonly string[], multi: boolean, topic: string): string | null {
  const len = topic.length;
  let pos = 0;
  let sn = '';
  for (let i = 0; i < levels.length; i++) {
    // pos > len: the topic has no more levels.
    if (pos > len) return null;
    let end = topic.indexOf('/', pos);
    if (end < 0) end = len;
    const p = levels[i]!;
    if (p === '+' || p === '{sn}') {
      if (end === pos) return null;
      if (p === '{sn}' && sn === '') sn = topic.slice(pos, end);
    } else if (end - pos !== p.length || !topic.startsWith(p, pos)) {
      return null;
    }
    pos = end + 1;
  }
  if (!multi && pos <= len) return null;
  return sn;
}

interface CompiledConnector {
  id: string;
  config: ConnectorConfig;
  mappings: CompiledMapping[];
  tokens: number;
  refilledAt: number;
}

/**
 * Receives every accepted sample (the predictive feature windows). Called on the hot path, so it
 * must not allocate or throw; slots are the pipeline's, and `clear` says a slot was reused.
 */
export interface SampleSink {
  sample(slot: number, kind: number, ts: number, values: Float32Array, base: number): void;
  clear(slot: number): void;
  grow(capacity: number): void;
}

export interface PipelineEvents {
  /** Devices first seen in telemetry whose connector registers unknown devices. */
  register(found: { sn: string; kind: string }[]): void;
  frame(payload: EventPayload<'telemetry/changed'>): void;
}

const REASONS: readonly QuarantineReason[] = [
  'oversized',
  'rate-limited',
  'no-mapping',
  'malformed-json',
  'missing-sn',
  'unknown-device',
  'bad-timestamp',
  'late',
  'future',
  'duplicate',
  'wrong-type',
  'out-of-range',
];

/**
 * Telemetry from every connector, one message at a time: map, validate, store. Validation never
 * throws on the hot path (only a malformed JSON payload costs an exception, inside JSON.parse);
 * every refused message or field is counted by reason and a sample goes to the quarantine list.
 * Memory per device is fixed: ring buffers of the last {@link RING} samples and {@link BUCKETS}
 * history buckets per metric, in typed arrays sized by the registry.
 */
export class TelemetryPipeline {
  private kinds: DeviceKind[] = [];
  private kindIndex = new Map<string, number>();
  /** Slots per device: the most metrics any kind has. */
  private m = 1;
  private capacity = 0;
  private slotBySn = new Map<string, number>();
  private snOfSlot: (string | null)[] = [];
  private freeSlots: number[] = [];
  /** Registry order → slot, for frames. */
  private order = new Int32Array(0);
  private registryVersion = -1;

  private kindOf = new Uint8Array(0);
  private values = new Float32Array(0);
  private times = new Float64Array(0);
  private head = new Uint16Array(0);
  private count = new Uint16Array(0);
  private lastTs = new Float64Array(0);
  private lastSeen = new Float64Array(0);
  private histSum = new Float32Array(0);
  private histCount = new Uint16Array(0);
  private histBucket = new Int32Array(0);
  private healthNow = new Float32Array(0);
  private healthSum = new Float32Array(0);
  private healthCount = new Uint16Array(0);
  private healthBucket = new Int32Array(0);
  private state = new Uint8Array(0); // 0 unknown, 1 online, 2 offline
  /** Health from a predictive model (NaN: none); the shown health is the worse of it and the rules'. */
  private modelHealth = new Float32Array(0);
  private sink: SampleSink | null = null;
  private maxTs = 0;

  private connectors = new Map<string, CompiledConnector>();
  private refused = new Map<QuarantineReason, number>(REASONS.map((r) => [r, 0]));
  private received = 0;
  private accepted = 0;
  private quarantine: QuarantineSample[] = [];
  private sampledThisSecond = 0;
  private sampleSecond = 0;
  private pendingRegistration = new Map<string, string>();
  private rate = { at: 0, received: 0, perSecond: 0 };
  private seq = 0;
  private lastFrame: EventPayload<'telemetry/changed'> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly events: PipelineEvents,
  ) {}

  // ---- configuration and registry ----

  useConfig(config: ConfigDocument): void {
    this.kinds = config.deviceKinds;
    this.kindIndex = new Map(this.kinds.map((k, i) => [k.id, i]));
    const m = Math.max(1, ...this.kinds.map((k) => k.metrics.length));
    if (m !== this.m) {
      // A kind gained metrics: the slot layout changes, so buffers start over.
      this.m = m;
      this.allocate(this.capacity, true);
    }
    for (const c of this.connectors.values()) for (const mp of c.mappings) mp.slots = [];
  }

  useConnectors(connectors: readonly { id: string; settings: ConnectorConfig }[]): void {
    const next = new Map<string, CompiledConnector>();
    for (const { id, settings } of connectors) {
      const previous = this.connectors.get(id);
      next.set(id, {
        id,
        config: settings,
        mappings: settings.mappings.map((mp): CompiledMapping => {
          const parts = mp.topic.split('/');
          const multi = parts.at(-1) === '#';
          const paths = [
            ...(mp.sn.from === 'json' ? [mp.sn.path] : []),
            ...(mp.timestamp.from === 'json' ? [mp.timestamp.path] : []),
            ...mp.metrics.map((x) => x.path),
          ];
          const keys = [...new Set(paths.map(flatKeyOf))];
          const flat = keys.every((k) => k !== null) ? new FlatScanner(keys as string[]) : null;
          const at = (path: string): number => (flat ? flat.keys.indexOf(flatKeyOf(path)!) : -1);
          return {
            levels: multi ? parts.slice(0, -1) : parts,
            multi,
            sn: mp.sn.from === 'json' ? compileJsonPath(mp.sn.path) : null,
            ts:
              mp.timestamp.from === 'json'
                ? { get: compileJsonPath(mp.timestamp.path), format: mp.timestamp.format }
                : null,
            metrics: mp.metrics.map((x) => ({
              metric: x.metric,
              get: compileJsonPath(x.path),
              scale: x.scale,
              at: at(x.path),
            })),
            flat,
            flatValues: new Array<unknown>(flat?.keys.length ?? 0).fill(undefined),
            snAt: mp.sn.from === 'json' ? at(mp.sn.path) : -1,
            tsAt: mp.timestamp.from === 'json' ? at(mp.timestamp.path) : -1,
            kind: mp.kind ?? null,
            slots: [],
          };
        }),
        tokens: previous?.tokens ?? settings.maxMessagesPerSecond,
        refilledAt: previous?.refilledAt ?? this.clock.now(),
      });
    }
    this.connectors = next;
  }

  private allocate(capacity: number, reset: boolean): void {
    const m = this.m;
    const grow = <T extends Float32Array | Float64Array | Uint16Array | Uint8Array | Int32Array>(
      old: T,
      make: (n: number) => T,
      per: number,
    ): T => {
      const next = make(capacity * per);
      if (!reset) next.set(old.subarray(0, Math.min(old.length, next.length)));
      return next;
    };
    this.kindOf = grow(this.kindOf, (n) => new Uint8Array(n), 1);
    this.values = grow(this.values, (n) => new Float32Array(n).fill(Number.NaN), RING * m);
    this.times = grow(this.times, (n) => new Float64Array(n), RING);
    this.head = grow(this.head, (n) => new Uint16Array(n), 1);
    this.count = grow(this.count, (n) => new Uint16Array(n), 1);
    this.lastTs = grow(this.lastTs, (n) => new Float64Array(n), 1);
    this.lastSeen = grow(this.lastSeen, (n) => new Float64Array(n), 1);
    this.histSum = grow(this.histSum, (n) => new Float32Array(n), BUCKETS * m);
    this.histCount = grow(this.histCount, (n) => new Uint16Array(n), BUCKETS * m);
    this.histBucket = grow(this.histBucket, (n) => new Int32Array(n).fill(-1), BUCKETS);
    this.healthNow = grow(this.healthNow, (n) => new Float32Array(n).fill(Number.NaN), 1);
    this.healthSum = grow(this.healthSum, (n) => new Float32Array(n), BUCKETS);
    this.healthCount = grow(this.healthCount, (n) => new Uint16Array(n), BUCKETS);
    this.healthBucket = grow(this.healthBucket, (n) => new Int32Array(n).fill(-1), BUCKETS);
    this.state = grow(this.state, (n) => new Uint8Array(n), 1);
    this.modelHealth = grow(this.modelHealth, (n) => new Float32Array(n).fill(Number.NaN), 1);
    if (!reset) {
      // Newly grown ranges need the same "empty" markers as fresh arrays.
      const from = this.capacity;
      this.values.fill(Number.NaN, from * RING * m);
      this.histBucket.fill(-1, from * BUCKETS);
      this.healthNow.fill(Number.NaN, from);
      this.healthBucket.fill(-1, from * BUCKETS);
      this.modelHealth.fill(Number.NaN, from);
    }
    this.capacity = capacity;
    this.sink?.grow(capacity);
  }

  private clearSlot(slot: number): void {
    const m = this.m;
    this.values.fill(Number.NaN, slot * RING * m, (slot + 1) * RING * m);
    this.head[slot] = 0;
    this.count[slot] = 0;
    this.lastTs[slot] = 0;
    this.lastSeen[slot] = 0;
    this.histBucket.fill(-1, slot * BUCKETS, (slot + 1) * BUCKETS);
    this.healthBucket.fill(-1, slot * BUCKETS, (slot + 1) * BUCKETS);
    this.healthNow[slot] = Number.NaN;
    this.modelHealth[slot] = Number.NaN;
    this.state[slot] = 0;
    this.sink?.clear(slot);
  }

  /** Hands every accepted sample to `sink` from now on (one sink; null detaches). */
  useSink(sink: SampleSink | null): void {
    this.sink = sink;
    sink?.grow(this.capacity);
  }

  /** Newest accepted sample time (telemetry time, epoch ms); 0 before the first. */
  telemetryTime(): number {
    return this.maxTs;
  }

  slotOf(sn: string): number {
    return this.slotBySn.get(sn) ?? -1;
  }

  /** Registered devices with their slot and kind id. */
  *devicesWithSlots(): IterableIterator<{ sn: string; slot: number; kind: string }> {
    for (const [sn, slot] of this.slotBySn)
      yield { sn, slot, kind: this.kinds[this.kindOf[slot]!]?.id ?? '' };
  }

  kindIndexOf(kind: string): number {
    return this.kindIndex.get(kind) ?? -1;
  }

  /** Sets (or with NaN clears) a device's model health, shown from the next frame. */
  setModelHealth(slot: number, health: number): void {
    if (slot >= 0 && slot < this.capacity) this.modelHealth[slot] = health;
  }

  /** Brings the device table in line with the registry; telemetry of unchanged devices is kept. */
  useRegistry(version: number, devices: readonly Device[]): void {
    const present = new Set<string>();
    for (const d of devices) present.add(d.sn);
    for (const [sn, slot] of this.slotBySn) {
      if (present.has(sn)) continue;
      this.slotBySn.delete(sn);
      this.snOfSlot[slot] = null;
      this.clearSlot(slot);
      this.freeSlots.push(slot);
    }
    // Grow once, to what the registry needs plus an eighth for devices registered later: doubling
    // left up to half of the ~5.7 KB per slot unused (10,000 devices held 16,384 slots).
    let newcomers = 0;
    for (const d of devices) if (!this.slotBySn.has(d.sn)) newcomers++;
    const needed = this.snOfSlot.length + Math.max(0, newcomers - this.freeSlots.length);
    if (needed > this.capacity) this.allocate(Math.max(1024, needed + (needed >> 3)), false);
    const order = new Int32Array(devices.length);
    devices.forEach((d, i) => {
      let slot = this.slotBySn.get(d.sn);
      if (slot === undefined) {
        slot = this.freeSlots.pop() ?? this.snOfSlot.length;
        if (slot >= this.capacity) this.allocate(Math.max(1024, slot + 1 + ((slot + 1) >> 3)), false);
        this.slotBySn.set(d.sn, slot);
        this.snOfSlot[slot] = d.sn;
        this.clearSlot(slot);
        this.pendingRegistration.delete(d.sn);
      }
      this.kindOf[slot] = this.kindIndex.get(d.kind) ?? 0;
      order[i] = slot;
    });
    this.order = order;
    this.registryVersion = version;
  }

  // ---- the hot path ----

  private refuse(
    c: CompiledConnector,
    topic: string,
    payload: Buffer,
    reason: QuarantineReason,
    detail: string,
    now: number,
  ): void {
    this.refused.set(reason, this.refused.get(reason)! + 1);
    const second = Math.floor(now / 1000);
    if (second !== this.sampleSecond) {
      this.sampleSecond = second;
      this.sampledThisSecond = 0;
    }
    if (this.sampledThisSecond++ >= QUARANTINE_SAMPLES_PER_SECOND) return;
    this.quarantine.push({
      at: new Date(now).toISOString(),
      connectorId: c.id,
      topic: topic.length > 256 ? topic.slice(0, 256) + '…' : topic,
      reason,
      detail,
      payload: payload
        .subarray(0, PREVIEW_CHARS * 4)
        .toString('utf8')
        .slice(0, PREVIEW_CHARS),
    });
    if (this.quarantine.length > QUARANTINE_KEPT)
      this.quarantine.splice(0, this.quarantine.length - QUARANTINE_KEPT);
  }

  private slotsFor(mapping: CompiledMapping, kind: number): Int8Array {
    let slots = mapping.slots[kind];
    if (!slots) {
      const metrics = this.kinds[kind]?.metrics ?? [];
      slots = Int8Array.from(mapping.metrics, (x) => metrics.findIndex((d) => d.key === x.metric));
      mapping.slots[kind] = slots;
    }
    return slots;
  }

  /** One MQTT message. Returns nothing and throws nothing: the outcome is in the counters. */
  ingest(connectorId: string, topic: string, payload: Buffer, receivedAt: number): void {
    this.received++;
    const c = this.connectors.get(connectorId);
    if (!c) return;
    const now = receivedAt;
    // Token bucket per connection: a flooding source is cut at its configured rate.
    // A receive time before the last refill (wall clock stepped back, or a caller replaying older
    // times) adds nothing; it must not drain the bucket and drop the connector's traffic for as long.
    const elapsed = now > c.refilledAt ? now - c.refilledAt : 0;
    c.tokens = Math.min(
      c.config.maxMessagesPerSecond,
      c.tokens + (elapsed / 1000) * c.config.maxMessagesPerSecond,
    );
    c.refilledAt = now;
    if (c.tokens < 1)
      return this.refuse(
        c,
        topic,
        payload,
        'rate-limited',
        `over ${c.config.maxMessagesPerSecond} messages/s`,
        now,
      );
    c.tokens -= 1;
    if (payload.length > c.config.maxPayloadBytes) {
      return this.refuse(
        c,
        topic,
        payload,
        'oversized',
        `${payload.length} bytes, limit ${c.config.maxPayloadBytes}`,
        now,
      );
    }
    let mapping: CompiledMapping | null = null;
    let topicSn = '';
    for (const mp of c.mappings) {
      const m = matchTopic(mp.levels, mp.multi, topic);
      if (m !== null) {
        mapping = mp;
        topicSn = m;
        break;
      }
    }
    if (!mapping) return this.refuse(c, topic, payload, 'no-mapping', 'no mapping matches this topic', now);

    // Flat payloads are read straight from the bytes; `body` stays null and values come from `flat`.
    const flat =
      mapping.flat !== null && mapping.flat.scan(payload, mapping.flatValues) ? mapping.flatValues : null;
    let body: unknown = null;
    if (flat === null) {
      const parsed = this.parse(c, topic, payload, now);
      if (parsed === null) return;
      body = parsed;
    }

    let sn: unknown = topicSn;
    if (mapping.sn) sn = flat ? flat[mapping.snAt] : mapping.sn(body);
    if (typeof sn !== 'string' || sn === '' || sn.length > 64) {
      return this.refuse(c, topic, payload, 'missing-sn', 'no device SN in the message', now);
    }
    return this.store(c, mapping, topic, payload, now, sn, flat, body);
  }

  /** JSON.parse for payloads the flat scanner left alone; null when refused (already counted). */
  private parse(c: CompiledConnector, topic: string, payload: Buffer, now: number): object | null {
    let body: unknown;
    const first = payload.length > 0 ? payload[0]! : 0;
    // Anything but an object is refused before JSON.parse, so most garbage costs no exception.
    if (first !== 0x7b && first !== 0x20 && first !== 0x0a && first !== 0x0d && first !== 0x09) {
      this.refuse(c, topic, payload, 'malformed-json', 'not a JSON object', now);
      return null;
    }
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      this.refuse(c, topic, payload, 'malformed-json', (err as Error).message.slice(0, 120), now);
      return null;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      this.refuse(c, topic, payload, 'malformed-json', 'not a JSON object', now);
      return null;
    }
    return body;
  }

  private store(
    c: CompiledConnector,
    mapping: CompiledMapping,
    topic: string,
    payload: Buffer,
    now: number,
    sn: string,
    flat: unknown[] | null,
    body: unknown,
  ): void {
    const slot = this.slotBySn.get(sn);
    if (slot === undefined) {
      if (c.config.unknownDevices === 'register') {
        const kind = mapping.kind ?? this.kinds[0]?.id;
        if (kind && !this.pendingRegistration.has(sn)) this.pendingRegistration.set(sn, kind);
        return this.refuse(
          c,
          topic,
          payload,
          'unknown-device',
          `${sn} is not registered yet; registering it`,
          now,
        );
      }
      return this.refuse(c, topic, payload, 'unknown-device', `${sn} is not in the device registry`, now);
    }

    let ts = now;
    if (mapping.ts) {
      const raw = flat ? flat[mapping.tsAt] : mapping.ts.get(body);
      ts =
        mapping.ts.format === 'iso'
          ? typeof raw === 'string'
            ? Date.parse(raw)
            : Number.NaN
          : typeof raw === 'number'
            ? mapping.ts.format === 's'
              ? raw * 1000
              : raw
            : Number.NaN;
      if (!Number.isFinite(ts))
        return this.refuse(
          c,
          topic,
          payload,
          'bad-timestamp',
          `timestamp ${JSON.stringify(raw)?.slice(0, 40)} is not a ${mapping.ts.format} time`,
          now,
        );
      if (c.config.maxFutureSec > 0 && ts > now + c.config.maxFutureSec * 1000) {
        return this.refuse(
          c,
          topic,
          payload,
          'future',
          `${Math.round((ts - now) / 1000)} s ahead of the hub's clock`,
          now,
        );
      }
      if (c.config.maxPastSec > 0 && ts < now - c.config.maxPastSec * 1000) {
        return this.refuse(c, topic, payload, 'late', `${Math.round((now - ts) / 1000)} s old`, now);
      }
    }
    const last = this.lastTs[slot]!;
    if (ts === last)
      return this.refuse(c, topic, payload, 'duplicate', `${sn} already reported at this time`, now);
    if (ts < last)
      return this.refuse(
        c,
        topic,
        payload,
        'late',
        `${sn} already reported ${Math.round(last - ts)} ms later`,
        now,
      );

    const kind = this.kindOf[slot]!;
    const defs = this.kinds[kind]?.metrics ?? [];
    const slots = this.slotsFor(mapping, kind);
    const m = this.m;
    const h = this.head[slot]!;
    const base = (slot * RING + h) * m;
    let stored = 0;
    for (let s = 0; s < m; s++) this.values[base + s] = Number.NaN;
    for (let i = 0; i < mapping.metrics.length; i++) {
      const x = mapping.metrics[i]!;
      const raw = flat ? flat[x.at] : x.get(body);
      if (raw === undefined || raw === null) continue;
      const s = slots[i]!;
      if (s < 0) continue;
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        this.refuse(
          c,
          topic,
          payload,
          'wrong-type',
          `${x.metric} of ${sn} is ${JSON.stringify(raw).slice(0, 40)}, not a number`,
          now,
        );
        continue;
      }
      const v = raw * x.scale;
      const def = defs[s]!;
      if (v < def.min || v > def.max) {
        this.refuse(
          c,
          topic,
          payload,
          'out-of-range',
          `${x.metric} of ${sn} = ${v} ${def.unit} outside ${def.min}…${def.max}`,
          now,
        );
        continue;
      }
      this.values[base + s] = v;
      stored++;
      const bucket = Math.floor(ts / BUCKET_MS);
      const hb = slot * BUCKETS + (bucket % BUCKETS);
      if (this.histBucket[hb] !== bucket) {
        this.histBucket[hb] = bucket;
        this.histSum.fill(0, hb * m, hb * m + m);
        this.histCount.fill(0, hb * m, hb * m + m);
      }
      this.histSum[hb * m + s]! += v;
      this.histCount[hb * m + s]!++;
    }
    if (stored === 0) return;
    this.sink?.sample(slot, kind, ts, this.values, base);
    if (ts > this.maxTs) this.maxTs = ts;
    this.times[slot * RING + h] = ts;
    this.head[slot] = (h + 1) % RING;
    if (this.count[slot]! < RING) this.count[slot]!++;
    this.lastTs[slot] = ts;
    this.lastSeen[slot] = now;
    this.accepted++;
  }

  // ---- once a second ----

  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The latest value of a metric slot, averaged over the last three samples to steady the colours. */
  private latest(slot: number, s: number): number {
    const n = Math.min(3, this.count[slot]!);
    let sum = 0;
    let k = 0;
    for (let i = 1; i <= n; i++) {
      const v = this.values[(slot * RING + ((this.head[slot]! - i + RING) % RING)) * this.m + s]!;
      if (!Number.isNaN(v)) {
        sum += v;
        k++;
      }
    }
    return k === 0 ? Number.NaN : sum / k;
  }

  tick(): EventPayload<'telemetry/changed'> {
    const now = this.clock.now();
    if (this.pendingRegistration.size > 0) {
      const found = [...this.pendingRegistration].map(([sn, kind]) => ({ sn, kind }));
      this.pendingRegistration.clear();
      this.events.register(found);
    }
    const states: { sn: string; state: DeviceState }[] = [];
    const bucket = Math.floor(now / BUCKET_MS);
    for (const [sn, slot] of this.slotBySn) {
      const kind = this.kinds[this.kindOf[slot]!];
      if (!kind) continue;
      let state = 0;
      if (this.lastSeen[slot]! > 0) {
        state =
          now - this.lastSeen[slot]! > kind.reportIntervalSec * kind.offlineAfterIntervals * 1000 ? 2 : 1;
      }
      if (state !== this.state[slot] && states.length < 1000) {
        states.push({ sn, state: state === 1 ? 'online' : state === 2 ? 'offline' : 'unknown' });
      }
      this.state[slot] = state;
      if (this.count[slot] === 0) continue;
      const rules = healthOf(kind.metrics, (s) => this.latest(slot, s));
      const model = this.modelHealth[slot]!;
      const health = Number.isNaN(model) || model >= rules ? rules : model;
      this.healthNow[slot] = health;
      const hb = slot * BUCKETS + (bucket % BUCKETS);
      if (this.healthBucket[hb] !== bucket) {
        this.healthBucket[hb] = bucket;
        this.healthSum[hb] = 0;
        this.healthCount[hb] = 0;
      }
      this.healthSum[hb]! += health;
      this.healthCount[hb]!++;
    }
    const elapsed = (now - this.rate.at) / 1000;
    if (elapsed >= 1) {
      const perSecond = (this.received - this.rate.received) / elapsed;
      this.rate = { at: now, received: this.received, perSecond: this.rate.at === 0 ? 0 : perSecond };
    }
    const frame = {
      seq: ++this.seq,
      at: new Date(now).toISOString(),
      registryVersion: this.registryVersion,
      health: Buffer.from(this.healthBytes()).toString('base64'),
      states,
    };
    this.lastFrame = frame;
    this.events.frame(frame);
    return frame;
  }

  private healthBytes(): Uint8Array {
    const out = new Uint8Array(this.order.length);
    for (let i = 0; i < this.order.length; i++) {
      const slot = this.order[i]!;
      const st = this.state[slot];
      const h = this.healthNow[slot]!;
      out[i] = st === 2 ? HEALTH_OFFLINE : Number.isNaN(h) ? HEALTH_NO_DATA : h;
    }
    return out;
  }

  // ---- reads ----

  frame(metric: string | undefined): TelemetryFrame {
    const base = this.lastFrame ?? {
      seq: this.seq,
      at: new Date(this.clock.now()).toISOString(),
      registryVersion: this.registryVersion,
      health: Buffer.from(this.healthBytes()).toString('base64'),
    };
    let values: string | null = null;
    if (metric) {
      const out = new Float32Array(this.order.length).fill(Number.NaN);
      const slotOfKind = this.kinds.map((k) => k.metrics.findIndex((d) => d.key === metric));
      for (let i = 0; i < this.order.length; i++) {
        const slot = this.order[i]!;
        const s = slotOfKind[this.kindOf[slot]!] ?? -1;
        if (s >= 0 && this.count[slot]! > 0) out[i] = this.latest(slot, s);
      }
      values = Buffer.from(out.buffer).toString('base64');
    }
    return {
      seq: base.seq,
      at: base.at,
      registryVersion: base.registryVersion,
      health: base.health,
      values,
      metric: metric ?? null,
    };
  }

  device(sn: string): DeviceTelemetry | null {
    const slot = this.slotBySn.get(sn);
    if (slot === undefined) return null;
    const kind = this.kinds[this.kindOf[slot]!];
    const m = this.m;
    const n = this.count[slot]!;
    const recentIdx: number[] = [];
    for (let i = n; i >= 1; i--) recentIdx.push((this.head[slot]! - i + RING) % RING);
    const buckets: number[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      const id = this.histBucket[slot * BUCKETS + b]!;
      if (id >= 0) buckets.push(b);
    }
    buckets.sort((a, b) => this.histBucket[slot * BUCKETS + a]! - this.histBucket[slot * BUCKETS + b]!);
    const metrics: DeviceTelemetry['metrics'] = {};
    (kind?.metrics ?? []).forEach((def, s) => {
      const v = (x: number): number | null => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
      metrics[def.key] = {
        recent: {
          t: recentIdx.map((i) => this.times[slot * RING + i]!),
          v: recentIdx.map((i) => v(this.values[(slot * RING + i) * m + s]!)),
        },
        history: {
          t: buckets.map((b) => this.histBucket[slot * BUCKETS + b]! * BUCKET_MS),
          v: buckets.map((b) => {
            const k = this.histCount[(slot * BUCKETS + b) * m + s]!;
            return k === 0 ? null : v(this.histSum[(slot * BUCKETS + b) * m + s]! / k);
          }),
        },
      };
    });
    const hBuckets: number[] = [];
    for (let b = 0; b < BUCKETS; b++) if (this.healthBucket[slot * BUCKETS + b]! >= 0) hBuckets.push(b);
    hBuckets.sort((a, b) => this.healthBucket[slot * BUCKETS + a]! - this.healthBucket[slot * BUCKETS + b]!);
    const st = this.state[slot];
    const h = this.healthNow[slot]!;
    return {
      sn,
      state: st === 1 ? 'online' : st === 2 ? 'offline' : 'unknown',
      lastSeen: this.lastSeen[slot]! > 0 ? new Date(this.lastSeen[slot]!).toISOString() : null,
      health: Number.isNaN(h) ? null : h,
      healthHistory: {
        t: hBuckets.map((b) => this.healthBucket[slot * BUCKETS + b]! * BUCKET_MS),
        v: hBuckets.map((b) => {
          const k = this.healthCount[slot * BUCKETS + b]!;
          return k === 0 ? null : Math.round(this.healthSum[slot * BUCKETS + b]! / k);
        }),
      },
      metrics,
    };
  }

  stats(): TelemetryStats {
    let online = 0;
    let offline = 0;
    let unknown = 0;
    for (const slot of this.slotBySn.values()) {
      const st = this.state[slot];
      if (st === 1) online++;
      else if (st === 2) offline++;
      else unknown++;
    }
    return {
      at: new Date(this.clock.now()).toISOString(),
      received: this.received,
      accepted: this.accepted,
      refused: Object.fromEntries(this.refused) as Record<QuarantineReason, number>,
      messagesPerSecond: Math.round(this.rate.perSecond * 10) / 10,
      devices: { online, offline, unknown },
    };
  }

  quarantineSamples(limit: number): QuarantineSample[] {
    return this.quarantine.slice(-limit).reverse();
  }

  /** Bytes of typed-array state per device slot (for the ingest benchmark). */
  bytesPerDevice(): number {
    const arrays = [
      this.kindOf,
      this.values,
      this.times,
      this.head,
      this.count,
      this.lastTs,
      this.lastSeen,
      this.histSum,
      this.histCount,
      this.histBucket,
      this.healthNow,
      this.healthSum,
      this.healthCount,
      this.healthBucket,
      this.state,
    ];
    return arrays.reduce((n, a) => n + a.byteLength, 0) / Math.max(1, this.capacity);
  }
}
