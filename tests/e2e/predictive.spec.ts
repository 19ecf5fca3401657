import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { CoreMethods } from '../../src-main/shared/contract';
import { rowByNumber, rpc, saveScreenshot, search, startPrivateHub } from './helpers';

/**
 * The predictive story end to end, on a hub of its own with the simulator an hour per second: a
 * device the simulator's ground truth has degrading gets a preventive ticket before it fails; the
 * ticket's drawer shows the cause (ranked hypotheses), the SOP, the spare part and the engineer;
 * closing it with an outcome moves the prediction-quality figures and the item's verdict.
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

type Record = NonNullable<CoreMethods['predict/ticket']['result']>;
type Item = CoreMethods['predict/quality']['result']['items'][number];

/** Serial numbers the simulator plans to degrade (and fail). */
function degradingDevices(): Set<string> {
  const lines = readFileSync(join(hub.dataDir, 'simulator-ground-truth.jsonl'), 'utf8').split('\n');
  const out = new Set<string>();
  for (const line of lines) {
    if (!line.trim()) continue;
    const t = JSON.parse(line) as { sn?: unknown; mode?: unknown };
    if (typeof t.sn === 'string' && typeof t.mode === 'string') out.add(t.sn);
  }
  return out;
}

/**
 * The newest open preventive prediction of a degrading device whose ticket carries everything the
 * drawer must show: a hypothesis, an SOP, a part and a chosen engineer.
 */
async function findPreventive(): Promise<{ item: Item; record: Record } | null> {
  const degrading = degradingDevices();
  const report = await rpc('predict/quality', { minLeadHours: 0 }, hub.url);
  const pending = report.items
    .filter((i) => i.verdict === 'pending' && i.ticketId && degrading.has(i.sn))
    .sort((a, b) => Date.parse(b.observedAt ?? '') - Date.parse(a.observedAt ?? ''));
  for (const item of pending.slice(0, 10)) {
    const record = await rpc('predict/ticket', { ticketId: item.ticketId! }, hub.url);
    if (
      record &&
      record.state === 'open' &&
      record.hypotheses.length > 0 &&
      record.dispatch?.sop &&
      record.dispatch.parts.length > 0 &&
      record.dispatch.chosen
    )
      return { item, record };
  }
  return null;
}

/** A drill-down row, scrolling the virtualised list until it is rendered. */
async function drillRow(page: Page, number: string): Promise<Locator> {
  const row = page.locator(`[data-testid="quality-item"][data-ticket="${number}"]`);
  const scroller = page.getByTestId('quality-drill').locator('.q-scroll');
  for (let i = 0; i < 200 && (await row.count()) === 0; i++) {
    const atEnd = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += el.clientHeight;
      return end;
    });
    if (atEnd) break;
  }
  return row;
}

