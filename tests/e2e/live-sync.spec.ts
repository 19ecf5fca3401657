import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createTicket, openBoard, openTicket, rowByNumber, rows, rpc, search, uniqueTag } from './helpers';

/**
 * Two operators on two machines: separate browser contexts (no shared storage), one hub. Every
 * change made in one must reach the other live, without a reload.
 */

interface Pair {
  a: Page;
  b: Page;
  contexts: BrowserContext[];
}

async function twoOperators(browser: Browser): Promise<Pair> {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
  await Promise.all([openBoard(a!), openBoard(b!)]);
  return { a: a!, b: b!, contexts };
}

/** Marks the page so a later check can tell that it was never reloaded or navigated away. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { e2eMark?: string }).e2eMark = 'not reloaded';
  });
}
async function expectNotReloaded(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark)).toBe('not reloaded');
}

test('a ticket created through the UI in page A appears in page B without a reload', async ({ browser }) => {
  const { a, b, contexts } = await twoOperators(browser);
  // B has two windows: one searching for the new ticket, one on the default list (newest first).
  const bTop = await contexts[1]!.newPage();
  await openBoard(bTop);
  const tag = uniqueTag();
  const title = `E2E 跨页同步 ${tag}`;

  await search(b, tag);
  await expect(b.getByTestId('board-empty')).toBeVisible();
  await expect(b.getByTestId('total-count')).toHaveAttribute('data-total', '0');
  const totalBefore = Number(await bTop.getByTestId('total-count').getAttribute('data-total'));
  await markPage(b);
  await markPage(bTop);

  // A: new ticket → type, title, priority, a business key, a domain → submit.
  await a.getByTestId('new-ticket').click();
  const dialog = a.getByTestId('create-dialog');
  await expect(dialog).toBeVisible();
  await dialog
    .locator('[data-testid="create-type-option"][value="device-fault"]')
    .locator('xpath=..')
    .click();
  await expect(dialog.locator('[data-testid="create-type-option"][value="device-fault"]')).toBeChecked();
  await dialog.getByTestId('create-title').fill(title);
  await dialog.getByTestId('create-priority').selectOption('P2');
  await dialog.getByTestId('create-domain-production').locator('xpath=..').click();
  await dialog.getByTestId('create-bizkey-add').click();
  await dialog.getByTestId('create-bizkey-key').fill('deviceSn');
  await dialog.getByTestId('create-bizkey-value').fill(`SN-${tag}`);
  await dialog.getByTestId('create-submit').click();

  // A: the dialog closes and the drawer shows the new ticket.
  await expect(dialog).toBeHidden();
  const drawerA = a.getByTestId('detail-drawer');
  await expect(drawerA.getByTestId('detail-title')).toHaveText(title);
  await expect(drawerA).toHaveAttribute('data-number', /^WF-\d{4}-\d{6}$/);
  const number = (await drawerA.getAttribute('data-number'))!;
  const createdAt = Date.now();

  // B: the searching window finds it, the default window shows it on top, both within ~2 s.
  await expect(rowByNumber(b, number)).toBeVisible({ timeout: 2_000 });
  await expect(b.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  await expect(rowByNumber(b, number)).toContainText(title);
  await expect(rowByNumber(b, number)).toContainText(`SN-${tag}`);
  await expect(bTop.locator('[data-testid="ticket-row"][data-index="0"]')).toHaveAttribute(
    'data-number',
    number,
    { timeout: 2_000 },
  );
  await expect(bTop.getByTestId('total-count')).toHaveAttribute('data-total', String(totalBefore + 1));
  expect(Date.now() - createdAt).toBeLessThan(2_500);
  await expectNotReloaded(b);
  await expectNotReloaded(bTop);

  // The hub holds exactly what was entered.
  const stored = await rpc('tickets/get', { number });
  expect(stored).toMatchObject({
    typeId: 'device-fault',
    title,
    priority: 'P2',
    businessKeys: { deviceSn: `SN-${tag}` },
    domains: ['production'],
    source: 'manual',
  });
  for (const c of contexts) await c.close();
});

test('a comment added in page A appears in page B’s open drawer', async ({ browser }) => {
  const tag = uniqueTag();
  const ticket = await createTicket(tag);
  const { a, b, contexts } = await twoOperators(browser);
  await openTicket(a, tag, ticket.number);
  await openTicket(b, tag, ticket.number);
  await expect(b.getByTestId('comment-item')).toHaveCount(0);
  await markPage(b);

  const body = `现场已确认，备件在途 ${tag}`;
  await a.getByTestId('comment-input').fill(body);
  await a.getByTestId('comment-submit').click();
  await expect(a.getByTestId('comment-item')).toHaveCount(1);
  await expect(a.getByTestId('comment-input')).toHaveValue('');

  const drawerB = b.getByTestId('detail-drawer');
  await expect(drawerB.getByTestId('comment-item')).toHaveCount(1, { timeout: 2_000 });
  await expect(drawerB.getByTestId('comment-item').first()).toContainText(body);
  await expect(drawerB.locator('[data-testid="history-entry"][data-action="commented"]')).toHaveCount(1);
  await expect(drawerB).toHaveAttribute('data-number', ticket.number);
  await expectNotReloaded(b);
  for (const c of contexts) await c.close();
});

test('editing the same ticket in two pages: the second save gets a conflict, never a lost update', async ({
  browser,
}) => {
  const tag = uniqueTag();
  const original = `E2E 冲突原标题 ${tag}`;
  const ticket = await createTicket(tag, { title: original });
  const { a, b, contexts } = await twoOperators(browser);
  await openTicket(a, tag, ticket.number);
  await openTicket(b, tag, ticket.number);

  // Both start editing the same version.
  await a.getByTestId('edit-button').click();
  await b.getByTestId('edit-button').click();
  await expect(a.getByTestId('edit-form')).toBeVisible();
  await expect(b.getByTestId('edit-form')).toBeVisible();
  const titleA = `E2E 冲突A改 ${tag}`;
  const titleB = `E2E 冲突B改 ${tag}`;
  await a.getByTestId('edit-title').fill(titleA);
  await b.getByTestId('edit-title').fill(titleB);

  // B saves first and wins.
  await b.getByTestId('edit-save').click();
  await expect(b.getByTestId('edit-form')).toBeHidden();
  await expect(b.getByTestId('detail-title')).toHaveText(titleB);

  // A saves second: a conflict, shown in the form, and nothing overwritten.
  await a.getByTestId('edit-save').click();
  const conflict = a.getByTestId('edit-conflict');
  await expect(conflict).toBeVisible();
  await expect(conflict).toHaveAttribute('data-code', 'CONFLICT');
  await expect(a.getByTestId('edit-form')).toBeVisible();
  await expect(a.getByTestId('edit-title')).toHaveValue(titleA);
  expect((await rpc('tickets/get', { number: ticket.number })).title).toBe(titleB);

  // A takes the latest version and keeps its own change, then saves on top of B's.
  await conflict.getByTestId('error-reload').click();
  await expect(a.getByTestId('edit-conflict')).toBeHidden();
  await expect(a.getByTestId('edit-title')).toHaveValue(titleA);
  await a.getByTestId('edit-save').click();
  await expect(a.getByTestId('edit-form')).toBeHidden();
  await expect(a.getByTestId('detail-title')).toHaveText(titleA);
  const after = await rpc('tickets/get', { number: ticket.number });
  expect(after.title).toBe(titleA);
  expect(after.history.map((h) => h.action)).toEqual(['created', 'updated', 'updated']);
  // B follows live.
  await expect(b.getByTestId('detail-title')).toHaveText(titleA, { timeout: 2_000 });
  await expect(b.locator('[data-testid="history-entry"][data-action="updated"]')).toHaveCount(2);
  await expect(rows(b)).toHaveCount(1);
  for (const c of contexts) await c.close();
});

test('after a lost connection the board says so, reconnects by itself and catches up', async ({ page }) => {
  // The first socket goes straight through; later ones wait until the "network" is back.
  let release!: () => void;
  const networkBack = new Promise<void>((resolve) => (release = resolve));
  const sockets: { close: () => Promise<void> }[] = [];
  await page.routeWebSocket(/\/rpc$/, async (ws) => {
    if (sockets.length > 0) await networkBack;
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
    sockets.push({ close: () => ws.close({ code: 4001, reason: 'network down (test)' }) });
  });
  const tag = uniqueTag();
  await openBoard(page);
  await search(page, tag);
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await markPage(page);

  await sockets[0]!.close();
  const indicator = page.getByTestId('connection-state');
  await expect(indicator).toHaveAttribute('data-state', 'connecting');
  await expect(indicator).toHaveAttribute('data-lost', 'true');
  await expect(indicator).toHaveText('连接中断，重连中');

  // Meanwhile a ticket is raised elsewhere: its push cannot reach this page.
  const ticket = await createTicket(tag);
  release();

  await expect(indicator).toHaveAttribute('data-state', 'open', { timeout: 15_000 });
  await expect(indicator).toHaveAttribute('data-lost', 'false');
  await expect(rowByNumber(page, ticket.number)).toBeVisible();
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  expect(sockets.length).toBe(2);
  await expectNotReloaded(page);

  // Live pushes flow again on the new connection.
  const second = await createTicket(tag);
  await expect(rowByNumber(page, second.number)).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '2');
});
