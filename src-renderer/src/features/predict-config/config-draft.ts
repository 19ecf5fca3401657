import { PredictConfig, type PredictConfigSet } from '@shared/contract';

/**
 * The editable part of the predictive configuration (dispatch weights, travel model, weather
 * source) as a form draft, the checks that mirror the server's, the mapping of the server's issue
 * paths onto the form, and the JSON import. Pure, so the page and the tests share one truth.
 */

export const WEIGHT_KEYS = ['arrival', 'cost', 'slaRisk', 'customerPriority'] as const;
export type WeightKey = (typeof WEIGHT_KEYS)[number];
export const TRAVEL_KEYS = ['speedKmh', 'detourFactor', 'costPerKmYuan'] as const;
export type TravelKey = (typeof TRAVEL_KEYS)[number];
export type NumericField = WeightKey | TravelKey;
export const NUMERIC_KEYS: readonly NumericField[] = [...WEIGHT_KEYS, ...TRAVEL_KEYS];

/** Bounds of the contract (`predict-config.ts`); `above` is an exclusive lower bound. */
export const NUMERIC_FIELDS: Record<
  NumericField,
  { min: number; max: number | null; above?: boolean; step: number; path: string }
> = {
  arrival: { min: 0, max: 1, step: 0.05, path: 'dispatch.weights.arrival' },
  cost: { min: 0, max: 1, step: 0.05, path: 'dispatch.weights.cost' },
  slaRisk: { min: 0, max: 1, step: 0.05, path: 'dispatch.weights.slaRisk' },
  customerPriority: { min: 0, max: 1, step: 0.05, path: 'dispatch.weights.customerPriority' },
  speedKmh: { min: 0, max: 200, above: true, step: 1, path: 'dispatch.travel.speedKmh' },
  detourFactor: { min: 1, max: 3, step: 0.05, path: 'dispatch.travel.detourFactor' },
  costPerKmYuan: { min: 0, max: null, step: 0.1, path: 'dispatch.travel.costPerKmYuan' },
};

/** Every place on the form a problem can be shown: the numbers, the weights as a group, the URL. */
export type DraftField = NumericField | 'weights' | 'weatherUrl';

/** Config-relative paths (the server's issues carry them with a `config.` prefix). */
export const FIELD_PATHS: Record<DraftField, string> = {
  ...(Object.fromEntries(NUMERIC_KEYS.map((k) => [k, NUMERIC_FIELDS[k].path])) as Record<
    NumericField,
    string
  >),
  weights: 'dispatch.weights',
  weatherUrl: 'weather.url',
};

/** The form's state: numbers as typed, so a half-typed value is neither lost nor coerced. */
export interface ConfigDraft {
  values: Record<NumericField, string>;
  /** Empty: no weather context. */
  weatherUrl: string;
}

export type DraftProblem =
  | { kind: 'number' }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'min'; min: number }
  | { kind: 'above'; min: number; max: number }
  | { kind: 'weightsZero' }
  | { kind: 'urlPlaceholders' }
  | { kind: 'urlScheme' }
  | { kind: 'urlLength' };

export interface ConfigIssue {
  path: string;
  message: string;
}

export function draftOf(config: PredictConfig): ConfigDraft {
  const { weights, travel } = config.dispatch;
  return {
    values: {
      arrival: String(weights.arrival),
      cost: String(weights.cost),
      slaRisk: String(weights.slaRisk),
      customerPriority: String(weights.customerPriority),
      speedKmh: String(travel.speedKmh),
      detourFactor: String(travel.detourFactor),
      costPerKmYuan: String(travel.costPerKmYuan),
    },
    weatherUrl: config.weather.url ?? '',
  };
}

const parseNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** The problem of a weather URL as the server sees it (null: fine; an empty URL means none). */
export function urlProblem(url: string | null): DraftProblem | null {
  if (url === null || url.trim() === '') return null;
  if (url.length > 500) return { kind: 'urlLength' };
  if (!url.includes('{lat}') || !url.includes('{lng}')) return { kind: 'urlPlaceholders' };
  if (!/^https?:\/\//.test(url.trim())) return { kind: 'urlScheme' };
  return null;
}

/** Field → problem; empty when the draft makes a configuration the server accepts (as far as it goes). */
export function validateDraft(draft: ConfigDraft): Partial<Record<DraftField, DraftProblem>> {
  const out: Partial<Record<DraftField, DraftProblem>> = {};
  const num: Partial<Record<NumericField, number>> = {};
  for (const k of NUMERIC_KEYS) {
    const spec = NUMERIC_FIELDS[k];
    const v = parseNumber(draft.values[k]);
    if (!Number.isFinite(v)) out[k] = { kind: 'number' };
    else if (spec.above ? v <= spec.min : v < spec.min)
      out[k] =
        spec.max === null
          ? { kind: 'min', min: spec.min }
          : { kind: spec.above ? 'above' : 'range', min: spec.min, max: spec.max };
    else if (spec.max !== null && v > spec.max)
      out[k] = { kind: spec.above ? 'above' : 'range', min: spec.min, max: spec.max };
    else num[k] = v;
  }
  if (WEIGHT_KEYS.every((k) => num[k] !== undefined) && WEIGHT_KEYS.every((k) => num[k] === 0))
    out.weights = { kind: 'weightsZero' };
  const url = urlProblem(draft.weatherUrl);
  if (url) out.weatherUrl = url;
  return out;
}

/**
 * The whole configuration with the draft's values in place of `base`'s (call after
 * `validateDraft` found nothing); everything else is `base`'s, copied.
 */
export function applyDraft(base: PredictConfig, draft: ConfigDraft): PredictConfig {
  const n = (k: NumericField) => Number(draft.values[k]);
  const copy = structuredClone(base);
  copy.dispatch.weights = {
    arrival: n('arrival'),
    cost: n('cost'),
    slaRisk: n('slaRisk'),
    customerPriority: n('customerPriority'),
  };
  copy.dispatch.travel = {
    speedKmh: n('speedKmh'),
    detourFactor: n('detourFactor'),
    costPerKmYuan: n('costPerKmYuan'),
  };
  const url = draft.weatherUrl.trim();
  copy.weather = { ...copy.weather, url: url === '' ? null : url };
  return copy;
}

/** Fields whose value differs from `base` (an unparsable number counts as changed). */
export function changedFields(base: PredictConfig, draft: ConfigDraft): DraftField[] {
  const saved = draftOf(base);
  const out: DraftField[] = [];
  for (const k of NUMERIC_KEYS) {
    const v = parseNumber(draft.values[k]);
    if (!Number.isFinite(v) || v !== Number(saved.values[k])) out.push(k);
  }
  if (draft.weatherUrl.trim() !== saved.weatherUrl) out.push('weatherUrl');
  return out;
}

/**
 * The draft moved onto a newer configuration (after a reload): the fields edited against `from`
 * keep their edits, the others take `to`'s values, so saving does not undo someone else's change.
 */
export function rebaseDraft(from: PredictConfig, to: PredictConfig, draft: ConfigDraft): ConfigDraft {
  const edited = new Set(changedFields(from, draft));
  const fresh = draftOf(to);
  const values = { ...draft.values };
  for (const k of NUMERIC_KEYS) if (!edited.has(k)) values[k] = fresh.values[k];
  return { values, weatherUrl: edited.has('weatherUrl') ? draft.weatherUrl : fresh.weatherUrl };
}

/** Top-level sections that differ, in the configuration's order (as the server records them). */
export function changedSections(before: PredictConfig, after: PredictConfig): (keyof PredictConfig)[] {
  const keys = Object.keys(after) as (keyof PredictConfig)[];
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/**
 * Splits issues (server or import) into those the form shows beside a field and the rest. An
 * issue goes to the field with the longest path it equals or lies under; the `config.` prefix of
 * the RPC's parameter paths is dropped.
 */
export function splitIssues(issues: readonly ConfigIssue[]): {
  byField: Partial<Record<DraftField, string[]>>;
  rest: ConfigIssue[];
} {
  const byField: Partial<Record<DraftField, string[]>> = {};
  const rest: ConfigIssue[] = [];
  const fields = (Object.keys(FIELD_PATHS) as DraftField[]).sort(
    (a, b) => FIELD_PATHS[b].length - FIELD_PATHS[a].length,
  );
  for (const issue of issues) {
    const path = issue.path.replace(/^config\./, '');
    const field = fields.find((f) => path === FIELD_PATHS[f] || path.startsWith(`${FIELD_PATHS[f]}.`));
    if (field) (byField[field] ??= []).push(issue.message);
    else rest.push(issue);
  }
  return { byField, rest };
}

/** The issues of an INVALID_ARGUMENT error's details (anything else: none). */
export function issuesOf(details: unknown): ConfigIssue[] {
  const list = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(list)) return [];
  return list
    .filter((i): i is { path: unknown; message: unknown } => !!i && typeof i === 'object' && 'message' in i)
    .map((i) => ({ path: typeof i.path === 'string' ? i.path : '', message: String(i.message) }));
}

/** The checks the server makes that need nothing but the document itself (not the references). */
export function localIssues(config: PredictConfig): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const w = config.dispatch.weights;
  if (w.arrival + w.cost + w.slaRisk + w.customerPriority <= 0)
    out.push({ path: 'config.dispatch.weights', message: 'at least one weight must be above 0' });
  const url = urlProblem(config.weather.url);
  if (url?.kind === 'urlPlaceholders')
    out.push({ path: 'config.weather.url', message: 'must contain {lat} and {lng}' });
  else if (url?.kind === 'urlScheme')
    out.push({ path: 'config.weather.url', message: 'must be an http or https URL' });
  return out;
}

export type ImportResult = { ok: true; config: PredictConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Reads an imported file: a configuration as exported, or an object holding one under `config`
 * (a saved `predict/config` answer). Not JSON, not the contract's shape, or failing the local
 * checks: the issues with their paths, and no configuration.
 */
export function parseImport(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      issues: [{ path: '(file)', message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }],
    };
  }
  const doc =
    data && typeof data === 'object' && !Array.isArray(data) && 'config' in data && !('dispatch' in data)
      ? (data as { config: unknown }).config
      : data;
  const parsed = PredictConfig.safeParse(doc);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: ['config', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    };
  }
  const issues = localIssues(parsed.data);
  return issues.length ? { ok: false, issues } : { ok: true, config: parsed.data };
}

/** The file the export writes: the configuration alone, readable, ending in a newline. */
export function exportText(set: PredictConfigSet): { name: string; text: string } {
  return {
    name: `predict-config-v${set.version}.json`,
    text: `${JSON.stringify(set.config, null, 2)}\n`,
  };
}

/** ISO weekdays as runs (`[1,2,3,4,5,7]` → `[[1,5],[7,7]]`), for a compact shift label. */
export function dayRuns(days: readonly number[]): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && d === last[1] + 1) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}
