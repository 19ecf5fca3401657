import { z } from 'zod';
import { ActorRef, Id, IsoTime } from './common';
import { AssigneeKind, ImpactDomain, LinkKind, Priority, TicketSource } from './ticket-enums';

export const Assignee = z.object({ kind: AssigneeKind, id: Id });
export type Assignee = z.infer<typeof Assignee>;

export const BusinessKeys = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, 'key must start with a letter'),
    z.string().trim().min(1).max(200),
  )
  .refine((keys) => Object.keys(keys).length <= 32, 'at most 32 business keys');
export type BusinessKeys = z.infer<typeof BusinessKeys>;

/** WGS84 inside the house; GCJ-02 sources are converted at the edge. */
export const GeoLocation = z.object({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  address: z.string().max(300).optional(),
  gridId: z.string().max(64).optional(),
});
export type GeoLocation = z.infer<typeof GeoLocation>;

export const FieldValue = z.union([
  z.string().max(4000),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string().max(200)).max(50),
]);
export type FieldValue = z.infer<typeof FieldValue>;

export const CustomFields = z.record(z.string().max(64), FieldValue);
export type CustomFields = z.infer<typeof CustomFields>;

export const TicketLink = z.object({ kind: LinkKind, ticketId: Id, number: z.string() });
export type TicketLink = z.infer<typeof TicketLink>;

export const SlaState = z.object({
  policyId: z.string().nullable(),
  responseDueAt: IsoTime.nullable(),
  resolveDueAt: IsoTime.nullable(),
  respondedAt: IsoTime.nullable(),
  resolvedAt: IsoTime.nullable(),
});
export type SlaState = z.infer<typeof SlaState>;

export const Comment = z.object({ id: Id, at: IsoTime, author: ActorRef, body: z.string() });
export type Comment = z.infer<typeof Comment>;

export const HistoryAction = z.enum([
  'created',
  'updated',
  'transitioned',
  'assigned',
  'commented',
  'linked',
  'unlinked',
]);
export type HistoryAction = z.infer<typeof HistoryAction>;

export const FieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;

