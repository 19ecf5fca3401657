import type { Connector, ConnectorSaveParams, ConnectorSettings, PayloadMapping } from '@shared/contract';

/**
 * The connector form's state: text as typed, turned into `connectors/save` params on submit.
 * Secrets are write-only: the form never holds a stored password or key, only a new one or the
 * request to clear it. An empty secret field keeps what is stored (the param is left out).
 */
export interface MetricDraft {
  metric: string;
  path: string;
  scale: string;
}

export interface MappingDraft {
  topic: string;
  snFrom: 'topic' | 'json';
  snPath: string;
  tsFrom: 'receive' | 'json';
  tsPath: string;
  tsFormat: 'ms' | 's' | 'iso';
  metrics: MetricDraft[];
  /** Kind for devices registered from this mapping; '' = none. */
  kind: string;
}

export interface SubscriptionDraft {
  topic: string;
  qos: 0 | 1 | 2;
}

export interface ConnectorDraft {
  name: string;
  enabled: boolean;
  url: string;
  clientId: string;
  username: string;
  /** A new password ('' = keep the stored one, or none for a new connector). */
  password: string;
  clearPassword: boolean;
  rejectUnauthorized: boolean;
  ca: string;
  cert: string;
  /** A new TLS private key (PEM); '' = keep. */
  tlsKey: string;
  clearTlsKey: boolean;
  persistentSession: boolean;
  keepaliveSec: string;
  subscriptions: SubscriptionDraft[];
  mappings: MappingDraft[];
  unknownDevices: 'quarantine' | 'register';
  maxPastSec: string;
  maxFutureSec: string;
  maxPayloadBytes: string;
  maxMessagesPerSecond: string;
}

/** What is wrong with a field, keyed like the core's INVALID_ARGUMENT paths without `settings.`. */
export type DraftProblem =
  'required' | 'notInteger' | 'notNumber' | 'urlFormat' | 'jsonPath' | 'snNotInTopic' | 'atLeastOne';

export const emptyMetric = (): MetricDraft => ({ metric: '', path: '$.', scale: '1' });

export const emptyMapping = (): MappingDraft => ({
  topic: 'devices/{sn}/telemetry',
  snFrom: 'topic',
  snPath: '$.sn',
  tsFrom: 'receive',
  tsPath: '$.ts',
  tsFormat: 'ms',
  metrics: [emptyMetric()],
  kind: '',
});

export function emptyDraft(clientIdSuffix: string): ConnectorDraft {
  return {
    name: '',
    enabled: true,
    url: 'embedded://',
    clientId: `watchfloor-${clientIdSuffix}`,
    username: '',
    password: '',
    clearPassword: false,
    rejectUnauthorized: true,
    ca: '',
    cert: '',
    tlsKey: '',
    clearTlsKey: false,
    persistentSession: true,
    keepaliveSec: '30',
    subscriptions: [{ topic: 'devices/+/telemetry', qos: 1 }],
    mappings: [emptyMapping()],
    unknownDevices: 'quarantine',
    maxPastSec: '86400',
    maxFutureSec: '300',
    maxPayloadBytes: '16384',
    maxMessagesPerSecond: '100000',
  };
}

const mappingDraft = (m: PayloadMapping): MappingDraft => ({
  topic: m.topic,
  snFrom: m.sn.from,
  snPath: m.sn.from === 'json' ? m.sn.path : '$.sn',
  tsFrom: m.timestamp.from,
  tsPath: m.timestamp.from === 'json' ? m.timestamp.path : '$.ts',
  tsFormat: m.timestamp.from === 'json' ? m.timestamp.format : 'ms',
  metrics: m.metrics.map((x) => ({ metric: x.metric, path: x.path, scale: String(x.scale) })),
  kind: m.kind ?? '',
});

export function draftFromConnector(c: Connector): ConnectorDraft {
  return {
    name: c.name,
    enabled: c.enabled,
    url: c.url,
    clientId: c.clientId,
    username: c.username ?? '',
    password: '',
    clearPassword: false,
    rejectUnauthorized: c.tls.rejectUnauthorized,
    ca: c.tls.ca ?? '',
    cert: c.tls.cert ?? '',
    tlsKey: '',
    clearTlsKey: false,
    persistentSession: c.persistentSession,
    keepaliveSec: String(c.keepaliveSec),
    subscriptions: c.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })),
    mappings: c.mappings.map(mappingDraft),
    unknownDevices: c.unknownDevices,
    maxPastSec: String(c.maxPastSec),
    maxFutureSec: String(c.maxFutureSec),
    maxPayloadBytes: String(c.maxPayloadBytes),
    maxMessagesPerSecond: String(c.maxMessagesPerSecond),
  };
}

