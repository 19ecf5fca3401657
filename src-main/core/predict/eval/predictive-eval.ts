import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorSettings, type QualityReport, type TicketListResult } from '@shared/contract';
import { createCore, type Core } from '../../create-core';
import { registerFleet } from '../../demo/demo-fleet';
import { type Logger, silentLogger } from '../../ports';
import { type DegradationShares } from '../../simulator/degradation';
import { FLEET_KIND, fleetDeviceFields, generateFleet, MAX_FLEET_SIZE } from '../../simulator/fleet';
import { FleetSimulator } from '../../simulator/fleet-simulator';
import { type GroundTruth, readGroundTruth } from '../../simulator/ground-truth';
import { simulatorConnectorSettings } from '../../simulator/simulator-control';
import { FileStore } from '../../store/file-store';
import { type FailureEvent, qualityReport } from '../quality';

/**
 * The predictive evaluation: a fleet simulated time-compressed through the real pipeline — device
 * registry, MQTT connector mapping and ingest, feature windows, the health model, the predictive
 * policy and its preventive tickets — in a throw-away data folder, then scored against the
 * simulator's ground truth with the same `qualityReport` the hub's quality view uses.
 *
 * The core runs on telemetry time: its clock is the simulated instant, so tickets carry simulated
 * creation times and everything the core times (SLAs, offline detection) moves with the devices.
 * No MQTT broker is involved: payloads go straight into `core.telemetry.ingest` under the demo
 * simulator connector's own mapping, which is what the connector would have done with them.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PREVENTIVE_TYPE = 'preventive-maintenance';
const FAULT_TYPE = 'device-fault';
export const EVAL_CONNECTOR_ID = 'eval-simulator';
export const DEFAULT_EVAL_SIM_START = '2026-09-01T00:00:00.000Z';

/** The targets, for benchmarks and the command's summary. */
export const PREDICTIVE_TARGETS = { recall: 0.85, precision: 0.8, medianLeadHours: 6 } as const;

export interface PredictiveEvalProgress {
  simTime: string;
  /** Simulated days done, fractional. */
  day: number;
  days: number;
  fraction: number;
  messages: number;
  /** Real messages per second since the previous report. */
  messagesPerSecond: number;
  failures: number;
  preventiveTickets: number;
}

export interface PredictiveEvalOptions {
  /** Folder of the health models (`<model>/manifest.json`). */
  modelsDir: string;
  devices?: number;
  days?: number;
  seed?: number;
  /** Where the simulator's ground truth is written (JSON Lines); null: not written. */
  groundTruthFile?: string | null;
  /**
   * Upper bound on simulated seconds per real second. The default (a day a second) is faster than
   * the pipeline runs, so the run goes as fast as it can; a lower value paces it.
   */
  speed?: number;
  intervalSec?: number;
  warmupHours?: number;
  /** Simulated start (ISO); fixed by default so runs repeat. */
  simStart?: string;
  /** How much of the fleet degrades; default {@link evalShares} of `days`. */
  shares?: DegradationShares;
  minLeadHours?: number;
  /** Keep the core's data folder here instead of a temporary one (it must be new or empty). */
  dataDir?: string;
  onProgress?: (p: PredictiveEvalProgress) => void;
  logger?: Logger;
}

export interface PredictiveEvalResult {
  recall: number | null;
  precision: number | null;
  medianLeadHours: number | null;
  p10LeadHours: number | null;
  preventiveShare: number | null;
  /** Failures after the warm-up within the run: the recall denominator. */
  failures: number;
  /** Every ticket the run created (preventive and reactive). */
  tickets: number;
  preventiveTickets: number;
  reactiveTickets: number;
  predictedFailures: number;
  truePositives: number;
  falsePositives: number;
  pending: number;
  falseAlarmRate: number | null;
  /** Failures in the first `warmupHours`: reported, not in recall (no history to predict from). */
  warmupFailures: number;
  /** Planned failures after the run's end (their devices are degrading at the end). */
  laterFailures: number;
  devices: number;
  days: number;
  seed: number;
  simStart: string;
  simEnd: string;
  warmupHours: number;
  minLeadHours: number;
  intervalSec: number;
  messages: number;
  acceptedSamples: number;
  cycles: number;
  model: { id: string; version: string | null; state: string; error: string | null } | null;
  groundTruthFile: string | null;
  elapsedMs: number;
  report: QualityReport;
}

