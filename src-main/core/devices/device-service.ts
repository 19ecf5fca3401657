import {
  ErrorCode,
  RpcError,
  type ConfigDocument,
  type Device,
  type DeviceImportResult,
  type MethodInput,
} from '@shared/contract';
import type { DomainEvent } from '../events';
import type { Clock, StoragePort } from '../ports';
import type { Serializer } from '../rpc/serializer';
import type { CommandContext } from '../tickets/ticket-service';
import { parseDeviceRows, type ParsedDevice } from './device-import';

/** Events per append while importing: big imports commit in steps, not one giant batch. */
const IMPORT_BATCH = 5_000;

function sameFields(a: Device, b: ParsedDevice): boolean {
  return (
    a.kind === b.kind &&
    a.site === b.site &&
    a.region === b.region &&
    a.lng === b.lng &&
    a.lat === b.lat &&
    a.model === b.model &&
    a.installDate === b.installDate &&
    JSON.stringify(a.metadata) === JSON.stringify(b.metadata)
  );
}

/**
 * The device registry: devices are journaled like tickets (`device.upserted` / `device.removed`), so
 * the registry survives restarts and replays with the rest of the store.
 */
export class DeviceService {
  constructor(
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly serializer: Serializer,
    private readonly config: () => ConfigDocument,
    private readonly publish: (version: number, sns: string[]) => void,
  ) {}

  private checkKind(kind: string, path: string): void {
    const kinds = this.config().deviceKinds;
    if (!kinds.some((k) => k.id === kind)) {
      throw new RpcError(ErrorCode.InvalidArgument, `${path}: unknown device kind ${kind}`, {
        issues: [
          { path, message: `unknown device kind ${kind} (known: ${kinds.map((k) => k.id).join(', ')})` },
        ],
      });
    }
  }

  list(): Promise<{ version: number; devices: Device[] }> {
    return this.storage.devices();
  }

  async get(sn: string): Promise<Device> {
    const device = await this.storage.device(sn);
    if (!device) throw new RpcError(ErrorCode.NotFound, `device ${sn} not found`);
    return device;
  }

  private event(device: ParsedDevice, previous: Device | null, ctx: CommandContext, at: string): DomainEvent {
    return {
      v: 1,
      type: 'device.upserted',
      at,
      actor: ctx.actor,
      device: { ...device, version: (previous?.version ?? 0) + 1, updatedAt: at },
    };
  }

  /** Appends, waits until durable, then tells the clients which devices changed. */
  private async commit(events: DomainEvent[], sns: string[]): Promise<void> {
    await this.storage.append(events);
    const { version } = await this.storage.devices();
    this.publish(version, sns.slice(0, 1000));
  }

  async upsert(input: MethodInput<'devices/upsert'>, ctx: CommandContext): Promise<Device> {
    const { written, device } = await this.serializer.run(async () => {
      this.checkKind(input.device.kind, 'device.kind');
      const previous = await this.storage.device(input.device.sn);
      if (input.version !== undefined && previous?.version !== input.version) {
        throw new RpcError(
          ErrorCode.Conflict,
          previous
            ? `device ${input.device.sn} was changed by someone else (you have version ${input.version}, it is now ${previous.version})`
            : `device ${input.device.sn} no longer exists`,
          { id: input.device.sn, expectedVersion: input.version, actualVersion: previous?.version ?? 0 },
        );
      }
      if (previous && sameFields(previous, input.device)) {
        return { written: this.storage.whenDurable().then(() => null), device: previous };
      }
      const event = this.event(input.device, previous, ctx, new Date(this.clock.now()).toISOString());
      return {
        written: this.commit([event], [input.device.sn]),
        device: (event as { device: Device }).device,
      };
    });
    await written;
    return device;
  }

  async remove(input: MethodInput<'devices/remove'>, ctx: CommandContext): Promise<{ sn: string }> {
    const written = await this.serializer.run(async () => {
      const previous = await this.storage.device(input.sn);
      if (!previous) throw new RpcError(ErrorCode.NotFound, `device ${input.sn} not found`);
      if (previous.version !== input.version) {
        throw new RpcError(ErrorCode.Conflict, `device ${input.sn} was changed by someone else`, {
          id: input.sn,
          expectedVersion: input.version,
          actualVersion: previous.version,
        });
      }
      const at = new Date(this.clock.now()).toISOString();
      return this.commit([{ v: 1, type: 'device.removed', at, actor: ctx.actor, sn: input.sn }], [input.sn]);
    });
    await written;
    return { sn: input.sn };
  }

  async import(input: MethodInput<'devices/import'>, ctx: CommandContext): Promise<DeviceImportResult> {
    const parsed = parseDeviceRows(input.format, input.content, input.firstRow);
    const errors = [...parsed.errors];
    const kinds = new Set(this.config().deviceKinds.map((k) => k.id));
    const candidates = parsed.devices.filter(({ row, device }) => {
      if (kinds.has(device.kind)) return true;
      errors.push({ row, sn: device.sn, path: 'kind', message: `unknown device kind ${device.kind}` });
      return false;
    });
    const result = await this.serializer.run(async () => {
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      const at = new Date(this.clock.now()).toISOString();
      const events: DomainEvent[] = [];
      const sns: string[] = [];
      for (const { device } of candidates) {
        const previous = await this.storage.device(device.sn);
        if (previous && sameFields(previous, device)) {
          unchanged++;
          continue;
        }
        if (previous) updated++;
        else created++;
        events.push(this.event(device, previous, ctx, at));
        sns.push(device.sn);
      }
      const written: Promise<void>[] = [];
      if (!input.dryRun) {
        for (let i = 0; i < events.length; i += IMPORT_BATCH)
          written.push(this.storage.append(events.slice(i, i + IMPORT_BATCH)));
      }
      return { created, updated, unchanged, written, sns };
    });
    await Promise.all(result.written);
    if (!input.dryRun && result.sns.length > 0) {
      const { version } = await this.storage.devices();
      this.publish(version, result.sns.slice(0, 1000));
    }
    errors.sort((a, b) => a.row - b.row);
    return {
      rows: parsed.rows,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      errors,
      dryRun: input.dryRun,
    };
  }

  /** Registers devices first seen in telemetry (connectors set to register unknown devices). */
  async registerUnknown(found: { sn: string; kind: string }[], ctx: CommandContext): Promise<void> {
    const written = await this.serializer.run(async () => {
      const at = new Date(this.clock.now()).toISOString();
      const events: DomainEvent[] = [];
      for (const { sn, kind } of found) {
        if (await this.storage.device(sn)) continue;
        events.push(
          this.event(
            {
              sn,
              kind,
              site: '未登记',
              region: '未知',
              lng: null,
              lat: null,
              model: '',
              installDate: null,
              metadata: { registeredBy: 'telemetry' },
            },
            null,
            ctx,
            at,
          ),
        );
      }
      return events.length
        ? this.commit(
            events,
            found.map((f) => f.sn),
          )
        : Promise.resolve();
    });
    await written;
  }
}
