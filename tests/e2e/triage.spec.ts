import { expect, test } from '@playwright/test';
import { rpc, saveScreenshot, startPrivateHub } from './helpers';

/**
 * The 12345 hotline story end to end, on a hub of its own: an agent types a noise complaint with an
 * address in the demo city on the 受理台; the classifier names the category as the text is typed,
 * the address is placed on its grid cell (shown on the map), the responsible department is proposed,
 * Ctrl+Enter dispatches it as a citizen ticket, and the first-dispatch accuracy view counts it.
 */

let hub: Awaited<ReturnType<typeof startPrivateHub>>;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  hub = await startPrivateHub(300, ['--sim-devices', '100']);
});

test.afterAll(async () => {
  await hub?.stop();
});

const TEXT =
  '我家住在武林广场旁边的小区，每天晚上小区楼下广场舞音响很吵，十点以后还不停，影响休息，希望有关部门管一管。';
// A landmark of the offline gazetteer (src-main/core/routing/landmarks.ts).
const ADDRESS = '武林广场';

test('an agent takes a noise complaint from text to dispatched ticket, and the KPI counts it', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const before = await rpc('hotline/kpi', {}, hub.url);

  await page.goto(new URL('/triage', hub.url).href);
  await expect(page.getByTestId('triage-page')).toBeVisible();
  await expect(page.getByTestId('nav-triage')).toHaveClass(/active/);

  // A call typed from scratch: Alt+N, then the text as the caller says it.
  await page.keyboard.press('Alt+KeyN');
  const text = page.getByTestId('triage-text');
  await expect(text).toBeFocused();
  await text.pressSequentially(TEXT.slice(0, 12), { delay: 10 });
  await text.fill(TEXT);
  await page.getByTestId('triage-caller-name').fill('王先生');
  await page.getByTestId('triage-caller-phone').fill('13912345678');

  // The classification follows the typing: a three-level category with its confidence.
  const category = page.getByTestId('triage-category');
  await expect(category).toHaveAttribute('data-category', /^[^/]+\/[^/]+\/[^/]+$/);
  // Suggestions follow the typing: wait for the one of the whole text, not of a prefix of it.
  await expect(category).toHaveAttribute('data-category', /噪|广场舞|扰民/);
  await expect(page.getByTestId('triage-confidence')).toBeVisible();
  // The console's worker or, while it builds its model, the hub.
  await expect(page.getByTestId('triage-classify-source')).toHaveAttribute('data-source', /^(local|server)$/);

  // The address is placed on its grid cell, which the map highlights.
  await page.getByTestId('triage-address').fill(ADDRESS);
  const locate = page.getByTestId('triage-locate');
  await expect(locate).toHaveAttribute('data-state', 'located');
  await expect(locate).toHaveAttribute('data-cell-id', /\S+/);
  const cellId = (await locate.getAttribute('data-cell-id'))!;
  await expect(page.getByTestId('triage-cell-id')).toHaveText(cellId);
  await expect(page.getByTestId('triage-map')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('triage-map')).toHaveAttribute('data-cell-id', cellId);

  // The responsible department is proposed.
  const departments = page.getByTestId('triage-departments');
  await expect(departments).toHaveAttribute('data-department-ids', /\S+/);
  const proposed = (await departments.getAttribute('data-department-ids'))!.split(',');
  await expect(page.getByTestId('triage-proposal')).toBeVisible();
  // Let the map finish its move to the cell before the picture.
  await page.waitForTimeout(600);
  await saveScreenshot(page, 'triage-view', testInfo);

  // One keystroke dispatches it (focus still in a text field).
  await page.getByTestId('triage-address').focus();
  await page.keyboard.press('Control+Enter');
  const done = page.getByTestId('triage-dispatched');
  await expect(done).toBeVisible();
  const ticketId = (await done.getAttribute('data-ticket-id'))!;
  // The card is cleared for the next call.
  await expect(text).toHaveValue('');

  const ticket = await rpc('tickets/get', { id: ticketId }, hub.url);
  expect(ticket.source).toBe('hotline');
  expect(`${ticket.title}\n${ticket.description}`).toContain('广场舞');
  const dispatch = await rpc('hotline/dispatch', { ticketId }, hub.url);
  expect(dispatch).not.toBeNull();
  expect(dispatch!.departments.map((d) => d.departmentId)).toEqual(proposed);
  expect(dispatch!.overridden).toBe(false);

  // The first-dispatch accuracy view counts the new request.
  await page.getByTestId('nav-hotline').click();
  await expect(page.getByTestId('hotline-kpi-page')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('hotline-kpi-accuracy')).toHaveAttribute(
    'data-tickets',
    String(before.overall.tickets + 1),
  );
  await expect(page.getByTestId('hotline-by-day')).toBeVisible();
  await page.waitForTimeout(300);
  await saveScreenshot(page, 'hotline-kpi', testInfo);

  // The matrix editor shows the loaded matrix.
  await page.getByTestId('hotline-tab-matrix').click();
  await expect(page.getByTestId('matrix-editor')).toBeVisible();
  await expect(page.getByTestId('matrix-row').first()).toBeVisible();
  await saveScreenshot(page, 'hotline-matrix', testInfo);

  // The wall shows today's first-dispatch accuracy, counting the request too.
  await page.goto(new URL('/wall', hub.url).href);
  const tile = page.getByTestId('wall-hotline-accuracy');
  await expect(tile).toHaveAttribute('data-tickets', /^[1-9]\d*$/);
  await expect(tile).toHaveAttribute('data-value', /^(0(\.\d+)?|1)$/);
});
