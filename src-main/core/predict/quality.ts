import {
  type PredictionRecord,
  type QualityFigures,
  QualityFilter,
  type QualityReport,
} from '@shared/contract';

/**
 * Prediction quality: how many preventive tickets were right, how many failures were caught in
 * time, and how early. A pure function of the records, the actual failures and the ticket counts,
 * so the hub's quality view, the evaluation command and the tests compute the same figures.
 * All times here are telemetry time (see docs/predictive-eval.md, which carries these definitions).
 *
 * Definitions
 * - A prediction *covers* a failure of the same device when the failure comes after the
 *   prediction's `firstObservedAt` and no later than `predictedFailureAt + toleranceHours`
 *   (default 48 h), or, when the prediction names no failure time, within `windowHours` (default
 *   72 h) of `firstObservedAt`.
 * - Verdict of a prediction, first rule that applies:
 *   1. outcome fault-confirmed → true positive;
 *   2. it covers a failure → true positive (the device's actual failure outweighs a
 *      no-fault-found written before it);
 *   3. (evaluation oracle) the device was truly degrading at `firstObservedAt` and a failure of
 *      it is known after that instant → true positive;
 *   4. outcome no-fault-found → false positive;
 *   5. (evaluation oracle) the device was not degrading at `firstObservedAt` → false positive;
 *   6. the cover period has ended by `asOf` with no failure → false positive, whatever the
 *      ticket's state (risk-cleared, closed, or still open: a prediction whose time has passed
 *      without the failure was a false alarm);
 *   7. otherwise pending (excluded from precision).
 * - Precision = TP / (TP + FP). False-alarm rate = FP / (TP + FP), i.e. the false discovery rate
 *   (not the false-positive rate over healthy devices, which would need the count of negatives).
 * - A failure is *predicted* when a prediction covering it opened at least `minLeadHours`
 *   before it. Recall = predicted failures / failures. Lead time = failure − `firstObservedAt` of
 *   the earliest covering prediction; the median and p10 are over predicted failures (linear
 *   interpolation between order statistics).
 * - Preventive share = preventive tickets / all tickets created in the period (given by the caller).
 * - Failure reports of one device within {@link DUPLICATE_FAILURE_HOURS} of each other (the ground
 *   truth and a fault ticket for the same outage) count as one failure, at the earliest time.
 */

export const DEFAULT_TOLERANCE_HOURS = 48;
export const DEFAULT_WINDOW_HOURS = 72;
export const QUALITY_TIMEZONE = 'Asia/Shanghai';
/** Failure reports of one device this close together are one failure. */
export const DUPLICATE_FAILURE_HOURS = 6;

const HOUR_MS = 3_600_000;

export interface FailureEvent {
  sn: string;
  deviceKind: string;
  /** Telemetry time, epoch ms. */
  at: number;
  source: 'ground-truth' | 'fault-ticket';
}

export interface QualityInput {
  records: readonly PredictionRecord[];
  failures: readonly FailureEvent[];
  /** Every ticket created in the period (preventive, reactive, any other type). */
  ticketsTotal: number;
  /** Preventive tickets created in the period. */
  preventiveTickets: number;
  /** Per device kind, for the per-kind preventive share; a kind without an entry gets null. */
  ticketsByKind?: Record<string, { total: number; preventive: number }>;
  /** Evaluation only: the simulator's ground truth — was the device degrading at that instant? */
  degrading?: (sn: string, atMs: number) => boolean;
  toleranceHours?: number;
  windowHours?: number;
  /**
   * Failures before this instant (ms) still decide verdicts of predictions but do not count
   * towards recall and lead time (the evaluation's warm-up: no history to predict them from).
   */
  recallFrom?: number;
  /** IANA zone of the `daily` days. */
  timezone?: string;
}

type Verdict = QualityReport['items'][number]['verdict'];

interface Pred {
  record: PredictionRecord;
  model: string;
  first: number;
  coverEnd: number;
  verdict: Exclude<Verdict, 'missed'>;
  failureAt: number | null;
}

interface Fail {
  event: FailureEvent;
  counted: boolean;
  /** Earliest covering prediction opened at least minLeadHours before. */
  by: Pred | null;
  lead: number | null;
}

/** `modelId@modelVersion`: two models may share a version string. */
export function modelKey(r: Pick<PredictionRecord, 'modelId' | 'modelVersion'>): string {
  return `${r.modelId}@${r.modelVersion}`;
}

function parseTime(iso: string, what: string): number {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) throw new RangeError(`${what} is not an ISO time: ${JSON.stringify(iso)}`);
  return t;
}

