import type {
  CustomFields,
  FieldValue,
  GeoLocation,
  ImpactDomain,
  Priority,
  Ticket,
  TicketPatch,
  TicketType,
} from '@shared/contract';
import { validateFields } from '@shared/domain';
import { keysFromRows, rowsFromKeys, type KeyRow } from '../../components/BusinessKeysEditor';

/** What the create and edit forms hold: strings where the user types, parsed on submit. */
export interface TicketDraft {
  title: string;
  description: string;
  priority: Priority;
  domains: ImpactDomain[];
  keyRows: KeyRow[];
  fields: CustomFields;
  lng: string;
  lat: string;
  address: string;
}

export function emptyDraft(priority: Priority): TicketDraft {
  return {
    title: '',
    description: '',
    priority,
    domains: [],
    keyRows: [],
    fields: {},
    lng: '',
    lat: '',
    address: '',
  };
}

export function draftFromTicket(ticket: Ticket): TicketDraft {
  return {
    title: ticket.title,
    description: ticket.description,
    priority: ticket.priority,
    domains: [...ticket.domains],
    keyRows: rowsFromKeys(ticket.businessKeys),
    fields: { ...ticket.fields },
    lng: ticket.location ? String(ticket.location.lng) : '',
    lat: ticket.location ? String(ticket.location.lat) : '',
    address: ticket.location?.address ?? '',
  };
}

/** Problem codes, translated by the form (`form.<code>`). */
export type DraftProblem =
  | 'required'
  | 'lngLatPair'
  | 'lngRange'
  | 'latRange'
  | 'notNumber'
  | 'notOption'
  | { code: 'min' | 'max'; limit: string }
  | { raw: string };

/** The shared domain's field messages (English) as problem codes the form translates. */
export function problemOf(message: string): DraftProblem {
  if (message === 'is required') return 'required';
  if (message === 'must be a number') return 'notNumber';
  if (/option/.test(message)) return 'notOption';
  const bound = /^must be ([≥≤]) (.+)$/.exec(message);
  if (bound) return { code: bound[1] === '≥' ? 'min' : 'max', limit: bound[2]! };
  return { raw: message };
}

/** The location of a draft, or the problems keyed by path. Empty coordinates mean no location. */
export function draftLocation(
  draft: TicketDraft,
  gridId?: string,
): { location: GeoLocation | null; problems: Record<string, DraftProblem> } {
  const lngText = draft.lng.trim();
  const latText = draft.lat.trim();
  const problems: Record<string, DraftProblem> = {};
  if (!lngText && !latText) {
    if (draft.address.trim()) problems['location.lng'] = 'lngLatPair';
    return { location: null, problems };
  }
  const lng = Number(lngText);
  const lat = Number(latText);
  if (!lngText || !latText) problems[!lngText ? 'location.lng' : 'location.lat'] = 'lngLatPair';
  else {
    if (!Number.isFinite(lng) || lng < -180 || lng > 180) problems['location.lng'] = 'lngRange';
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) problems['location.lat'] = 'latRange';
  }
  if (Object.keys(problems).length) return { location: null, problems };
  const address = draft.address.trim();
  return {
    location: { lng, lat, ...(address ? { address } : {}), ...(gridId ? { gridId } : {}) },
    problems,
  };
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Custom fields without empty values, as a new ticket sends them. */
export function filledFields(fields: CustomFields): CustomFields {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)),
  );
}

/**
 * Client-side checks before sending (the core checks again): title, location, and the custom fields
 * against the type's definitions via the shared domain rules.
 */
