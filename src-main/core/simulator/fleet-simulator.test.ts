import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorSettings, type Device } from '@shared/contract';
import { DEFAULT_DEVICE_KINDS, defaultConfig } from '@shared/domain';
import { TelemetryPipeline } from '../telemetry/pipeline';
import type { Degradation } from './degradation';
import { type FleetDevice, fleetDeviceFields, generateFleet } from './fleet';
import {
  FleetSimulator,
  type FleetSimulatorOptions,
  SIMULATOR_TOPIC_ROOT,
  simulatorTopic,
} from './fleet-simulator';
import { parseGroundTruth, readGroundTruth } from './ground-truth';
import { FleetModel, GRADIENT, LOSS, METRICS, POWER, RIPPLE } from './model';
import { simulatorConnectorSettings } from './simulator-control';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const SIM_START = Date.UTC(2026, 5, 10); // June: long days, but the plum rains bring clouds
const fleetCache = new Map<string, FleetDevice[]>();
function fleetOf(count: number, seed = 1): FleetDevice[] {
  const key = `${count}/${seed}`;
  let f = fleetCache.get(key);
  if (!f) fleetCache.set(key, (f = generateFleet({ count, seed })));
  return f;
}

interface Sample {
  topic: string;
  body: Record<string, number>;
  raw: string;
}

