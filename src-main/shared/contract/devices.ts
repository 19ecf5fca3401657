import { z } from 'zod';
import { Id, IsoTime } from './common';

/** Serial numbers are the devices' business keys; they appear in topics, so no spaces or slashes. */
export const DeviceSn = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
    'letters, digits and _ . : - only, starting with a letter or digit',
  );

export const DeviceFields = z.strictObject({
  sn: DeviceSn,
  kind: Id,
  site: z.string().trim().min(1).max(100),
  region: z.string().trim().min(1).max(100),
  /** WGS84; null for a device registered from telemetry before anyone placed it. */
  lng: z.number().min(-180).max(180).nullable(),
  lat: z.number().min(-90).max(90).nullable(),
  model: z.string().trim().max(100).default(''),
  installDate: z.iso.date().nullable().default(null),
  metadata: z
    .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/), z.string().max(500))
    .refine((m) => Object.keys(m).length <= 32, 'at most 32 metadata entries')
    .default({}),
});
export type DeviceFields = z.input<typeof DeviceFields>;

export const Device = DeviceFields.extend({
  model: z.string(),
  installDate: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  version: z.number().int().positive(),
  updatedAt: IsoTime,
});
export type Device = z.infer<typeof Device>;

export const DeviceImportRowError = z.object({
  /** 1-based data row (CSV: not counting the header line; JSON: array index + 1). */
  row: z.number().int().positive(),
  sn: z.string().nullable(),
  path: z.string(),
  message: z.string(),
});
export type DeviceImportRowError = z.infer<typeof DeviceImportRowError>;

export const DeviceImportParams = z.strictObject({
  format: z.enum(['csv', 'json']),
  /** The file's text. Large files are sent in chunks of rows, each with its own header line (CSV). */
  content: z.string().max(900_000),
  /** Number of the chunk's first row in the whole file, so errors point at the right line. */
  firstRow: z.number().int().positive().default(1),
  /** Check every row and report, without saving anything. */
  dryRun: z.boolean().default(false),
});
export type DeviceImportParams = z.input<typeof DeviceImportParams>;

export const DeviceImportResult = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(DeviceImportRowError),
  dryRun: z.boolean(),
});
export type DeviceImportResult = z.infer<typeof DeviceImportResult>;

export const deviceMethods = {
  /** The whole registry in registry order: telemetry frames index devices by this order. */
  'devices/list': {
    params: z.strictObject({}),
    result: z.object({ version: z.number().int().min(0), devices: z.array(Device) }),
  },
  'devices/get': { params: z.strictObject({ sn: DeviceSn }), result: Device },
  /** Creates or edits one device; `version` guards an edit against a concurrent one. */
  'devices/upsert': {
    params: z.strictObject({ device: DeviceFields, version: z.number().int().positive().optional() }),
    result: Device,
  },
  'devices/remove': {
    params: z.strictObject({ sn: DeviceSn, version: z.number().int().positive() }),
    result: z.object({ sn: DeviceSn }),
  },
  'devices/import': { params: DeviceImportParams, result: DeviceImportResult },
} as const;

export const deviceEvents = {
  /** The registry changed; `version` is the new registry version (refetch `devices/list` when it moved). */
  'devices/changed': z.object({ version: z.number().int().min(0), sns: z.array(DeviceSn).max(1000) }),
} as const;
