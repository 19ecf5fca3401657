import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectorSettings,
  type PredictConfigSet,
  type PredictionRecord,
  type Ticket,
  type TicketListResult,
} from '@shared/contract';
import { tempDir } from '../../../tests/helpers/temp-dir';
import { createCore, type Core } from '../create-core';
import { silentLogger, type Clock } from '../ports';
import { simulatorConnectorSettings } from '../simulator/simulator-control';
import { simulatorTopic } from '../simulator/fleet-simulator';
import { FileStore } from '../store/file-store';
import type { LoadedModel } from './manifest';
import type { WindowScorer } from './scorer';

/**
 * The predictive loop end to end on a real store and the real ingest pipeline, with a scorer whose
 * answer is a plain function of the window (so every decision below is checkable by hand): risk
 * rises with the DC ripple of the last step. The ONNX scorer itself has its own parity tests.
 */

const FIXTURE_MODEL = join(import.meta.dirname, '../../../tests/fixtures/models/tiny-lstm');
const STEP = 30 * 60_000;
const T0 = Date.UTC(2026, 8, 1, 0, 0);
const FEATURES = 9;
const STEPS = 48;

/** p24 = (ripple.mean of the last step − 1.5) / 3, clamped; shorter horizons a fixed share of it. */
function fakeScorer(model: LoadedModel): Promise<WindowScorer> {
  return Promise.resolve({
    manifest: model.manifest,
    async score(windows: Float32Array, count: number) {
      const pFail = new Float32Array(count * 3);
      const ttf = new Float32Array(count);
      const mode = new Float32Array(count * 3);
      for (let i = 0; i < count; i++) {
        const ripple = windows[(i * STEPS + STEPS - 1) * FEATURES]!;
        const p = Math.min(0.99, Math.max(0, (ripple - 1.5) / 3));
        pFail.set([p * 0.3, p * 0.6, p], i * 3);
        ttf[i] = p > 0.5 ? 10 : 72;
        mode.set([0.8, 0.1, 0.1], i * 3);
      }
      return {
        outputs: { p_fail: pFail, ttf_hours: ttf, mode_prob: mode },
        refused: new Uint8Array(count),
      };
    },
    async close() {},
  });
}