/**
 * Degradation shares that give about 100 failures in 7 days for 2,000 devices: 2.5 % already
 * degrading at the start (failing within 72 h), and onsets spread over all but the last day.
 */
export function evalShares(days: number): DegradationShares {
  const horizonDays = Math.max(1, days - 1);
  return { inProgress: 0.025, upcoming: (0.07 * horizonDays) / 6, horizonDays };
}

export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new EvalError(`${name} must be an integer from ${min} to ${max}, not ${v}`);
}

function checkNumber(name: string, v: number, min: number, max: number): void {
  if (!Number.isFinite(v) || v < min || v > max)
    throw new EvalError(`${name} must be a number from ${min} to ${max}, not ${v}`);
}

/** The simulator's plan as an oracle: degrading from onset until the failure. */
export function groundTruthOracle(truth: GroundTruth): {
  degrading: (sn: string, at: number) => boolean;
  failures: FailureEvent[];
} {
  const bySn = new Map<string, { onset: number; failureAt: number }[]>();
  const failures: FailureEvent[] = [];
  for (const e of truth.entries) {
    const onset = Date.parse(e.onset);
    const failureAt = Date.parse(e.failureAt);
    const list = bySn.get(e.sn) ?? [];
    list.push({ onset, failureAt });
    bySn.set(e.sn, list);
    failures.push({ sn: e.sn, deviceKind: truth.header.kind, at: failureAt, source: 'ground-truth' });
  }
  return {
    degrading: (sn, at) => (bySn.get(sn) ?? []).some((d) => at >= d.onset && at < d.failureAt),
    failures,
  };
}

export interface TicketCounts {
  total: number;
  preventive: number;
  /** Device-fault tickets: the reactive ones. */
  fault: number;
}

/** Tickets created at or after `since` (ms), all, preventive and fault, read newest first. */
export async function countTicketsSince(core: Pick<Core, 'call'>, since: number): Promise<TicketCounts> {
  let total = 0;
  let preventive = 0;
  let fault = 0;
  for (let offset = 0; ; offset += 500) {
    const page = (await core.call('tickets/list', {
      sort: { field: 'createdAt', dir: 'desc' },
      offset,
      limit: 500,
    })) as TicketListResult;
    for (const t of page.items) {
      if (Date.parse(t.createdAt) < since) return { total, preventive, fault };
      total++;
      if (t.typeId === PREVENTIVE_TYPE) preventive++;
      if (t.typeId === FAULT_TYPE) fault++;
    }
    if (page.items.length < 500) return { total, preventive, fault };
  }
}

type SummaryKeys =
  | 'recall'
  | 'precision'
  | 'medianLeadHours'
  | 'p10LeadHours'
  | 'preventiveShare'
  | 'failures'
  | 'tickets'
  | 'preventiveTickets'
  | 'reactiveTickets'
  | 'predictedFailures'
  | 'truePositives'
  | 'falsePositives'
  | 'pending'
  | 'falseAlarmRate'
  | 'warmupFailures'
  | 'laterFailures'
  | 'warmupHours'
  | 'minLeadHours'
  | 'report';

