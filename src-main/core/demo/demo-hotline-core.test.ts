import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchState, HotlineClassifierInfo, HotlineKpi, TicketListResult } from '@shared/contract';
import { openFolderCore } from '../open-folder-core';
import { silentLogger } from '../ports';

const MAP = join(import.meta.dirname, '../../../src-renderer/public/map');

/**
 * The demo's hotline history as the hub serves it: a data folder seeded with demo tickets — in the
 * session that seeds it and when opened again (the way `npm start` finds it on its next start) — answers first-dispatch accuracy with ninety days of
 * history and trains the classifier from its closed citizen requests.
 */
describe('a seeded demo folder and the hotline', () => {
  let tmp: string;
  let dataDir: string;
  let firstSession: HotlineKpi;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'wf-demo-hotline-'));
    dataDir = join(tmp, 'data');
    const { core } = await openFolderCore({
      dataDir,
      host: 'node',
      version: 't',
      logger: silentLogger,
      demo: { count: 1_500, seed: 1 },
      hotline: { mapDir: MAP, demoCalls: false },
    });
    // The session that seeded the folder already counts the seeded history.
    firstSession = (await core.call('hotline/kpi', {})) as HotlineKpi;
    await core.close();
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const open = async () =>
    (
      await openFolderCore({
        dataDir,
        host: 'node',
        version: 't',
        logger: silentLogger,
        hotline: { mapDir: MAP, demoCalls: false },
      })
    ).core;

  it('answers hotline/kpi with days of history, per cell and with matrix suggestions', async () => {
    const core = await open();
    try {
      const kpi = (await core.call('hotline/kpi', {})) as HotlineKpi;
      expect(kpi.byDay.length).toBeGreaterThanOrEqual(85);
      expect(kpi.overall.tickets).toBeGreaterThan(450);
      expect(kpi.overall.accuracy).toBeGreaterThan(0.7);
      expect(kpi.overall.accuracy).toBeLessThan(0.88);
      expect(kpi.overall.doubleDispatched).toBeGreaterThan(0);
      expect(kpi.byCell.length).toBeGreaterThan(100);
      expect(kpi.byDepartment.map((d) => d.departmentId)).toContain('dept-urban');
      expect(firstSession.overall).toEqual(kpi.overall);

      const page = (await core.call('tickets/list', {
        filter: { typeId: ['citizen-request'] },
        limit: 1,
      })) as TicketListResult;
      const dispatch = (await core.call('hotline/dispatch', {
        ticketId: page.items[0]!.id,
      })) as DispatchState;
      expect(dispatch.ticketId).toBe(page.items[0]!.id);
    } finally {
      await core.close();
    }
  });

  it('trains the classifier from the closed demo requests with a sensible held-out accuracy', async () => {
    const core = await open();
    try {
      const info = (await core.call('hotline/trainClassifier', {})) as HotlineClassifierInfo;
      expect(info.kind).toBe('trained');
      expect(info.classes.length).toBeGreaterThanOrEqual(12);
      expect(info.examples).toBeGreaterThan(400);
      expect(info.report!.accuracy).toBeGreaterThan(0.75);
      expect(info.report!.macroF1).toBeGreaterThan(0.6);
    } finally {
      await core.close();
    }
  }, 90_000);
});
