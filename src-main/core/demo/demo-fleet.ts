import type { DeviceFields } from '@shared/contract';

/** Devices per `devices/import` call: each call is one journal append and stays far below its size limit. */
const CHUNK = 1_000;

type Caller = { call(method: string, params: unknown): Promise<unknown> };

export interface FleetRegistration {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Puts the simulated fleet into the device registry, through the same import the operators use, so
 * that every simulated device has its site and position before its first sample arrives. Devices an
 * operator has edited since are updated back to the simulator's truth only where the fields differ.
 */
export async function registerFleet(
  core: Caller,
  fields: readonly DeviceFields[],
  onProgress?: (done: number, total: number) => void,
): Promise<FleetRegistration> {
  const total: FleetRegistration = { created: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < fields.length; i += CHUNK) {
    const chunk = fields.slice(i, i + CHUNK);
    const result = (await core.call('devices/import', {
      format: 'json',
      content: JSON.stringify(chunk),
      firstRow: i + 1,
    })) as FleetRegistration & { errors: { row: number; path: string; message: string }[] };
    if (result.errors.length > 0) {
      const first = result.errors[0]!;
      throw new Error(
        `the simulated fleet does not fit the registry: row ${first.row} ${first.path}: ${first.message}`,
      );
    }
    total.created += result.created;
    total.updated += result.updated;
    total.unchanged += result.unchanged;
    onProgress?.(Math.min(i + CHUNK, fields.length), fields.length);
  }
  return total;
}
