import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { connectAsync } from 'mqtt';
import { rpc, saveScreenshot, uniqueTag } from './helpers';

/**
 * The devices page: registry import and editing, MQTT connectors with their state and write-only
 * password, and the data-quality view. It runs against a hub of its own, without demo data, so the
 * registry is empty and the embedded broker's port is known (read from the hub's output).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Hub {
  url: string;
  /** mqtt://… of the embedded broker, or null when this build runs none. */
  broker: string | null;
  stop: () => Promise<void>;
}

/** The test's environment without settings that would point this hub at another broker. */
function hubEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WATCHFLOOR_BROKER_URL;
  delete env.WATCHFLOOR_MQTT_PORT;
  return env;
}

async function startHub(): Promise<Hub> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-e2e-devices-'));
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
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: hubEnv() },
  );
  let stderr = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Watchfloor running at (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the hub exited (${code}):\n${stderr}`)));
  });
  // The broker line follows the URL line at once when there is one.
  await new Promise((r) => setTimeout(r, 300));
  const broker = /MQTT broker \(embedded\) at (mqtt:\/\/\S+)/.exec(out)?.[1] ?? null;
  return {
    url,
    broker,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let hub: Hub;
test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  hub = await startHub();
});
test.afterAll(async () => {
  await hub?.stop();
});

async function openDevices(page: Page, tab: 'devices' | 'connectors' | 'quality' = 'devices'): Promise<void> {
  await page.goto(new URL('/devices', hub.url).href);
  await expect(page.getByTestId('devices-page')).toBeVisible();
  await page.getByTestId(`devices-tab-${tab}`).click();
  await expect(page.getByTestId(`devices-tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
}

const sns = { a: '', b: '', bad: '', c: '' };

test('import a CSV: the dry run reports the bad row and field, then the valid rows are imported', async ({
  page,
}, testInfo) => {
  const tag = uniqueTag('imp').toUpperCase();
  Object.assign(sns, { a: `E2E-${tag}-A`, b: `E2E-${tag}-B`, bad: `E2E-${tag}-X`, c: `E2E-${tag}-C` });
  const csv = [
    'sn,kind,site,region,lng,lat,model,installDate,metadata.owner',
    `${sns.a},pv-inverter,测试光伏站,东区,118.80100,32.05100,SG110CX,2024-05-20,运维一班`,
    `${sns.bad},pv-inverter,测试光伏站,东区,118.80200,95,SG110CX,2024-05-20,运维一班`,
    `${sns.b},pv-inverter,测试光伏站,东区,118.80300,32.05300,SG110CX,,`,
  ].join('\n');

  await openDevices(page);
  await expect(page.getByTestId('devices-empty')).toBeVisible();
  await page.getByTestId('devices-import').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('import-file-input').setInputFiles({
    name: 'devices.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });

  // Dry run: counts of what would happen, and the bad row with its field.
  await expect(page.getByTestId('import-check')).toBeVisible();
  await expect(page.getByTestId('import-check-rows')).toHaveAttribute('data-value', '3');
  await expect(page.getByTestId('import-check-created')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('import-check-errorRows')).toHaveAttribute('data-value', '1');
  const bad = page.getByTestId('import-error-row');
  await expect(bad).toHaveCount(1);
  await expect(bad).toHaveAttribute('data-row', '2');
  await expect(bad).toHaveAttribute('data-path', 'lat');
  await expect(bad).toContainText(sns.bad);
  // Nothing was saved by the check.
  expect((await rpc('devices/list', {}, hub.url)).devices).toHaveLength(0);
  await saveScreenshot(page, 'devices-import-check', testInfo);

  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result-created')).toHaveAttribute('data-value', '2');
  await page.getByTestId('import-close').click();
  await expect(dialog).toBeHidden();

  await expect(page.getByTestId('device-row')).toHaveCount(2);
  await expect(page.locator(`[data-testid="device-row"][data-sn="${sns.a}"]`)).toContainText('测试光伏站');
  await expect(page.locator(`[data-testid="device-row"][data-sn="${sns.bad}"]`)).toHaveCount(0);

  // A JSON file dropped on the registry goes through the same check: one device updated.
  const json = JSON.stringify([
    {
      sn: sns.c,
      kind: 'pv-inverter',
      site: '测试光伏站',
      region: '西区',
      lng: 118.7,
      lat: 32.1,
      model: 'SG250HX',
      installDate: '2023-11-02',
      metadata: {},
    },
  ]);
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'more.json', { type: 'application/json' }));
    return dt;
  }, json);
  await page.getByTestId('registry').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('import-check-created')).toHaveAttribute('data-value', '1');
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result-created')).toHaveAttribute('data-value', '1');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await expect(page.getByTestId('device-row')).toHaveCount(3);
});