interface Rig {
  core: Core;
  dataDir: string;
  feed(fromMs: number, toMs: number, ripple: (sn: string, t: number) => number): Promise<void>;
  preventive(sn: string): Promise<TicketListResult>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DEVICES = ['INV-A', 'INV-B'];

async function openRig(dataDir: string, modelsDir: string): Promise<Rig> {
  let now = T0;
  const clock: Clock = { now: () => now };
  const storage = await FileStore.open({ dir: dataDir, logger: silentLogger });
  const core = await createCore({
    storage,
    host: 'in-process',
    version: 'test',
    clock,
    predict: { modelsDir, manualCycles: true, createScorer: fakeScorer },
  });
  for (const sn of DEVICES) {
    if (await core.storage.device(sn)) continue;
    await core.call('devices/upsert', {
      device: { sn, kind: 'pv-inverter', site: '测试电站', region: '西湖区', lng: 120.13, lat: 30.26 },
    });
  }
  const registry = await core.storage.devices();
  core.telemetry.useRegistry(registry.version, registry.devices);
  core.telemetry.useConnectors([
    { id: 'sim', settings: ConnectorSettings.parse(simulatorConnectorSettings()) },
  ]);
  return {
    core,
    dataDir,
    async feed(fromMs, toMs, ripple) {
      for (let t = fromMs; t < toMs; t += 5 * 60_000) {
        now = t;
        for (const sn of DEVICES) {
          const payload = {
            ts: t,
            ripple: ripple(sn, t),
            tempGradient: 0.1,
            packetLoss: 0.2,
            power: 50,
            ambient: 25,
            irradiance: 600,
          };
          core.telemetry.ingest('sim', simulatorTopic(sn), Buffer.from(JSON.stringify(payload)), t);
        }
        if ((t - T0) % STEP === 0) await core.predict.runDue();
      }
      now = toMs;
      await core.predict.runDue();
    },
    async preventive(sn) {
      return (await core.call('tickets/list', {
        filter: { typeId: ['preventive-maintenance'], businessKey: { key: 'deviceSn', value: sn } },
      })) as TicketListResult;
    },
  };
}

function modelsDirWithFixture(root: string): string {
  const dir = join(root, 'models');
  mkdirSync(dir, { recursive: true });
  cpSync(FIXTURE_MODEL, join(dir, 'tiny-lstm'), { recursive: true });
  return dir;
}

describe('predictive loop', () => {
  it('opens one ticket for a degrading device, updates it as risk grows, survives a restart, clears when risk falls', async () => {
    const tmp = tempDir('wf-predict-');
    cleanups.push(() => tmp.cleanup());
    const modelsDir = modelsDirWithFixture(tmp.path);
    const dataDir = join(tmp.path, 'data');
    let rig = await openRig(dataDir, modelsDir);
    cleanups.push(() => rig.core.close());

    // 8 quiet hours, then INV-A's ripple climbs: p24 reaches 0.6 (openAt) at ripple 3.3.
    const rising = (sn: string, t: number) =>
      sn === 'INV-A' && t >= T0 + 8 * 3_600_000 ? 1 + (t - T0 - 8 * 3_600_000) / 3_600_000 : 1;
    await rig.feed(T0, T0 + 11 * 3_600_000, rising);
    expect((await rig.preventive('INV-B')).total).toBe(0);
    let list = await rig.preventive('INV-A');
    expect(list.total).toBe(1);
    const ticket = (await rig.core.call('tickets/get', { id: list.items[0]!.id })) as Ticket;
    expect(ticket).toMatchObject({
      source: 'predictive',
      businessKeys: { deviceSn: 'INV-A' },
      fields: { deviceKind: 'pv-inverter', failureMode: 'capacitor-ageing' },
    });
    expect(ticket.idempotencyKey).toMatch(/^pred:INV-A:capacitor-ageing:\d+$/);
    const record = (await rig.core.call('predict/ticket', { ticketId: ticket.id })) as PredictionRecord;
    expect(record.modelId).toBe('tiny-lstm');
    expect(record.hypotheses[0]!.modeId).toBe('capacitor-ageing');
    expect(record.drivers.map((d) => d.feature)).toContain('ripple.mean');
    expect(record.dispatch?.sop?.id).toBeTruthy();
    expect(record.dispatch?.chosen?.userId).toBe(ticket.assignee?.id);
    expect(record.dispatch?.parts.length).toBeGreaterThan(0);

    // Risk keeps growing: the same ticket is updated, never a second one.
    await rig.feed(T0 + 11 * 3_600_000, T0 + 12 * 3_600_000, rising);
    list = await rig.preventive('INV-A');
    expect(list.total).toBe(1);
    const updated = (await rig.core.call('predict/ticket', { ticketId: ticket.id })) as PredictionRecord;
    expect(updated.updates.length).toBeGreaterThan(0);

    // A restart (feature windows are rebuilt from new telemetry) finds its record and adds nothing.
    await rig.core.close();
    rig = await openRig(dataDir, modelsDir);
    cleanups.push(() => rig.core.close());
    await rig.feed(T0 + 12 * 3_600_000, T0 + 20 * 3_600_000, () => 6);
    expect((await rig.preventive('INV-A')).total).toBe(1);

    // The risk falls away before anyone started: after clearCycles calm cycles the ticket clears.
    await rig.feed(T0 + 20 * 3_600_000, T0 + 27 * 3_600_000, () => 1);
    const cleared = (await rig.core.call('tickets/get', { id: ticket.id })) as Ticket;
    expect(cleared.status).toBe('risk_cleared');
    expect(cleared.history.at(-1)?.note).toContain('风险解除');
    expect(((await rig.core.call('predict/ticket', { ticketId: ticket.id })) as PredictionRecord).state).toBe(
      'risk-cleared',
    );
  }, 60_000);

  it('adopts an open preventive ticket a crash left without its record instead of opening another', async () => {
    const tmp = tempDir('wf-predict-');
    cleanups.push(() => tmp.cleanup());
    const rig = await openRig(join(tmp.path, 'data'), modelsDirWithFixture(tmp.path));
    cleanups.push(() => rig.core.close());
    // What a cycle interrupted between creating the ticket and recording it leaves behind.
    const orphan = (await rig.core.call('tickets/create', {
      typeId: 'preventive-maintenance',
      title: 'INV-A 预测电容老化',
      source: 'predictive',
      businessKeys: { deviceSn: 'INV-A' },
    })) as Ticket;
    await rig.feed(T0, T0 + 12 * 3_600_000, (sn) => (sn === 'INV-A' ? 5 : 1));
    const list = await rig.preventive('INV-A');
    expect(list.items.map((t) => t.id)).toEqual([orphan.id]);
    expect(await rig.core.call('predict/ticket', { ticketId: orphan.id })).toMatchObject({ sn: 'INV-A' });
  }, 60_000);

  it('records an outcome, matches a failure, and the quality report counts them', async () => {
    const tmp = tempDir('wf-predict-');
    cleanups.push(() => tmp.cleanup());
    const rig = await openRig(join(tmp.path, 'data'), modelsDirWithFixture(tmp.path));
    cleanups.push(() => rig.core.close());
    await rig.feed(T0, T0 + 12 * 3_600_000, (sn) => (sn === 'INV-A' ? 5 : 1));
    const [summary] = (await rig.preventive('INV-A')).items;
    const ticket = (await rig.core.call('tickets/get', { id: summary!.id })) as Ticket;
    await expect(
      rig.core.call('predict/recordOutcome', {
        ticketId: ticket.id,
        version: ticket.version + 5,
        outcome: 'fault-confirmed',
        note: '更换电容',
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const closed = (await rig.core.call('predict/recordOutcome', {
      ticketId: ticket.id,
      version: ticket.version,
      outcome: 'fault-confirmed',
      note: '直流母线电容鼓包，已更换',
    })) as Ticket;
    expect(closed.status).toBe('resolved');
    // The device keeps reporting risk in the same window: the resolved ticket and its outcome stay
    // as they are, and no second ticket opens.
    await rig.feed(T0 + 12 * 3_600_000, T0 + 14 * 3_600_000, (sn) => (sn === 'INV-A' ? 5 : 1));
    expect((await rig.preventive('INV-A')).total).toBe(1);
    await rig.core.predict.recordFailures([{ sn: 'INV-A', at: T0 + 14 * 3_600_000, source: 'ground-truth' }]);
    const quality = (await rig.core.call('predict/quality', {})) as {
      overall: {
        truePositives: number;
        failures: number;
        predictedFailures: number;
        precision: number | null;
      };
    };
    expect(quality.overall).toMatchObject({
      truePositives: 1,
      failures: 1,
      predictedFailures: 1,
      precision: 1,
    });
    const record = (await rig.core.call('predict/ticket', { ticketId: ticket.id })) as PredictionRecord;
    expect(record).toMatchObject({ state: 'closed', outcome: 'fault-confirmed' });
    expect(record.failure?.source).toBe('ground-truth');
  }, 60_000);

  it('refuses a policy that would open and clear in turn, and records an accepted change', async () => {
    const tmp = tempDir('wf-predict-');
    cleanups.push(() => tmp.cleanup());
    const rig = await openRig(join(tmp.path, 'data'), modelsDirWithFixture(tmp.path));
    cleanups.push(() => rig.core.close());
    const set = (await rig.core.call('predict/policies', {})) as {
      version: number;
      policies: { deviceKind: string; openAt: number }[];
    };
    const policy = set.policies.find((p) => p.deviceKind === 'pv-inverter')!;
    await expect(
      rig.core.call('predict/setPolicy', {
        policy: { ...policy, clearBelow: 0.7 },
        version: set.version,
        note: 'test',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const next = (await rig.core.call('predict/setPolicy', {
      policy: { ...policy, openAt: 0.7 },
      version: set.version,
      note: '误报偏多，提高阈值',
    })) as { version: number; changes: { note: string; changes: { field: string }[] }[] };
    expect(next.version).toBe(set.version + 1);
    expect(next.changes[0]).toMatchObject({ note: '误报偏多，提高阈值', changes: [{ field: 'openAt' }] });
    await expect(
      rig.core.call('predict/setPolicy', { policy, version: set.version, note: 'stale' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('replaces the predictive configuration only when every reference resolves, and records why', async () => {
    const tmp = tempDir('wf-predict-');
    cleanups.push(() => tmp.cleanup());
    const rig = await openRig(join(tmp.path, 'data'), modelsDirWithFixture(tmp.path));
    cleanups.push(() => rig.core.close());
    const set = (await rig.core.call('predict/config', {})) as PredictConfigSet;
    const broken = structuredClone(set.config);
    broken.knowledge[0]!.modes[0]!.sopId = 'sop-gone';
    const err = await rig.core
      .call('predict/setConfig', { config: broken, version: set.version, note: 'test' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { issues: [{ path: 'config.knowledge.0.modes.0.sopId', message: 'no SOP sop-gone' }] },
    });
    const cheaper = structuredClone(set.config);
    cheaper.dispatch.weights = { arrival: 0.1, cost: 0.7, slaRisk: 0.1, customerPriority: 0.1 };
    const next = (await rig.core.call('predict/setConfig', {
      config: cheaper,
      version: set.version,
      note: '成本优先',
    })) as PredictConfigSet;
    expect(next).toMatchObject({
      version: set.version + 1,
      changes: [{ note: '成本优先', sections: ['dispatch'] }],
    });
    await expect(
      rig.core.call('predict/setConfig', { config: cheaper, version: set.version, note: 'stale' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // The next preventive ticket is dispatched with the new weights.
    await rig.feed(T0, T0 + 12 * 3_600_000, (sn) => (sn === 'INV-A' ? 5 : 1));
    const [summary] = (await rig.preventive('INV-A')).items;
    const record = (await rig.core.call('predict/ticket', { ticketId: summary!.id })) as PredictionRecord;
    expect(record.dispatch?.weights).toEqual(cheaper.dispatch.weights);
  }, 60_000);
});
