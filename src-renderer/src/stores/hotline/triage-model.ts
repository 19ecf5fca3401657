import type {
  ClassifySuggestion,
  DepartmentProposal,
  HotlineKpi,
  IncomingCall,
  PlaceInput,
  RouteAnswer,
  SubmitCallParams,
} from '@shared/contract';

/** The request the agent is working on: a queued call taken from the queue, or one typed from scratch. */
export interface TriageDraft {
  /** The queued call this draft answers; null for a call typed from scratch. */
  incomingId: string | null;
  channel: IncomingCall['channel'];
  callerName: string;
  /** As shown: masked for a queued call (the core never sends the full number), typed for a new one. */
  callerPhone: string;
  /** Whether the phone came masked from the queue (then it is not sent back). */
  phoneMasked: boolean;
  text: string;
  address: string;
  /**
   * Coordinates that win over the address: the caller system's, a candidate the agent picked, or a
   * click on the map (`source` says which).
   */
  place: { lng: number; lat: number; source: 'caller' | 'candidate' | 'map' } | null;
  /** The agent's category instead of the suggestion's (recorded as an override). */
  category: string | null;
  /** The agent's department(s) instead of the proposal (recorded as an override). */
  departmentIds: string[] | null;
  duplicateOf: string | null;
}

export const EMPTY_DRAFT: TriageDraft = {
  incomingId: null,
  channel: 'phone',
  callerName: '',
  callerPhone: '',
  phoneMasked: false,
  text: '',
  address: '',
  place: null,
  category: null,
  departmentIds: null,
  duplicateOf: null,
};

export function draftFromCall(call: IncomingCall): TriageDraft {
  return {
    ...EMPTY_DRAFT,
    incomingId: call.id,
    channel: call.channel,
    callerName: call.callerName ?? '',
    callerPhone: call.callerPhone ?? '',
    phoneMasked: call.callerPhone !== null,
    text: call.text,
    address: call.address ?? '',
    place: call.place ? { ...call.place, source: 'caller' } : null,
  };
}

/** The category the request will be filed under: the agent's, else the suggestion's. */
export function effectiveCategory(draft: TriageDraft, suggestion: ClassifySuggestion | null): string | null {
  return draft.category ?? suggestion?.category ?? null;
}

/** Where to look the request up: picked/clicked/caller coordinates first, else the typed address. */
export function placeOf(draft: TriageDraft): PlaceInput | null {
  if (draft.place) return { lng: draft.place.lng, lat: draft.place.lat, crs: 'wgs84' };
  const address = draft.address.trim();
  return address ? { address: address.slice(0, 300) } : null;
}

export const placeKey = (p: PlaceInput | null): string => (p ? JSON.stringify(p) : '');

/** Why a proposal has two departments, for the agent's eyes. */
export type DoubleReason = 'lowConfidence' | 'jointMatrix' | null;

export interface Proposal {
  departments: DepartmentProposal[];
  double: DoubleReason;
}

/**
 * The proposed department(s): the matrix owner(s) of the category at the place; when the classifier
 * is unsure (and the agent did not choose a category), the owner of the runner-up category joins,
 * as the core's double dispatch will do.
 */
export function proposalOf(
  route: RouteAnswer | null,
  altRoute: RouteAnswer | null,
  suggestion: ClassifySuggestion | null,
  categoryOverridden: boolean,
): Proposal {
  const main = route?.departments ?? [];
  if (main.length >= 2) return { departments: main.slice(0, 2), double: 'jointMatrix' };
  const unsure = !!suggestion?.lowConfidence && !categoryOverridden;
  if (unsure && main.length === 1 && altRoute) {
    const second = altRoute.departments.find((d) => d.departmentId !== main[0]!.departmentId);
    if (second) return { departments: [main[0]!, second], double: 'lowConfidence' };
  }
  return { departments: main.slice(0, 1), double: null };
}

/**
 * The words that drove the classification, as runs of the text: `[text, hit]` pairs in order, hit
 * true where one of the words occurs (longest words win where they overlap).
 */
export function highlightRuns(text: string, words: readonly string[]): [string, boolean][] {
  const clean = [...new Set(words.filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  if (!clean.length || !text) return text ? [[text, false]] : [];
  const marked = new Array<boolean>(text.length).fill(false);
  for (const w of clean) {
    let at = text.indexOf(w);
    while (at >= 0) {
      for (let i = at; i < at + w.length; i++) marked[i] = true;
      at = text.indexOf(w, at + w.length);
    }
  }
  const runs: [string, boolean][] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      runs.push([text.slice(start, i), marked[start]!]);
      start = i;
    }
  }
  return runs;
}

/** What the dispatch keystroke sends; null with the reason when it cannot be sent yet. */
export function submitParams(
  draft: TriageDraft,
  suggestion: ClassifySuggestion | null,
): { params: SubmitCallParams } | { missing: 'text' | 'tooLong' } {
  const text = draft.text.trim();
  if (!text) return { missing: 'text' };
  if (text.length > 5000) return { missing: 'tooLong' };
  const params: SubmitCallParams = {
    text,
    channel: draft.channel,
    caller: {
      name: draft.callerName.trim() || null,
      phone: draft.phoneMasked ? null : draft.callerPhone.trim() || null,
    },
    place: placeOf(draft),
  };
  if (draft.incomingId) params.incomingId = draft.incomingId;
  // An override only when it differs from what was suggested.
  if (draft.category && draft.category !== suggestion?.category) params.category = draft.category;
  if (draft.departmentIds?.length) params.departmentIds = draft.departmentIds.slice(0, 2);
  if (draft.duplicateOf) params.duplicateOf = draft.duplicateOf;
  return { params };
}

/** Masks a typed phone number the way the core shows them (138****5678). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return digits;
  return `${digits.slice(0, 3)}${'*'.repeat(Math.max(1, digits.length - 7))}${digits.slice(-4)}`;
}

/** Today's figures of the KPI (its days are the site's calendar days, `YYYY-MM-DD`), or null. */
export function dayFigures(kpi: HotlineKpi | null, day: string): HotlineKpi['byDay'][number] | null {
  return kpi?.byDay.find((d) => d.day === day) ?? null;
}
