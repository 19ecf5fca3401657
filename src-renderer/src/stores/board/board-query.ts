import {
  StatusCategory,
  type ConfigDocument,
  type LocalizedText,
  type TicketFacetsResult,
  type TicketFilter,
  type TicketSort,
} from '@shared/contract';
import { findWorkflow, statusCategories, workflowOfType } from '@shared/domain';

/** The filter as the board edits it; {@link toQueryFilter} turns it into the contract's filter. */
export type BoardFilter = TicketFilter;

export const DEFAULT_SORT: TicketSort = { field: 'updatedAt', dir: 'desc' };

/** Drops empty parts, so equal filters compare equal and the server sees no empty lists. */
export function toQueryFilter(filter: BoardFilter): TicketFilter {
  const out: TicketFilter = {};
  if (filter.status?.length) out.status = [...filter.status];
  if (filter.priority?.length) out.priority = [...filter.priority];
  if (filter.typeId?.length) out.typeId = [...filter.typeId];
  if (filter.domain?.length) out.domain = [...filter.domain];
  if (filter.assigneeId?.length) out.assigneeId = [...filter.assigneeId];
  if (filter.source?.length) out.source = [...filter.source];
  if (filter.open !== undefined) out.open = filter.open;
  if (filter.slaBreached !== undefined) out.slaBreached = filter.slaBreached;
  const value = filter.businessKey?.value.trim();
  if (value) {
    const key = filter.businessKey?.key?.trim();
    out.businessKey = key ? { key, value } : { value };
  }
  const text = filter.text?.trim();
  if (text) out.text = text;
  return out;
}

export function isFilterEmpty(filter: BoardFilter): boolean {
  return Object.keys(toQueryFilter(filter)).length === 0;
}

/** A stable text key of a query, for caches and request de-duplication. */
export function queryKey(filter: TicketFilter, sort: TicketSort): string {
  const f = toQueryFilter(filter);
  const sorted = Object.fromEntries(Object.entries(f).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ f: sorted, s: sort });
}

export type ColumnLabel =
  { kind: 'category'; category: StatusCategory } | { kind: 'state'; label: LocalizedText };

export interface KanbanColumn {
  /** `cat:<category>` or `state:<statusId>`. */
  id: string;
  label: ColumnLabel;
  category: StatusCategory;
  statuses: string[];
}

/**
 * Columns of the kanban: one per status category, or, when exactly one ticket type is filtered, one
 * per state of that type's workflow.
 */
export function kanbanColumns(config: ConfigDocument, filter: BoardFilter): KanbanColumn[] {
  const types = filter.typeId ?? [];
  if (types.length === 1) {
    const wf = workflowOfType(config, types[0]!);
    if (wf) {
      return wf.states.map((s) => ({
        id: `state:${s.id}`,
        label: { kind: 'state', label: s.label },
        category: s.category,
        statuses: [s.id],
      }));
    }
  }
  const categories = statusCategories(config);
  return StatusCategory.options.map((category) => ({
    id: `cat:${category}`,
    label: { kind: 'category', category },
    category,
    statuses: [...categories].filter(([, c]) => c === category).map(([id]) => id),
  }));
}

/** The filter of one column: the board's filter narrowed to the column's statuses, or null if none remain. */
export function columnFilter(filter: BoardFilter, column: KanbanColumn): TicketFilter | null {
  const base = toQueryFilter(filter);
  const statuses = base.status ? column.statuses.filter((s) => base.status!.includes(s)) : column.statuses;
  if (statuses.length === 0) return null;
  return { ...base, status: statuses };
}

export function columnCount(facets: TicketFacetsResult | null, column: KanbanColumn): number | null {
  if (!facets) return null;
  return column.statuses.reduce((n, s) => n + (facets.byStatus[s] ?? 0), 0);
}

export interface StatusOption {
  id: string;
  labels: LocalizedText[];
  category: StatusCategory;
}

/**
 * Statuses offered by the status filter: those of the filtered types' workflows, or of every
 * workflow. One status id may carry different labels in different workflows; all are kept.
 */
export function statusOptions(
  config: ConfigDocument,
  typeIds: readonly string[] | undefined,
): StatusOption[] {
  const workflows = typeIds?.length
    ? [...new Set(typeIds.map((t) => config.types.find((x) => x.id === t)?.workflowId))]
        .map((id) => (id ? findWorkflow(config, id) : undefined))
        .filter((w) => w !== undefined)
    : config.workflows;
  const out = new Map<string, StatusOption>();
  for (const wf of workflows) {
    for (const s of wf.states) {
      const existing = out.get(s.id);
      if (!existing) out.set(s.id, { id: s.id, labels: [s.label], category: s.category });
      else if (!existing.labels.some((l) => l['zh-CN'] === s.label['zh-CN'])) existing.labels.push(s.label);
    }
  }
  const order = StatusCategory.options;
  return [...out.values()].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
}