const URL_RE = /^(mqtts?|wss?):\/\/[^\s]+$|^embedded:\/\/$/;
const PATH_RE = /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;

/**
 * The save params for a draft, and the problems found before sending (the core checks everything
 * again and answers INVALID_ARGUMENT with the same paths). `existing` is the connector being edited.
 */
export function toSaveParams(
  draft: ConnectorDraft,
  existing: Pick<Connector, 'id' | 'version'> | null,
): { params: ConnectorSaveParams; problems: Record<string, DraftProblem> } {
  const problems: Record<string, DraftProblem> = {};
  const required = (path: string, value: string): string => {
    const v = value.trim();
    if (!v) problems[path] = 'required';
    return v;
  };
  const integer = (path: string, value: string): number => {
    const n = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(n)) problems[path] = 'notInteger';
    return n;
  };
  const jsonPath = (path: string, value: string): string => {
    const v = value.trim();
    if (!PATH_RE.test(v)) problems[path] = 'jsonPath';
    return v;
  };

  required('name', draft.name);
  const url = required('url', draft.url);
  if (url && !URL_RE.test(url)) problems.url = 'urlFormat';
  required('clientId', draft.clientId);
  if (draft.subscriptions.length === 0) problems.subscriptions = 'atLeastOne';
  if (draft.mappings.length === 0) problems.mappings = 'atLeastOne';

  const settings: ConnectorSettings = {
    name: draft.name.trim(),
    enabled: draft.enabled,
    url,
    clientId: draft.clientId.trim(),
    username: draft.username.trim() === '' ? null : draft.username,
    tls: {
      rejectUnauthorized: draft.rejectUnauthorized,
      ca: draft.ca.trim() === '' ? null : draft.ca,
      cert: draft.cert.trim() === '' ? null : draft.cert,
    },
    persistentSession: draft.persistentSession,
    keepaliveSec: integer('keepaliveSec', draft.keepaliveSec),
    subscriptions: draft.subscriptions.map((s, i) => ({
      topic: required(`subscriptions.${i}.topic`, s.topic),
      qos: s.qos,
    })),
    mappings: draft.mappings.map((m, i): PayloadMapping => {
      const at = `mappings.${i}`;
      const topic = required(`${at}.topic`, m.topic);
      if (topic && m.snFrom === 'topic' && !topic.split('/').includes('{sn}')) {
        problems[`${at}.topic`] = 'snNotInTopic';
      }
      if (m.metrics.length === 0) problems[`${at}.metrics`] = 'atLeastOne';
      return {
        topic,
        sn:
          m.snFrom === 'topic'
            ? { from: 'topic' }
            : { from: 'json', path: jsonPath(`${at}.sn.path`, m.snPath) },
        timestamp:
          m.tsFrom === 'receive'
            ? { from: 'receive' }
            : { from: 'json', path: jsonPath(`${at}.timestamp.path`, m.tsPath), format: m.tsFormat },
        metrics: m.metrics.map((x, j) => {
          const scale = Number(x.scale.trim() === '' ? '1' : x.scale);
          if (!Number.isFinite(scale)) problems[`${at}.metrics.${j}.scale`] = 'notNumber';
          return {
            metric: required(`${at}.metrics.${j}.metric`, x.metric),
            path: jsonPath(`${at}.metrics.${j}.path`, x.path),
            scale,
          };
        }),
        ...(m.kind ? { kind: m.kind } : {}),
      };
    }),
    unknownDevices: draft.unknownDevices,
    maxPastSec: integer('maxPastSec', draft.maxPastSec),
    maxFutureSec: integer('maxFutureSec', draft.maxFutureSec),
    maxPayloadBytes: integer('maxPayloadBytes', draft.maxPayloadBytes),
    maxMessagesPerSecond: integer('maxMessagesPerSecond', draft.maxMessagesPerSecond),
  };

  const params: ConnectorSaveParams = existing
    ? { id: existing.id, version: existing.version, settings }
    : { settings };
  // Write-only secrets: a new value sets, "clear" sends null, an empty field leaves the param out.
  if (existing && draft.clearPassword) params.password = null;
  else if (draft.password !== '') params.password = draft.password;
  if (existing && draft.clearTlsKey) params.tlsKey = null;
  else if (draft.tlsKey.trim() !== '') params.tlsKey = draft.tlsKey;
  return { params, problems };
}

/**
 * The core's INVALID_ARGUMENT paths as the form's keys: `settings.` is dropped (the secrets,
 * `password` and `tlsKey`, are top-level params and keep their names).
 */
export function formPath(path: string): string {
  return path.replace(/^settings\./, '');
}

/** A URL that points at the hub's own broker. */
export const isEmbedded = (url: string): boolean => url.trim() === 'embedded://';