export function validateDraft(
  draft: TicketDraft,
  type: TicketType | undefined,
  mode: 'create' | 'edit',
  changedFields?: CustomFields,
): Record<string, DraftProblem> {
  const problems: Record<string, DraftProblem> = {};
  if (!draft.title.trim()) problems.title = 'required';
  Object.assign(problems, draftLocation(draft).problems);
  if (type) {
    const fields = mode === 'create' ? filledFields(draft.fields) : (changedFields ?? {});
    for (const issue of validateFields(type, fields, mode === 'create')) {
      const key = issue.path.slice('fields.'.length);
      // Clearing an optional field is allowed.
      if (mode === 'edit' && fields[key] === null && !type.fields.find((f) => f.key === key)?.required)
        continue;
      problems[issue.path] = problemOf(issue.message);
    }
  }
  return problems;
}

/** Only what changed, as the core's patch; null when nothing did. */
export function patchFromDraft(ticket: Ticket, draft: TicketDraft): TicketPatch | null {
  const patch: TicketPatch = {};
  if (draft.title.trim() !== ticket.title) patch.title = draft.title.trim();
  if (draft.description !== ticket.description) patch.description = draft.description;
  if (draft.priority !== ticket.priority) patch.priority = draft.priority;
  const domains = [...draft.domains].sort();
  if (JSON.stringify(domains) !== JSON.stringify([...ticket.domains].sort())) patch.domains = draft.domains;
  const keys = keysFromRows(draft.keyRows);
  if (JSON.stringify(keys) !== JSON.stringify(ticket.businessKeys)) patch.businessKeys = keys;
  const { location } = draftLocation(draft, ticket.location?.gridId);
  if (JSON.stringify(location) !== JSON.stringify(ticket.location)) patch.location = location;
  const fields = changedCustomFields(ticket.fields, draft.fields);
  if (Object.keys(fields).length) patch.fields = fields;
  return Object.keys(patch).length ? patch : null;
}

/** Changed custom fields; a removed or emptied value becomes null (clears it). */
export function changedCustomFields(before: CustomFields, after: CustomFields): CustomFields {
  const out: CustomFields = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const next = after[key];
    const empty =
      next === undefined || next === null || next === '' || (Array.isArray(next) && next.length === 0);
    if (empty) {
      if (before[key] !== undefined && before[key] !== null) out[key] = null;
    } else if (!sameValue(before[key], next)) out[key] = next;
  }
  return out;
}

/**
 * Three-way merge after someone else changed the ticket during an edit: every part the user
 * changed (draft vs the version the edit started from) is kept, everything else comes from the
 * latest version. Custom fields merge key by key.
 */
export function rebaseDraft(base: Ticket, draft: TicketDraft, latest: Ticket): TicketDraft {
  const before = draftFromTicket(base);
  const next = draftFromTicket(latest);
  const mine = <K extends keyof TicketDraft>(k: K): boolean =>
    JSON.stringify(draft[k]) !== JSON.stringify(before[k]);
  const out: TicketDraft = { ...next, fields: { ...next.fields } };
  for (const k of ['title', 'description', 'priority', 'domains', 'keyRows'] as const) {
    if (mine(k)) (out as unknown as Record<string, unknown>)[k] = draft[k];
  }
  if (mine('lng') || mine('lat') || mine('address')) {
    out.lng = draft.lng;
    out.lat = draft.lat;
    out.address = draft.address;
  }
  for (const key of new Set([...Object.keys(before.fields), ...Object.keys(draft.fields)])) {
    if (!sameValue(draft.fields[key], before.fields[key])) out.fields[key] = draft.fields[key] ?? null;
  }
  return out;
}

/**
 * True when the edit form holds something that leaving would throw away: any change the save
 * would send, and also typing the patch cannot carry yet (half-entered coordinates, a business key
 * without its value). Whitespace around text and blank key rows do not count.
 */
export function draftIsDirty(base: Ticket, draft: TicketDraft): boolean {
  if (patchFromDraft(base, draft)) return true;
  const typed = (d: TicketDraft): string =>
    JSON.stringify([
      d.lng.trim(),
      d.lat.trim(),
      d.address.trim(),
      d.keyRows.map((r) => [r.key.trim(), r.value.trim()]).filter(([k, v]) => k || v),
    ]);
  return typed(draft) !== typed(draftFromTicket(base));
}
