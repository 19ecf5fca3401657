import { expect, test, type Page } from '@playwright/test';
import { rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * The simulator tab of the devices page, on hubs of their own (the shared hub's simulator must
 * not be stopped or resized under other tests): a demo hub whose fleet of 600 runs from the start,
 * and one started with --no-sim, where the simulator is available but stopped.
 */

type Hub = Awaited<ReturnType<typeof startPrivateHub>>;
let hub: Hub;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(90_000);
  hub = await startPrivateHub(300);
});
test.afterAll(async () => {
  await hub?.stop();
});

async function openSimulator(page: Page, url: string): Promise<void> {
  await page.goto(new URL('/devices', url).href);
  await expect(page.getByTestId('devices-page')).toBeVisible();
  await page.getByTestId('devices-tab-simulator').click();
  await expect(page.getByTestId('devices-tab-simulator')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('simulator-tab')).toBeVisible();
}

/** Counts `simulator/start` calls the page sends over its RPC socket. */
function countStartCalls(page: Page): () => number {
  let starts = 0;
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => {
      if (typeof frame.payload === 'string' && frame.payload.includes('"simulator/start"')) starts++;
    });
  });
  return () => starts;
}

const publishedOf = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('sim-published').getAttribute('data-value'));

test('the demo fleet runs live; stop, then start 800 devices at 600×', async ({ page, context }) => {
  test.setTimeout(90_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openSimulator(page, hub.url);

  const state = page.getByTestId('sim-state');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(state).toContainText('运行中');
  await expect(page.getByTestId('sim-devices')).toHaveAttribute('data-value', '600');
  await expect(page.getByTestId('sim-devices')).toContainText('600 台');
  await expect(page.getByTestId('sim-broker')).toContainText('mqtt://');
  // The published count is pushed about once a second: it rises while the tab is open.
  await expect.poll(() => publishedOf(page)).toBeGreaterThan(0);
  const first = await publishedOf(page);
  await expect.poll(() => publishedOf(page), { timeout: 15_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId('sim-rate')).toContainText('条/秒');
  await expect(page.getByTestId('sim-start')).toHaveText('按此参数重新启动');

  // The ground-truth path is shown and copied as is.
  const truth = page.getByTestId('sim-ground-truth');
  await expect(truth).toContainText('simulator-ground-truth');
  const path = (await truth.locator('code').textContent())!;
  await page.getByTestId('sim-copy-ground-truth').click();
  await expect(page.getByTestId('sim-copy-ground-truth')).toContainText('已复制');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(path);

  // Stop.
  await page.getByTestId('sim-stop').click();
  await expect(state).toHaveAttribute('data-state', 'stopped');
  await expect(state).toContainText('已停止');
  await expect(page.getByTestId('sim-stop')).toBeDisabled();
  await expect(page.getByTestId('sim-start')).toHaveText('启动');

  // Start 800 devices at 600×: the preset and the typed count.
  await page.getByTestId('sim-field-devices').fill('800');
  await page.getByTestId('sim-preset-speed-600').click();
  await expect(page.getByTestId('sim-preset-speed-600')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('sim-field-speed')).toHaveValue('600');
  await page.getByTestId('sim-start').click();
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 30_000 });
  await expect(page.getByTestId('sim-devices')).toHaveAttribute('data-value', '800');
  await expect(page.getByTestId('sim-speed')).toHaveAttribute('data-value', '600');
  await expect(page.getByTestId('sim-speed')).toContainText('600× — 10 模拟分钟/秒');
  await expect(page.getByTestId('simulator-action-error')).toHaveCount(0);
  const { devices } = await rpc('devices/list', {}, hub.url);
  expect(devices.length).toBeGreaterThanOrEqual(800);
  const status = await rpc('simulator/status', {}, hub.url);
  expect(status).toMatchObject({ running: true, devices: 800, speed: 600 });
});

test('a bad value is refused at its field and start is not called', async ({ page }) => {
  const starts = countStartCalls(page);
  await openSimulator(page, hub.url);
  await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'running');
  const before = await rpc('simulator/status', {}, hub.url);

  await page.getByTestId('sim-field-devices').fill('0');
  await page.getByTestId('sim-start').click();
  await expect(page.getByTestId('sim-error-devices')).toHaveText(/1 到 20,000 之间的整数/);
  await expect(page.getByTestId('sim-field-devices')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('sim-fix-fields')).toBeVisible();

  await page.getByTestId('sim-field-devices').fill('30000');
  await page.getByTestId('sim-field-speed').fill('0');
  // Enter in a field submits the form the same way.
  await page.getByTestId('sim-field-speed').press('Enter');
  await expect(page.getByTestId('sim-error-devices')).toBeVisible();
  await expect(page.getByTestId('sim-error-speed')).toHaveText(/1 到 86,400/);

  // Fixed values clear the messages as they are typed.
  await page.getByTestId('sim-preset-devices-2000').click();
  await expect(page.getByTestId('sim-error-devices')).toHaveCount(0);
  expect(starts()).toBe(0);
  const after = await rpc('simulator/status', {}, hub.url);
  expect(after.startedAt).toBe(before.startedAt);
});

