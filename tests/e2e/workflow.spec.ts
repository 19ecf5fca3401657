import { expect, test } from '@playwright/test';
import { createTicket, openBoard, openTicket, rpc, uniqueTag } from './helpers';

/**
 * A device fault through its workflow in the drawer: dispatch (needs an assignee), start work,
 * reassign, resolve (needs a note). Every step lands in the history timeline.
 */
test('a device fault: dispatch, start work, reassign, resolve with a note', async ({ page }) => {
  const tag = uniqueTag();
  const ticket = await createTicket(tag, { priority: 'P3' });
  expect(ticket).toMatchObject({ status: 'new', assignee: null });
  await openBoard(page);
  await openTicket(page, tag, ticket.number);
  const drawer = page.getByTestId('detail-drawer');
  const buttons = drawer.getByTestId('transition-button');
  const entries = drawer.getByTestId('history-entry');
  const toStates = () => buttons.evaluateAll((els) => els.map((e) => e.getAttribute('data-to')));

  // From "new" the workflow allows dispatch, start work and cancel — nothing else.
  expect((await toStates()).sort()).toEqual(['assigned', 'cancelled', 'in_progress']);

  // Dispatch needs an assignee: the dialog asks for one and refuses to go on without it.
  await buttons.and(page.locator('[data-to="assigned"]')).click();
  const dialog = page.getByTestId('transition-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('transition-confirm')).toBeDisabled();
  await dialog.getByTestId('transition-assignee').selectOption('user:u-wangqiang');
  await expect(dialog.getByTestId('transition-confirm')).toBeEnabled();
  await dialog.getByTestId('transition-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(drawer.getByTestId('detail-assignee')).toContainText('王强');
  await expect(entries.first()).toHaveAttribute('data-action', 'transitioned');
  await expect(entries.nth(1)).toHaveAttribute('data-action', 'assigned');
  expect((await toStates()).sort()).toEqual(['cancelled', 'in_progress']);

  // Start work: no note, an assignee already there → no dialog.
  await buttons.and(page.locator('[data-to="in_progress"]')).click();
  await expect(dialog).toBeHidden();
  await expect.poll(toStates).toEqual(expect.arrayContaining(['pending', 'resolved']));
  expect((await toStates()).sort()).toEqual(['pending', 'resolved']);
  await expect(entries).toHaveCount(4);

  // Reassign from the overview.
  await drawer.getByTestId('assign-button').click();
  await drawer.getByTestId('assign-select').selectOption('team:team-field-east');
  await drawer.getByTestId('assign-submit').click();
  await expect(drawer.getByTestId('detail-assignee')).toContainText('东区现场组');
  await expect(entries).toHaveCount(5);
  await expect(entries.first()).toHaveAttribute('data-action', 'assigned');

  // Resolve needs a note: the confirm button stays disabled until one is written.
  await buttons.and(page.locator('[data-to="resolved"]')).click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('transition-confirm')).toBeDisabled();
  await dialog.getByTestId('transition-note').fill('   ');
  await expect(dialog.getByTestId('transition-confirm')).toBeDisabled();
  const note = `更换逆变器 IGBT 模块后恢复并网 ${tag}`;
  await dialog.getByTestId('transition-note').fill(note);
  await dialog.getByTestId('transition-confirm').click();
  await expect(dialog).toBeHidden();

  // The timeline shows the resolution with its note, newest first; the buttons follow the state.
  await expect(entries).toHaveCount(6);
  await expect(entries.first()).toHaveAttribute('data-action', 'transitioned');
  await expect(entries.first()).toContainText(note);
  await expect(entries.first()).toContainText('已解决');
  expect((await toStates()).sort()).toEqual(['closed', 'in_progress']);

  const stored = await rpc('tickets/get', { number: ticket.number });
  expect(stored.status).toBe('resolved');
  expect(stored.assignee).toEqual({ kind: 'team', id: 'team-field-east' });
  expect(stored.sla.resolvedAt).not.toBeNull();
  expect(stored.history.map((h) => h.action)).toEqual([
    'created',
    'assigned',
    'transitioned',
    'transitioned',
    'assigned',
    'transitioned',
  ]);
  expect(stored.history.at(-1)?.note).toBe(note);
});

test('a transition from a stale drawer gets a clear CONFLICT and a reload, never a blind write', async ({
  page,
}) => {
  // Hold back the hub's live pushes to this page, so its drawer stays on an old version while
  // someone else moves the ticket on (as when a push is still in flight).
  let holdPushes = false;
  await page.routeWebSocket(/\/rpc$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (holdPushes && typeof m === 'string' && m.includes('"event"')) return;
      ws.send(m);
    });
  });
  const tag = uniqueTag();
  const ticket = await createTicket(tag, { assignee: { kind: 'user', id: 'u-lina' } });
  await openBoard(page);
  await openTicket(page, tag, ticket.number);
  const drawer = page.getByTestId('detail-drawer');
  const startWork = drawer.locator('[data-testid="transition-button"][data-to="in_progress"]');
  await expect(startWork).toBeEnabled();

  holdPushes = true;
  const started = await rpc('tickets/transition', {
    id: ticket.id,
    version: ticket.version,
    to: 'in_progress',
  });
  await rpc('tickets/transition', {
    id: ticket.id,
    version: started.version,
    to: 'resolved',
    note: '远程已处理',
  });

  // The drawer still offers "start work"; the hub refuses the stale version.
  await startWork.click();
  const error = drawer.getByTestId('detail-error');
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute('data-code', 'CONFLICT');
  expect((await rpc('tickets/get', { id: ticket.id })).status).toBe('resolved');

  // Reload brings the drawer to the hub's version: resolved, so close or reopen.
  holdPushes = false;
  await error.getByTestId('error-reload').click();
  await expect(error).toBeHidden();
  await expect(drawer.getByTestId('history-entry')).toHaveCount(3);
  await expect(drawer.getByTestId('history-entry').first()).toContainText('远程已处理');
  await expect
    .poll(() =>
      drawer
        .getByTestId('transition-button')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-to')).sort()),
    )
    .toEqual(['closed', 'in_progress']);
});

