import type { ConfigDocument } from '../contract/config';
import type { Priority } from '../contract/ticket-enums';
import type { SlaState } from '../contract/tickets';

const MINUTE = 60_000;

/** SLA due times for a new ticket, from its type's policy and priority. */
export function initialSla(
  config: ConfigDocument,
  typeId: string,
  priority: Priority,
  createdAt: string,
): SlaState {
  const type = config.types.find((t) => t.id === typeId);
  const policy = type ? config.slaPolicies.find((p) => p.id === type.slaPolicyId) : undefined;
  const target = policy?.targets[priority];
  const start = Date.parse(createdAt);
  return {
    policyId: policy?.id ?? null,
    responseDueAt: target ? new Date(start + target.responseMinutes * MINUTE).toISOString() : null,
    resolveDueAt: target ? new Date(start + target.resolveMinutes * MINUTE).toISOString() : null,
    respondedAt: null,
    resolvedAt: null,
  };
}

/** Due times move with a priority change, measured from the ticket's creation. */
export function reprioritizedSla(
  config: ConfigDocument,
  typeId: string,
  priority: Priority,
  createdAt: string,
  current: SlaState,
): SlaState {
  const next = initialSla(config, typeId, priority, createdAt);
  return { ...next, respondedAt: current.respondedAt, resolvedAt: current.resolvedAt };
}

export type SlaPhase = 'met' | 'running' | 'at-risk' | 'breached' | 'none';

/** Milliseconds left to resolve (negative when overdue), or null when no SLA applies or it is met. */
export function slaRemainingMs(
  sla: Pick<SlaState, 'resolveDueAt' | 'resolvedAt'>,
  now: number,
): number | null {
  if (!sla.resolveDueAt || sla.resolvedAt) return null;
  return Date.parse(sla.resolveDueAt) - now;
}

/** `at-risk` inside the last hour, so a board can warn before a breach rather than after. */
export function slaPhase(sla: Pick<SlaState, 'resolveDueAt' | 'resolvedAt'>, now: number): SlaPhase {
  if (!sla.resolveDueAt) return 'none';
  if (sla.resolvedAt) return Date.parse(sla.resolvedAt) <= Date.parse(sla.resolveDueAt) ? 'met' : 'breached';
  const left = Date.parse(sla.resolveDueAt) - now;
  if (left < 0) return 'breached';
  return left <= 60 * MINUTE ? 'at-risk' : 'running';
}
