import type { FieldDef, TicketType } from '../contract/config';
import type { CustomFields, FieldValue } from '../contract/tickets';

export interface FieldIssue {
  path: string;
  message: string;
}

function checkValue(def: FieldDef, value: FieldValue): string | null {
  if (value === null) return def.required ? 'is required' : null;
  switch (def.kind) {
    case 'text':
    case 'textarea':
    case 'date':
      if (typeof value !== 'string') return 'must be text';
      if (def.kind === 'date' && Number.isNaN(Date.parse(value))) return 'must be an ISO date';
      if (def.required && value.trim() === '') return 'is required';
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (def.min !== undefined && value < def.min) return `must be ≥ ${def.min}`;
      if (def.max !== undefined && value > def.max) return `must be ≤ ${def.max}`;
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'select':
      if (typeof value !== 'string') return 'must be one option';
      return def.options?.some((o) => o.value === value) ? null : `is not an option of ${def.key}`;
    case 'multiselect':
      if (!Array.isArray(value)) return 'must be a list of options';
      return value.every((v) => def.options?.some((o) => o.value === v))
        ? null
        : `has a value that is not an option`;
  }
}

/**
 * Custom field values checked against the ticket type. `complete` demands every required field
 * (creation); without it only the given fields are checked (a patch).
 */
export function validateFields(type: TicketType, fields: CustomFields, complete: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const defs = new Map(type.fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(fields)) {
    const def = defs.get(key);
    if (!def) {
      issues.push({ path: `fields.${key}`, message: `is not a field of type ${type.id}` });
      continue;
    }
    const problem = checkValue(def, value);
    if (problem) issues.push({ path: `fields.${key}`, message: problem });
  }
  if (complete) {
    for (const def of type.fields) {
      if (def.required && (fields[def.key] === undefined || fields[def.key] === null)) {
        issues.push({ path: `fields.${def.key}`, message: 'is required' });
      }
    }
  }
  return issues;
}