test('edit a device: Enter saves, a concurrent edit is a clear CONFLICT merged on request', async ({
  page,
}) => {
  await openDevices(page);
  const row = page.locator(`[data-testid="device-row"][data-sn="${sns.a}"]`);
  await row.hover();
  await row.getByTestId('device-edit').click();
  const dialog = page.getByTestId('device-dialog');
  await expect(dialog).toBeVisible();
  // The SN is the key: read-only while editing.
  await expect(page.getByTestId('device-field-sn')).toHaveAttribute('readonly', '');
  await page.getByTestId('device-field-site').fill('改名光伏站');
  await page.getByTestId('device-field-site').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('改名光伏站');

  // A server-side validation error lands at its field: a latitude out of range.
  await row.getByTestId('device-edit').click();
  await page.getByTestId('device-field-lat').fill('91');
  await page.getByTestId('device-save').click();
  await expect(page.getByTestId('field-error-lat')).toBeVisible();
  await page.getByTestId('device-field-lat').fill('32.05100');

  // Someone else edits the model meanwhile; our save is refused, then merged and saved.
  const current = await rpc('devices/get', { sn: sns.a }, hub.url);
  await rpc(
    'devices/upsert',
    {
      device: {
        sn: current.sn,
        kind: current.kind,
        site: current.site,
        region: current.region,
        lng: current.lng,
        lat: current.lat,
        model: 'OTHER-EDIT',
        installDate: current.installDate,
        metadata: current.metadata,
      },
      version: current.version,
    },
    hub.url,
  );
  await page.getByTestId('device-field-region').fill('北区');
  await page.getByTestId('device-save').click();
  await expect(page.getByTestId('device-conflict')).toBeVisible();
  await expect(page.getByTestId('device-conflict')).toHaveAttribute('data-code', 'CONFLICT');
  await page.getByTestId('device-take-latest').click();
  await expect(page.getByTestId('device-merged')).toBeVisible();
  await page.getByTestId('device-save').click();
  await expect(dialog).toBeHidden();
  const saved = await rpc('devices/get', { sn: sns.a }, hub.url);
  expect(saved).toMatchObject({ region: '北区', model: 'OTHER-EDIT', site: '改名光伏站' });

  // Add dialog: Escape closes it; a taken SN is refused before sending.
  await page.getByTestId('devices-add').click();
  await page.getByTestId('device-field-sn').fill(sns.b);
  await page.getByTestId('device-save').click();
  await expect(page.getByTestId('field-error-sn')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('device-dialog')).toBeHidden();

  // Remove with confirmation, then undo.
  const rowB = page.locator(`[data-testid="device-row"][data-sn="${sns.b}"]`);
  await rowB.hover();
  await rowB.getByTestId('device-remove').click();
  await page.getByTestId('device-remove-confirm').click();
  await expect(rowB).toHaveCount(0);
  await page.getByTestId('devices-undo-button').click();
  await expect(rowB).toHaveCount(1);
});

test('a connector to a bad URL shows its error in the list and the header; the password never comes back', async ({
  page,
}, testInfo) => {
  const secret = `pw-${uniqueTag('secret')}`;
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) =>
      frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString()),
    );
  });
  await openDevices(page, 'connectors');
  const name = `坏地址 ${uniqueTag('c')}`;
  await page.getByTestId('connector-add').click();
  const dialog = page.getByTestId('connector-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('connector-field-name').fill(name);
  await page.getByTestId('connector-field-url').fill('mqtt://127.0.0.1:1');
  await page.getByTestId('connector-field-username').fill('ops');
  await page.getByTestId('connector-password-input').fill(secret);
  // The default mapping has an empty metric: the form says where before anything is sent.
  await page.getByTestId('connector-save').click();
  await expect(page.getByTestId('cfield-error-mappings.0.metrics.0.metric')).toBeVisible();
  await expect(page.getByTestId('cfield-error-mappings.0.metrics.0.path')).toBeVisible();
  await page.getByTestId('connector-metric-name').fill('ripple');
  await page.getByTestId('connector-metric-path').fill('$.ripple');
  await page.getByTestId('connector-save').click();
  await expect(dialog).toBeHidden();

  const item = page.locator(`[data-testid="connector-item"][data-name="${name}"]`);
  await expect(item).toHaveAttribute('data-look', /^(error|reconnecting)$/, { timeout: 20_000 });
  await expect(item.getByTestId('connector-error')).not.toBeEmpty();

  const indicator = page.getByTestId('connectors-indicator');
  await expect(indicator).toHaveAttribute('data-state', /^(down|degraded)$/);
  await indicator.hover();
  await expect(page.getByTestId('connectors-tooltip')).toContainText(name);
  await saveScreenshot(page, 'devices-connectors-error', testInfo);

  // Editing shows only that a password is set, never the value.
  await item.getByTestId('connector-edit').click();
  await expect(page.getByTestId('connector-password-state')).toHaveAttribute('data-state', 'set');
  await expect(page.getByTestId('connector-password-input')).toHaveCount(0);
  await expect(page.getByTestId('connector-dialog')).not.toContainText(secret);
  await page.keyboard.press('Escape');

  const listed = JSON.stringify(await rpc('connectors/list', {}, hub.url));
  expect(listed).not.toContain(secret);
  expect(listed).toContain('"hasPassword":true');
  expect(frames.length).toBeGreaterThan(0);
  expect(frames.join('\n')).not.toContain(secret);

  // The header badge leads to this tab from anywhere.
  await page.goto(new URL('/', hub.url).href);
  await page.getByTestId('connectors-indicator').click();
  await expect(page.getByTestId('devices-tab-connectors')).toHaveAttribute('aria-selected', 'true');

  // Delete with confirmation.
  await page
    .locator(`[data-testid="connector-item"][data-name="${name}"]`)
    .getByTestId('connector-remove')
    .click();
  await page.getByTestId('connector-remove-confirm').click();
  await expect(page.locator(`[data-testid="connector-item"][data-name="${name}"]`)).toHaveCount(0);
});

