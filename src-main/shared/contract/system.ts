import { z } from 'zod';
import { ActorRef, IsoTime } from './common';

export const HostKind = z.enum(['electron', 'node', 'in-process']);

export const RecoveryReport = z.object({
  snapshotOffset: z.number().int().min(0).nullable(),
  replayedEvents: z.number().int().min(0),
  /** Bytes cut from a torn journal tail at start-up (0 when the tail was clean). */
  truncatedBytes: z.number().int().min(0),
  durationMs: z.number().min(0),
});
export type RecoveryReport = z.infer<typeof RecoveryReport>;

export const SystemInfo = z.object({
  product: z.literal('watchfloor'),
  version: z.string(),
  host: HostKind,
  startedAt: IsoTime,
  user: ActorRef,
  store: z.object({
    kind: z.string(),
    events: z.number().int().min(0),
    journalBytes: z.number().int().min(0),
    tickets: z.number().int().min(0),
    recovery: RecoveryReport,
  }),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const systemMethods = {
  'system/info': { params: z.strictObject({}), result: SystemInfo },
} as const;

export const systemEvents = {} as const;
