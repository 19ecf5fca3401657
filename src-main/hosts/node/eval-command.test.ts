import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@shared/contract';
import { predictionRecord } from '../../../tests/helpers/prediction-record';
import { createCore } from '../../core/create-core';
import { silentLogger } from '../../core/ports';
import { writeGroundTruth } from '../../core/simulator/ground-truth';
import { FileStore } from '../../core/store/file-store';
import { registerEvalCommand } from './eval-command';

const H = 3_600_000;
const START = Date.parse('2026-09-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wf-eval-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli() {
  const out: string[] = [];
  const progress: string[] = [];
  const errors: string[] = [];
  const program = new Command('watchfloor').exitOverride().configureOutput({
    writeOut: (s) => out.push(s),
    writeErr: (s) => errors.push(s),
  });
  registerEvalCommand(program, { write: (s) => out.push(s), progress: (s) => progress.push(s) });
  const run = (...args: string[]) => program.parseAsync(['eval', 'predictive', ...args], { from: 'user' });
  return { run, out, progress, errors };
}

/**
 * A data folder as a demo session leaves it: one preventive ticket for device A opened 10 h before
 * A failed, and a fault ticket for B, which failed without warning.
 */
async function demoFolder(): Promise<{ dataDir: string; gt: string }> {
  const dataDir = join(dir, 'data');
  const gt = join(dir, 'gt.jsonl');
  let now = START + 20 * H;
  const storage = await FileStore.open({ dir: dataDir, logger: silentLogger });
  const core = await createCore({ storage, host: 'in-process', version: 'test', clock: { now: () => now } });
  const ticket = (await core.call('tickets/create', {
    typeId: 'preventive-maintenance',
    title: 'A 电容老化风险',
    source: 'predictive',
    businessKeys: { deviceSn: 'A' },
  })) as Ticket;
  now = START + 40 * H;
  await core.call('tickets/create', {
    typeId: 'device-fault',
    title: 'B 停机',
    businessKeys: { deviceSn: 'B' },
  });
  const record = predictionRecord('A', iso(START + 20 * H), iso(START + 28 * H), {
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    idempotencyKey: 'pred:A:capacitor-ageing:0',
    observedAt: iso(START + 26 * H),
    probabilities: { h4: 0.3, h8: 0.5, h24: 0.9 },
    ttfHours: 8,
  });
  await storage.append([
    {
      v: 1,
      type: 'record.put',
      at: iso(now),
      actor: core.defaultActor,
      ns: 'prediction',
      id: ticket.id,
      doc: record,
    },
  ]);
  await core.close();
  await writeGroundTruth(gt, {
    header: {
      format: 'watchfloor-simulator-ground-truth',
      version: 1,
      seed: 1,
      speed: 60,
      count: 10,
      simStart: iso(START),
      intervalSec: 60,
      effectiveIntervalSec: 60,
      kind: 'pv-inverter',
      topicRoot: 'watchfloor/sim',
      degradations: 3,
    },
    entries: [
      { sn: 'A', mode: 'capacitor-ageing', onset: iso(START - 48 * H), failureAt: iso(START + 30 * H) },
      { sn: 'B', mode: 'loose-contact', onset: iso(START + 30 * H), failureAt: iso(START + 40 * H) },
      // After the folder's latest telemetry time: not in recall.
      { sn: 'C', mode: 'fan-failure', onset: iso(START + 30 * H), failureAt: iso(START + 90 * H) },
    ],
  });
  return { dataDir, gt };
}

describe('watchfloor eval predictive', () => {
  it('evaluates a data folder and prints one JSON object with the issue keys first', async () => {
    const { dataDir, gt } = await demoFolder();
    const c = cli();
    await c.run('--data', dataDir, '--ground-truth', gt, '--until', iso(START + 48 * H), '--json');
    expect(c.out).toHaveLength(1);
    const result = JSON.parse(c.out[0]!) as Record<string, unknown>;
    expect(Object.keys(result).slice(0, 7)).toEqual([
      'recall',
      'precision',
      'medianLeadHours',
      'p10LeadHours',
      'preventiveShare',
      'failures',
      'tickets',
    ]);
    // A (after the 24 h warm-up, predicted 10 h ahead) and B (missed): recall 1/2; the one
    // prediction is right; 1 of 2 tickets is preventive.
    expect(result).toMatchObject({
      recall: 0.5,
      precision: 1,
      medianLeadHours: 10,
      p10LeadHours: 10,
      preventiveShare: 0.5,
      failures: 2,
      tickets: 2,
      preventiveTickets: 1,
      reactiveTickets: 1,
      warmupFailures: 0,
      laterFailures: 1,
    });
    expect(c.progress.join('')).toMatch(/Evaluating the preventive tickets/);
  });

  it('prints a readable summary without --json', async () => {
    const c = cli();
    await c.run(
      '--data',
      join(dir, 'data'),
      '--ground-truth',
      join(dir, 'gt.jsonl'),
      '--until',
      iso(START + 48 * H),
    );
    const text = c.out.join('');
    expect(text).toMatch(/recall \(ticket ≥ 4 h ahead\): 50\.0 %/);
    expect(text).toMatch(/false-alarm rate \(false discovery rate\): 0\.0 %/);
  });

  it('refuses bad arguments with clear messages', async () => {
    await expect(cli().run('--devices', '5')).rejects.toThrow(/--ground-truth <file>/);
    await expect(cli().run('--ground-truth', 'x', '--devices', '0')).rejects.toThrow(
      /must be an integer from 1/,
    );
    await expect(cli().run('--ground-truth', 'x', '--days', 'many')).rejects.toThrow(/must be a number/);
    await expect(cli().run('--ground-truth', 'x', '--sim-start', 'soon')).rejects.toThrow(/ISO-8601/);
    await expect(cli().run('--ground-truth', 'x', '--data', join(dir, 'nowhere'))).rejects.toThrow(
      /data folder .*nowhere does not exist/,
    );
    await expect(cli().run('--ground-truth', join(dir, 'missing.jsonl'), '--data', dir)).rejects.toThrow(
      /needs the ground truth .* does not exist/,
    );
  });

  it('says when there is no model to evaluate', async () => {
    const c = cli();
    await expect(
      c.run(
        '--ground-truth',
        join(dir, 'gt-none.jsonl'),
        '--devices',
        '3',
        '--days',
        '0.25',
        '--warmup',
        '0',
        '--models',
        join(dir, 'no-models'),
      ),
    ).rejects.toThrow(/no pv-inverter model/);
  });
});