/** Linear interpolation between order statistics (R type 7); null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

function dayFormatter(timezone: string): (ms: number) => string {
  // en-CA formats dates as YYYY-MM-DD.
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => f.format(new Date(ms));
}

function figures(preds: readonly Pred[], fails: readonly Fail[], share: number | null): QualityFigures {
  const tp = preds.filter((p) => p.verdict === 'true-positive').length;
  const fp = preds.filter((p) => p.verdict === 'false-positive').length;
  const counted = fails.filter((f) => f.counted);
  const predicted = counted.filter((f) => f.by !== null);
  const leads = predicted.map((f) => f.lead!);
  return {
    predictions: preds.length,
    truePositives: tp,
    falsePositives: fp,
    pending: preds.length - tp - fp,
    failures: counted.length,
    predictedFailures: predicted.length,
    precision: ratio(tp, tp + fp),
    recall: ratio(predicted.length, counted.length),
    falseAlarmRate: ratio(fp, tp + fp),
    medianLeadHours: quantile(leads, 0.5),
    p10LeadHours: quantile(leads, 0.1),
    preventiveShare: share,
  };
}

/**
 * The quality report for `filter` as of `nowIso` (telemetry time: cover periods that end after it
 * are still open). Throws a RangeError or a ZodError on malformed input; never guesses.
 */
