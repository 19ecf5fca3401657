import { z } from 'zod';
import { Id, IsoTime, LocalizedText } from './common';
import { Priority } from './ticket-enums';

/**
 * The configuration document: ticket types, their fields and workflows, SLA policies and the
 * directory of people. It is data, versioned and journaled, so a later designer can edit it
 * without code changes.
 */

export const StatusCategory = z.enum(['new', 'active', 'waiting', 'resolved', 'closed']);
export type StatusCategory = z.infer<typeof StatusCategory>;
/** Categories in which a ticket no longer needs work; everything else counts as open. */
export const DONE_CATEGORIES: readonly StatusCategory[] = ['resolved', 'closed'];

export const FieldKind = z.enum(['text', 'textarea', 'number', 'select', 'multiselect', 'date', 'boolean']);
export type FieldKind = z.infer<typeof FieldKind>;

export const FieldOption = z.object({ value: z.string().min(1).max(100), label: LocalizedText });

export const FieldDef = z.object({
  key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'camelCase, starts with a letter'),
  label: LocalizedText,
  kind: FieldKind,
  required: z.boolean().default(false),
  options: z.array(FieldOption).max(200).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string().max(20).optional(),
});
export type FieldDef = z.infer<typeof FieldDef>;

export const WorkflowState = z.object({
  id: Id,
  label: LocalizedText,
  category: StatusCategory,
});
export type WorkflowState = z.infer<typeof WorkflowState>;

export const WorkflowTransition = z.object({
  /** Source states; `*` means any state. */
  from: z.array(z.string().min(1)).min(1),
  to: Id,
  label: LocalizedText,
  requiresNote: z.boolean().default(false),
  requiresAssignee: z.boolean().default(false),
});
export type WorkflowTransition = z.infer<typeof WorkflowTransition>;

export const Workflow = z.object({
  id: Id,
  name: LocalizedText,
  initial: Id,
  states: z.array(WorkflowState).min(1).max(50),
  transitions: z.array(WorkflowTransition).max(500),
});
export type Workflow = z.infer<typeof Workflow>;

export const SlaTarget = z.object({
  responseMinutes: z.number().int().positive(),
  resolveMinutes: z.number().int().positive(),
});
export const SlaPolicy = z.object({
  id: Id,
  name: LocalizedText,
  targets: z.record(Priority, SlaTarget),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const TicketType = z.object({
  id: Id,
  name: LocalizedText,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  workflowId: Id,
  slaPolicyId: Id,
  defaultPriority: Priority,
  fields: z.array(FieldDef).max(100),
});
export type TicketType = z.infer<typeof TicketType>;

export const Department = z.object({ id: Id, name: LocalizedText });
export const Team = z.object({ id: Id, name: LocalizedText, departmentId: Id });
export const User = z.object({
  id: Id,
  name: z.string().min(1).max(100),
  teamId: Id,
  roles: z.array(z.string().min(1).max(40)).max(20),
});
export type Department = z.infer<typeof Department>;
export type Team = z.infer<typeof Team>;
export type User = z.infer<typeof User>;

export const Directory = z.object({
  departments: z.array(Department),
  teams: z.array(Team),
  users: z.array(User),
});
export type Directory = z.infer<typeof Directory>;

/**
 * A telemetry metric of a device kind: its unit, the range a real reading can take (outside it a
 * value is refused as out of range), and how it weighs on health — the metric scores 80 at `warn` and
 * 40 at `alarm` on the shared health scale (`@shared/domain` health.ts; mirrored when lower is worse).
 */
export const MetricDef = z.object({
  key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,31}$/, 'camelCase, starts with a letter'),
  label: LocalizedText,
  unit: z.string().max(16),
  min: z.number().finite(),
  max: z.number().finite(),
  warn: z.number().finite().nullable(),
  alarm: z.number().finite().nullable(),
  higherIsWorse: z.boolean(),
  /** 1: this metric's score alone can set the device's health; 0.5 halves its pull; 0: no effect. */
  weight: z.number().min(0).max(1),
});
export type MetricDef = z.infer<typeof MetricDef>;

export const DeviceKind = z.object({
  id: Id,
  name: LocalizedText,
  metrics: z.array(MetricDef).min(1).max(32),
  /** How often a device of this kind reports; the offline check counts in these intervals. */
  reportIntervalSec: z.number().int().min(1).max(86_400),
  offlineAfterIntervals: z.number().int().min(1).max(1000),
});
export type DeviceKind = z.infer<typeof DeviceKind>;

export const ConfigDocument = z.object({
  version: z.number().int().positive(),
  publishedAt: IsoTime,
  /** IANA zone in which times are shown (stored times are always UTC). */
  timezone: z.string().min(1).max(64),
  numbering: z.object({ prefix: z.string().regex(/^[A-Z]{1,6}$/) }),
  types: z.array(TicketType).min(1),
  workflows: z.array(Workflow).min(1),
  slaPolicies: z.array(SlaPolicy).min(1),
  directory: Directory,
  deviceKinds: z.array(DeviceKind).min(1),
});
export type ConfigDocument = z.infer<typeof ConfigDocument>;

export const configMethods = {
  'config/get': { params: z.strictObject({}), result: ConfigDocument },
} as const;

export const configEvents = {
  'config/changed': z.object({ version: z.number().int().positive() }),
} as const;