test('English, and the screenshot', async ({ page }, testInfo) => {
  await openSimulator(page, hub.url);
  await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'running');
  await expect.poll(() => publishedOf(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('sim-rate')).toContainText('条/秒', { timeout: 15_000 });
  await saveScreenshot(page, 'simulator', testInfo);

  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await expect(page.getByTestId('devices-tab-simulator')).toHaveText('Simulator');
  await expect(page.getByTestId('sim-state')).toHaveText('Running');
  await expect(page.getByTestId('sim-speed')).toHaveText('600× — 10 simulated minutes/s');
  await expect(page.getByTestId('sim-start')).toHaveText('Restart with these settings');
  await page.getByTestId('sim-field-devices').fill('30000');
  await page.getByTestId('sim-start').click();
  await expect(page.getByTestId('sim-error-devices')).toHaveText('Enter a whole number from 1 to 20,000');
  await saveScreenshot(page, 'simulator-en', testInfo);
});

test('the tabs keep their keyboard order with the simulator beside the connectors', async ({ page }) => {
  await openSimulator(page, hub.url);
  await page.getByTestId('devices-tab-simulator').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('devices-tab-quality')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('devices-tab-connectors')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('devices-tab-simulator')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('simulator-tab')).toBeVisible();
});

test('with --no-sim the simulator is available but stopped, and starts from the tab', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const idle = await startPrivateHub(300, ['--sim-devices', '600', '--no-sim']);
  try {
    await openSimulator(page, idle.url);
    await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'stopped');
    await expect(page.getByTestId('sim-started-at')).toHaveText('尚未启动');
    await expect(page.getByTestId('sim-ground-truth')).toHaveText('启动后生成');
    await expect(page.getByTestId('sim-published')).toHaveAttribute('data-value', '0');
    await expect(page.getByTestId('sim-field-devices')).toHaveValue('600');
    await expect(page.getByTestId('sim-stop')).toBeDisabled();
    await saveScreenshot(page, 'simulator-stopped', testInfo);

    // 20,000 devices take seconds to register: the button says so meanwhile and the form is locked.
    await page.getByTestId('sim-preset-devices-20000').click();
    await page.getByTestId('sim-preset-speed-3600').click();
    await page.getByTestId('sim-field-seed').fill('42');
    await page.getByTestId('sim-start').click();
    await expect(page.getByTestId('sim-start')).toHaveText('正在登记设备并启动…');
    await expect(page.getByTestId('sim-field-devices')).toBeDisabled();
    await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    await expect(page.getByTestId('sim-devices')).toHaveAttribute('data-value', '20000');
    await expect(page.getByTestId('sim-start')).toHaveText('按此参数重新启动');
    await expect(page.getByTestId('sim-speed')).toContainText('3600× — 1 模拟小时/秒');
    await expect(page.getByTestId('sim-seed')).toHaveAttribute('data-value', '42');
    await expect.poll(() => publishedOf(page), { timeout: 15_000 }).toBeGreaterThan(0);
  } finally {
    await idle.stop();
  }
});

test('a broker that cannot be reached: start fails with a clear error and the tab stays usable', async ({
  page,
}) => {
  test.setTimeout(60_000);
  // Port 1 on loopback refuses connections: the one-setting external broker is down.
  const down = await startPrivateHub(50, ['--broker-url', 'mqtt://127.0.0.1:1', '--no-sim']);
  try {
    await openSimulator(page, down.url);
    await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'stopped');
    await page.getByTestId('sim-field-devices').fill('100');
    await page.getByTestId('sim-start').click();
    const error = page.getByTestId('simulator-action-error');
    await expect(error).toBeVisible({ timeout: 20_000 });
    await expect(error).toContainText('UNAVAILABLE');
    await expect(error).toContainText('127.0.0.1:1');
    await expect(page.getByTestId('sim-state')).toHaveAttribute('data-state', 'stopped');
    await expect(page.getByTestId('sim-start')).toBeEnabled();
  } finally {
    await down.stop();
  }
});
