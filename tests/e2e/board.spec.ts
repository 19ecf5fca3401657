import { expect, test, type Page } from '@playwright/test';
import {
  createTicket,
  openBoard,
  rowByNumber,
  rows,
  rpc,
  search,
  totalOf,
  uniqueChinese,
  uniqueTag,
} from './helpers';

/** The numbers of the rows at data-index 0..count-1, in order (the list is virtualized). */
async function numbersAtTop(page: Page, count: number): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const row = page.locator(`[data-testid="ticket-row"][data-index="${i}"]`);
    out.push((await row.count()) ? await row.getAttribute('data-number') : null);
  }
  return out;
}

/** Ticks one option of a filter's menu (the board's MultiSelect) and closes the menu. */
async function pickFilter(page: Page, filter: string, value: string): Promise<void> {
  await page.getByTestId(`filter-${filter}`).click();
  const menu = page.getByTestId(`filter-${filter}-menu`);
  await expect(menu).toBeVisible();
  const option = menu.locator(`[data-testid="filter-${filter}-option"][data-value="${value}"]`);
  await option.click();
  await expect(option.locator('input[type=checkbox]')).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(page.getByTestId(`filter-${filter}`)).toContainText('1');
}

test('filter by priority and text, then open tickets by click and by keyboard', async ({ page }) => {
  const tag = uniqueTag();
  // Created oldest first, so the default sort (updated, newest first) lists p1b above p1a.
  const p1a = await createTicket(tag, { priority: 'P1', title: `E2E 筛选甲 ${tag}` });
  const p1b = await createTicket(tag, {
    priority: 'P1',
    title: `E2E 筛选乙 ${tag}`,
    typeId: 'process-anomaly',
  });
  const p3 = await createTicket(tag, { priority: 'P3', title: `E2E 筛选丙 ${tag}` });
  await openBoard(page);

  // Priority P1 alone: the count and the top rows are exactly what the hub answers for that query.
  await pickFilter(page, 'priority', 'P1');
  const expected = await rpc('tickets/list', {
    filter: { priority: ['P1'] },
    sort: { field: 'updatedAt', dir: 'desc' },
    offset: 0,
    limit: 200,
  });
  // (More P1 tickets than this test's two, so the narrowing below is visible in the count.)
  expect(expected.total).toBeGreaterThan(2);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', String(expected.total));
  const top = Math.min(5, expected.total);
  await expect.poll(() => numbersAtTop(page, top)).toEqual(expected.items.slice(0, top).map((t) => t.number));
  for (let i = 0; i < top; i++) {
    await expect(page.locator(`[data-testid="ticket-row"][data-index="${i}"]`)).toContainText('P1');
  }
  await expect(page.getByTestId('clear-filters')).toBeVisible();

  // Plus free text, typed and left to settle (no Enter: see the known-bug test on Enter below):
  // only this test's two P1 tickets remain; the P3 one with the same tag does not.
  await page.getByTestId('search-input').fill(tag);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '2');
  await expect(rows(page)).toHaveCount(2);
  await expect.poll(() => numbersAtTop(page, 2)).toEqual([p1b.number, p1a.number]);
  await expect(rowByNumber(page, p3.number)).toHaveCount(0);

  // Keyboard: Esc leaves the search box, j/k move the selection, Enter opens the selected ticket.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('search-input')).not.toBeFocused();
  await page.keyboard.press('j');
  await expect(rowByNumber(page, p1b.number)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(rowByNumber(page, p1a.number)).toHaveAttribute('aria-selected', 'true');
  await expect(rowByNumber(page, p1b.number)).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('k');
  await expect(rowByNumber(page, p1b.number)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const drawer = page.getByTestId('detail-drawer');
  await expect(drawer).toHaveAttribute('data-number', p1b.number);
  await expect(drawer.getByTestId('detail-number')).toHaveText(p1b.number);
  await expect(drawer.getByTestId('detail-title')).toHaveText(p1b.title);
  await expect(drawer.getByTestId('history-entry')).toHaveCount(1);
  await expect(drawer.getByTestId('history-entry').first()).toHaveAttribute('data-action', 'created');
  await expect(drawer.getByTestId('detail-business-keys')).toContainText(`SN-${tag}`);

  // With the drawer open, j moves the selection and the drawer follows it.
  await page.keyboard.press('j');
  await expect(drawer).toHaveAttribute('data-number', p1a.number);
  await expect(drawer.getByTestId('detail-title')).toHaveText(p1a.title);

  // Esc closes the drawer.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // Click: opens the clicked ticket.
  await rowByNumber(page, p1b.number).click();
  await expect(drawer).toHaveAttribute('data-number', p1b.number);
  await expect(drawer.getByTestId('history-timeline')).toBeVisible();
  await drawer.getByTestId('detail-close').click();
  await expect(drawer).toBeHidden();

  // `/` focuses the search box; clearing the filters brings the whole board back.
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.getByTestId('clear-filters').click();
  await expect(page.getByTestId('search-input')).toHaveValue('');
  const all = await rpc('tickets/list', { limit: 1 });
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', String(all.total));
});

test('free text finds a ticket by number, Chinese title fragment, business key and address', async ({
  page,
}) => {
  const chinese = uniqueChinese(6);
  const keyTag = uniqueTag('sn');
  const addressTag = uniqueTag('road');
  const ticket = await createTicket(uniqueTag(), {
    title: `E2E 全文检索 ${chinese}告警`,
    businessKeys: { orderNo: `ORD-${keyTag}` },
    location: { lng: 120.21, lat: 30.25, address: `杭州市测试路 ${addressTag} 号` },
  });
  await openBoard(page);
  const all = await totalOf(page);
  for (const query of [ticket.number, chinese.slice(1, 5), `ORD-${keyTag}`, addressTag]) {
    await search(page, query);
    await expect(page.getByTestId('total-count'), `search for ${query}`).toHaveAttribute('data-total', '1');
    await expect(rowByNumber(page, ticket.number)).toBeVisible();
    // Back to everything between queries, so each result is known to come from its own query.
    await search(page, '');
    await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', String(all));
  }
  // The business-key filter narrows by key and value.
  await page.getByTestId('filter-bizkey-key').selectOption('orderNo');
  await page.getByTestId('filter-bizkey-value').fill(`ORD-${keyTag}`);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '1');
  await expect(rowByNumber(page, ticket.number)).toBeVisible();
  await page.getByTestId('filter-bizkey-key').selectOption('deviceSn');
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '0');
});