test('data quality counts bad payloads per reason and lists quarantined samples', async ({
  page,
}, testInfo) => {
  if (hub.broker) {
    const topicRoot = uniqueTag('dq');
    await rpc(
      'connectors/save',
      {
        settings: {
          name: '质量测试接入',
          url: 'embedded://',
          clientId: `wf-${topicRoot}`,
          subscriptions: [{ topic: `${topicRoot}/+/telemetry`, qos: 1 }],
          mappings: [
            {
              topic: `${topicRoot}/{sn}/telemetry`,
              sn: { from: 'topic' },
              timestamp: { from: 'receive' },
              metrics: [{ metric: 'ripple', path: '$.ripple' }],
            },
          ],
        },
      },
      hub.url,
    );
    await expect
      .poll(
        async () =>
          (await rpc('connectors/list', {}, hub.url)).find((c) => c.name === '质量测试接入')?.status.state,
        {
          timeout: 20_000,
        },
      )
      .toBe('connected');
    const client = await connectAsync(hub.broker, { clientId: `${topicRoot}-pub` });
    try {
      for (let i = 0; i < 5; i++)
        await client.publishAsync(`${topicRoot}/${sns.a}/telemetry`, `{"ripple": oops ${i}`);
      for (let i = 0; i < 3; i++)
        await client.publishAsync(
          `${topicRoot}/NOT-REGISTERED-${i}/telemetry`,
          JSON.stringify({ ripple: 1 }),
        );
    } finally {
      await client.endAsync();
    }
  }

  await openDevices(page, 'quality');
  await expect(page.getByTestId('data-quality')).toBeVisible();
  await expect(page.getByTestId('dq-updated')).not.toHaveText(/…|加载/);
  if (!hub.broker) {
    // This build has no embedded broker: the view shows its counters at zero and the empty state.
    await expect(page.getByTestId('dq-received')).toHaveAttribute('data-value', '0');
    await expect(page.getByTestId('dq-empty')).toBeVisible();
    await saveScreenshot(page, 'devices-data-quality', testInfo);
    return;
  }
  const malformed = page.locator('[data-testid="dq-reason"][data-reason="malformed-json"]');
  await expect(malformed).toHaveAttribute('data-count', /^([5-9]|\d\d+)$/, { timeout: 15_000 });
  await expect(page.locator('[data-testid="dq-reason"][data-reason="unknown-device"]')).toHaveAttribute(
    'data-count',
    /^([3-9]|\d\d+)$/,
  );
  await expect(page.getByTestId('dq-received')).not.toHaveAttribute('data-value', '0');
  await expect(page.locator('[data-testid="dq-sample"][data-reason="malformed-json"]').first()).toContainText(
    'oops',
  );

  await page.getByTestId('dq-reason-filter').selectOption('unknown-device');
  await expect(page.locator('[data-testid="dq-sample"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="dq-sample"]:not([data-reason="unknown-device"])')).toHaveCount(0);
  await page.getByTestId('dq-reason-filter').selectOption('');
  await saveScreenshot(page, 'devices-data-quality', testInfo);
});

test('screenshots of the registry and keyboard use of the tabs', async ({ page }, testInfo) => {
  await openDevices(page);
  await expect(page.getByTestId('device-row').first()).toBeVisible();
  await saveScreenshot(page, 'devices-registry', testInfo);
  // Tabs: one tab stop, arrows move between them.
  await page.getByTestId('devices-tab-devices').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('devices-tab-connectors')).toBeFocused();
  await expect(page.getByTestId('devices-tab-connectors')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('connectors-tab')).toBeVisible();
  await saveScreenshot(page, 'devices-connectors', testInfo);
  await page.getByTestId('connector-add').click();
  await saveScreenshot(page, 'devices-connector-form', testInfo);
  // Focus stays in the dialog while tabbing.
  for (let i = 0; i < 60; i++) await page.keyboard.press('Tab');
  expect(
    await page.evaluate(() => !!document.activeElement?.closest('[data-testid="connector-dialog"]')),
  ).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('connector-dialog')).toBeHidden();
});
