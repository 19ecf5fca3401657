import { expect, test, type Page } from '@playwright/test';
import {
  connectHub,
  importFleet,
  saveFeedConnector,
  startBroker,
  startFeeder,
  type Broker,
  type Feeder,
} from '../../scripts/bench/bench-heatmap';
import type { Device, TicketListResult } from '../../src-main/shared/contract';
import { rpc, saveScreenshot } from './helpers';

/**
 * The health heatmap and the device detail against the shared hub. The hub runs with `--demo`,
 * which seeds and simulates a fleet; a hub without a fleet gets one here (devices imported over
 * RPC, reporting over MQTT through a broker this test runs), so the spec checks the same screens
 * either way.
 */

let broker: Broker | null = null;
let feeder: Feeder | null = null;
let fleet: Device[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fleet = (await rpc('devices/list', {})).devices;
  if (fleet.length === 0) {
    const hub = await connectHub(process.env.WATCHFLOOR_E2E_URL!);
    try {
      broker = await startBroker();
      const sns = await importFleet(hub, 400, 'E2E', 20);
      await saveFeedConnector(hub, broker.url, 'e2e heatmap feed');
      feeder = await startFeeder(broker.url, sns);
    } finally {
      hub.close();
    }
    fleet = (await rpc('devices/list', {})).devices;
  }
  // Health arrives once the devices have reported.
  await expect
    .poll(async () => (await rpc('telemetry/stats', {})).devices.online, { timeout: 60_000 })
    .toBeGreaterThan(0);
});

test.afterAll(async () => {
  await feeder?.stop();
  await broker?.close();
});

const chart = (page: Page) => page.getByTestId('heatmap-chart');

async function openHeatmap(page: Page): Promise<void> {
  await page.goto('/heatmap');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await expect(chart(page)).toBeVisible();
  await expect(chart(page)).toHaveAttribute('data-frames', /^[1-9]\d*$/);
  await expect(page.getByTestId('heatmap-waiting')).toHaveCount(0, { timeout: 20_000 });
}

/** Page coordinates of the first cell's centre (the chart publishes it for tests). */
async function firstCell(page: Page): Promise<{ x: number; y: number }> {
  const at = await chart(page).getAttribute('data-first-cell');
  expect(at).toMatch(/^\d+,\d+$/);
  const [x, y] = at!.split(',').map(Number);
  const box = (await chart(page).boundingBox())!;
  return { x: box.x + x!, y: box.y + y! };
}

