import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * The story end to end, on a hub of its own: the simulator runs (an hour per second, so
 * degradations show within the test), the heatmap and the map show the live fleet, a device the
 * ground truth says is degrading turns up in the heatmap's worst list, the operator clicks it and
 * opens a ticket from its detail.
 */

const DEVICES = 400;
let hub: Awaited<ReturnType<typeof startPrivateHub>>;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  hub = await startPrivateHub(300, ['--sim-devices', String(DEVICES), '--sim-speed', '3600']);
});

test.afterAll(async () => {
  await hub?.stop();
});

interface Truth {
  sn: string;
  mode: string;
  onset: string;
  failureAt: string;
}

function groundTruth(): Truth[] {
  const lines = readFileSync(join(hub.dataDir, 'simulator-ground-truth.jsonl'), 'utf8').split('\n');
  return lines
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Partial<Truth>)
    .filter((t): t is Truth => typeof t.sn === 'string' && typeof t.mode === 'string');
}

/** A device the ground truth has degrading that is now in the watch or alarm band, still reporting. */
async function findDegrading(): Promise<{ sn: string; health: number; mode: string } | null> {
  const degrading = new Map(groundTruth().map((t) => [t.sn, t.mode]));
  const { devices } = await rpc('devices/list', {}, hub.url);
  const frame = await rpc('telemetry/frame', {}, hub.url);
  const health = Buffer.from(frame.health, 'base64');
  let best: { sn: string; health: number; mode: string } | null = null;
  devices.forEach((d, i) => {
    const h = health[i]!;
    const mode = degrading.get(d.sn);
    if (mode && h >= 1 && h < 80 && (!best || h < best.health)) best = { sn: d.sn, health: h, mode };
  });
  return best;
}

test('simulator on → heatmap and map show live devices → click a degrading device → open a ticket', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  const status = await rpc('simulator/status', {}, hub.url);
  expect(status).toMatchObject({ running: true, devices: DEVICES, speed: 3600 });
  expect(groundTruth().length).toBeGreaterThan(0);

  // The heatmap draws every simulated device and keeps receiving frames.
  await page.goto(new URL('/heatmap', hub.url).href);
  const chart = page.getByTestId('heatmap-chart');
  await expect(chart).toHaveAttribute('data-frames', /^[1-9]\d*$/, { timeout: 30_000 });
  const frames = Number(await chart.getAttribute('data-frames'));
  await expect.poll(async () => Number(await chart.getAttribute('data-frames'))).toBeGreaterThan(frames);

  // The map shows the same fleet live.
  await page.goto(new URL('/map', hub.url).href);
  await expect(page.getByTestId('map-page')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect
    .poll(async () => {
      const counts = await page.getByTestId('map-legend-item').allInnerTexts();
      return counts
        .map((c) => Number(/([\d,]+)\s*$/.exec(c)?.[1]?.replace(/,/g, '') ?? 0))
        .reduce((a, b) => a + b, 0);
    })
    .toBe(DEVICES);

  // A device whose planned degradation has pushed it out of the normal band.
  let target: { sn: string; health: number; mode: string } | null = null;
  await expect
    .poll(async () => (target = await findDegrading()), { timeout: 60_000, intervals: [1_000] })
    .not.toBeNull();
  const { sn, mode } = target!;

  await page.goto(new URL('/heatmap', hub.url).href);
  const item = page.locator(`[data-testid="heatmap-worst-item"][data-sn="${sn}"]`);
  await expect(item).toBeVisible({ timeout: 20_000 });
  await item.click();
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer).toHaveAttribute('data-sn', sn);
  await expect(drawer.getByTestId('device-sparkline').first()).toBeVisible();

  await drawer.getByTestId('device-open-ticket').click();
  const dialog = page.getByTestId('device-ticket-dialog');
  await expect(dialog.getByTestId('device-ticket-bizkey-value').first()).toHaveValue(sn);
  await dialog.getByTestId('device-ticket-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(drawer.getByTestId('device-ticket').first()).toBeVisible();
  await saveScreenshot(page, 'story-degrading-device-ticket', testInfo);

  // The predictive loop may have opened a preventive ticket for this device too: look for ours.
  const found = await rpc(
    'tickets/list',
    { filter: { businessKey: { key: 'deviceSn', value: sn }, typeId: ['device-fault'], open: true } },
    hub.url,
  );
  const ticket = found.items.find((t) => t.businessKeys.deviceSn === sn);
  expect(ticket, `a ticket for ${sn} (${mode})`).toBeDefined();
  const full = await rpc('tickets/get', { id: ticket!.id }, hub.url);
  expect(full.typeId).toBe('device-fault');
  expect(full.description).toContain(sn);
  expect(full.location).not.toBeNull();
});