// Enter commits the search at once; the typing debounce that fires afterwards must not query again
// (a second rebuild would drop a selection made in between and scroll the list to the top).
test('a search committed with Enter asks the hub once', async ({ page }) => {
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await openBoard(page);
  const tag = uniqueTag();
  await search(page, tag);
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '0');
  // Waiting is the point here: past the 250 ms debounce, no second query may follow.
  await page.waitForTimeout(800);
  const queries = sent.filter((f) => f.includes('"tickets/facets"') && f.includes(tag));
  expect(queries).toHaveLength(1);
});

test('a filter that matches nothing shows the empty state with a way back', async ({ page }) => {
  await openBoard(page);
  const total = await totalOf(page);
  await search(page, uniqueTag('nomatch'));
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', '0');
  await expect(page.getByTestId('board-empty')).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
  await page.getByTestId('empty-clear-filters').click();
  await expect(page.getByTestId('board-empty')).toBeHidden();
  await expect(page.getByTestId('total-count')).toHaveAttribute('data-total', String(total));
});

test('kanban shows columns with counts; the keyboard toggles views and opens the help overlay', async ({
  page,
}) => {
  await openBoard(page);
  const total = await totalOf(page);
  expect(total).toBeGreaterThan(0);

  // v switches to kanban (keyboard first: focus stays on the page, see the known bug below).
  await page.keyboard.press('v');
  await expect(page.getByTestId('view-mode-toggle').locator('[data-mode="kanban"]')).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByTestId('ticket-list')).toHaveCount(0);
  const columns = page.getByTestId('kanban-column');
  await expect(columns).toHaveCount(5);
  expect(await columns.evaluateAll((els) => els.map((e) => e.getAttribute('data-column')))).toEqual([
    'cat:new',
    'cat:active',
    'cat:waiting',
    'cat:resolved',
    'cat:closed',
  ]);
  // Category columns partition the board: their counts add up to the total, and match the hub.
  const facets = await rpc('tickets/facets', { filter: {} });
  const countsOf = () =>
    page
      .getByTestId('kanban-count')
      .allTextContents()
      .then((texts) => texts.map((x) => Number(x.replace(/\D/g, ''))));
  await expect.poll(async () => (await countsOf()).reduce((a, b) => a + b, 0)).toBe(total);
  expect(facets.total).toBe(total);
  // Every non-empty column shows cards.
  const counts = await countsOf();
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > 0) await expect(columns.nth(i).getByTestId('kanban-card').first()).toBeVisible();
  }
  expect(counts.filter((c) => c > 0).length).toBeGreaterThanOrEqual(3);

  // Keyboard in kanban: j selects the first card of the first non-empty column, l moves to the
  // next non-empty column, Enter opens the selected card.
  const nonEmpty = counts.flatMap((c, i) => (c > 0 ? [i] : []));
  const selectedCard = page.locator('[data-testid="kanban-card"][aria-selected="true"]');
  await page.keyboard.press('j');
  await expect(selectedCard).toHaveCount(1);
  await expect(
    columns.nth(nonEmpty[0]!).locator('[data-testid="kanban-card"][aria-selected="true"]'),
  ).toHaveCount(1);
  await page.keyboard.press('l');
  await expect(
    columns.nth(nonEmpty[1]!).locator('[data-testid="kanban-card"][aria-selected="true"]'),
  ).toHaveCount(1);
  await expect(selectedCard).toHaveCount(1);
  const selectedNumber = await selectedCard.getAttribute('data-number');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', selectedNumber!);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-drawer')).toBeHidden();

  // One type filtered: the columns become that type's workflow states.
  await pickFilter(page, 'type', 'device-fault');
  await expect(columns).toHaveCount(7);
  await expect(columns.first()).toHaveAttribute('data-column', 'state:new');
  const deviceFaults = await rpc('tickets/list', { filter: { typeId: ['device-fault'] }, limit: 1 });
  await expect.poll(async () => (await countsOf()).reduce((a, b) => a + b, 0)).toBe(deviceFaults.total);
  // A card opens its ticket.
  const stateCounts = await countsOf();
  const busiest = stateCounts.indexOf(Math.max(...stateCounts));
  expect(stateCounts[busiest]).toBeGreaterThan(0);
  const card = columns.nth(busiest).getByTestId('kanban-card').first();
  const number = await card.getAttribute('data-number');
  expect(number).toMatch(/^WF-/);
  await card.click();
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number!);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-drawer')).toBeHidden();

  // The toggle's buttons switch too; v goes back and forth.
  await page.getByTestId('view-mode-toggle').locator('[data-mode="list"]').click();
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await expect(columns).toHaveCount(0);
  await page.getByTestId('view-mode-toggle').locator('[data-mode="kanban"]').click();
  await expect(columns).toHaveCount(7);
  await page.keyboard.press('v');
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await page.keyboard.press('v');
  await expect(columns).toHaveCount(7);

  // ? opens the help overlay with every shortcut; Esc closes it.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(help.getByTestId('shortcut-row')).toHaveCount(9);
  for (const key of ['j', 'k', 'Enter', 'Esc', '/', 'n', 'v', '?']) {
    await expect(
      help.locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) }),
    ).toHaveCount(1);
  }
  // While it is open, board shortcuts do nothing.
  await page.keyboard.press('v');
  await expect(columns).toHaveCount(7);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // The header button opens it too.
  await page.getByTestId('help-button').click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // n opens the create dialog, Esc closes it.
  await page.keyboard.press('n');
  await expect(page.getByTestId('create-dialog')).toBeVisible();
  await expect(page.getByTestId('create-title')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('create-dialog')).toBeHidden();
});

