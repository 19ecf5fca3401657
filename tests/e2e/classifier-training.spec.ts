import { expect, test } from '@playwright/test';
import { ErrorCode } from '../../src-main/shared/contract';
import { rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * Training the hotline classifier from the 分类模型 tab on a hub of its own (the demo's closed citizen
 * requests): the hub trains in slices, so while it trains it keeps answering (a classify request, the
 * page's own calls) and pushes `hotline/classifierProgress`, which the tab shows as a progress bar with
 * the phase; the button stays disabled and a second training is refused with CONFLICT.
 */

let hub: Awaited<ReturnType<typeof startPrivateHub>>;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // Enough closed requests that training lasts a few seconds even on a fast machine (SVM, 5 folds).
  hub = await startPrivateHub(6000, ['--sim-devices', '50']);
});

test.afterAll(async () => {
  await hub?.stop();
});

test('training shows its progress, keeps the hub answering and refuses a second training', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.goto(new URL('/hotline', hub.url).href);
  await expect(page.getByTestId('hotline-kpi-page')).toBeVisible();
  await page.getByTestId('hotline-tab-classifier').click();
  await expect(page.getByTestId('hotline-classifier')).toHaveAttribute('data-kind', 'seed');

  const button = page.getByTestId('hotline-classifier-train');
  await button.click();
  await expect(button).toBeDisabled();
  // A second training is refused while the first runs.
  const second = await rpc('hotline/trainClassifier', {}, hub.url).then(
    () => 'trained a second time',
    (err: unknown) => String(err),
  );
  expect(second).toContain(`${ErrorCode.Conflict} a classifier is already being trained`);
  const progress = page.getByTestId('hotline-classifier-progress');
  // The cross-validation folds are the bulk of the work: the bar is seen there.
  await expect(progress).toHaveAttribute('data-phase', 'fold', { timeout: 60_000 });
  await expect(page.getByTestId('hotline-classifier-progress-text')).toHaveText(/交叉验证第 \d\/5 折/);

  // The hub answers while it trains.
  const started = Date.now();
  const answer = await rpc('hotline/classify', { text: '楼下广场舞音响太吵，晚上十点还在放' }, hub.url);
  expect(answer.category).toMatch(/^[^/]+\/[^/]+\/[^/]+$/);
  expect(Date.now() - started).toBeLessThan(2_000);
  await expect(progress).toBeVisible();
  await expect(button).toBeDisabled();
  await saveScreenshot(page, 'hotline-classifier-progress', testInfo);

  await expect(page.getByTestId('hotline-classifier')).toHaveAttribute('data-kind', 'trained', {
    timeout: 150_000,
  });
  await expect(progress).toHaveCount(0);
  await expect(button).toBeEnabled();
  await expect(page.getByTestId('hotline-classifier-report')).toBeVisible();

  // The report suggests a double-dispatch threshold; taking it is a matrix change with a note.
  const suggestion = page.getByTestId('hotline-threshold');
  await expect(suggestion).toBeVisible();
  const value = Number(await suggestion.getAttribute('data-value'));
  const before = await rpc('hotline/matrix', {}, hub.url);
  await page.getByTestId('hotline-threshold-apply').click();
  await expect(page.getByTestId('hotline-threshold-apply')).toHaveText('已在使用');
  await expect.poll(async () => (await rpc('hotline/matrix', {}, hub.url)).version).toBe(before.version + 1);
  expect((await rpc('hotline/matrix', {}, hub.url)).doubleDispatchBelow).toBeCloseTo(value, 5);
  await saveScreenshot(page, 'hotline-classifier-report', testInfo);
});