export const HistoryEntry = z.object({
  version: z.number().int().positive(),
  at: IsoTime,
  actor: ActorRef,
  action: HistoryAction,
  changes: z.array(FieldChange),
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Ticket = z.object({
  id: Id,
  /** Human number, e.g. WF-2026-000123: unique, never reused. */
  number: z.string(),
  typeId: Id,
  title: z.string(),
  description: z.string(),
  priority: Priority,
  status: Id,
  assignee: Assignee.nullable(),
  source: TicketSource,
  businessKeys: BusinessKeys,
  domains: z.array(ImpactDomain),
  location: GeoLocation.nullable(),
  fields: CustomFields,
  links: z.array(TicketLink),
  sla: SlaState,
  comments: z.array(Comment),
  history: z.array(HistoryEntry),
  version: z.number().int().positive(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  createdBy: ActorRef,
  configVersion: z.number().int().positive(),
  idempotencyKey: z.string().nullable(),
});
export type Ticket = z.infer<typeof Ticket>;

/** What a board row needs; detail comes from `tickets/get`. */
export const TicketSummary = Ticket.pick({
  id: true,
  number: true,
  typeId: true,
  title: true,
  priority: true,
  status: true,
  assignee: true,
  source: true,
  businessKeys: true,
  domains: true,
  sla: true,
  version: true,
  createdAt: true,
  updatedAt: true,
}).extend({ address: z.string().nullable() });
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketSortField = z.enum([
  'updatedAt',
  'createdAt',
  'priority',
  'resolveDueAt',
  'number',
  'status',
]);
export type TicketSortField = z.infer<typeof TicketSortField>;

/** `assigneeId` may name the pseudo assignee {@link UNASSIGNED} to find tickets nobody owns. */
export const UNASSIGNED = '__unassigned__';

export const TicketFilter = z.strictObject({
  status: z.array(Id).max(50).optional(),
  priority: z.array(Priority).max(4).optional(),
  typeId: z.array(Id).max(50).optional(),
  domain: z.array(ImpactDomain).max(4).optional(),
  assigneeId: z.array(Id).max(100).optional(),
  source: z.array(TicketSource).max(5).optional(),
  /** Only tickets whose status category is not resolved/closed (true) or only those (false). */
  open: z.boolean().optional(),
  /** Only tickets past their resolve due time and still open. */
  slaBreached: z.boolean().optional(),
  businessKey: z
    .strictObject({ key: z.string().max(64).optional(), value: z.string().trim().min(1).max(200) })
    .optional(),
  /** Free text over number, title, business key values and address (descriptions are not indexed). */
  text: z.string().trim().max(200).optional(),
  /** Only tickets created at or after this time. */
  createdFrom: IsoTime.optional(),
});
export type TicketFilter = z.infer<typeof TicketFilter>;

export const TicketSort = z.strictObject({
  field: TicketSortField,
  dir: z.enum(['asc', 'desc']),
});
export type TicketSort = z.infer<typeof TicketSort>;

export const MAX_PAGE = 500;

export const TicketListParams = z.strictObject({
  filter: TicketFilter.default({}),
  sort: TicketSort.default({ field: 'updatedAt', dir: 'desc' }),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(MAX_PAGE).default(100),
});
export type TicketListParams = z.input<typeof TicketListParams>;
export type TicketListQuery = z.output<typeof TicketListParams>;

export const TicketListResult = z.object({
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
  items: z.array(TicketSummary),
});
export type TicketListResult = z.infer<typeof TicketListResult>;

const TicketRef = z.strictObject({ id: Id });
const Version = z.number().int().positive();
const Note = z.string().trim().max(4000).optional();

export const TicketCreateParams = z.strictObject({
  typeId: Id,
  title: z.string().trim().min(1).max(200),
  description: z.string().max(20000).default(''),
  priority: Priority.optional(),
  assignee: Assignee.nullable().optional(),
  source: TicketSource.default('manual'),
  businessKeys: BusinessKeys.default({}),
  domains: z.array(ImpactDomain).max(4).default([]),
  location: GeoLocation.nullable().default(null),
  fields: CustomFields.default({}),
  /** Creating twice with the same key returns the first ticket instead of a duplicate. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type TicketCreateParams = z.input<typeof TicketCreateParams>;

export const TicketPatch = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(20000).optional(),
    priority: Priority.optional(),
    businessKeys: BusinessKeys.optional(),
    domains: z.array(ImpactDomain).max(4).optional(),
    location: GeoLocation.nullable().optional(),
    /** Merged into the existing fields; a null value clears a field. */
    fields: CustomFields.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'patch is empty');
export type TicketPatch = z.infer<typeof TicketPatch>;

export const TicketUpdateParams = z.strictObject({
  id: Id,
  version: Version,
  patch: TicketPatch,
  note: Note,
});
export const TicketTransitionParams = z.strictObject({ id: Id, version: Version, to: Id, note: Note });
export const TicketAssignParams = z.strictObject({
  id: Id,
  version: Version,
  assignee: Assignee.nullable(),
  note: Note,
});
export const TicketCommentParams = z.strictObject({
  id: Id,
  body: z.string().trim().min(1).max(20000),
  /** Optional: comments are additive, so a stale version is only checked when given. */
  version: Version.optional(),
});
export const TicketLinkParams = z.strictObject({
  id: Id,
  version: Version,
  op: z.enum(['add', 'remove']),
  kind: LinkKind,
  targetId: Id,
});

export const TicketGetParams = z.union([TicketRef, z.strictObject({ number: z.string().min(1).max(40) })]);

export const TicketFacetsResult = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byPriority: z.record(Priority, z.number().int()),
});
export type TicketFacetsResult = z.infer<typeof TicketFacetsResult>;

export const TicketStatsResult = z.object({
  asOf: IsoTime,
  open: z.number().int(),
  openByPriority: z.record(Priority, z.number().int()),
  breached: z.number().int(),
  dueWithinHour: z.number().int(),
  createdToday: z.number().int(),
  resolvedToday: z.number().int(),
});
export type TicketStatsResult = z.infer<typeof TicketStatsResult>;

export const ticketMethods = {
  'tickets/list': { params: TicketListParams, result: TicketListResult },
  'tickets/facets': {
    params: z.strictObject({ filter: TicketFilter.default({}) }),
    result: TicketFacetsResult,
  },
  'tickets/stats': { params: z.strictObject({}), result: TicketStatsResult },
  'tickets/get': { params: TicketGetParams, result: Ticket },
  'tickets/create': { params: TicketCreateParams, result: Ticket },
  'tickets/update': { params: TicketUpdateParams, result: Ticket },
  'tickets/transition': { params: TicketTransitionParams, result: Ticket },
  'tickets/assign': { params: TicketAssignParams, result: Ticket },
  'tickets/comment': { params: TicketCommentParams, result: Ticket },
  'tickets/link': { params: TicketLinkParams, result: Ticket },
} as const;

export const TicketChange = z.object({ op: z.enum(['created', 'updated']), ticket: TicketSummary });
export type TicketChange = z.infer<typeof TicketChange>;

export const ticketEvents = {
  /** Pushed after the change is durable; carries the new summaries so boards patch rows in place. */
  'tickets/changed': z.object({ changes: z.array(TicketChange) }),
} as const;
