import type { z } from 'zod';
import type { RpcErrorShape } from './errors';
import { configEvents, configMethods } from './config';
import { connectorEvents, connectorMethods } from './connectors';
import { deviceEvents, deviceMethods } from './devices';
import { hotlineEvents, hotlineMethods } from './hotline';
import { predictEvents, predictMethods } from './predict';
import { predictConfigMethods } from './predict-config';
import { systemEvents, systemMethods } from './system';
import { telemetryEvents, telemetryMethods } from './telemetry';
import { ticketEvents, ticketMethods } from './tickets';
import { viewEvents, viewMethods } from './views';

export * from './common';
export * from './config';
export * from './connectors';
export * from './devices';
export * from './envelope';
export * from './errors';
export * from './hotline';
export * from './predict';
export * from './predict-config';
export * from './system';
export * from './telemetry';
export * from './ticket-enums';
export * from './tickets';
export * from './views';

/** Every method of the core, keyed `domain/verb`, with the zod schemas of its params and result. */
export const coreMethods = {
  ...ticketMethods,
  ...configMethods,
  ...viewMethods,
  ...systemMethods,
  ...deviceMethods,
  ...connectorMethods,
  ...telemetryMethods,
  ...predictMethods,
  ...predictConfigMethods,
  ...hotlineMethods,
} as const;

/** Every push event, keyed `domain/changed`, with the schema of its payload. */
export const coreEvents = {
  ...ticketEvents,
  ...configEvents,
  ...viewEvents,
  ...systemEvents,
  ...deviceEvents,
  ...connectorEvents,
  ...telemetryEvents,
  ...predictEvents,
  ...hotlineEvents,
} as const;

type MethodTable = typeof coreMethods;
type EventTable = typeof coreEvents;

export type MethodName = keyof MethodTable;
export type EventName = keyof EventTable;

/** What a caller passes (defaults may be omitted). */
export type MethodParams<M extends MethodName> = z.input<MethodTable[M]['params']>;
/** What the core's handler receives after validation (defaults applied). */
export type MethodInput<M extends MethodName> = z.output<MethodTable[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<MethodTable[M]['result']>;
export type EventPayload<E extends EventName> = z.output<EventTable[E]>;

export type CoreMethods = { [M in MethodName]: { params: MethodParams<M>; result: MethodResult<M> } };
export type CoreEvents = { [E in EventName]: EventPayload<E> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(coreMethods, name);
}

/**
 * Methods that run for long by nature (training over a whole history): a transport waits this long for
 * their answer instead of its default; progress comes as events meanwhile.
 */
export const LONG_RUNNING_MS: Partial<Record<MethodName, number>> = {
  'hotline/trainClassifier': 15 * 60_000,
};

/** `unauthorized`: the hub refused the token (WebSocket close code {@link UNAUTHORIZED_CLOSE_CODE}); retrying will not help. */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized';

/**
 * What every renderer transport implements. `invoke` resolves with the result or rejects with an
 * RpcError; params and payloads are plain JSON-compatible data (they cross structured clone and JSON).
 */
export interface RpcTransport {
  invoke(method: string, params: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Reports connection changes; transports that cannot disconnect report `open` once. */
  onState?(listener: (state: ConnectionState) => void): () => void;
  close?(): void;
}

/** The body of an IPC reply: Electron drops custom error fields, so errors travel as data. */
export type BridgeReply = { result: unknown } | { error: RpcErrorShape };

/** Exposed by the preload as `window.watchfloor`: exactly these two functions. */
export interface WatchfloorBridge {
  invoke(method: string, params: unknown): Promise<BridgeReply>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}