/** A simulator on a hand-driven clock: `advance(realMs)` moves time and publishes what is due. */
function harness(options: Partial<FleetSimulatorOptions> & { fleet: readonly FleetDevice[] }) {
  const clock = { t: 1_000_000 };
  const samples: Sample[] = [];
  const bySn = new Map<string, Sample[]>();
  const sim = new FleetSimulator({
    seed: 1,
    speed: 3600,
    simStart: SIM_START,
    manual: true,
    maxMessagesPerSecond: 1e9,
    now: () => clock.t,
    publish: (topic, payload) => {
      const raw = payload.toString('utf8');
      const s = { topic, body: JSON.parse(raw) as Record<string, number>, raw };
      samples.push(s);
      const sn = topic.split('/')[3]!;
      let list = bySn.get(sn);
      if (!list) bySn.set(sn, (list = []));
      list.push(s);
    },
    ...options,
  });
  const advance = async (realMs: number, stepMs = 1000): Promise<void> => {
    for (let done = 0; done < realMs; done += stepMs) {
      clock.t += Math.min(stepMs, realMs - done);
      await sim.pump();
    }
  };
  return { sim, clock, samples, bySn, advance };
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wf-sim-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('FleetSimulator: schedule and payload', () => {
  it('same seed, same samples; another seed, other samples', async () => {
    const fleet = fleetOf(200);
    const a = harness({ fleet });
    const b = harness({ fleet });
    const c = harness({ fleet, seed: 2 });
    for (const h of [a, b, c]) {
      await h.sim.start();
      await h.advance(6_000); // six simulated hours
    }
    expect(a.samples.length).toBeGreaterThan(200 * 6 * 60 * 0.95);
    expect(b.samples.map((s) => s.topic + s.raw)).toEqual(a.samples.map((s) => s.topic + s.raw));
    expect(c.samples.map((s) => s.raw)).not.toEqual(a.samples.map((s) => s.raw));
  });

  it('publishes the six pv-inverter metrics within the kind’s ranges on the simulator topic', async () => {
    const fleet = fleetOf(300);
    const h = harness({ fleet, speed: 86_400, intervalSec: 1800 });
    await h.sim.start();
    await h.advance(10_000); // ten simulated days, noon and night, sun and rain
    const kind = DEFAULT_DEVICE_KINDS.find((k) => k.id === 'pv-inverter')!;
    const sns = new Set(fleet.map((d) => d.sn));
    expect(h.samples.length).toBeGreaterThan(300 * 10 * 48 * 0.9);
    const problems: string[] = [];
    for (const s of h.samples) {
      const [root1, root2, kindLevel, sn, leaf] = s.topic.split('/');
      if (`${root1}/${root2}` !== SIMULATOR_TOPIC_ROOT || kindLevel !== 'pv-inverter' || leaf !== 'telemetry')
        problems.push(`topic ${s.topic}`);
      if (!sns.has(sn!)) problems.push(`unknown ${sn}`);
      if (Object.keys(s.body).join() !== ['ts', ...METRICS].join()) problems.push(`keys ${s.raw}`);
      if (!Number.isInteger(s.body.ts)) problems.push(`ts ${s.raw}`);
      for (const m of kind.metrics) {
        const v = s.body[m.key]!;
        if (!(Number.isFinite(v) && v >= m.min && v <= m.max)) problems.push(`${m.key} ${s.raw}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // Daily cycle: nights are dark and idle, middays produce.
    const irr = h.samples.map((s) => s.body.irradiance!);
    expect(irr.filter((x) => x === 0).length / irr.length).toBeGreaterThan(0.3);
    expect(irr.reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(700);
    expect(h.samples.reduce((a, s) => Math.max(a, s.body.power!), 0)).toBeGreaterThan(100);
  });

  it('keeps each device’s spacing in simulated time, whatever the speed', async () => {
    const fleet = fleetOf(100);
    const slow = harness({ fleet, speed: 60 });
    const fast = harness({ fleet, speed: 7200 });
    await slow.sim.start();
    await fast.sim.start();
    await slow.advance(120_000, 5_000); // two simulated hours
    await fast.advance(1_000, 50);
    const sn = fleet[5]!.sn;
    const ts = (h: typeof slow) => h.bySn.get(sn)!.map((s) => s.body.ts!);
    expect(ts(slow).slice(0, 100)).toEqual(ts(fast).slice(0, 100));
    const gaps = new Set(
      ts(fast)
        .slice(1)
        .map((t, i) => t - ts(fast)[i]!),
    );
    expect([...gaps]).toEqual([60_000]);
    for (const [, list] of slow.bySn) {
      for (let i = 1; i < list.length; i++)
        expect((list[i]!.body.ts! - list[i - 1]!.body.ts!) % 60_000).toBe(0);
    }
  });

  it('raises the interval to respect the message-rate cap, and lowers it to keep devices from looking offline', () => {
    const fleet = fleetOf(2000);
    const capped = new FleetSimulator({
      fleet,
      seed: 1,
      speed: 3600,
      simStart: SIM_START,
      publish: () => undefined,
      maxMessagesPerSecond: 20_000,
      manual: true,
    });
    expect(capped.effectiveIntervalMs).toBe(360_000);
    expect(capped.status().targetMessagesPerSecond).toBeLessThanOrEqual(20_000);
    expect(capped.status().intervalSec).toBe(60);
    expect(capped.status().effectiveIntervalSec).toBe(360);

    const slow = new FleetSimulator({
      fleet,
      seed: 1,
      speed: 1,
      simStart: SIM_START,
      publish: () => undefined,
      maxRealGapSec: 10,
      manual: true,
    });
    expect(slow.effectiveIntervalMs).toBe(10_000);
    expect(
      () => new FleetSimulator({ fleet, seed: 1, speed: 0, simStart: SIM_START, publish: () => undefined }),
    ).toThrow(RangeError);
  });

  it('spreads a round over event-loop turns and waits for a publisher that pushes back', async () => {
    const fleet = fleetOf(1000);
    let inFlight = 0;
    let maxInFlight = 0;
    let delivered = 0;
    const h = harness({
      fleet,
      batch: 200,
      publish: () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            inFlight--;
            delivered++;
            resolve();
          }, 0),
        );
      },
    });
    await h.sim.start();
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    await h.advance(1_000); // one simulated hour: 60,000 samples in one round
    clearInterval(ticker);
    expect(maxInFlight).toBeLessThanOrEqual(200);
    expect(delivered).toBe(h.sim.status().published);
    expect(delivered).toBeGreaterThan(55_000);
    expect(turns).toBeGreaterThan(10);
  });

  it('counts a failing publisher and goes on', async () => {
    let n = 0;
    const h = harness({
      fleet: fleetOf(50),
      publish: () => {
        if (++n % 10 === 0) throw new Error('socket full');
        if (n % 10 === 5) return Promise.reject(new Error('gone'));
      },
    });
    await h.sim.start();
    await h.advance(1_000);
    const s = h.sim.status();
    expect(s.publishErrors).toBeGreaterThan(0);
    expect(s.published + s.publishErrors).toBe(n);
    expect(s.lastError).toMatch(/socket full|gone/);
  });

  it('jumps ahead instead of replaying a long backlog, and stops on stop()', async () => {
    const h = harness({ fleet: fleetOf(100) });
    await h.sim.start();
    await h.advance(1_000);
    const before = h.samples.length;
    h.clock.t += 600_000; // ten real minutes asleep = 25 simulated days
    await h.sim.pump();
    const s = h.sim.status();
    expect(s.skipped).toBeGreaterThan(100 * 60 * 24 * 20);
    expect(h.samples.length - before).toBeLessThan(100 * 60 * 3);
    expect(s.lagMs).toBeLessThan(60_000);
    await h.sim.stop();
    const stopped = h.samples.length;
    await h.advance(2_000);
    expect(h.samples.length).toBe(stopped);
    expect(h.sim.status().running).toBe(false);
  });
});

/** One plant (the demo world's first) with hand-placed degradations: same weather for all. */
function plantModel(plan: Omit<Degradation, 'sn'>[]) {
  const fleet = fleetOf(20);
  expect(new Set(fleet.map((d) => d.metadata.plant)).size).toBe(1);
  const model = new FleetModel(fleet, 1);
  model.setPlan(plan.map((d) => ({ ...d, sn: fleet[d.index]!.sn })));
  const out = new Float64Array(6);
  const cap = Number(fleet[0]!.metadata.capacityKw);
  const series = (i: number, from: number, to: number, keep: (o: Float64Array) => boolean = () => true) => {
    const rows: Float64Array[] = [];
    let missing = 0;
    for (let t = from; t < to; t += 60_000) {
      if (!model.sample(i, t, out)) missing++;
      else if (keep(out)) rows.push(out.slice());
    }
    return { rows, missing, col: (k: number) => rows.map((r) => r[k]!) };
  };
  return { model, series, cap, out };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

describe('degradation physics', () => {
  it('capacitor ageing: ripple rises over days against a healthy neighbour, ending above the alarm level', () => {
    const { series } = plantModel([
      { index: 1, mode: 'capacitor-ageing', onsetAt: SIM_START, failureAt: SIM_START + 10 * DAY },
    ]);
    // Ripple over the hours around noon (UTC 03–07 = 11–15 in Hangzhou), degraded / healthy.
    const ratio = (day: number) => {
      const from = SIM_START + day * DAY + 3 * HOUR;
      return (
        mean(series(1, from, from + 4 * HOUR).col(RIPPLE)) /
        mean(series(0, from, from + 4 * HOUR).col(RIPPLE))
      );
    };
    const ratios = [0, 2, 4, 6, 8, 9].map(ratio);
    for (let i = 1; i < ratios.length; i++) expect(ratios[i]!).toBeGreaterThan(ratios[i - 1]! * 0.97);
    expect(ratios[5]! / ratios[0]!).toBeGreaterThan(3);
    // Past the kind's warn level (3 %) on its last day even in the plum-rain clouds.
    const lastDay = series(1, SIM_START + 9 * DAY, SIM_START + 10 * DAY).col(RIPPLE);
    expect(Math.max(...lastDay)).toBeGreaterThan(3);
    const healthy = series(0, SIM_START, SIM_START + 10 * DAY).col(RIPPLE);
    expect(Math.max(...healthy)).toBeLessThan(3);
  });

  it('loose contact: intermittent packet loss, missing reports and temperature spikes', () => {
    const { series } = plantModel([
      { index: 2, mode: 'loose-contact', onsetAt: SIM_START, failureAt: SIM_START + 3 * DAY },
    ]);
    const from = SIM_START + 2 * DAY;
    const bad = series(2, from, from + DAY);
    const good = series(0, from, from + DAY);
    expect(good.missing).toBe(0);
    expect(bad.missing).toBeGreaterThan(50);
    // Intermittent: mostly normal, with bursts well past the alarm level (10 %).
    expect(quantile(bad.col(LOSS), 0.5)).toBeLessThan(2);
    expect(quantile(bad.col(LOSS), 0.95)).toBeGreaterThan(10);
    expect(Math.max(...good.col(LOSS))).toBeLessThan(3);
    expect(Math.max(...bad.col(GRADIENT))).toBeGreaterThan(1);
    expect(Math.max(...good.col(GRADIENT))).toBeLessThan(0.5);
    // Early on it is rare: the first hours look almost healthy.
    const early = series(2, SIM_START, SIM_START + 6 * HOUR);
    expect(early.missing).toBeLessThan(10);
  });

  it('fan failure: the temperature gradient rises under load, not at night', () => {
    const { series, cap } = plantModel([
      { index: 3, mode: 'fan-failure', onsetAt: SIM_START, failureAt: SIM_START + 4 * DAY },
    ]);
    const from = SIM_START + 2.4 * DAY;
    const to = SIM_START + 4 * DAY;
    const loaded = (o: Float64Array) => o[POWER]! > 0.15 * cap;
    const night = (o: Float64Array) => o[POWER]! === 0;
    const badLoaded = series(3, from, to, loaded).col(GRADIENT);
    const goodLoaded = series(0, from, to, loaded).col(GRADIENT);
    expect(badLoaded.length).toBeGreaterThan(100);
    expect(mean(badLoaded) - mean(goodLoaded)).toBeGreaterThan(0.1);
    expect(quantile(badLoaded, 0.95)).toBeGreaterThan(3 * quantile(goodLoaded, 0.95));
    const badNight = series(3, from, to, night).col(GRADIENT);
    const goodNight = series(0, from, to, night).col(GRADIENT);
    expect(Math.abs(mean(badNight) - mean(goodNight))).toBeLessThan(0.03);
    expect(series(3, from, to).missing).toBe(0);
  });
});

describe('failures and ground truth', () => {
  it('every planned failure happens at its recorded time, after which the device is silent', async () => {
    const dir = await tempDir();
    const file = join(dir, 'truth.jsonl');
    const fleet = fleetOf(400);
    const h = harness({
      fleet,
      intervalSec: 600,
      groundTruthFile: file,
      shares: { inProgress: 0.1, upcoming: 0.02, horizonDays: 2 },
    });
    await h.sim.start();
    await h.advance(80_000, 2_000); // 80 simulated hours: every in-progress degradation ends
    const truth = await readGroundTruth(file);
    const end = h.sim.status().simTimeMs;
    const failed = truth.entries.filter((e) => Date.parse(e.failureAt) <= end);
    expect(failed.length).toBeGreaterThanOrEqual(40);
    expect(new Set(failed.map((e) => e.mode)).size).toBe(3);
    for (const e of failed) {
      const at = Date.parse(e.failureAt);
      const ts = (h.bySn.get(e.sn) ?? []).map((s) => s.body.ts!);
      expect(ts.length).toBeGreaterThan(0);
      const last = ts[ts.length - 1]!;
      expect(last).toBeLessThan(at);
      // A loose contact drops reports more and more often before it opens for good.
      expect(at - last).toBeLessThanOrEqual(e.mode === 'loose-contact' ? 2 * HOUR : 600_000);
    }
    expect(h.sim.status().failures).toBe(failed.length);
    // Devices that did not fail kept reporting to the end.
    const failing = new Set(truth.entries.map((e) => e.sn));
    const healthy = fleet.filter((d) => !failing.has(d.sn));
    for (const d of healthy.slice(0, 50)) {
      const ts = h.bySn.get(d.sn)!.map((s) => s.body.ts!);
      expect(end - ts[ts.length - 1]!).toBeLessThanOrEqual(600_000);
    }
  });

  it('writes the whole plan atomically at start, reproducibly', async () => {
    const dir = await tempDir();
    const fleet = fleetOf(2000);
    const files = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const sims = files.map(
      (groundTruthFile) =>
        new FleetSimulator({
          fleet,
          seed: 5,
          speed: 3600,
          simStart: SIM_START,
          publish: () => undefined,
          groundTruthFile,
          manual: true,
        }),
    );
    for (const s of sims) await s.start();
    const [a, b] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    expect(a).toBe(b);
    expect((await readdir(dir)).sort()).toEqual(['a.jsonl', 'b.jsonl']);

    const lines = a!.trim().split('\n');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'watchfloor-simulator-ground-truth',
      version: 1,
      seed: 5,
      speed: 3600,
      count: 2000,
      simStart: new Date(SIM_START).toISOString(),
      intervalSec: 60,
      kind: 'pv-inverter',
    });
    const truth = parseGroundTruth(a!);
    expect(truth.entries).toHaveLength(sims[0]!.plan.length);
    // 3–5 % of the fleet, all three modes, sorted by failure, onset before failure.
    expect(truth.entries.length).toBeGreaterThanOrEqual(60);
    expect(truth.entries.length).toBeLessThanOrEqual(100);
    expect(new Set(truth.entries.map((e) => e.mode))).toEqual(
      new Set(['capacitor-ageing', 'loose-contact', 'fan-failure']),
    );
    const sns = new Set(fleet.map((d) => d.sn));
    let previous = 0;
    for (const e of truth.entries) {
      expect(Object.keys(e)).toEqual(['sn', 'mode', 'onset', 'failureAt']);
      expect(sns.has(e.sn)).toBe(true);
      expect(Date.parse(e.onset)).toBeLessThan(Date.parse(e.failureAt));
      expect(Date.parse(e.failureAt)).toBeGreaterThanOrEqual(previous);
      previous = Date.parse(e.failureAt);
    }
    expect(truth.entries.some((e) => Date.parse(e.onset) < SIM_START)).toBe(true);
  });
});

describe('through the hub’s ingest pipeline', () => {
  it('every sample is accepted by the demo simulator connector; nothing is refused', async () => {
    const fleet = fleetOf(500);
    const wall = { t: Date.UTC(2026, 10, 24, 12) };
    const pipeline = new TelemetryPipeline(
      { now: () => wall.t },
      { register: () => undefined, frame: () => undefined },
    );
    pipeline.useConfig(defaultConfig('2026-01-01T00:00:00.000Z'));
    pipeline.useConnectors([{ id: 'sim', settings: ConnectorSettings.parse(simulatorConnectorSettings()) }]);
    const devices: Device[] = fleetDeviceFields(fleet).map((f) => ({
      ...f,
      model: f.model ?? '',
      installDate: f.installDate ?? null,
      metadata: f.metadata ?? {},
      version: 1,
      updatedAt: '2026-11-24T00:00:00.000Z',
    }));
    pipeline.useRegistry(1, devices);
    const h = harness({
      fleet,
      speed: 3600,
      intervalSec: 300,
      // Simulated time starts a month before the hub's clock and then runs ahead of it.
      simStart: wall.t - 30 * DAY,
      publish: (topic, payload) => pipeline.ingest('sim', topic, payload, wall.t),
    });
    await h.sim.start();
    for (let i = 0; i < 20; i++) {
      await h.advance(1_000);
      wall.t += 1_000;
      pipeline.tick();
    }
    const stats = pipeline.stats();
    expect(stats.received).toBe(h.sim.status().published);
    expect(stats.accepted).toBe(stats.received);
    expect(Object.values(stats.refused).every((n) => n === 0)).toBe(true);
    expect(stats.devices.online + stats.devices.offline).toBe(500);
    const detail = pipeline.device(fleet[0]!.sn)!;
    expect(Object.keys(detail.metrics)).toEqual([...METRICS]);
    expect(detail.metrics.ripple!.recent.v.length).toBeGreaterThan(10);
  });

  it('topic helper', () => {
    expect(simulatorTopic('INV-12345')).toBe('watchfloor/sim/pv-inverter/INV-12345/telemetry');
  });
});
