import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { type Locator, type Page } from 'playwright-core';

import { eventually, navigationItems, openScreen, placeSale, seedShop, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// Analytics and reorder planning as an analyst and a planner use them: the numbers beside each chart are
// the API's, and they count what people did in the shop.

interface CancellationGroup {
  key: string;
  count: number;
  orders: number;
  refunded: number;
}

interface ReorderItem {
  sku: string;
  warehouseId: string;
  reorderPoint: number;
  position: number;
  suggestedQuantity: number;
}

/** A section of a screen (a region named by its title). */
const section = (page: Page, name: string): Locator => page.getByRole('region', { name });

/** The cells of the first row of a section's table that shows `text`. */
async function rowCells(region: Locator, text: string): Promise<string[]> {
  const row = region.getByRole('row').filter({ hasText: text }).first();
  await row.waitFor({ timeout: UI_WAIT });
  return (await row.getByRole('cell').allInnerTexts()).map((cell) => cell.trim());
}

/** Types the analytics period's first and last day (the keyboard way through the date range picker). */
async function pickPeriod(page: Page, first: string, last: string): Promise<void> {
  const start = page.getByPlaceholder('Start date');
  await start.click();
  await start.fill(first);
  await start.press('Enter');
  const end = page.getByPlaceholder('End date');
  await end.fill(last);
  await end.press('Enter');
}

/** Clicks a button that downloads a file; the file's name and text. */
async function downloaded(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_WAIT }), button.click()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