// After a toolbar button was clicked (here the kanban toggle), j/k/h/l move the keyboard's attention
// to the board, so Enter opens the selected ticket instead of pressing the button again.
test('Enter opens the card selected with the keyboard even after a toolbar button was clicked', async ({
  page,
}) => {
  await openBoard(page);
  await page.getByTestId('view-mode-toggle').locator('[data-mode="kanban"]').click();
  await expect(page.getByTestId('kanban-card').first()).toBeVisible();
  await page.keyboard.press('j');
  const selected = page.locator('[data-testid="kanban-card"][aria-selected="true"]');
  await expect(selected).toHaveCount(1);
  const number = await selected.getAttribute('data-number');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('detail-drawer')).toHaveAttribute('data-number', number!, {
    timeout: 3_000,
  });
});

test('bad input in the create dialog: a clear error next to the field, and nothing is created', async ({
  page,
}) => {
  await openBoard(page);
  const tag = uniqueTag();
  const countAll = async () => (await rpc('tickets/list', { limit: 1 })).total;
  const before = await countAll();

  await page.getByTestId('new-ticket').click();
  const dialog = page.getByTestId('create-dialog');
  await expect(dialog).toBeVisible();
  const fieldOf = (testId: string) =>
    dialog.locator('.field', { has: page.getByTestId(testId) }).locator('.field-error');

  // Empty title (only spaces).
  await dialog.getByTestId('create-title').fill('   ');
  await dialog.getByTestId('create-submit').click();
  await expect(fieldOf('create-title')).toHaveText('必填');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('detail-drawer')).toBeHidden();

  // A title, but latitude 95.
  await dialog.getByTestId('create-title').fill(`E2E 坐标错误 ${tag}`);
  await expect(fieldOf('create-title')).toHaveCount(0);
  await dialog.getByTestId('create-lng').fill('120.2');
  await dialog.getByTestId('create-lat').fill('95');
  await dialog.getByTestId('create-submit').click();
  await expect(fieldOf('create-lat')).toContainText('纬度须在 -90 到 90 之间');
  await expect(fieldOf('create-lat')).not.toContainText('经度须');
  await expect(dialog).toBeVisible();

  // Longitude without latitude.
  await dialog.getByTestId('create-lat').fill('');
  await expect(fieldOf('create-lat')).toContainText('需同时填写经度和纬度');

  // A custom number field below its minimum (device fault: downtime ≥ 0).
  await dialog.getByTestId('create-lat').fill('30.25');
  await expect(fieldOf('create-lat')).toHaveCount(0);
  await dialog.getByTestId('create-field-downtimeMinutes').fill('-5');
  await dialog.getByTestId('create-submit').click();
  await expect(fieldOf('create-field-downtimeMinutes')).toContainText('不能小于 0');
  await expect(dialog).toBeVisible();

  // Nothing reached the hub.
  expect(await countAll()).toBe(before);
  expect((await rpc('tickets/list', { filter: { text: tag }, limit: 1 })).total).toBe(0);

  // A business key the hub refuses (keys start with a letter): the hub's INVALID_ARGUMENT names
  // the field, and the dialog shows it by the business keys and as a banner with the code.
  await dialog.getByTestId('create-field-downtimeMinutes').fill('5');
  await dialog.getByTestId('create-bizkey-add').click();
  await dialog.getByTestId('create-bizkey-key').fill('9号键');
  await dialog.getByTestId('create-bizkey-value').fill(`V-${tag}`);
  await dialog.getByTestId('create-submit').click();
  const serverError = dialog.getByTestId('create-error');
  await expect(serverError).toBeVisible();
  await expect(serverError).toHaveAttribute('data-code', 'INVALID_ARGUMENT');
  await expect(serverError).toContainText('businessKeys');
  // The message names the offending key next to the business keys (the wording is checked in
  // the known-bug test below).
  await expect(fieldOf('create-bizkey-add')).toContainText('9号键');
  await expect(dialog).toBeVisible();
  expect(await countAll()).toBe(before);

  // Fixed, it goes through and the drawer shows the location as entered.
  await dialog.getByTestId('create-bizkey-key').fill('deviceSn');
  await dialog.getByTestId('create-submit').click();
  await expect(dialog).toBeHidden();
  const drawer = page.getByTestId('detail-drawer');
  await expect(drawer.getByTestId('detail-title')).toHaveText(`E2E 坐标错误 ${tag}`);
  await expect(drawer.getByTestId('detail-location')).toContainText('120.200000, 30.250000');
  await expect(drawer.getByTestId('detail-business-keys')).toContainText(`V-${tag}`);
  expect(await countAll()).toBe(before + 1);
});

