import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Device } from '../../src-main/shared/contract';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium';
import { rpc, saveScreenshot } from './helpers';

/**
 * The GIS map against a hub of its own (the shared hub's registry belongs to other tests): the
 * simulated fleet is registered and running, the map draws it offline, colours follow health, and
 * a device opens its detail.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const FLEET = 2_000;

let hub: { url: string; stop: () => Promise<void> };
let devices: Device[] = [];

/** A hub of this file's own on a fresh data folder; `args` are added to `serve`. */
async function spawnHub(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-e2e-map-'));
  const child = spawn(
    process.execPath,
    [
      join(root, 'out', 'main', 'hub.js'),
      'serve',
      '--port',
      '0',
      '--mqtt-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the hub exited (${code}):\n${stderr}`)));
    });
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const placed = (ds: Device[]): Device[] =>
  ds.filter((d) => typeof d.lng === 'number' && typeof d.lat === 'number');

async function listDevices(): Promise<Device[]> {
  return (await rpc('devices/list', {}, hub.url)).devices;
}

/** The spec's own `--demo` hub registers and simulates the fleet; a stopped simulator is started. */
async function ensureFleet(): Promise<void> {
  const deadline = Date.now() + 90_000;
  let status = await rpc('simulator/status', {}, hub.url);
  if (!status.running && status.available) {
    status = await rpc('simulator/start', { devices: FLEET, speed: 7_200, seed: 11 }, hub.url);
  }
  expect(status.running, "the map spec needs its hub's simulator for live colours").toBe(true);
  while (Date.now() < deadline) {
    devices = await listDevices();
    if (placed(devices).length > 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('no device with a position appeared in devices/list');
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Two simulated hours per second: enough for devices to change colour while the test watches.
  hub = await spawnHub([
    '--demo',
    '--demo-count',
    '200',
    '--sim-devices',
    String(FLEET),
    '--sim-speed',
    '7200',
  ]);
  await ensureFleet();
});

test.afterAll(async () => {
  await hub?.stop();
});

const mapPage = (page: Page): Locator => page.getByTestId('map-page');

/**
 * Opens the map. Returns the requests that tried to leave this machine (aborted) and, in the same
 * list, page errors and the map's own error reports: both must stay empty.
 */
async function openMap(page: Page, query = ''): Promise<string[]> {
  const outside: string[] = [];
  page.on('pageerror', (err) => outside.push(`pageerror: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.text().startsWith('[map]')) outside.push(`console: ${m.text()}`);
  });
  const origin = new URL(hub.url).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on('websocket', (ws) => {
    if (!ws.url().startsWith(origin.replace(/^http/, 'ws'))) outside.push(ws.url());
  });
  await page.goto(new URL(`/map${query}`, hub.url).href);
  await expect(mapPage(page)).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  return outside;
}

/**
 * Pixels of the map canvas as the screen shows them (a WebGL canvas cannot be read back after it
 * was presented): a PNG screenshot decoded in the page.
 */
async function canvasPixels(page: Page): Promise<{ nonBackground: number; colours: number; total: number }> {
  const png = (await page.getByTestId('map-canvas').screenshot()).toString('base64');
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    const colours = new Set<number>();
    let nonBackground = 0;
    // The style's background is #070b10.
    for (let i = 0; i < data.length; i += 4 * 7) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (Math.abs(r - 7) + Math.abs(g - 11) + Math.abs(b - 16) > 12) nonBackground++;
      colours.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
    }
    return { nonBackground, colours: colours.size, total: Math.ceil(data.length / 28) };
  }, png);
}

async function legendCounts(page: Page): Promise<Record<string, number>> {
  const rows = page.getByTestId('map-legend-item');
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    out[(await row.getAttribute('data-bucket'))!] = Number(await row.getAttribute('data-count'));
  }
  return out;
}

const attr = async (page: Page, name: string): Promise<number> =>
  Number(await mapPage(page).getAttribute(name));

test('the map renders the base map, grid and every placed device without leaving the machine', async ({
  page,
}, testInfo) => {
  const outside = await openMap(page);
  const expected = placed(await listDevices()).length;
  await expect(mapPage(page)).toHaveAttribute('data-devices', String(expected));
  // Legend counts cover every placed device once.
  await expect
    .poll(async () => Object.values(await legendCounts(page)).reduce((a, b) => a + b, 0))
    .toBe(expected);
  const px = await canvasPixels(page);
  expect(px.nonBackground / px.total).toBeGreaterThan(0.2);
  expect(px.colours).toBeGreaterThan(20);
  await saveScreenshot(page, 'map-overview', testInfo);
  expect(outside).toEqual([]);
});

test('device colours follow live health through feature-state updates', async ({ page }) => {
  await openMap(page);
  const total = await attr(page, 'data-devices');
  // Health arrived: fewer than all devices are "no data".
  await expect
    .poll(async () => (await legendCounts(page)).noData ?? total, { timeout: 30_000 })
    .toBeLessThan(total);
  const frames0 = await attr(page, 'data-frames');
  const updates0 = await attr(page, 'data-state-updates');
  // Some device changes colour within the next frames (the simulator runs an hour per second).
  await expect
    .poll(async () => (await attr(page, 'data-state-updates')) - updates0, { timeout: 45_000 })
    .toBeGreaterThan(0);
  // Updates are per changed device, not the whole fleet each second.
  const frames = (await attr(page, 'data-frames')) - frames0;
  expect(frames).toBeGreaterThan(0);
  expect(await attr(page, 'data-last-changes')).toBeLessThan(total);
  expect(Number(await mapPage(page).getAttribute('data-apply-ms'))).toBeLessThan(50);
});

test('hover shows the device, click opens its detail', async ({ page }, testInfo) => {
  const target = placed(await listDevices())[0]!;
  const detailCalls: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
      if (text.includes('"telemetry/device"')) detailCalls.push(text);
    }),
  );
  const outside = await openMap(page, `?focus=${encodeURIComponent(target.sn)}`);
  expect(await attr(page, 'data-zoom')).toBeGreaterThan(14);
  // The focused device sits at the middle of the map.
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = page.getByTestId('map-tooltip');
  await expect(tooltip).toHaveAttribute('data-kind', 'device');
  // Another device may sit on the same spot; the tooltip names whichever is under the pointer.
  const sn = (await tooltip.getAttribute('data-sn'))!;
  await expect(tooltip).toContainText(sn);
  await expect(tooltip).toContainText(devices.find((d) => d.sn === sn)?.site ?? '');
  await saveScreenshot(page, 'map-device-hover', testInfo);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // The selection reaches the fleet store, which pulls the device's telemetry for the detail.
  await expect.poll(() => detailCalls.some((c) => c.includes(`"${sn}"`))).toBe(true);
  // The detail drawer (features/device-detail) opens on the clicked device.
  const drawer = page.getByTestId('device-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer).toHaveAttribute('data-sn', sn);
  await saveScreenshot(page, 'map-device-detail', testInfo);
  expect(outside).toEqual([]);
});

test('clicking a cluster zooms into it', async ({ page }) => {
  await openMap(page);
  expect(await attr(page, 'data-zoom')).toBeLessThan(11);
  const box = (await page.getByTestId('map-canvas').boundingBox())!;
  const tooltip = page.getByTestId('map-tooltip');
  // Find a cluster under the pointer by sweeping the map (clusters sit where the fleet is).
  let at: { x: number; y: number } | null = null;
  for (let y = box.y + 40; y < box.y + box.height - 40 && !at; y += 24) {
    for (let x = box.x + 200; x < box.x + box.width - 40 && !at; x += 24) {
      await page.mouse.move(x, y);
      if ((await tooltip.getAttribute('data-kind', { timeout: 50 }).catch(() => null)) === 'cluster')
        at = { x, y };
    }
  }
  expect(at, 'no cluster found on the map').not.toBeNull();
  await expect(tooltip).toContainText(/\d/);
  const z0 = await attr(page, 'data-zoom');
  await page.mouse.click(at!.x, at!.y);
  await expect.poll(() => attr(page, 'data-zoom')).toBeGreaterThan(z0 + 0.5);
});

test('toolbar: toggles, only degrading, fit; English labels', async ({ page }, testInfo) => {
  const problems = await openMap(page);
  const grid = page.getByTestId('map-toggle-grid');
  const base = page.getByTestId('map-toggle-base');
  await expect(grid).toHaveAttribute('aria-pressed', 'true');
  const before = await canvasPixels(page);
  await base.click();
  await grid.click();
  await expect(base).toHaveAttribute('aria-pressed', 'false');
  await expect(grid).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await canvasPixels(page)).nonBackground).toBeLessThan(before.nonBackground);
  await base.click();
  await grid.click();

  const degrading = page.getByTestId('map-toggle-degrading');
  await degrading.click();
  await expect(degrading).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-testid="map-legend-item"][data-bucket="good"]')).toHaveClass(/dim/);
  await page.waitForTimeout(500); // the clustered source is re-sent with the degrading devices only
  await saveScreenshot(page, 'map-only-degrading', testInfo);
  await degrading.click();

  // Keys: + zooms in, F fits the fleet again.
  const z0 = await attr(page, 'data-zoom');
  await page.keyboard.press('+');
  await expect.poll(() => attr(page, 'data-zoom')).toBeGreaterThan(z0 + 0.5);
  await page.getByTestId('map-fit').click();
  await expect.poll(() => attr(page, 'data-zoom')).toBeLessThan(z0 + 0.1);

  await expect(page.getByRole('heading', { name: '设备地图' })).toBeVisible();
  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await expect(page.getByRole('heading', { name: 'Device map' })).toBeVisible();
  await expect(page.getByTestId('map-toggle-degrading')).toHaveText('Only degrading');
  await expect(page.locator('[data-testid="map-legend-item"][data-bucket="good"]')).toContainText('Good');
  await saveScreenshot(page, 'map-overview-en', testInfo);
  await page.getByTestId('language-switch').locator('[data-lang="zh-CN"]').click();
  await expect(page.getByRole('heading', { name: '设备地图' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('an empty registry shows the empty state over the base map', async ({ page }, testInfo) => {
  // A hub of its own without demo data: no device at all.
  const empty = await spawnHub([]);
  try {
    await page.goto(new URL('/map', empty.url).href);
    await expect(page.getByTestId('map-empty')).toBeVisible({ timeout: 30_000 });
    await expect(mapPage(page)).toHaveAttribute('data-state', 'empty');
    await saveScreenshot(page, 'map-empty', testInfo);
  } finally {
    await empty.stop();
  }
});

test('without WebGL the page explains why instead of staying blank', async ({ playwright }, testInfo) => {
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--disable-webgl', '--disable-webgl2', '--disable-3d-apis'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(new URL('/map', hub.url).href);
    const error = page.getByTestId('map-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toHaveAttribute('data-kind', 'webgl');
    await expect(error).toContainText('WebGL');
    await expect(mapPage(page)).toHaveAttribute('data-state', 'failed');
    await saveScreenshot(page, 'map-no-webgl', testInfo);
  } finally {
    await browser.close();
  }
});