describeInBrowser('console: analytics and planning', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await seedShop(harness.admin, { sku: 'VASE-1', name: 'Ru kiln vase', price: 2500, stock: 20 });
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'an analyst sees a cancellation in the tables beside the charts: its reason, its initiator, its week and the value refunded',
    async () => {
      const clerk = harness.api(await harness.keyFor('clerk-analytics', 'clerk'));
      const approver = harness.api(await harness.keyFor('approver-analytics', 'approver'));
      const order = await placeSale(clerk, [{ sku: 'VASE-1', quantity: 2 }]);
      await clerk.post(`/orders/${order.orderId}/payments`, { amount: 5000, method: 'alipay' });
      await clerk.post(`/orders/${order.orderId}/cancellation`, { reason: 'Found it cheaper elsewhere', initiatedBy: 'customer' });
      await approver.post(`/orders/${order.orderId}/cancellation/approve`, {});
      // and a sale that stands, for the sales chart
      const kept = await placeSale(clerk, [{ sku: 'VASE-1', quantity: 3 }]);
      const byReason = await eventually(
        () => harness.view<{ groups: CancellationGroup[] }>('/analytics/cancellations?groupBy=reason'),
        (answer) => answer.groups.some((group) => group.key === 'Found it cheaper elsewhere' && group.refunded === 5000),
      );
      const mine = byReason.groups.find((group) => group.key === 'Found it cheaper elsewhere');
      expect(mine).toMatchObject({ count: 1, refunded: 5000 });

      const analystKey = await harness.keyFor('analyst-charts', 'analyst');
      const page = await signedIn(harness, analystKey);
      expect(await navigationItems(page)).toEqual(expect.arrayContaining(['Analytics', 'Reorder planning']));
      await openScreen(page, /^analytics$/i);

      const reasons = section(page, 'Cancellations by reason');
      expect(await rowCells(reasons, 'Found it cheaper elsewhere')).toEqual(['Found it cheaper elsewhere', '1', String(mine!.orders), expect.stringMatching(/%$/), 'CN¥50.00']);
      await reasons.getByRole('img', { name: 'Cancellations by reason' }).waitFor({ timeout: UI_WAIT });
      const initiators = section(page, 'Cancellations by initiator');
      expect((await rowCells(initiators, 'Customer')).slice(0, 2)).toEqual(['Customer', '1']);
      const weeks = section(page, 'Cancellations by week');
      const [week, count, , , refunded] = await rowCells(weeks, '-W');
      expect({ week, count, refunded }).toEqual({ week: expect.stringMatching(/^\d{4}-W\d{2}$/), count: '1', refunded: 'CN¥50.00' });
      await weeks.getByRole('img', { name: 'Refunded value by week' }).waitFor({ timeout: UI_WAIT });
      await weeks.getByText('Days and weeks (ISO weeks) are counted in the business time zone Asia/Shanghai.').waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'analytics');

      // The export beside the charts: the cancelled orders of the period, not the sale that stands.
      const exported = await downloaded(page, reasons.getByRole('button', { name: 'Export these cancelled orders as CSV' }));
      expect(exported.name).toMatch(/\.csv$/);
      expect(exported.text).toContain(order.number);
      expect(exported.text).toContain('VASE-1');
      expect(exported.text).not.toContain(kept.number);

      // A period picked by typing its days: one long ago shows nothing, today shows the cancellation again.
      await pickPeriod(page, '2020-01-01', '2020-01-31');
      await reasons.getByText('No cancellations in this period.').waitFor({ timeout: UI_WAIT });
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      await pickPeriod(page, today, today);
      expect((await rowCells(reasons, 'Found it cheaper elsewhere')).slice(0, 2)).toEqual(['Found it cheaper elsewhere', '1']);

      // Sales by day: the sale placed today (the cancelled one is no sale), its value in yuan, as the API counts it.
      await page.getByRole('tab', { name: 'Sales' }).click();
      const sales = section(page, 'Sales by day');
      const answer = await harness.view<{ groups: { key: string; quantity: number; value: number; orders: number }[] }>('/analytics/sales?groupBy=day');
      expect(answer.groups).toEqual([expect.objectContaining({ quantity: 3, value: 7500, orders: 1 })]);
      const day = answer.groups[0]!;
      expect(await rowCells(sales, day.key)).toEqual([day.key, '3', 'CN¥75.00', '1']);
      await sales.getByRole('img', { name: 'Sales by day' }).waitFor({ timeout: UI_WAIT });
      // antd's button-style radios hide the input: a user clicks the label
      await sales.getByText('SKU', { exact: true }).click();
      const bySku = section(page, 'Sales by SKU');
      expect(await rowCells(bySku, 'VASE-1')).toEqual(['VASE-1', '3', 'CN¥75.00', '1']);
      expect(await bySku.getByRole('radio', { name: 'SKU' }).isChecked()).toBe(true);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a planner sees a reorder suggestion for a SKU running low, marked to reorder now, and the position in the low-stock list; a clerk is not offered either screen',
    async () => {
      await seedShop(harness.admin, { sku: 'INK-1', name: 'Pine soot ink', price: 800, stock: 4 });
      await harness.admin.put('/stock/INK-1/thresholds', { min: 5, max: 40 });
      const clerkKey = await harness.keyFor('clerk-planning', 'clerk');
      await placeSale(harness.api(clerkKey), [{ sku: 'INK-1', quantity: 3 }]);
      const plan = await eventually(
        () => harness.view<{ items: ReorderItem[] }>('/planning/reorder?warehouseId=main'),
        (answer) => answer.items.some((item) => item.sku === 'INK-1' && item.suggestedQuantity > 0),
      );
      const ink = plan.items.find((item) => item.sku === 'INK-1');
      expect(ink).toMatchObject({ position: 1 });
      expect(ink!.position).toBeLessThanOrEqual(ink!.reorderPoint);
      expect(ink!.suggestedQuantity).toBeGreaterThan(0);

      const page = await signedIn(harness, await harness.keyFor('planner-finance', 'finance'));
      await openScreen(page, /^reorder planning$/i);
      const suggestions = section(page, 'Reorder suggestions');
      const cells = await rowCells(suggestions, 'INK-1');
      expect(cells[0]).toBe('INK-1');
      expect(cells).toContain(String(ink!.suggestedQuantity));
      expect(cells[cells.length - 1]).toBe('Reorder now');
      // What needs ordering now comes first.
      expect((await suggestions.getByRole('row').nth(1).getByRole('cell').first().innerText()).trim()).toBe(
        [...plan.items].filter((item) => item.position <= item.reorderPoint && item.reorderPoint > 0).sort((a, b) => b.suggestedQuantity - a.suggestedQuantity || a.sku.localeCompare(b.sku))[0]!.sku,
      );
      expect((await rowCells(section(page, 'Low stock'), 'INK-1')).slice(0, 3)).toEqual(['INK-1', 'main', '1']);
      await harness.screenshot(page, 'planning');
      const lowStock = await downloaded(page, section(page, 'Low stock').getByRole('button', { name: 'Export low stock as CSV' }));
      expect(lowStock.text).toContain('INK-1');
      expect(lowStock.text).not.toContain('VASE-1');

      const clerkPage = await signedIn(harness, clerkKey);
      const clerkScreens = await navigationItems(clerkPage);
      expect(clerkScreens).not.toContain('Analytics');
      expect(clerkScreens).not.toContain('Reorder planning');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'reads in Chinese as Chinese analysts say it: 经营分析, 取消原因, 退款金额, 补货计划',
    async () => {
      const page = await harness.newPage({ lang: 'zh-CN' });
      await page.goto('/');
      await page.getByLabel('API 密钥').fill(await harness.keyFor('analyst-zh', 'analyst'));
      await page.getByLabel('API 密钥').press('Enter');
      await page.getByRole('navigation').first().getByRole('menuitem', { name: '经营分析' }).click({ timeout: UI_WAIT });
      const reasons = section(page, '按取消原因');
      await reasons.getByRole('columnheader', { name: '取消原因' }).waitFor({ timeout: UI_WAIT });
      await reasons.getByRole('columnheader', { name: '退款金额' }).waitFor({ timeout: UI_WAIT });
      // money in yuan with the Chinese currency sign
      await reasons.getByRole('cell', { name: '¥50.00' }).first().waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'analytics-zh');
      await page.getByRole('navigation').first().getByRole('menuitem', { name: '补货计划' }).click();
      await section(page, '补货建议').getByRole('columnheader', { name: '建议采购量' }).waitFor({ timeout: UI_WAIT });
    },
    BROWSER_TEST_TIMEOUT,
  );
});
