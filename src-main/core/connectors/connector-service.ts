import {
  ConnectorSettings,
  ErrorCode,
  RpcError,
  type Connector,
  type ConnectorStatus,
  type MethodInput,
} from '@shared/contract';
import type { StoredConnector } from '../events';
import type { Clock, StoragePort } from '../ports';
import type { Serializer } from '../rpc/serializer';
import type { CommandContext } from '../tickets/ticket-service';
import type { ConnectorRecord, ConnectorRuntime } from './types';

/** Where secrets live: encrypted, outside the journal, and never returned to a client. */
export interface SecretVault {
  get(connectorId: string, name: 'password' | 'tlsKey'): string | null;
  /** Whether a secret is stored, without decrypting it. */
  has(connectorId: string, name: 'password' | 'tlsKey'): boolean;
  set(connectorId: string, name: 'password' | 'tlsKey', value: string | null): void;
  remove(connectorId: string): void;
}

const idOf = (name: string): string =>
  `conn-${
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 30) || 'mqtt'
  }-${Date.now().toString(36)}`;

/**
 * Saved MQTT connectors: settings journaled (`connector.saved`), secrets in the vault, and the
 * runtime kept in line after every change.
 */
export class ConnectorService {
  constructor(
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly serializer: Serializer,
    private readonly vault: SecretVault,
    private readonly runtime: ConnectorRuntime,
    private readonly onChange: (records: StoredConnector[]) => void,
    private readonly publish: (id: string, status: ConnectorStatus | null) => void,
  ) {}

  private view(c: StoredConnector): Connector {
    return {
      ...c.settings,
      id: c.id,
      version: c.version,
      updatedAt: c.updatedAt,
      // `has`, not `get`: one secret that cannot be decrypted must not break the whole list.
      hasPassword: this.vault.has(c.id, 'password'),
      hasTlsKey: this.vault.has(c.id, 'tlsKey'),
      status: this.runtime.status(c.id),
    };
  }

  async list(): Promise<Connector[]> {
    return (await this.storage.connectors()).map((c) => this.view(c));
  }

  /** Starts the saved connectors; called once at start-up. */
  async start(): Promise<void> {
    const records = await this.storage.connectors();
    this.apply(records);
  }

  private apply(records: StoredConnector[]): void {
    this.onChange(records);
    this.runtime.apply(
      records.map((r): ConnectorRecord => ({ id: r.id, settings: r.settings, version: r.version })),
    );
  }

  async save(input: MethodInput<'connectors/save'>, ctx: CommandContext): Promise<Connector> {
    const saved = await this.serializer.run(async () => {
      const all = await this.storage.connectors();
      const previous = input.id ? all.find((c) => c.id === input.id) : undefined;
      if (input.id && !previous) throw new RpcError(ErrorCode.NotFound, `connector ${input.id} not found`);
      if (previous && input.version !== previous.version) {
        throw new RpcError(
          ErrorCode.Conflict,
          `connector "${previous.settings.name}" was changed by someone else`,
          {
            id: previous.id,
            expectedVersion: input.version ?? 0,
            actualVersion: previous.version,
          },
        );
      }
      const at = new Date(this.clock.now()).toISOString();
      const connector: StoredConnector = {
        id: previous?.id ?? idOf(input.settings.name),
        settings: ConnectorSettings.parse(input.settings),
        version: (previous?.version ?? 0) + 1,
        updatedAt: at,
      };
      // Secrets first: a crash between the two leaves a stored secret with the old settings, never
      // new settings pointing at a secret that was not written.
      if (input.password !== undefined) this.vault.set(connector.id, 'password', input.password);
      if (input.tlsKey !== undefined) this.vault.set(connector.id, 'tlsKey', input.tlsKey);
      const written = this.storage.append([
        { v: 1, type: 'connector.saved', at, actor: ctx.actor, connector },
      ]);
      return { connector, written };
    });
    await saved.written;
    this.apply(await this.storage.connectors());
    const view = this.view(saved.connector);
    this.publish(view.id, view.status);
    return view;
  }

  async remove(input: MethodInput<'connectors/remove'>, ctx: CommandContext): Promise<{ id: string }> {
    const written = await this.serializer.run(async () => {
      const previous = (await this.storage.connectors()).find((c) => c.id === input.id);
      if (!previous) throw new RpcError(ErrorCode.NotFound, `connector ${input.id} not found`);
      if (previous.version !== input.version) {
        throw new RpcError(
          ErrorCode.Conflict,
          `connector "${previous.settings.name}" was changed by someone else`,
          {
            id: input.id,
            expectedVersion: input.version,
            actualVersion: previous.version,
          },
        );
      }
      const at = new Date(this.clock.now()).toISOString();
      return this.storage.append([{ v: 1, type: 'connector.removed', at, actor: ctx.actor, id: input.id }]);
    });
    await written;
    this.vault.remove(input.id);
    this.apply(await this.storage.connectors());
    this.publish(input.id, null);
    return { id: input.id };
  }

  close(): Promise<void> {
    return this.runtime.close();
  }

  /** Creates a connector unless one with the same client id exists (demo set-up); returns its id. */
  async ensure(settings: ConnectorSettings, ctx: CommandContext): Promise<string> {
    const existing = (await this.storage.connectors()).find((c) => c.settings.clientId === settings.clientId);
    if (existing) return existing.id;
    return (await this.save({ settings: ConnectorSettings.parse(settings) }, ctx)).id;
  }
}
