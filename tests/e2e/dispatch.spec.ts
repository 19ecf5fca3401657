import { expect, test, type Page } from '@playwright/test';
import type { CoreMethods } from '../../src-main/shared/contract';
import { rpc, rowByNumber, saveScreenshot, startPrivateHub, uniqueTag } from './helpers';

/**
 * A citizen request after its dispatch, on a hub of its own: the board's drawer shows where it went
 * (派单), an agent reassigns it with a reason and a corrected category, a double-dispatched request
 * is accepted on behalf of one department (the other is released), and a queued call that needs no
 * ticket is dismissed from the 受理台 with a reason.
 */

let hub: Awaited<ReturnType<typeof startPrivateHub>>;
let departments: CoreMethods['config/get']['result']['directory']['departments'];

test.beforeAll(async () => {
  test.setTimeout(90_000);
  hub = await startPrivateHub(300, ['--sim-devices', '100']);
  departments = (await rpc('config/get', {}, hub.url)).directory.departments;
  expect(departments.length).toBeGreaterThanOrEqual(3);
});

test.afterAll(async () => {
  await hub?.stop();
});

const nameOf = (id: string): string => departments.find((d) => d.id === id)!.name['zh-CN'];

/** A citizen request made over the RPC, its text tagged so the board's search finds it alone. */
async function submitRequest(tag: string, departmentIds: string[]) {
  const { ticket } = await rpc(
    'hotline/submit',
    {
      text: `${tag} 武林广场旁边小区楼下广场舞音响很吵，晚上十点以后还不停，影响休息`,
      place: { address: '武林广场' },
      departmentIds,
    },
    hub.url,
  );
  return ticket;
}

async function openInDrawer(page: Page, tag: string, number: string): Promise<void> {
  await page.goto(hub.url);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  const input = page.getByTestId('search-input');
  await input.fill(tag);
  await input.press('Enter');
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  await rowByNumber(page, number).click();
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number);
}

test('the drawer shows a citizen request’s dispatch, and an agent reassigns it with a corrected category', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const tag = uniqueTag('disp');
  const [first, target] = [departments[0]!.id, departments[1]!.id];
  const ticket = await submitRequest(tag, [first]);
  await openInDrawer(page, tag, ticket.number);

  const section = page.getByTestId('dispatch-section');
  await expect(section).toBeVisible();
  const dept = section.getByTestId('dispatch-department');
  await expect(dept).toHaveCount(1);
  await expect(dept).toHaveAttribute('data-department-id', first);
  await expect(dept).toHaveAttribute('data-state', 'pending');
  await expect(dept).toContainText(nameOf(first));
  await expect(dept).toContainText('待签收');
  await expect(section.getByTestId('dispatch-no-history')).toBeVisible();
  await expect(section.getByTestId('dispatch-compare')).toBeVisible();

  // The dialog: nothing is sent without a reason.
  await section.getByTestId('dispatch-reassign-open').click();
  const dialog = page.getByTestId('reassign-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('reassign-department')).toBeFocused();
  // The department the request is with is not offered.
  await expect(dialog.locator(`[data-testid="reassign-department"] option[value="${first}"]`)).toHaveCount(0);
  await dialog.getByTestId('reassign-department').selectOption(target);
  await page.keyboard.press('Control+Enter');
  await expect(dialog.getByTestId('reassign-error-reason')).toBeVisible();

  // Escape closes it; nothing changed.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await rpc('hotline/dispatch', { ticketId: ticket.id }, hub.url))!.reassignments).toEqual([]);

  await section.getByTestId('dispatch-reassign-open').click();
  await dialog.getByTestId('reassign-department').selectOption(target);
  await dialog.getByTestId('reassign-quick-reason').filter({ hasText: '非本单位职责' }).click();
  await expect(dialog.getByTestId('reassign-reason')).toHaveValue('非本单位职责');
  // The corrected category: searched, then taken from the list with the keyboard.
  const category = dialog.getByTestId('reassign-category');
  await category.fill('路灯');
  const option = dialog.getByTestId('reassign-category-option').first();
  await expect(option).toBeVisible();
  const path = (await option.getAttribute('data-path'))!;
  expect(path.split('/')).toHaveLength(3);
  await saveScreenshot(page, 'dispatch-reassign-dialog', testInfo);
  await category.press('Enter');
  await expect(category).toHaveValue(path);
  await expect(dialog).toBeVisible();
  await category.press('Control+Enter');
  await expect(dialog).toBeHidden();

  // The history shows it, the request waits for the new department, and the ticket follows.
  const entry = section.getByTestId('dispatch-reassignment');
  await expect(entry).toHaveCount(1);
  await expect(entry).toHaveAttribute('data-to', target);
  await expect(entry).toHaveAttribute('data-category', path);
  await expect(entry).toContainText(nameOf(first));
  await expect(entry).toContainText(nameOf(target));
  await expect(entry).toContainText('非本单位职责');
  await expect(entry.getByTestId('dispatch-reassignment-category')).toContainText(path);
  await expect(section.getByTestId('dispatch-corrected-category')).toContainText(path);
  await expect(dept).toHaveAttribute('data-department-id', target);
  await expect(page.getByTestId('detail-assignee')).toContainText(nameOf(target));
  const after = await rpc('tickets/get', { id: ticket.id }, hub.url);
  expect(after.assignee).toEqual({ kind: 'department', id: target });
  expect(after.fields['category']).toBe(path);

  await page.waitForTimeout(300);
  await section.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'dispatch-drawer-section', testInfo);
});

