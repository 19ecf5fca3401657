import { expect, test } from '@playwright/test';
import { openBoard, rpc, uniqueTag } from './helpers';

test('a shared view saved in one page is offered live in another and applies its filter and mode', async ({
  browser,
}) => {
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
  await Promise.all([openBoard(a!), openBoard(b!)]);
  const name = `E2E 视图 ${uniqueTag()}`;

  // A: open P1 tickets, as kanban, saved as a new shared view.
  await a!.getByTestId('filter-priority').click();
  await a!.locator('[data-testid="filter-priority-option"][data-value="P1"]').click();
  await a!.keyboard.press('Escape');
  await a!.getByTestId('filter-open').check();
  await a!.getByTestId('view-mode-toggle').locator('[data-mode="kanban"]').click();
  await a!.getByTestId('view-save-new').click();
  const dialog = a!.getByTestId('view-save-dialog');
  await expect(dialog.getByTestId('view-save-submit')).toBeDisabled();
  await dialog.getByTestId('view-name').fill(name);
  await dialog.getByTestId('view-shared').check();
  await dialog.getByTestId('view-save-submit').click();
  await expect(dialog).toBeHidden();
  const selectA = a!.getByTestId('views-select');
  await expect(selectA.locator('option:checked')).toContainText(name);

  // B: the view appears in its list without a reload; choosing it applies filter, sort and mode.
  const optionB = b!.getByTestId('views-select').locator('option', { hasText: name });
  await expect(optionB).toHaveCount(1, { timeout: 2_000 });
  await b!.getByTestId('views-select').selectOption((await optionB.getAttribute('value'))!);
  await expect(b!.getByTestId('filter-open')).toBeChecked();
  await expect(b!.getByTestId('filter-priority')).toContainText('1');
  await expect(b!.getByTestId('kanban-column')).toHaveCount(5);
  const expected = await rpc('tickets/list', { filter: { priority: ['P1'], open: true }, limit: 1 });
  await expect(b!.getByTestId('total-count')).toHaveAttribute('data-total', String(expected.total));
  // Open tickets only: the resolved and closed columns are empty.
  await expect(
    b!.locator('[data-testid="kanban-column"][data-column="cat:closed"]').getByTestId('kanban-count'),
  ).toHaveText('0');

  // A deletes it (after confirming); B's list drops it live.
  await a!.getByTestId('view-delete').click();
  await a!.getByTestId('view-delete-confirm').click();
  await expect(selectA.locator('option', { hasText: name })).toHaveCount(0);
  await expect(optionB).toHaveCount(0, { timeout: 2_000 });
  expect((await rpc('views/list', {})).some((v) => v.name === name)).toBe(false);
  for (const c of contexts) await c.close();
});