test('a degrading device gets a preventive ticket with cause, SOP, part and engineer; its outcome updates the quality view', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);

  // The prediction service answers and runs cycles on the simulated fleet.
  await expect
    .poll(
      async () => {
        try {
          return (await rpc('predict/status', {}, hub.url)).cycles;
        } catch {
          return -1;
        }
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBeGreaterThan(0);
  const status = await rpc('predict/status', {}, hub.url);
  expect(status.models.find((m) => m.deviceKind === 'pv-inverter')?.state).toBe('ready');
  // A risk that falls away clears its ticket (风险解除), which could happen while the test is using
  // the ticket on a busy machine: no ticket is cleared during this test.
  const policies = await rpc('predict/policies', {}, hub.url);
  const pv = policies.policies.find((p) => p.deviceKind === 'pv-inverter')!;
  await rpc(
    'predict/setPolicy',
    { policy: { ...pv, clearBelow: 0 }, version: policies.version, note: 'e2e：测试期间不自动解除风险' },
    hub.url,
  );

  let found: { item: Item; record: Record } | null = null;
  await expect
    .poll(async () => (found = await findPreventive()), { timeout: 180_000, intervals: [2_000] })
    .not.toBeNull();
  const { item, record } = found!;
  const number = record.ticketNumber;
  const ticket = await rpc('tickets/get', { id: record.ticketId }, hub.url);
  expect(ticket.typeId).toBe('preventive-maintenance');
  expect(ticket.source).toBe('predictive');
  expect(ticket.businessKeys.deviceSn).toBe(item.sn);

  // The header badge says the model is ready.
  await page.goto(new URL('/quality', hub.url).href);
  await expect(page.getByTestId('model-status-badge')).toHaveAttribute('data-label', 'ready');
  await expect(page.getByTestId('quality-page')).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('model-status').first()).toHaveAttribute('data-state', 'ready');

  // From the drill-down to the ticket's drawer on the board.
  await page.getByTestId('quality-verdict-filter').and(page.locator('[data-verdict="pending"]')).click();
  const pendingRow = await drillRow(page, number);
  await expect(pendingRow).toHaveAttribute('data-verdict', 'pending');
  await pendingRow.getByTestId('quality-item-ticket').click();
  const drawer = page.getByTestId('detail-drawer');
  await expect(drawer).toHaveAttribute('data-number', number);
  const panel = drawer.getByTestId('prediction-panel');
  await expect(panel).toHaveAttribute('data-state', 'open');
  await expect(panel.getByTestId('prediction-model')).toContainText(record.modelId);
  await expect(panel.getByTestId('prediction-hypothesis').first()).toBeVisible();
  await expect(panel.getByTestId('prediction-cause').first()).not.toBeEmpty();
  await expect(panel.getByTestId('prediction-sop-title')).toContainText(record.dispatch!.sop!.title['zh-CN']);
  await expect(panel.getByTestId('prediction-part')).toHaveCount(record.dispatch!.parts.length);
  await expect(panel.getByTestId('prediction-engineer-name')).toHaveText(record.dispatch!.chosen!.name);
  await expect(panel.getByTestId('prediction-why')).toBeVisible();

  // A tall window so the picture holds the whole panel.
  await page.setViewportSize({ width: 1920, height: 2200 });
  await saveScreenshot(page, 'predictive-ticket-drawer', testInfo);
  await page.setViewportSize({ width: 1920, height: 1080 });

  const before = await rpc('predict/quality', { minLeadHours: 4 }, hub.url);

  // Close with outcome: nothing is recorded without a choice and a note.
  await panel.getByTestId('close-with-outcome').click();
  const dialog = page.getByTestId('outcome-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('outcome-submit').click();
  await expect(dialog.getByTestId('outcome-error-outcome')).toBeVisible();
  await expect(dialog.getByTestId('outcome-error-note')).toBeVisible();
  await dialog.locator('[data-testid="outcome-option"][data-outcome="fault-confirmed"]').check();
  await dialog.getByTestId('outcome-note').fill('现场确认直流母线电容鼓包，已更换（e2e）');
  await dialog.getByTestId('outcome-note').press('Control+Enter');
  await expect(dialog).toHaveCount(0);
  await expect(panel.getByTestId('prediction-outcome-value')).toHaveAttribute(
    'data-outcome',
    'fault-confirmed',
  );
  expect((await rpc('predict/ticket', { ticketId: record.ticketId }, hub.url))?.outcome).toBe(
    'fault-confirmed',
  );

  // The quality view: the prediction is now judged, and the figures moved.
  await expect
    .poll(async () => {
      const r = await rpc('predict/quality', { minLeadHours: 4 }, hub.url);
      return r.items.find((i) => i.ticketId === record.ticketId)?.verdict;
    })
    .toBe('true-positive');
  const after = await rpc('predict/quality', { minLeadHours: 4 }, hub.url);
  expect(after.overall.truePositives).toBeGreaterThan(before.overall.truePositives);

  await page.getByTestId('nav-quality').click();
  await expect(page.getByTestId('quality-page')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('quality-kpi-precision')).not.toHaveAttribute('data-value', '—');
  await page
    .getByTestId('quality-verdict-filter')
    .and(page.locator('[data-verdict="true-positive"]'))
    .click();
  const judged = await drillRow(page, number);
  await expect(judged).toHaveAttribute('data-verdict', 'true-positive');
  // The lead-time chart, or its empty state while no failure has been predicted 4 h ahead yet.
  await expect(
    page.getByTestId('quality-lead-chart').or(page.getByTestId('quality-lead-empty')),
  ).toBeVisible();
  await expect(page.getByTestId('quality-daily-chart')).toBeVisible();
  await page.getByTestId('quality-drill').scrollIntoViewIfNeeded();
  await page.setViewportSize({ width: 1920, height: 1600 });
  await saveScreenshot(page, 'predictive-quality', testInfo);
  await page.setViewportSize({ width: 1920, height: 1080 });

  // The ticket is done on the board too.
  await page.getByTestId('nav-board').click();
  await search(page, number);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  await rowByNumber(page, number).click();
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number);
  await expect(page.getByTestId('close-with-outcome')).toHaveCount(0);
});

test('a policy change needs a note and is recorded with who, when and what', async ({ page }) => {
  test.setTimeout(120_000);
  await expect
    .poll(
      async () => {
        try {
          return (await rpc('predict/policies', {}, hub.url)).policies.length;
        } catch {
          return -1;
        }
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBeGreaterThan(0);
  const before = await rpc('predict/policies', {}, hub.url);
  const policy = before.policies.find((p) => p.deviceKind === 'pv-inverter') ?? before.policies[0]!;

  await page.goto(new URL('/quality', hub.url).href);
  const panel = page.getByTestId('policy-panel');
  await expect(panel.getByTestId('policy-form')).toBeVisible({ timeout: 20_000 });
  await panel.getByTestId('policy-kind').selectOption(policy.deviceKind);
  const next = Math.min(0.99, Math.round((policy.openAt + 0.05) * 100) / 100);
  await panel.getByTestId('policy-openAt').fill(String(next));
  await panel.getByTestId('policy-save').click();
  await expect(panel.getByTestId('policy-note-error')).toBeVisible();
  expect((await rpc('predict/policies', {}, hub.url)).version).toBe(before.version);

  // An out-of-range value is refused in the form, before anything is sent.
  await panel.getByTestId('policy-persistCycles').fill('0');
  await panel.getByTestId('policy-note').fill('e2e：误报偏多，提高开单阈值');
  await panel.getByTestId('policy-save').click();
  await expect(panel.locator('.field.has-error')).toHaveCount(1);
  expect((await rpc('predict/policies', {}, hub.url)).version).toBe(before.version);
  await panel.getByTestId('policy-persistCycles').fill(String(policy.persistCycles));

  await panel.getByTestId('policy-save').click();
  await expect(panel.getByTestId('policy-saved')).toBeVisible();
  const after = await rpc('predict/policies', {}, hub.url);
  expect(after.version).toBeGreaterThan(before.version);
  expect(after.policies.find((p) => p.deviceKind === policy.deviceKind)?.openAt).toBeCloseTo(next, 5);
  const change = after.changes[0]!;
  expect(change.note).toBe('e2e：误报偏多，提高开单阈值');
  expect(change.changes.map((c) => c.field)).toEqual(['openAt']);
  const logged = panel.locator(`[data-testid="policy-change"][data-version="${change.version}"]`);
  await expect(logged).toContainText('e2e：误报偏多，提高开单阈值');
  await expect(logged).toContainText(change.actor.name);
});
