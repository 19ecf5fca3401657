import { expect, test } from '@playwright/test';
import {
  createTicket,
  openBoard,
  openTicket,
  rowByNumber,
  rpc,
  saveScreenshot,
  search,
  uniqueTag,
} from './helpers';

/**
 * Unsaved edits in the drawer are never thrown away silently: closing the drawer or replacing its
 * ticket asks first, with "keep editing" as the default. Without unsaved edits nothing asks.
 */
test('Escape twice with an edited title asks first: keep editing keeps the draft, discard closes', async ({
  page,
}, testInfo) => {
  const tag = uniqueTag();
  const ticket = await createTicket(tag);
  await openBoard(page);
  await openTicket(page, tag, ticket.number);
  const drawer = page.getByTestId('detail-drawer');
  const confirm = page.getByTestId('discard-confirm');

  // An edit form without changes closes as before, at once.
  await drawer.getByTestId('edit-button').click();
  await expect(drawer.getByTestId('edit-form')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(confirm).toBeHidden();

  await rowByNumber(page, ticket.number).click();
  await expect(drawer).toHaveAttribute('data-number', ticket.number);
  await drawer.getByTestId('edit-button').click();
  const title = drawer.getByTestId('edit-title');
  const draft = `${ticket.title} 已现场确认`;
  await title.fill(draft);

  // The first Escape leaves the field, the second would close the drawer: it asks instead.
  await title.press('Escape');
  await expect(title).not.toBeFocused();
  await expect(confirm).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('放弃未保存的修改？');
  await expect(confirm.getByTestId('discard-keep')).toHaveText('继续编辑');
  await expect(confirm.getByTestId('discard-confirm-button')).toHaveText('放弃修改');
  await expect(confirm.getByTestId('discard-keep')).toBeFocused();
  await saveScreenshot(page, 'discard-confirm', testInfo);

  // Keep editing (Enter on the focused default): the drawer and the draft stay.
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(drawer).toHaveAttribute('data-number', ticket.number);
  await expect(title).toHaveValue(draft);

  // Escape on the dialog also means keep editing.
  await page.keyboard.press('Escape');
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(title).toHaveValue(draft);

  // The close button asks too; discard closes the drawer and saves nothing.
  await drawer.getByTestId('detail-close').click();
  await expect(confirm).toBeVisible();
  await confirm.getByTestId('discard-confirm-button').click();
  await expect(confirm).toBeHidden();
  await expect(drawer).toBeHidden();
  expect((await rpc('tickets/get', { id: ticket.id })).title).toBe(ticket.title);

  // Reopened: read-only again, with the stored title.
  await rowByNumber(page, ticket.number).click();
  await expect(drawer.getByTestId('detail-title')).toHaveText(ticket.title);
  await expect(drawer.getByTestId('edit-form')).toBeHidden();
});

test('another row, j/k and a linked ticket ask before replacing an edited ticket (English)', async ({
  page,
}) => {
  const tag = uniqueTag();
  const first = await createTicket(tag, { title: `E2E 编辑中 ${tag}` });
  const second = await createTicket(tag, {
    title: `E2E 另一张 ${tag}`,
    businessKeys: { deviceSn: `SN2-${tag}` },
  });
  await rpc('tickets/link', {
    id: first.id,
    version: first.version,
    op: 'add',
    kind: 'related',
    targetId: second.id,
  });
  await openBoard(page);
  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await search(page, tag);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '2');
  const drawer = page.getByTestId('detail-drawer');
  const confirm = page.getByTestId('discard-confirm');
  await rowByNumber(page, first.number).click();
  await expect(drawer).toHaveAttribute('data-number', first.number);
  await expect(drawer.getByTestId('link-item')).toHaveCount(1);

  await drawer.getByTestId('edit-button').click();
  await drawer.getByTestId('edit-description').fill('现场反馈：告警已复位');

  // Another row: asks; keep editing leaves the drawer, the draft and the selection alone.
  await rowByNumber(page, second.number).click();
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('Discard unsaved changes?');
  await expect(confirm.getByTestId('discard-keep')).toHaveText('Keep editing');
  await confirm.getByTestId('discard-keep').click();
  await expect(drawer).toHaveAttribute('data-number', first.number);
  await expect(drawer.getByTestId('edit-description')).toHaveValue('现场反馈：告警已复位');
  await expect(rowByNumber(page, first.number)).toHaveAttribute('aria-selected', 'true');
  await expect(rowByNumber(page, second.number)).toHaveAttribute('aria-selected', 'false');

  // A linked ticket asks too.
  await drawer.getByTestId('link-item').getByRole('button', { name: second.number }).click();
  await expect(confirm).toBeVisible();
  await confirm.getByTestId('discard-keep').click();
  await expect(drawer).toHaveAttribute('data-number', first.number);

  // j/k (the drawer follows the selection) asks; discard moves on and shows the other ticket.
  const selected = page.locator('[data-testid="ticket-row"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-number', first.number);
  const index = await selected.getAttribute('data-index');
  await page.keyboard.press(index === '0' ? 'j' : 'k');
  await expect(confirm).toBeVisible();
  await expect(selected).toHaveAttribute('data-number', first.number);
  await confirm.getByTestId('discard-confirm-button').click();
  await expect(drawer).toHaveAttribute('data-number', second.number);
  await expect(selected).toHaveAttribute('data-number', second.number);
  await expect(drawer.getByTestId('edit-form')).toBeHidden();
  expect((await rpc('tickets/get', { id: first.id })).description).toBe(first.description);
});

/**
 * Not about the drawer, but about not losing (or doubling) an operator's work either: the answer to
 * the first create is lost with the connection, so the dialog shows DISCONNECTED although the hub
 * created the ticket. Pressing Create again sends the dialog's idempotency key again and gets that
 * same ticket back instead of a duplicate.
 */
test('create: a retry after a lost answer returns the first ticket, never a duplicate', async ({ page }) => {
  let dropCreateAnswer = true;
  await page.routeWebSocket(/\/rpc$/, (ws) => {
    const server = ws.connectToServer();
    let createId: unknown;
    ws.onMessage((m) => {
      if (dropCreateAnswer && typeof m === 'string' && m.includes('"tickets/create"')) {
        createId = (JSON.parse(m) as { id: unknown }).id;
      }
      server.send(m);
    });
    server.onMessage((m) => {
      if (
        createId !== undefined &&
        typeof m === 'string' &&
        (JSON.parse(m) as { id?: unknown }).id === createId
      ) {
        dropCreateAnswer = false;
        createId = undefined;
        ws.close();
        return;
      }
      ws.send(m);
    });
  });
  const tag = uniqueTag();
  await openBoard(page);
  await page.getByTestId('new-ticket').click();
  const dialog = page.getByTestId('create-dialog');
  await dialog.getByTestId('create-title').fill(`E2E 重试创建 ${tag}`);
  await dialog.getByTestId('create-submit').click();
  await expect(dialog.getByTestId('create-error')).toHaveAttribute('data-code', 'DISCONNECTED');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  const created = await rpc('tickets/list', { filter: { text: tag }, limit: 5 });
  expect(created.total).toBe(1);

  await dialog.getByTestId('create-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', created.items[0]!.number);
  expect((await rpc('tickets/list', { filter: { text: tag }, limit: 5 })).total).toBe(1);
  const stored = await rpc('tickets/get', { id: created.items[0]!.id });
  expect(stored.idempotencyKey).toMatch(/^ui-create:[0-9a-f-]{36}$/);
});
