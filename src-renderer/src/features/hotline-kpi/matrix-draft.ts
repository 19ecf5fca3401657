import type { HotlineKpi, MatrixRow, ResponsibilityMatrix } from '@shared/contract';

/**
 * The responsibility-matrix editor's draft: rows as the form holds them (text fields, '' for "any
 * place"), the threshold as typed, and the pure steps between it and the contract's rows.
 */
export interface DraftRow {
  id: string;
  category: string;
  district: string;
  street: string;
  cellId: string;
  dept1: string;
  dept2: string;
  note: string;
}

export interface MatrixDraft {
  /** The matrix version the draft was started from (saved against it). */
  baseVersion: number;
  rows: DraftRow[];
  threshold: string;
}

export function draftOf(m: ResponsibilityMatrix): MatrixDraft {
  return {
    baseVersion: m.version,
    threshold: String(m.doubleDispatchBelow),
    rows: m.rows.map((r) => ({
      id: r.id,
      category: r.category,
      district: r.district ?? '',
      street: r.street ?? '',
      cellId: r.cellId ?? '',
      dept1: r.departmentIds[0] ?? '',
      dept2: r.departmentIds[1] ?? '',
      note: r.note,
    })),
  };
}

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

export function rowsOf(draft: MatrixDraft): MatrixRow[] {
  return draft.rows.map((r) => ({
    id: r.id,
    category: r.category.trim(),
    district: orNull(r.district),
    street: orNull(r.street),
    cellId: orNull(r.cellId),
    departmentIds: [r.dept1, r.dept2].map((d) => d.trim()).filter((d, i, a) => d && a.indexOf(d) === i),
    note: r.note.trim(),
  }));
}

/** The threshold as a number in [0, 1], or null when the typed text is not one. */
export function thresholdOf(draft: MatrixDraft): number | null {
  const v = Number(draft.threshold);
  return draft.threshold.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1 ? v : null;
}

export function isDirty(draft: MatrixDraft | null, m: ResponsibilityMatrix | null): boolean {
  if (!draft || !m) return false;
  return (
    JSON.stringify(draft.rows) !== JSON.stringify(draftOf(m).rows) ||
    thresholdOf(draft) !== m.doubleDispatchBelow
  );
}

/** A fresh row id not used by the draft (`r-<n>`). */
export function newRowId(rows: readonly DraftRow[]): string {
  const used = new Set(rows.map((r) => r.id));
  let n = rows.length + 1;
  while (used.has(`r-${n}`)) n++;
  return `r-${n}`;
}

export function emptyRow(rows: readonly DraftRow[]): DraftRow {
  return {
    id: newRowId(rows),
    category: '',
    district: '',
    street: '',
    cellId: '',
    dept1: '',
    dept2: '',
    note: '',
  };
}

/** A row for a KPI suggestion (category at a district → the department the misroutes ended at). */
export function rowFromSuggestion(
  rows: readonly DraftRow[],
  s: HotlineKpi['matrixSuggestions'][number],
  note: string,
): DraftRow {
  return { ...emptyRow(rows), category: s.category, district: s.district ?? '', dept1: s.departmentId, note };
}

/**
 * What a row must have before it is sent (the server checks the rest): a category and a department.
 * Keys are `rows.<i>.<field>` like the server's issues.
 */
export function localIssues(draft: MatrixDraft): Record<string, string> {
  const out: Record<string, string> = {};
  draft.rows.forEach((r, i) => {
    if (!r.category.trim()) out[`rows.${i}.category`] = 'required';
    if (!r.dept1.trim() && !r.dept2.trim()) out[`rows.${i}.departmentIds`] = 'required';
  });
  if (thresholdOf(draft) === null) out.doubleDispatchBelow = '0–1';
  return out;
}
