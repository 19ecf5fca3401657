import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { PredictConfig } from '../../src-main/shared/contract';
import { rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * The predictive configuration as business staff edit it, on a hub of its own: a weight changed
 * with a note is saved and logged; a weather URL without {lat}/{lng} is refused in the form; an
 * imported file with a broken SOP reference is refused by the server with the issue's path; a
 * stale version keeps the draft and offers to reload.
 */

let hub: Awaited<ReturnType<typeof startPrivateHub>>;
let dir: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  hub = await startPrivateHub(300, ['--sim-devices', '100']);
  dir = mkdtempSync(join(tmpdir(), 'wf-e2e-cfg-'));
});

test.afterAll(async () => {
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const current = () => rpc('predict/config', {}, hub.url);

async function openConfig(page: Page): Promise<void> {
  await page.goto(new URL('/quality', hub.url).href);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await page.getByTestId('quality-tab-config').click();
  await expect(page.getByTestId('config-form')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('config-knowledge')).toBeVisible();
}

const nudge = (v: number) => Math.round((v >= 0.9 ? v - 0.05 : v + 0.05) * 100) / 100;

test('a weight changed with a note is saved, logged and served; a bad weather URL is refused in the form', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await openConfig(page);
  const before = await current();
  await expect(page.getByTestId('predict-config')).toHaveAttribute('data-version', String(before.version));

  // The read-only overview shows the seeded knowledge graph, depots and engineers.
  const kind = before.config.knowledge[0]!;
  if (before.config.knowledge.length > 1)
    await page.locator(`[data-testid="config-kind"][data-kind="${kind.deviceKind}"]`).click();
  await expect(page.getByTestId('config-mode')).toHaveCount(kind.modes.length);
  await expect(page.getByTestId('config-depot')).toHaveCount(before.config.depots.length);
  await expect(page.getByTestId('config-engineer')).toHaveCount(before.config.engineers.length);

  // An invalid weather URL: a field error, nothing sent.
  const form = page.getByTestId('config-form');
  await form.getByTestId('config-weatherUrl').fill('https://wx.example.com/forecast?city=hangzhou');
  await form.getByTestId('config-note').fill('e2e：改天气地址');
  await form.getByTestId('config-save').click();
  await expect(form.getByTestId('config-error-weatherUrl')).toBeVisible();
  await expect(form.locator('.field.has-error')).toHaveCount(1);
  expect((await current()).version).toBe(before.version);
  await form.getByTestId('config-revert').click();
  await expect(form.getByTestId('config-weatherUrl')).toHaveValue(before.config.weather.url ?? '');
  await expect(form.getByTestId('config-error-weatherUrl')).toHaveCount(0);

  // A weight without a note: refused until the reason is written.
  const next = nudge(before.config.dispatch.weights.slaRisk);
  await form.getByTestId('config-note').fill('');
  await form.getByTestId('config-slaRisk').fill(String(next));
  await form.getByTestId('config-save').click();
  await expect(form.getByTestId('config-note-error')).toBeVisible();
  expect((await current()).version).toBe(before.version);

  await form.getByTestId('config-note').fill('e2e：夜间 SLA 风险偏高，调整 SLA 权重');
  await form.getByTestId('config-note').press('Enter');
  await expect(form.getByTestId('config-saved')).toBeVisible();
  const after = await current();
  expect(after.version).toBe(before.version + 1);
  expect(after.config.dispatch.weights.slaRisk).toBeCloseTo(next, 5);
  expect(after.config.knowledge).toEqual(before.config.knowledge);
  expect(after.changes[0]).toMatchObject({
    version: after.version,
    note: 'e2e：夜间 SLA 风险偏高，调整 SLA 权重',
    sections: ['dispatch'],
  });
  const logged = page.locator(`[data-testid="config-change"][data-version="${after.version}"]`);
  await expect(logged).toContainText('e2e：夜间 SLA 风险偏高，调整 SLA 权重');
  await expect(logged).toContainText(after.changes[0]!.actor.name);
  await expect(logged.locator('[data-section="dispatch"]')).toBeVisible();
  await expect(page.getByTestId('config-change').first()).toHaveAttribute(
    'data-version',
    String(after.version),
  );
  await expect(form.getByTestId('config-slaRisk')).toHaveValue(String(next));

  // Export downloads exactly what the server holds.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('config-export').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`predict-config-v${after.version}.json`);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as PredictConfig;
  expect(exported).toEqual(after.config);

  await saveScreenshot(page, 'predict-config', testInfo);
});

test('an import with a broken SOP reference is refused with its path; a non-JSON file changes nothing', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await openConfig(page);
  const before = await current();

  const notJson = join(dir, 'not-json.json');
  writeFileSync(notJson, 'weights: 0.5\n');
  await page.getByTestId('config-import-input').setInputFiles(notJson);
  const dialog = page.getByTestId('config-import-dialog');
  await expect(dialog.getByTestId('config-import-issues')).toBeVisible();
  await expect(dialog.locator('[data-testid="config-issue"][data-path="(file)"]')).toContainText('not JSON');
  await expect(dialog.getByTestId('config-import-save')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  const broken = structuredClone(before.config);
  broken.knowledge[0]!.modes[0]!.sopId = 'sop-does-not-exist';
  const brokenFile = join(dir, 'broken-sop.json');
  writeFileSync(brokenFile, JSON.stringify(broken, null, 2));
  await page.getByTestId('config-import-input').setInputFiles(brokenFile);
  await expect(dialog.getByTestId('config-import-preview')).toBeVisible();
  await expect(dialog.getByTestId('config-import-section')).toHaveCount(1);
  await expect(dialog.getByTestId('config-import-section')).toHaveAttribute('data-section', 'knowledge');
  await dialog.getByTestId('config-import-save').click();
  await expect(dialog.getByTestId('config-import-note-error')).toBeVisible();
  await dialog.getByTestId('config-import-note').fill('e2e：导入知识图谱');
  await dialog.getByTestId('config-import-save').click();
  const issue = dialog.locator(
    '[data-testid="config-import-server-issues"] [data-testid="config-issue"][data-path="config.knowledge.0.modes.0.sopId"]',
  );
  await expect(issue).toContainText('sop-does-not-exist');
  await saveScreenshot(page, 'predict-config-import-refused', testInfo);
  expect((await current()).version).toBe(before.version);
  await dialog.getByRole('button', { name: /取消|Cancel/ }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('predict-config')).toHaveAttribute('data-version', String(before.version));

  // The same file repaired imports, and the log names the section.
  const fixed = structuredClone(broken);
  fixed.knowledge[0]!.modes[0]!.keywords = [...fixed.knowledge[0]!.modes[0]!.keywords, 'e2e'];
  fixed.knowledge[0]!.modes[0]!.sopId = before.config.knowledge[0]!.modes[0]!.sopId;
  const fixedFile = join(dir, 'fixed.json');
  writeFileSync(fixedFile, JSON.stringify({ version: before.version, config: fixed, changes: [] }));
  await page.getByTestId('config-import-input').setInputFiles(fixedFile);
  await dialog.getByTestId('config-import-note').fill('e2e：补充关键词');
  await dialog.getByTestId('config-import-save').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('config-import-saved')).toBeVisible();
  const after = await current();
  expect(after.version).toBe(before.version + 1);
  expect(after.config.knowledge[0]!.modes[0]!.keywords).toContain('e2e');
  expect(after.changes[0]!.sections).toEqual(['knowledge']);
});

