import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { root, rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * A model file that does not match its manifest (here: a byte flipped after training) must not be
 * scored, and people must see why: the header badge turns to a problem, the quality page names the
 * file and the reason, and the devices of the kind fall back to thresholds (rules only).
 */

let hub: Awaited<ReturnType<typeof startPrivateHub>>;
let models: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  models = mkdtempSync(join(tmpdir(), 'wf-e2e-models-'));
  cpSync(join(root, 'models', 'pv-inverter-lstm'), join(models, 'pv-inverter-lstm'), { recursive: true });
  writeFileSync(join(models, 'pv-inverter-lstm', 'model.onnx'), Buffer.from('not an onnx model'));
  hub = await startPrivateHub(300, ['--sim-devices', '100', '--models-dir', models]);
});

test.afterAll(async () => {
  await hub?.stop();
  rmSync(models, { recursive: true, force: true });
});

test('a model that does not match its manifest is refused, visibly, and the kind is scored by rules only', async ({
  page,
}, testInfo) => {
  const status = await rpc('predict/status', {}, hub.url);
  expect(status.models).toHaveLength(1);
  expect(status.models[0]).toMatchObject({ deviceKind: 'pv-inverter', state: 'invalid' });
  expect(status.models[0]!.error).toMatch(/model\.onnx/);
  await expect
    .poll(async () => (await rpc('predict/status', {}, hub.url)).rulesOnlyKinds)
    .toContain('pv-inverter');

  await page.goto(new URL('/quality', hub.url).href);
  await expect(page.getByTestId('model-status-badge')).toHaveAttribute('data-label', 'problem');
  const card = page.getByTestId('model-status').first();
  await expect(card).toHaveAttribute('data-state', 'invalid');
  await expect(card).toContainText('model.onnx');
  await saveScreenshot(page, 'predictive-bad-model', testInfo);
});