test('the heatmap draws the fleet, counts bands and updates live', async ({ page }, testInfo) => {
  await openHeatmap(page);
  await expect(chart(page)).toHaveAttribute('data-cells', String(fleet.length));
  const total = async () => {
    let sum = 0;
    for (const band of await page.getByTestId('heatmap-bands').locator('[data-band]').all())
      sum += Number(await band.getAttribute('data-count'));
    return sum;
  };
  expect(await total()).toBe(fleet.length);
  // The worst list shows degrading devices, or says there are none.
  await expect(page.getByTestId('heatmap-worst')).toBeVisible();

  // Live: new frames arrive about once a second and are applied without reloading.
  const frames = Number(await chart(page).getAttribute('data-frames'));
  const at = await page.getByTestId('heatmap-frame-at').getAttribute('data-at');
  await expect
    .poll(async () => Number(await chart(page).getAttribute('data-frames')))
    .toBeGreaterThan(frames + 1);
  await expect(page.getByTestId('heatmap-frame-at')).not.toHaveAttribute('data-at', at ?? '');

  // Other views of the same fleet.
  await page.getByTestId('heatmap-colour').selectOption('ripple');
  await expect(page.getByTestId('heatmap-legend-score')).toBeVisible();
  await page.getByTestId('heatmap-grouping').selectOption('siteMetric');
  await expect(chart(page)).toHaveAttribute('data-cols', /^[2-9]\d*$/);
  await page.getByTestId('heatmap-only-degrading').click();
  await expect(page.getByTestId('heatmap-only-degrading')).toHaveAttribute('aria-pressed', 'true');
  const sites = Number(await chart(page).getAttribute('data-rows'));
  expect(sites).toBeGreaterThan(0);
  await page.getByTestId('heatmap-search').fill('no-such-site-anywhere');
  await expect(page.getByTestId('heatmap-empty')).toBeVisible();
  await page.getByTestId('heatmap-search').fill('');
  await page.getByTestId('heatmap-only-degrading').click();
  await expect(page.getByTestId('heatmap-only-degrading')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('heatmap-grouping').selectOption('siteDevice');
  await page.getByTestId('heatmap-colour').selectOption('');
  await expect(chart(page)).toHaveAttribute('data-cells', String(fleet.length));
  await page.waitForTimeout(600);
  await saveScreenshot(page, 'heatmap', testInfo);
});

test('hover shows the device, click opens its detail, and a ticket opened there is listed', async ({
  page,
}, testInfo) => {
  await openHeatmap(page);
  const cell = await firstCell(page);
  await page.mouse.move(cell.x, cell.y);
  const tooltip = page.locator('.heatmap-tooltip');
  await expect(tooltip).toBeVisible();
  const sn = (await tooltip.locator('.hm-tip-title').innerText()).trim();
  expect(fleet.map((d) => d.sn)).toContain(sn);
  await expect(tooltip).toContainText('健康度');
  await expect(tooltip).toContainText('最近上报');

  await page.mouse.click(cell.x, cell.y);
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer).toHaveAttribute('data-sn', sn);
  await expect(drawer.getByTestId('device-sparkline').first()).toBeVisible();
  await expect(drawer.getByTestId('device-health-chart')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  // A degrading device from the worst list (the keyboard's way in as well); a fleet with none
  // degrading yet falls back to the first cell.
  const worst = page.getByTestId('heatmap-worst-item').first();
  const degrading = await worst.waitFor({ timeout: 20_000 }).then(
    () => true,
    () => false,
  );
  // The list re-sorts every second: read the device from the drawer, not from the list.
  if (degrading) await worst.click();
  else await page.mouse.click(cell.x, cell.y);
  await expect(drawer).toBeVisible();
  const bad = (await drawer.getAttribute('data-sn'))!;
  expect(fleet.map((d) => d.sn)).toContain(bad);
  await expect(drawer.getByTestId('device-metric')).not.toHaveCount(0);
  await expect(drawer.getByTestId('device-sparkline').first()).toBeVisible();
  // (Its level is not asserted: a device near a band edge may recover between list and drawer.)
  await expect(drawer.getByTestId('device-health')).toHaveAttribute(
    'data-level',
    /^(good|warn|alarm|offline|noData)$/,
  );

  await drawer.getByTestId('device-open-ticket').click();
  const dialog = page.getByTestId('device-ticket-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('device-ticket-title')).toHaveValue(new RegExp(bad));
  await expect(dialog.getByTestId('device-ticket-bizkey-key').first()).toHaveValue('deviceSn');
  await expect(dialog.getByTestId('device-ticket-bizkey-value').first()).toHaveValue(bad);
  await expect(dialog.getByTestId('device-ticket-description')).toHaveValue(/遥测快照/);
  await dialog.getByTestId('device-ticket-submit').click();
  await expect(dialog).toHaveCount(0);

  // The fault ticket just opened (the predictive loop may list a preventive one beside it).
  const found: TicketListResult = await rpc('tickets/list', {
    filter: { businessKey: { key: 'deviceSn', value: bad }, typeId: ['device-fault'], open: true },
  });
  const ticket = found.items[0];
  expect(ticket?.businessKeys.deviceSn).toBe(bad);
  const number = ticket!.number;
  const listed = drawer.locator(`[data-testid="device-ticket"][data-number="${number}"]`);
  await expect(listed).toBeVisible();
  const full = await rpc('tickets/get', { id: ticket!.id });
  expect(full.description).toContain(bad);
  if (fleet.find((d) => d.sn === bad)?.lng !== null) expect(full.location).not.toBeNull();
  await page.waitForTimeout(400);
  await saveScreenshot(page, 'heatmap-device-detail', testInfo);

  // The ticket opens on the board.
  await listed.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number);
  await expect(drawer).toHaveCount(0);
});

test('the heatmap and the device detail switch to English', async ({ page }, testInfo) => {
  await openHeatmap(page);
  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await expect(page.getByTestId('heatmap-page')).toContainText('Device heatmap');
  await expect(page.getByTestId('heatmap-bands')).toContainText('Alarm');
  await expect(page.getByTestId('heatmap-legend')).toContainText('Offline');
  // Keyboard: the chart takes focus, arrows move a cursor (with its tooltip), Enter opens it.
  await chart(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.heatmap-tooltip')).toBeVisible();
  await page.keyboard.press('Enter');
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer).toContainText('Device detail');
  await expect(drawer).toContainText('Health history');
  await expect(drawer.getByTestId('device-open-ticket')).toHaveText('Open ticket');
  await expect(drawer.getByTestId('device-sparkline').first()).toBeVisible();
  await page.waitForTimeout(400);
  await saveScreenshot(page, 'heatmap-en', testInfo);
  await drawer.getByTestId('device-drawer-close').click();
  await expect(drawer).toHaveCount(0);
});