test('a double-dispatched request is accepted for one department and the other is released', async ({
  page,
}, testInfo) => {
  const tag = uniqueTag('dbl');
  const [a, b] = [departments[0]!.id, departments[2]!.id];
  const ticket = await submitRequest(tag, [a, b]);
  await openInDrawer(page, tag, ticket.number);

  const section = page.getByTestId('dispatch-section');
  await expect(section.getByTestId('dispatch-double')).toBeVisible();
  await expect(section.getByTestId('dispatch-department')).toHaveCount(2);
  await expect(section.getByTestId('dispatch-accept')).toHaveCount(2);

  await saveScreenshot(page, 'dispatch-double', testInfo);
  await section.locator(`[data-testid="dispatch-accept"][data-department-id="${b}"]`).click();
  const stateOf = (id: string) =>
    section.locator(`[data-testid="dispatch-department"][data-department-id="${id}"]`);
  await expect(stateOf(b)).toHaveAttribute('data-state', 'accepted');
  await expect(stateOf(a)).toHaveAttribute('data-state', 'released');
  await expect(stateOf(a)).toContainText('已释放');
  await expect(section).toHaveAttribute('data-owner', b);
  await expect(section.getByTestId('dispatch-accept')).toHaveCount(0);
  await expect(section.getByTestId('dispatch-double')).toHaveCount(0);
  await expect(page.getByTestId('detail-assignee')).toContainText(nameOf(b));
  expect((await rpc('hotline/dispatch', { ticketId: ticket.id }, hub.url))!.owner).toBe(b);
});

test('a queued call that needs no ticket is dismissed with a reason and leaves the queue', async ({
  page,
}, testInfo) => {
  const tag = uniqueTag('call');
  const call = await rpc('hotline/enqueue', { text: `${tag} 喂？喂？（无人说话）` }, hub.url);

  await page.goto(new URL('/triage', hub.url).href);
  const item = page.locator(`[data-testid="triage-call"][data-call-id="${call.id}"]`);
  await expect(item).toBeVisible();
  await item.click();
  await expect(page.getByTestId('triage-dismiss-open')).toBeVisible();

  // From the keyboard: Alt+D opens the dialog, with the reason field focused.
  await page.keyboard.press('Alt+KeyD');
  const dialog = page.getByTestId('dismiss-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('dismiss-reason')).toBeFocused();
  await page.keyboard.press('Control+Enter');
  await expect(dialog.getByTestId('dismiss-error-reason')).toBeVisible();
  await dialog.getByTestId('dismiss-quick-reason').filter({ hasText: '测试来电' }).click();
  await expect(dialog.getByTestId('dismiss-reason')).toHaveValue('测试来电');
  await saveScreenshot(page, 'triage-dismiss-dialog', testInfo);
  await dialog.getByTestId('dismiss-reason').press('Control+Enter');

  await expect(dialog).toBeHidden();
  await expect(item).toHaveCount(0);
  await expect(page.getByTestId('triage-dismissed')).toBeVisible();
  const queue = await rpc('hotline/queue', {}, hub.url);
  expect(queue.some((c) => c.id === call.id)).toBe(false);
});
