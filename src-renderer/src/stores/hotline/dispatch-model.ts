import type { DispatchState } from '@shared/contract';

/**
 * What the drawer's 派单 section can do with a citizen request's dispatch, decided from the
 * dispatch state alone (the hub applies the same rules and refuses the rest).
 */

/** The department the request is with now: the owner, or the only pending one; null during a double dispatch. */
export function currentDepartment(dispatch: DispatchState): string | null {
  if (dispatch.owner) return dispatch.owner;
  const pending = dispatch.departments.filter((d) => d.state === 'pending');
  return pending.length === 1 ? pending[0]!.departmentId : null;
}

/** The departments that may still accept: those pending while two are pending and none owns it. */
export function acceptableDepartments(dispatch: DispatchState): string[] {
  if (dispatch.owner) return [];
  const pending = dispatch.departments.filter((d) => d.state === 'pending').map((d) => d.departmentId);
  return pending.length > 1 ? pending : [];
}

/**
 * Where the request can be reassigned to: every department of the directory but the one it is
 * with (and, while it is double-dispatched, both pending ones: those accept instead).
 */
export function reassignTargets<D extends { id: string }>(
  dispatch: DispatchState,
  departments: readonly D[],
): D[] {
  const excluded = new Set<string>();
  if (dispatch.owner) excluded.add(dispatch.owner);
  else for (const d of dispatch.departments) if (d.state === 'pending') excluded.add(d.departmentId);
  return departments.filter((d) => !excluded.has(d.id));
}

export interface ReassignDraft {
  departmentId: string;
  reason: string;
  category: string;
}

export type ReassignProblem = 'departmentRequired' | 'reasonRequired' | 'reasonTooLong' | 'categoryUnknown';

/**
 * The dialog's own checks before anything is sent: a department, a reason of at most 500
 * characters, and a corrected category (optional) that is one of the taxonomy's leaf paths.
 */
export function validateReassign(
  draft: ReassignDraft,
  leafPaths: readonly string[],
): Partial<Record<keyof ReassignDraft, ReassignProblem>> {
  const out: Partial<Record<keyof ReassignDraft, ReassignProblem>> = {};
  if (!draft.departmentId) out.departmentId = 'departmentRequired';
  const reason = draft.reason.trim();
  if (!reason) out.reason = 'reasonRequired';
  else if (reason.length > 500) out.reason = 'reasonTooLong';
  const category = draft.category.trim();
  if (category && !leafPaths.includes(category)) out.category = 'categoryUnknown';
  return out;
}

export interface SearchableLeaf {
  path: string;
  pathEn?: string;
  keywords?: readonly string[];
}

/**
 * The taxonomy leaves matching every space-separated word of the query (case-insensitive) in the
 * Chinese path, the English path or the keywords; a match in the leaf's own name ranks first.
 */
export function searchLeaves<L extends SearchableLeaf>(leaves: readonly L[], query: string, limit = 50): L[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return leaves.slice(0, limit);
  const scored: { leaf: L; order: number; rank: number }[] = [];
  leaves.forEach((leaf, order) => {
    const text = [leaf.path, leaf.pathEn ?? '', ...(leaf.keywords ?? [])].join(' ').toLowerCase();
    if (!words.every((w) => text.includes(w))) return;
    const name = leaf.path.slice(leaf.path.lastIndexOf('/') + 1).toLowerCase();
    scored.push({ leaf, order, rank: words.every((w) => name.includes(w)) ? 0 : 1 });
  });
  return scored
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map((x) => x.leaf);
}
