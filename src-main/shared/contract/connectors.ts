import { z } from 'zod';
import { Id, IsoTime } from './common';

/**
 * MQTT connectors: broker connections with subscriptions and payload mappings. Secrets (password,
 * TLS private key) are write-only: the core stores them encrypted and never returns them.
 */

/** `embedded://` is the hub's own broker, wherever it listens this run. */
export const BrokerUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^(mqtts?|wss?):\/\/[^\s]+$|^embedded:\/\/$/, 'mqtt://, mqtts://, ws://, wss:// or embedded://')
  // Credentials in the URL would be stored in clear and shown to every client.
  .refine(
    (url) => !/^[a-z]+:\/\/[^/]*@/i.test(url),
    'put the user name and password in their own fields, not in the URL',
  );

/** MQTT topic filter: `+` one level, `#` the rest; `{sn}` is a `+` whose value is the device SN. */
export const TopicPattern = z
  .string()
  .min(1)
  .max(256)
  .refine((t) => !t.includes('#') || t.endsWith('#'), '# may only end a pattern')
  .refine(
    (t) => t.split('/').every((s) => s === '+' || s === '#' || s === '{sn}' || !/[+#{}]/.test(s)),
    'wildcards must fill a whole level',
  );

/** A JSON path into the payload: `$.a.b`, `$.values[2]`. */
export const JsonPath = z
  .string()
  .max(200)
  .regex(/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/, 'a path like $.field.sub or $.list[0]');

export const MetricMapping = z.strictObject({
  metric: z.string().min(1).max(32),
  path: JsonPath,
  /** Multiplied into the value, for sources that send other units (e.g. 0.001 for W → kW). */
  scale: z.number().finite().default(1),
});

export const PayloadMapping = z.strictObject({
  topic: TopicPattern,
  sn: z.union([
    z.strictObject({ from: z.literal('topic') }),
    z.strictObject({ from: z.literal('json'), path: JsonPath }),
  ]),
  timestamp: z.union([
    z.strictObject({ from: z.literal('receive') }),
    z.strictObject({ from: z.literal('json'), path: JsonPath, format: z.enum(['ms', 's', 'iso']) }),
  ]),
  metrics: z.array(MetricMapping).min(1).max(32),
  /** Kind given to devices registered from this mapping (when unknown devices are registered). */
  kind: Id.optional(),
});
export type PayloadMapping = z.infer<typeof PayloadMapping>;

export const Subscription = z.strictObject({
  topic: TopicPattern,
  qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});

export const ConnectorSettings = z.strictObject({
  name: z.string().trim().min(1).max(80),
  enabled: z.boolean().default(true),
  url: BrokerUrl,
  clientId: z.string().trim().min(1).max(128),
  username: z.string().max(200).nullable().default(null),
  tls: z
    .strictObject({
      rejectUnauthorized: z.boolean().default(true),
      ca: z.string().max(20_000).nullable().default(null),
      cert: z.string().max(20_000).nullable().default(null),
    })
    .default({ rejectUnauthorized: true, ca: null, cert: null }),
  /** Keep the session on the broker (clean: false) so QoS 1/2 messages wait while we are away. */
  persistentSession: z.boolean().default(true),
  keepaliveSec: z.number().int().min(5).max(3600).default(30),
  subscriptions: z.array(Subscription).min(1).max(50),
  mappings: z.array(PayloadMapping).min(1).max(50),
  unknownDevices: z.enum(['quarantine', 'register']).default('quarantine'),
  /** Samples older than this (by their timestamp) are late; 0 = no limit. */
  maxPastSec: z.number().int().min(0).default(86_400),
  /** Samples newer than now + this are refused as from the future; 0 = no limit. */
  maxFutureSec: z.number().int().min(0).default(300),
  maxPayloadBytes: z.number().int().min(64).max(1_048_576).default(16_384),
  /** Messages per second accepted from this connection; beyond it they are dropped and counted. */
  maxMessagesPerSecond: z.number().int().min(1).max(1_000_000).default(100_000),
});
export type ConnectorSettings = z.input<typeof ConnectorSettings>;

export const ConnectorState = z.enum(['disabled', 'connecting', 'connected', 'disconnected', 'error']);
export type ConnectorState = z.infer<typeof ConnectorState>;

export const ConnectorStatus = z.object({
  state: ConnectorState,
  since: IsoTime,
  lastError: z.string().nullable(),
  messages: z.number().int().min(0),
  lastMessageAt: IsoTime.nullable(),
  reconnects: z.number().int().min(0),
  /** Recent outages: from losing the connection to having it back. */
  gaps: z.array(z.object({ from: IsoTime, to: IsoTime.nullable() })).max(20),
});
export type ConnectorStatus = z.infer<typeof ConnectorStatus>;

export const Connector = ConnectorSettings.extend({
  id: Id,
  hasPassword: z.boolean(),
  hasTlsKey: z.boolean(),
  version: z.number().int().positive(),
  updatedAt: IsoTime,
  status: ConnectorStatus,
});
export type Connector = z.infer<typeof Connector>;

export const ConnectorSaveParams = z.strictObject({
  /** Omit to create; give the id and version to edit. */
  id: Id.optional(),
  version: z.number().int().positive().optional(),
  settings: ConnectorSettings,
  /** A new password; null clears it; absent keeps the stored one. */
  password: z.string().max(1000).nullable().optional(),
  /** A new TLS private key (PEM); null clears it; absent keeps the stored one. */
  tlsKey: z.string().max(20_000).nullable().optional(),
});
export type ConnectorSaveParams = z.input<typeof ConnectorSaveParams>;

export const connectorMethods = {
  'connectors/list': { params: z.strictObject({}), result: z.array(Connector) },
  'connectors/save': { params: ConnectorSaveParams, result: Connector },
  'connectors/remove': {
    params: z.strictObject({ id: Id, version: z.number().int().positive() }),
    result: z.object({ id: Id }),
  },
} as const;

export const connectorEvents = {
  'connectors/changed': z.object({ id: Id, status: ConnectorStatus.nullable() }),
} as const;
