import type { z } from 'zod';
import type { ConnectorSettings, ConnectorStatus } from '@shared/contract';
import type { Clock, Logger } from '../ports';

/** Settings after validation, defaults applied. */
export type ConnectorConfig = z.output<typeof ConnectorSettings>;

/** A saved connector as the runtime needs it; secrets are fetched separately, decrypted on demand. */
export interface ConnectorRecord {
  id: string;
  settings: ConnectorConfig;
  version: number;
}

export interface ConnectorSecrets {
  password: string | null;
  tlsKey: string | null;
}

/** Every message of every connection goes here, raw; mapping and validation happen behind it. */
export type MessageSink = (connectorId: string, topic: string, payload: Buffer, receivedAt: number) => void;

export interface ConnectorRuntimeOptions {
  secrets: (connectorId: string) => ConnectorSecrets;
  /** The hub's embedded broker (`embedded://`), or null when it does not run one. */
  resolveEmbeddedUrl: () => string | null;
  onMessage: MessageSink;
  onStatus: (connectorId: string, status: ConnectorStatus) => void;
  logger: Logger;
  clock: Clock;
}

/** The live MQTT connections: kept in line with the saved connectors by `apply`. */
export interface ConnectorRuntime {
  /** Starts, restarts (settings or version changed) and stops connections to match the records. */
  apply(records: readonly ConnectorRecord[]): void;
  status(connectorId: string): ConnectorStatus;
  close(): Promise<void>;
}
