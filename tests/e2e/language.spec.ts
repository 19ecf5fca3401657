import { expect, test, type Page } from '@playwright/test';
import { openBoard } from './helpers';

/** A few labels that must follow the language: UI strings and names from the configuration. */
async function expectLanguage(page: Page, lang: 'zh-CN' | 'en'): Promise<void> {
  const zh = lang === 'zh-CN';
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.getByTestId('new-ticket')).toContainText(zh ? '新建工单' : 'New ticket');
  await expect(page.getByTestId('nav-board')).toHaveText(zh ? '工单看板' : 'Ticket board');
  await expect(page.getByTestId('connection-state')).toHaveText(zh ? '已连接' : 'Live');
  await expect(page.getByTestId('view-mode-toggle').locator('[data-mode="kanban"]')).toHaveText(
    zh ? '看板' : 'Kanban',
  );
  await expect(page.getByTestId('total-count')).toHaveText(zh ? /^共 [\d,]+ 条$/ : /^[\d,]+ tickets$/);
  await expect(page.getByTestId('language-switch').locator(`[data-lang="${lang}"]`)).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page).toHaveTitle(zh ? 'Watchfloor 工单中枢' : 'Watchfloor Ticket Hub');
  // Ticket type names come from the configuration document in both languages.
  await page.getByTestId('filter-type').click();
  await expect(page.locator('[data-testid="filter-type-option"][data-value="device-fault"]')).toContainText(
    zh ? '设备故障' : 'Device fault',
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('filter-type-menu')).toBeHidden();
}

test('zh-CN by default; the English switch applies at once and survives a reload', async ({ page }) => {
  await openBoard(page);
  await expectLanguage(page, 'zh-CN');

  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await expectLanguage(page, 'en');
  // Rows already on screen follow too (status labels come from the configuration).
  await expect(page.locator('[data-testid="ticket-row"][data-index="0"]')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await expectLanguage(page, 'en');

  await page.getByTestId('language-switch').locator('[data-lang="zh-CN"]').click();
  await expectLanguage(page, 'zh-CN');
  await page.reload();
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  await expectLanguage(page, 'zh-CN');
});

test('the language is remembered per browser, not pushed to other operators', async ({ page, browser }) => {
  await openBoard(page);
  await page.getByTestId('language-switch').locator('[data-lang="en"]').click();
  await expect(page.getByTestId('new-ticket')).toContainText('New ticket');
  const other = await browser.newContext();
  const second = await other.newPage();
  await openBoard(second);
  await expect(second.getByTestId('new-ticket')).toContainText('新建工单');
  await other.close();
});