function summarise(
  core: Core,
  truth: GroundTruth,
  start: number,
  end: number,
  warmupHours: number,
  minLeadHours: number,
  counts: TicketCounts,
): Pick<PredictiveEvalResult, SummaryKeys> {
  const oracle = groundTruthOracle(truth);
  const recallFrom = start + warmupHours * HOUR_MS;
  const report = qualityReport(
    {
      records: core.predict.allRecords(),
      // Every planned failure decides verdicts (a degrading device that fails after the run was
      // still rightly flagged); the `to` filter keeps later ones out of recall.
      failures: oracle.failures,
      ticketsTotal: counts.total,
      preventiveTickets: counts.preventive,
      degrading: oracle.degrading,
      recallFrom,
    },
    { from: new Date(start).toISOString(), to: new Date(end).toISOString(), minLeadHours },
    new Date(end).toISOString(),
  );
  const o = report.overall;
  return {
    recall: o.recall,
    precision: o.precision,
    medianLeadHours: o.medianLeadHours,
    p10LeadHours: o.p10LeadHours,
    preventiveShare: o.preventiveShare,
    failures: o.failures,
    tickets: counts.total,
    preventiveTickets: counts.preventive,
    reactiveTickets: counts.fault,
    predictedFailures: o.predictedFailures,
    truePositives: o.truePositives,
    falsePositives: o.falsePositives,
    pending: o.pending,
    falseAlarmRate: o.falseAlarmRate,
    warmupFailures: oracle.failures.filter((f) => f.at >= start && f.at < recallFrom).length,
    laterFailures: oracle.failures.filter((f) => f.at > end).length,
    warmupHours,
    minLeadHours,
    report,
  };
}

