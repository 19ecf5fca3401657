import { z } from 'zod';
import { Id, IsoTime } from './common';
import { DeviceSn } from './devices';

/**
 * Live telemetry. Frames index devices in registry order (`devices/list`); per-device arrays travel
 * as base64 of typed arrays: 10,000 devices at 1 Hz would otherwise be megabytes of JSON digits.
 */

/** Health byte of a device in a frame: 0–100, or one of these. */
export const HEALTH_OFFLINE = 255;
export const HEALTH_NO_DATA = 254;

export const DeviceState = z.enum(['online', 'offline', 'unknown']);
export type DeviceState = z.infer<typeof DeviceState>;

export const TelemetryFrame = z.object({
  seq: z.number().int().min(0),
  at: IsoTime,
  /** The registry version the arrays are indexed by; a client with another version refetches the list. */
  registryVersion: z.number().int().min(0),
  /** Uint8Array, base64: health 0–100, {@link HEALTH_OFFLINE} or {@link HEALTH_NO_DATA}. */
  health: z.string(),
  /** Float32Array, base64: the latest value of the requested metric per device (NaN = none). */
  values: z.string().nullable(),
  metric: z.string().nullable(),
});
export type TelemetryFrame = z.infer<typeof TelemetryFrame>;

export const Series = z.object({ t: z.array(z.number()), v: z.array(z.number().nullable()) });
export type Series = z.infer<typeof Series>;

export const DeviceTelemetry = z.object({
  sn: DeviceSn,
  state: DeviceState,
  lastSeen: IsoTime.nullable(),
  health: z.number().min(0).max(100).nullable(),
  /** Health over the kept history (5-minute averages). Times are epoch ms. */
  healthHistory: Series,
  /** Per metric: the recent raw samples and the 5-minute averages of the kept history. */
  metrics: z.record(z.string(), z.object({ recent: Series, history: Series })),
});
export type DeviceTelemetry = z.infer<typeof DeviceTelemetry>;

export const QuarantineReason = z.enum([
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
]);
export type QuarantineReason = z.infer<typeof QuarantineReason>;

export const QuarantineSample = z.object({
  at: IsoTime,
  connectorId: Id,
  topic: z.string(),
  reason: QuarantineReason,
  detail: z.string(),
  /** The first bytes of the payload as text. */
  payload: z.string(),
});
export type QuarantineSample = z.infer<typeof QuarantineSample>;

export const TelemetryStats = z.object({
  at: IsoTime,
  received: z.number().int().min(0),
  accepted: z.number().int().min(0),
  /** Counted per reason since start; a message may be accepted with some fields refused. */
  refused: z.record(QuarantineReason, z.number().int().min(0)),
  messagesPerSecond: z.number().min(0),
  devices: z.object({ online: z.number().int(), offline: z.number().int(), unknown: z.number().int() }),
});
export type TelemetryStats = z.infer<typeof TelemetryStats>;

export const SimulatorStatus = z.object({
  available: z.boolean(),
  running: z.boolean(),
  devices: z.number().int().min(0),
  speed: z.number().positive(),
  seed: z.number().int(),
  brokerUrl: z.string().nullable(),
  startedAt: IsoTime.nullable(),
  published: z.number().int().min(0),
  /** Failures the simulation has reached so far (the ground truth file has them all). */
  failures: z.number().int().min(0),
  groundTruthFile: z.string().nullable(),
});
export type SimulatorStatus = z.infer<typeof SimulatorStatus>;

export const telemetryMethods = {
  /** The current frame; with `metric`, also that metric's latest values. */
  'telemetry/frame': {
    params: z.strictObject({ metric: z.string().min(1).max(32).optional() }),
    result: TelemetryFrame,
  },
  'telemetry/device': { params: z.strictObject({ sn: DeviceSn }), result: DeviceTelemetry },
  'telemetry/stats': { params: z.strictObject({}), result: TelemetryStats },
  'telemetry/quarantine': {
    params: z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }),
    result: z.array(QuarantineSample),
  },
  'simulator/status': { params: z.strictObject({}), result: SimulatorStatus },
  'simulator/start': {
    params: z.strictObject({
      devices: z.number().int().min(1).max(20_000).optional(),
      speed: z.number().min(1).max(86_400).optional(),
      seed: z.number().int().min(0).optional(),
    }),
    result: SimulatorStatus,
  },
  'simulator/stop': { params: z.strictObject({}), result: SimulatorStatus },
} as const;

export const telemetryEvents = {
  /** Once a second: device health in registry order, and devices that went online or offline. */
  'telemetry/changed': z.object({
    seq: z.number().int().min(0),
    at: IsoTime,
    registryVersion: z.number().int().min(0),
    health: z.string(),
    states: z.array(z.object({ sn: DeviceSn, state: DeviceState })).max(1000),
  }),
  'simulator/changed': SimulatorStatus,
} as const;