// A refused business-key name carries the contract's own explanation, not zod's generic one.
test('a refused business-key name shows the contract’s own explanation', async ({ page }) => {
  await openBoard(page);
  await page.getByTestId('new-ticket').click();
  const dialog = page.getByTestId('create-dialog');
  await dialog.getByTestId('create-title').fill(`E2E 业务键 ${uniqueTag()}`);
  await dialog.getByTestId('create-bizkey-add').click();
  await dialog.getByTestId('create-bizkey-key').fill('9号键');
  await dialog.getByTestId('create-bizkey-value').fill('x');
  await dialog.getByTestId('create-submit').click();
  await expect(dialog.getByTestId('create-error')).toHaveAttribute('data-code', 'INVALID_ARGUMENT');
  await expect(
    dialog.locator('.field', { has: page.getByTestId('create-bizkey-add') }).locator('.field-error'),
  ).toContainText('key must start with a letter', { timeout: 3_000 });
});

test('off the board, the board keys rest: n and j do nothing on the devices page, ? still helps', async ({
  page,
}) => {
  await openBoard(page);
  await page.getByTestId('nav-devices').click();
  await expect(page).toHaveURL(/\/devices$/);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('n');
  await page.keyboard.press('j');
  await expect(page.getByTestId('create-dialog')).toHaveCount(0);
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toBeHidden();
  // Back on the board the keys work again, and nothing was created behind the operator's back.
  await page.getByTestId('nav-board').click();
  await expect(page.getByTestId('create-dialog')).toHaveCount(0);
  await page.keyboard.press('n');
  await expect(page.getByTestId('create-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
});
