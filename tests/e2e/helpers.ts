import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import WebSocket from 'ws';
import type { CoreMethods } from '../../src-main/shared/contract';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where the screenshots the issue asks for are kept (outside Playwright's cleaned output folder). */
export const SCREENSHOT_DIR = join(root, 'test-results', 'screenshots');

/**
 * A token unique to this run and call: lower-case ASCII letters and digits only, so the full-text
 * index keeps it as one word and a search for it finds exactly the tickets that carry it.
 */
let counter = 0;
export function uniqueTag(prefix = 'e2e'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Random Chinese characters (for searches that must match one ticket's title and nothing else). */
export function uniqueChinese(length: number): string {
  const pool = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土风雷云霞';
  let out = '';
  for (let i = 0; i < length; i++) out += pool[Math.floor(Math.random() * pool.length)];
  return out;
}

function hubUrl(): string {
  const url = process.env.WATCHFLOOR_E2E_URL;
  if (!url) throw new Error('WATCHFLOOR_E2E_URL is not set: the global setup did not start the hub');
  return url;
}

/**
 * One call over the hub's WebSocket RPC, from the test process (a fresh connection each time, so
 * no state is shared with the pages under test).
 */
export async function rpc<M extends keyof CoreMethods>(
  method: M,
  params: CoreMethods[M]['params'],
  hub: string = hubUrl(),
): Promise<CoreMethods[M]['result']> {
  const url = new URL('/rpc', hub);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  try {
    return await new Promise<CoreMethods[M]['result']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rpc ${method}: no answer in 10 s`)), 10_000);
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method, params })));
      ws.on('message', (data: WebSocket.RawData) => {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.from(data as ArrayBuffer).toString('utf8');
        const msg = JSON.parse(text) as {
          id?: unknown;
          result?: unknown;
          error?: { code: string; message: string };
        };
        if (msg.id !== 1) return; // a push
        clearTimeout(timer);
        if (msg.error) reject(new Error(`rpc ${method}: ${msg.error.code} ${msg.error.message}`));
        else resolve(msg.result as CoreMethods[M]['result']);
      });
    });
  } finally {
    ws.close();
  }
}

/** Opens the console board and waits until it is connected and the first count is known. */
export async function openBoard(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', /^\d+$/);
}

/** Types into the board's search box and commits it with Enter. */
export async function search(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('search-input');
  await input.fill(text);
  await input.press('Enter');
}

/** The board's total (data-total) as a number; NaN while it is still counting. */
export function totalOf(page: Page): Promise<number> {
  return page
    .getByTestId('total-count')
    .getAttribute('data-total')
    .then((v) => (v ? Number(v) : Number.NaN));
}

export const rows = (page: Page): Locator => page.getByTestId('ticket-row');
export const rowByNumber = (page: Page, number: string): Locator =>
  page.locator(`[data-testid="ticket-row"][data-number="${number}"]`);

/** Opens a ticket by searching for its tag and clicking its row; waits for the drawer to show it. */
export async function openTicket(page: Page, tag: string, number: string): Promise<void> {
  await search(page, tag);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  await rowByNumber(page, number).click();
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number);
  await expect(page.getByTestId('history-timeline')).toBeVisible();
}

/** A ticket made over the RPC for a test's own use, titled with its tag. */
export async function createTicket(
  tag: string,
  overrides: Partial<CoreMethods['tickets/create']['params']> = {},
): Promise<CoreMethods['tickets/create']['result']> {
  return rpc('tickets/create', {
    typeId: 'device-fault',
    title: `E2E 测试工单 ${tag}`,
    priority: 'P3',
    businessKeys: { deviceSn: `SN-${tag}` },
    ...overrides,
  });
}

/**
 * Waits until no row is a placeholder and nothing is animating into place, then saves a PNG to
 * test-results/screenshots/ and attaches it to the report.
 */
export async function saveScreenshot(page: Page, name: string, testInfo: TestInfo): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await expect(page.getByTestId('ticket-row-placeholder')).toHaveCount(0);
  await expect(page.getByTestId('kanban-card-placeholder')).toHaveCount(0);
  // Fonts (Noto CJK) must be in before the picture is taken, or Chinese shows as boxes.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}

/**
 * A second hub of its own (fresh data folder, demo data only), for pictures that must not show
 * the tickets other tests create on the shared hub. Returns its URL and a stop function.
 */
export async function startPrivateHub(
  demoCount = 3000,
  /** More `serve` options; the default keeps the simulated fleet small. */
  args: readonly string[] = ['--sim-devices', '600'],
): Promise<{ url: string; mqttUrl: string; dataDir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-e2e-private-'));
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
      '--demo',
      '--demo-count',
      String(demoCount),
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { url, mqttUrl } = await new Promise<{ url: string; mqttUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
      const broker = /MQTT broker \(embedded\) at (mqtt:\/\/\S+)/.exec(out);
      // With --broker-url the hub runs no broker of its own and prints no broker line.
      const external = args.includes('--broker-url');
      if (m && (broker || external)) resolve({ url: m[1]!, mqttUrl: broker?.[1] ?? '' });
    });
    child.once('exit', (code) => reject(new Error(`the private hub exited (${code}):\n${stderr}`)));
  });
  const stop = async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, mqttUrl, dataDir: join(dir, 'data'), stop };
}