/** Runs the simulator through a fresh core and scores the preventive tickets it opened. */
export async function runPredictiveEval(options: PredictiveEvalOptions): Promise<PredictiveEvalResult> {
  const devices = options.devices ?? 2_000;
  const days = options.days ?? 7;
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 86_400;
  const intervalSec = options.intervalSec ?? 300;
  const warmupHours = options.warmupHours ?? 24;
  const minLeadHours = options.minLeadHours ?? 4;
  const logger = options.logger ?? silentLogger;
  checkInt('devices', devices, 1, MAX_FLEET_SIZE);
  checkNumber('days', days, 0.25, 60);
  checkInt('seed', seed, 0, 2 ** 31 - 1);
  checkNumber('speed', speed, 1, 10_000_000);
  checkInt('intervalSec', intervalSec, 10, 3_600);
  checkNumber('warmupHours', warmupHours, 0, days * 24);
  checkNumber('minLeadHours', minLeadHours, 0, 168);
  const start = Date.parse(options.simStart ?? DEFAULT_EVAL_SIM_START);
  if (!Number.isFinite(start)) throw new EvalError(`simStart is not an ISO time: ${options.simStart}`);
  const end = start + Math.round(days * DAY_MS);
  const shares = options.shares ?? evalShares(days);

  const started = Date.now();
  const tempDir = options.dataDir ? null : await mkdtemp(join(tmpdir(), 'watchfloor-eval-'));
  const dataDir = options.dataDir ?? join(tempDir!, 'data');
  let simNow = start;
  const clock = { now: () => simNow };
  let core: Core | null = null;
  try {
    const storage = await FileStore.open({ dir: dataDir, logger });
    try {
      core = await createCore({
        storage,
        host: 'node',
        version: 'eval',
        clock,
        logger,
        predict: { modelsDir: options.modelsDir, manualCycles: true },
      });
    } catch (err) {
      await storage.close().catch(() => undefined);
      throw err;
    }
    const status = core.predict.status();
    const model = status.models.find((m) => m.deviceKind === FLEET_KIND) ?? null;
    if (!model || model.state !== 'ready')
      throw new EvalError(
        model
          ? `the ${FLEET_KIND} model in ${options.modelsDir} is ${model.state}: ${model.error ?? 'no reason given'}`
          : `no ${FLEET_KIND} model in ${options.modelsDir}: the evaluation would measure rules only`,
      );

    const fleet = generateFleet({ count: devices, seed });
    await registerFleet(core, fleetDeviceFields(fleet));
    // The registry push to the pipeline is asynchronous after an import; make it current now.
    const registry = await core.storage.devices();
    core.telemetry.useRegistry(registry.version, registry.devices);
    core.telemetry.useConnectors([
      { id: EVAL_CONNECTOR_ID, settings: ConnectorSettings.parse(simulatorConnectorSettings()) },
    ]);

    let fakeReal = 0;
    let messages = 0;
    const liveCore = core;
    const simulator = new FleetSimulator({
      fleet,
      seed,
      speed,
      simStart: start,
      intervalSec,
      manual: true,
      now: () => fakeReal,
      batch: 10_000,
      // The pace is ours (manual pumps); the simulator must not thin samples out for it.
      maxMessagesPerSecond: devices * speed,
      shares,
      groundTruthFile: options.groundTruthFile ?? undefined,
      publish: (topic, payload) => {
        messages++;
        liveCore.telemetry.ingest(EVAL_CONNECTOR_ID, topic, payload, simNow);
      },
    });
    await simulator.start();
    const truth = simulator.groundTruth();
    const pendingFailures = truth.entries
      .map((e) => ({ sn: e.sn, at: Date.parse(e.failureAt) }))
      .filter((f) => f.at >= start)
      .sort((a, b) => a.at - b.at);
    const place = new Map(fleet.map((d) => [d.sn, d]));
    let nextFailure = 0;
    let reactive = 0;
    let cycles = 0;

    const stepMs = simulator.effectiveIntervalMs;
    let lastReport = { at: Date.now(), messages: 0 };
    const report = (force: boolean): void => {
      if (!options.onProgress) return;
      const now = Date.now();
      if (!force && now - lastReport.at < 1_000) return;
      const rate = ((messages - lastReport.messages) * 1000) / Math.max(1, now - lastReport.at);
      lastReport = { at: now, messages };
      options.onProgress({
        simTime: new Date(simNow).toISOString(),
        day: (simNow - start) / DAY_MS,
        days,
        fraction: (simNow - start) / (end - start),
        messages,
        messagesPerSecond: Math.round(rate),
        failures: nextFailure,
        preventiveTickets: liveCore.predict.allRecords().length,
      });
    };

    for (let t = start + stepMs; t <= end + stepMs - 1; t += stepMs) {
      simNow = Math.min(t, end);
      fakeReal = (simNow - start) / speed;
      await simulator.pump();
      const due: { sn: string; at: number }[] = [];
      while (nextFailure < pendingFailures.length && pendingFailures[nextFailure]!.at <= simNow)
        due.push(pendingFailures[nextFailure++]!);
      if (due.length > 0) {
        await liveCore.predict.recordFailures(due.map((f) => ({ ...f, source: 'ground-truth' as const })));
        const open = new Set(
          liveCore.predict
            .allRecords()
            .filter((r) => r.state === 'open')
            .map((r) => r.sn),
        );
        // A control room opens a fault ticket for an outage nobody saw coming.
        for (const f of due) {
          if (open.has(f.sn)) continue;
          const d = place.get(f.sn);
          await liveCore.call('tickets/create', {
            typeId: FAULT_TYPE,
            title: `${d?.metadata.label ?? ''}${f.sn} 停机离线 / offline`.slice(0, 200),
            source: 'mqtt',
            businessKeys: { deviceSn: f.sn },
            fields: { deviceKind: FLEET_KIND, ...(d && { siteName: d.site }) },
            location: d ? { lng: d.lng, lat: d.lat } : null,
            idempotencyKey: `eval-fault:${f.sn}:${f.at}`,
          });
          reactive++;
        }
      }
      cycles += await liveCore.predict.runDue();
      report(false);
      // Pace to `speed` when the pipeline runs faster than asked.
      const ahead = (simNow - start) / speed - (Date.now() - started);
      if (ahead > 5) await new Promise((r) => setTimeout(r, ahead));
    }
    await simulator.stop();
    report(true);

    const counts = await countTicketsSince(liveCore, start);
    const summary = summarise(liveCore, truth, start, end, warmupHours, minLeadHours, counts);
    const stats = liveCore.telemetry.stats();
    if (counts.fault !== reactive)
      logger.warn('fault tickets differ from the failures the evaluation reported', {
        counted: counts.fault,
        reactive,
      });
    return {
      ...summary,
      devices,
      days,
      seed,
      simStart: new Date(start).toISOString(),
      simEnd: new Date(end).toISOString(),
      intervalSec: stepMs / 1000,
      messages,
      acceptedSamples: stats.accepted,
      cycles,
      model: { id: model.id, version: model.version, state: model.state, error: model.error },
      groundTruthFile: options.groundTruthFile ?? null,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await core
      ?.close()
      .catch((err: unknown) => logger.warn('closing the evaluation core failed', { error: String(err) }));
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

export interface DataFolderEvalOptions {
  dataDir: string;
  groundTruthFile: string;
  warmupHours?: number;
  minLeadHours?: number;
  /** End of the evaluated period (telemetry time, ISO); default the latest telemetry time the folder knows. */
  until?: string;
  logger?: Logger;
}

/**
 * Scores the preventive tickets already in a data folder (a demo session) against the ground truth
 * of the simulator run that fed it, without simulating anything. The period starts at the ground
 * truth's simulated start; tickets are counted from that instant of wall-clock time (in demo mode
 * the simulator starts at the wall clock's minute, so the two agree at the start).
 */
export type DataFolderEvalResult = Pick<PredictiveEvalResult, SummaryKeys> &
  Pick<PredictiveEvalResult, 'devices' | 'simStart' | 'simEnd' | 'intervalSec' | 'groundTruthFile'>;

export async function evaluateDataFolder(options: DataFolderEvalOptions): Promise<DataFolderEvalResult> {
  const logger = options.logger ?? silentLogger;
  const warmupHours = options.warmupHours ?? 24;
  const minLeadHours = options.minLeadHours ?? 4;
  checkNumber('warmupHours', warmupHours, 0, 24 * 365);
  checkNumber('minLeadHours', minLeadHours, 0, 168);
  let truth: GroundTruth;
  try {
    truth = await readGroundTruth(options.groundTruthFile);
  } catch (err) {
    throw new EvalError(`cannot read the ground truth ${options.groundTruthFile}: ${(err as Error).message}`);
  }
  const start = Date.parse(truth.header.simStart);
  const storage = await FileStore.open({ dir: options.dataDir, logger });
  let core: Core;
  try {
    core = await createCore({
      storage,
      host: 'node',
      version: 'eval',
      logger,
      predict: { modelsDir: null, manualCycles: true },
    });
  } catch (err) {
    await storage.close().catch(() => undefined);
    throw err;
  }
  try {
    const records = core.predict.allRecords();
    let end: number;
    if (options.until !== undefined) {
      end = Date.parse(options.until);
      if (!Number.isFinite(end)) throw new EvalError(`--until is not an ISO time: ${options.until}`);
    } else {
      // The folder keeps no telemetry; the latest instant it saw is in its predictions and failures.
      end = start;
      for (const r of records) {
        end = Math.max(end, Date.parse(r.observedAt));
        for (const u of r.updates) end = Math.max(end, Date.parse(u.observedAt));
      }
      for (const f of core.predict.allFailures()) end = Math.max(end, f.at);
    }
    if (end <= start)
      throw new EvalError(
        `the data folder has no predictions or failures after the ground truth's start (${truth.header.simStart}); pass --until or check that the files belong together`,
      );
    const counts = await countTicketsSince(core, start);
    const summary = summarise(core, truth, start, end, warmupHours, minLeadHours, counts);
    return {
      ...summary,
      devices: truth.header.count,
      simStart: new Date(start).toISOString(),
      simEnd: new Date(end).toISOString(),
      intervalSec: truth.header.effectiveIntervalSec,
      groundTruthFile: options.groundTruthFile,
    };
  } finally {
    await core.close().catch(() => undefined);
  }
}