export function qualityReport(
  input: QualityInput,
  filterInput: QualityFilter,
  nowIso: string,
): QualityReport {
  const filter = QualityFilter.parse(filterInput);
  const asOf = parseTime(nowIso, 'asOf');
  const tolerance = (input.toleranceHours ?? DEFAULT_TOLERANCE_HOURS) * HOUR_MS;
  const window = (input.windowHours ?? DEFAULT_WINDOW_HOURS) * HOUR_MS;
  if (!(tolerance >= 0) || !(window > 0))
    throw new RangeError('toleranceHours must be ≥ 0 and windowHours > 0');
  const minLead = filter.minLeadHours * HOUR_MS;
  const from = filter.from === undefined ? -Infinity : parseTime(filter.from, 'filter.from');
  const to = filter.to === undefined ? Infinity : parseTime(filter.to, 'filter.to');
  const recallFrom = input.recallFrom ?? -Infinity;
  const dayOf = dayFormatter(input.timezone ?? QUALITY_TIMEZONE);
  const { degrading } = input;

  // A failure the service matched to a record but the caller did not list is still a failure.
  const raw: FailureEvent[] = [];
  for (const f of input.failures) {
    if (!Number.isFinite(f.at)) throw new RangeError(`failure of ${f.sn} has no valid time`);
    raw.push(f);
  }
  for (const r of input.records)
    if (r.failure)
      raw.push({
        sn: r.sn,
        deviceKind: r.deviceKind,
        at: parseTime(r.failure.at, `failure time of ${r.ticketNumber}`),
        source: r.failure.source,
      });
  // One outage is often reported twice (the simulator's ground truth and the fault ticket opened
  // for it, a little later): reports of a device within DUPLICATE_FAILURE_HOURS are one failure.
  raw.sort((a, b) => a.at - b.at);
  const failureList: FailureEvent[] = [];
  const lastKept = new Map<string, number>();
  for (const f of raw) {
    const last = lastKept.get(f.sn);
    if (last !== undefined && f.at - last <= DUPLICATE_FAILURE_HOURS * HOUR_MS) continue;
    lastKept.set(f.sn, f.at);
    failureList.push(f);
  }
  const failuresBySn = new Map<string, number[]>();
  for (const f of failureList) {
    const list = failuresBySn.get(f.sn) ?? [];
    list.push(f.at);
    failuresBySn.set(f.sn, list);
  }
  for (const list of failuresBySn.values()) list.sort((a, b) => a - b);

  const versionMatches = (r: PredictionRecord): boolean =>
    filter.modelVersion === undefined ||
    filter.modelVersion === r.modelVersion ||
    filter.modelVersion === modelKey(r);

  const preds: Pred[] = [];
  for (const record of input.records) {
    const first = parseTime(record.firstObservedAt, `firstObservedAt of ${record.ticketNumber}`);
    if (first < from || first > to) continue;
    if (filter.deviceKind !== undefined && record.deviceKind !== filter.deviceKind) continue;
    if (!versionMatches(record)) continue;
    const predicted =
      record.predictedFailureAt === null
        ? null
        : parseTime(record.predictedFailureAt, `predictedFailureAt of ${record.ticketNumber}`);
    const coverEnd = predicted === null ? first + window : Math.max(first, predicted) + tolerance;
    const fails = failuresBySn.get(record.sn) ?? [];
    const covered = fails.find((at) => at > first && at <= coverEnd) ?? null;
    const later = fails.find((at) => at > first) ?? null;
    let verdict: Pred['verdict'];
    let failureAt: number | null = covered;
    if (record.outcome === 'fault-confirmed' || covered !== null) verdict = 'true-positive';
    else if (degrading && later !== null && degrading(record.sn, first)) {
      verdict = 'true-positive';
      failureAt = later;
    } else if (record.outcome === 'no-fault-found') verdict = 'false-positive';
    else if (degrading && !degrading(record.sn, first)) verdict = 'false-positive';
    else if (coverEnd < asOf) verdict = 'false-positive';
    else verdict = 'pending';
    preds.push({ record, model: modelKey(record), first, coverEnd, verdict, failureAt });
  }
  const predsBySn = new Map<string, Pred[]>();
  for (const p of preds) {
    const list = predsBySn.get(p.record.sn) ?? [];
    list.push(p);
    predsBySn.set(p.record.sn, list);
  }

  const fails: Fail[] = [];
  for (const event of failureList) {
    if (event.at < from || event.at > to) continue;
    if (filter.deviceKind !== undefined && event.deviceKind !== filter.deviceKind) continue;
    let by: Pred | null = null;
    for (const p of predsBySn.get(event.sn) ?? []) {
      if (!(event.at > p.first && event.at <= p.coverEnd && event.at - p.first >= minLead)) continue;
      if (by === null || p.first < by.first) by = p;
    }
    fails.push({
      event,
      counted: event.at >= recallFrom,
      by,
      lead: by ? (event.at - by.first) / HOUR_MS : null,
    });
  }
  fails.sort((a, b) => a.event.at - b.event.at || a.event.sn.localeCompare(b.event.sn));

  const shareOf = (kind: string | undefined): number | null => {
    if (kind === undefined) return ratio(input.preventiveTickets, input.ticketsTotal);
    const k = input.ticketsByKind?.[kind];
    return k ? ratio(k.preventive, k.total) : null;
  };

  const kinds = [
    ...new Set([...preds.map((p) => p.record.deviceKind), ...fails.map((f) => f.event.deviceKind)]),
  ].sort();
  const byKind = kinds.map((deviceKind) => ({
    deviceKind,
    figures: figures(
      preds.filter((p) => p.record.deviceKind === deviceKind),
      fails.filter((f) => f.event.deviceKind === deviceKind),
      shareOf(deviceKind),
    ),
  }));

  // Per model: its own predictions against the failures of the kinds it scores; a failure counts
  // as predicted only by a prediction of that model.
  const models = [...new Set(preds.map((p) => p.model))].sort();
  const byModel = models.map((model) => {
    const own = preds.filter((p) => p.model === model);
    const ownKinds = new Set(own.map((p) => p.record.deviceKind));
    const ownSet = new Set(own);
    const ownFails = fails
      .filter((f) => ownKinds.has(f.event.deviceKind))
      .map((f): Fail => {
        let by: Pred | null = null;
        for (const p of predsBySn.get(f.event.sn) ?? []) {
          if (!ownSet.has(p)) continue;
          if (!(f.event.at > p.first && f.event.at <= p.coverEnd && f.event.at - p.first >= minLead))
            continue;
          if (by === null || p.first < by.first) by = p;
        }
        return { ...f, by, lead: by ? (f.event.at - by.first) / HOUR_MS : null };
      });
    return { modelVersion: model, figures: figures(own, ownFails, null) };
  });

  const daily = new Map<string, QualityReport['daily'][number]>();
  const dayRow = (ms: number): QualityReport['daily'][number] => {
    const day = dayOf(ms);
    let row = daily.get(day);
    if (!row) {
      row = { day, predictions: 0, truePositives: 0, falsePositives: 0, failures: 0, missed: 0 };
      daily.set(day, row);
    }
    return row;
  };
  for (const p of preds) {
    const row = dayRow(p.first);
    row.predictions++;
    if (p.verdict === 'true-positive') row.truePositives++;
    if (p.verdict === 'false-positive') row.falsePositives++;
  }
  for (const f of fails) {
    if (!f.counted) continue;
    const row = dayRow(f.event.at);
    row.failures++;
    if (f.by === null) row.missed++;
  }

  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  const items: QualityReport['items'] = [
    ...preds
      .slice()
      .sort((a, b) => a.first - b.first || a.record.sn.localeCompare(b.record.sn))
      .map((p) => ({
        ticketId: p.record.ticketId,
        ticketNumber: p.record.ticketNumber,
        sn: p.record.sn,
        deviceKind: p.record.deviceKind,
        modelVersion: p.model,
        verdict: p.verdict,
        observedAt: p.record.firstObservedAt,
        failureAt: iso(p.failureAt),
        leadHours: p.failureAt === null ? null : (p.failureAt - p.first) / HOUR_MS,
      })),
    ...fails
      .filter((f) => f.counted && f.by === null)
      .map((f) => ({
        ticketId: null,
        ticketNumber: null,
        sn: f.event.sn,
        deviceKind: f.event.deviceKind,
        modelVersion: null,
        verdict: 'missed' as const,
        observedAt: null,
        failureAt: iso(f.event.at),
        leadHours: null,
      })),
  ];

  return {
    asOf: new Date(asOf).toISOString(),
    overall: figures(preds, fails, shareOf(filter.deviceKind)),
    byKind,
    byModel,
    leadHours: fails
      .filter((f) => f.counted && f.lead !== null)
      .map((f) => f.lead!)
      .sort((a, b) => a - b),
    daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)),
    items,
  };
}
