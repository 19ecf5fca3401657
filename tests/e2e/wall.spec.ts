import { expect, test, type Page } from '@playwright/test';
import { createTicket, rpc, uniqueTag } from './helpers';

// A 4K wall: room for every open P1/P2 ticket of the test dataset in the live list.
test.use({ viewport: { width: 3840, height: 2160 } });

const tile = (page: Page, kpi: string) => page.locator(`[data-testid="wall-tile"][data-kpi="${kpi}"]`);
const tileValue = async (page: Page, kpi: string): Promise<number> =>
  Number(await tile(page, kpi).getAttribute('data-value'));

async function openWall(page: Page): Promise<void> {
  await page.goto('/wall');
  await expect(page.getByTestId('wall')).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'open');
  await expect(tile(page, 'open')).toHaveAttribute('data-value', /^\d+$/);
}

test('the wall shows the hub’s KPIs and a new P1 ticket raises the P1 tile and joins the live list', async ({
  page,
}) => {
  await openWall(page);
  await expect(page).toHaveTitle('Watchfloor 大屏');
  await expect(page.getByTestId('wall-clock')).toContainText(/\d{2}:\d{2}:\d{2}/);
  await expect(page.getByTestId('wall-tile')).toHaveCount(7);

  // Every tile is a number, and the same number the hub's stats give.
  const stats = await rpc('tickets/stats', {});
  const expected: Record<string, number> = {
    open: stats.open,
    openP1: stats.openByPriority.P1,
    openP2: stats.openByPriority.P2,
    breached: stats.breached,
    dueWithinHour: stats.dueWithinHour,
    createdToday: stats.createdToday,
    resolvedToday: stats.resolvedToday,
  };
  for (const [kpi, value] of Object.entries(expected)) {
    await expect(tile(page, kpi)).toHaveAttribute('data-value', String(value));
    await expect(tile(page, kpi).getByTestId('wall-tile-value')).toHaveText(value.toLocaleString('en-US'));
  }
  expect(stats.open).toBeGreaterThan(0);

  // The live list is the hub's open P1/P2 tickets, soonest resolve-due first.
  const urgentQuery = {
    filter: { priority: ['P1', 'P2'] as ('P1' | 'P2')[], open: true },
    sort: { field: 'resolveDueAt' as const, dir: 'asc' as const },
    offset: 0,
    limit: 40,
  };
  const urgent = await rpc('tickets/list', urgentQuery);
  const wallRows = page.getByTestId('wall-row');
  await expect(page.getByTestId('wall-urgent-total')).toHaveText(urgent.total.toLocaleString('en-US'));
  const shownBefore = await wallRows.count();
  expect(shownBefore).toBeGreaterThan(0);
  expect(await wallRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-number')))).toEqual(
    urgent.items.slice(0, shownBefore).map((t) => t.number),
  );

  // A P1 fault raised over the RPC (as a device alarm would be).
  const p1Before = await tileValue(page, 'openP1');
  const openBefore = await tileValue(page, 'open');
  const tag = uniqueTag();
  const created = await createTicket(tag, { priority: 'P1', source: 'mqtt', title: `E2E 大屏P1 ${tag}` });
  await expect(tile(page, 'openP1')).toHaveAttribute('data-value', String(p1Before + 1), { timeout: 3_000 });
  await expect(tile(page, 'open')).toHaveAttribute('data-value', String(openBefore + 1));
  await expect(page.getByTestId('wall-urgent-total')).toHaveText((urgent.total + 1).toLocaleString('en-US'));

  // It is in the list where the hub's order puts it (the 4K wall has room for the whole list).
  const after = await rpc('tickets/list', urgentQuery);
  const position = after.items.findIndex((t) => t.id === created.id);
  expect(position, 'the new ticket is in the hub’s urgent list').toBeGreaterThanOrEqual(0);
  const row = page.locator(`[data-testid="wall-row"][data-number="${created.number}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(created.title);
  await expect(row).toContainText('P1');
  expect(await wallRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-number')))).toEqual(
    after.items.slice(0, await wallRows.count()).map((t) => t.number),
  );

  // Resolving it takes it off the wall again.
  const assigned = await rpc('tickets/assign', {
    id: created.id,
    version: created.version,
    assignee: { kind: 'team', id: 'team-noc' },
  });
  const working = await rpc('tickets/transition', {
    id: created.id,
    version: assigned.version,
    to: 'in_progress',
  });
  await rpc('tickets/transition', {
    id: created.id,
    version: working.version,
    to: 'resolved',
    note: '已恢复',
  });
  await expect(row).toHaveCount(0, { timeout: 3_000 });
  await expect(tile(page, 'openP1')).toHaveAttribute('data-value', String(p1Before));
});
