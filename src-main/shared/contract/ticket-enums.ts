import { z } from 'zod';

export const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Priority = z.infer<typeof Priority>;

export const TicketSource = z.enum(['manual', 'mqtt', 'rest', 'hotline', 'predictive']);
export type TicketSource = z.infer<typeof TicketSource>;

export const ImpactDomain = z.enum(['production', 'quality', 'after-sales', 'rnd']);
export type ImpactDomain = z.infer<typeof ImpactDomain>;

export const AssigneeKind = z.enum(['user', 'team', 'department']);
export type AssigneeKind = z.infer<typeof AssigneeKind>;

export const LinkKind = z.enum(['parent', 'child', 'related', 'duplicate']);
export type LinkKind = z.infer<typeof LinkKind>;

/** Business keys every integration understands; the map stays open for others. */
export const WELL_KNOWN_BUSINESS_KEYS = [
  'deviceSn',
  'vin',
  'orderNo',
  'callId',
  'sessionId',
  'batchNo',
] as const;