test('links: add a parent by number, follow it, see the reverse link, remove it; a bad number is refused', async ({
  page,
}) => {
  const tag = uniqueTag();
  const child = await createTicket(tag, { title: `E2E 子工单 ${tag}` });
  const parent = await createTicket(uniqueTag(), { title: `E2E 父工单 ${uniqueTag()}` });
  await openBoard(page);
  await openTicket(page, tag, child.number);

  const drawer = page.getByTestId('detail-drawer');
  const links = drawer.getByTestId('link-item');
  await expect(links).toHaveCount(0);

  // A number that does not exist: a clear error, no link.
  await drawer.getByTestId('link-kind').selectOption('parent');
  await drawer.getByTestId('link-number').fill('WF-1999-999999');
  await drawer.getByTestId('link-add').click();
  await expect(drawer.getByTestId('detail-error')).toHaveAttribute('data-code', 'NOT_FOUND');
  await expect(links).toHaveCount(0);

  // The parent's number: linked on both tickets.
  await drawer.getByTestId('link-number').fill(parent.number);
  await drawer.getByTestId('link-add').click();
  await expect(drawer.getByTestId('detail-error')).toBeHidden();
  await expect(links).toHaveCount(1);
  await expect(links.first()).toHaveAttribute('data-number', parent.number);
  await expect(links.first()).toHaveAttribute('data-kind', 'parent');
  await expect(drawer.getByTestId('link-number')).toHaveValue('');
  await expect(drawer.locator('[data-testid="history-entry"][data-action="linked"]')).toHaveCount(1);
  expect((await rpc('tickets/get', { id: parent.id })).links).toEqual([
    { kind: 'child', ticketId: child.id, number: child.number },
  ]);

  // Following the link opens the parent, which shows the child.
  await links.first().getByRole('button', { name: parent.number }).click();
  await expect(drawer).toHaveAttribute('data-number', parent.number);
  await expect(links).toHaveCount(1);
  await expect(links.first()).toHaveAttribute('data-number', child.number);
  await expect(links.first()).toHaveAttribute('data-kind', 'child');

  // Removing it from the parent removes both sides.
  await links.first().getByTestId('link-remove').click();
  await expect(links).toHaveCount(0);
  await expect(drawer.locator('[data-testid="history-entry"][data-action="unlinked"]')).toHaveCount(1);
  expect((await rpc('tickets/get', { id: child.id })).links).toEqual([]);
});