test('someone else saving while a draft is open: the tab picks it up and keeps the draft', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await openConfig(page);
  const before = await current();
  const form = page.getByTestId('config-form');
  const mine = nudge(before.config.dispatch.weights.cost);
  await form.getByTestId('config-cost').fill(String(mine));
  await form.getByTestId('config-note').fill('e2e：成本权重');

  // Someone else saves first: the push brings their version, the draft is rebased on it.
  const theirs = structuredClone(before.config);
  theirs.dispatch.travel.speedKmh = before.config.dispatch.travel.speedKmh + 1;
  await rpc(
    'predict/setConfig',
    { config: theirs, version: before.version, note: 'e2e：别人改了速度' },
    hub.url,
  );
  await expect(page.getByTestId('predict-config')).toHaveAttribute(
    'data-version',
    String(before.version + 1),
  );
  await expect(form.getByTestId('config-cost')).toHaveValue(String(mine));
  await expect(form.getByTestId('config-speedKmh')).toHaveValue(String(theirs.dispatch.travel.speedKmh));
  await saveScreenshot(page, 'predict-config-rebased', testInfo);

  await form.getByTestId('config-save').click();
  await expect(form.getByTestId('config-saved')).toBeVisible();
  const after = await current();
  expect(after.version).toBe(before.version + 2);
  expect(after.config.dispatch.weights.cost).toBeCloseTo(mine, 5);
  expect(after.config.dispatch.travel.speedKmh).toBe(theirs.dispatch.travel.speedKmh);
});
