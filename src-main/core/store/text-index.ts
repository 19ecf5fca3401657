/**
 * SQLite's FTS "simple" tokenizer splits only on ASCII separators, so Chinese text would become one
 * token per run. We index overlapping CJK bigrams (plus each run's last character so single-character
 * queries still match) and lower-cased ASCII words; a query becomes a phrase of the same bigrams,
 * which matches exactly where the query's characters appear contiguously.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Runs of CJK characters, or of other letters and digits; a change of script ends a run ("3号线" → "3", "号线"). */
const RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|(?:(?![\u3400-\u9fff\uf900-\ufaff])[\p{L}\p{N}])+/gu;

function tokensOfRun(run: string, forQuery: boolean): string[] {
  if (!CJK.test(run[0]!)) return [run.toLowerCase()];
  const chars = [...run];
  if (chars.length === 1) return [chars[0]!];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  if (!forQuery) out.push(chars[chars.length - 1]!);
  return out;
}

export function indexText(...parts: (string | null | undefined)[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (!part) continue;
    for (const m of part.matchAll(RUNS)) out.push(...tokensOfRun(m[0], false));
  }
  return out.join(' ');
}

/**
 * FTS MATCH expression for a free-text query: every run must match (AND), each run as a phrase of
 * its tokens; the last ASCII word is a prefix so typing narrows as you go. Returns null when the
 * query has nothing searchable.
 */
export function matchExpression(query: string): string | null {
  const runs = [...query.matchAll(RUNS)].map((m) => m[0]);
  if (runs.length === 0) return null;
  const clauses = runs.map((run, i) => {
    const tokens = tokensOfRun(run, true);
    const isLast = i === runs.length - 1;
    const cjk = CJK.test(run[0]!);
    if (tokens.length === 1 && (cjk || isLast)) return `${tokens[0]}*`;
    return `"${tokens.join(' ')}"`;
  });
  return clauses.join(' ');
}
