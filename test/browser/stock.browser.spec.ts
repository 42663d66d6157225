import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';

import { eventually, openScreen, seedShop, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// The warehouse's stocktake (盘点): the variance is shown before the count is recorded.
describeInBrowser('console: stock', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await seedShop(harness.admin, { sku: 'CUP-1', name: 'Celadon cup', price: 500, stock: 10 });
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'a stock count shows its variance before it is submitted, and only the submit changes the stock',
    async () => {
      const warehouseKey = await harness.keyFor('warehouse-count', 'warehouse');
      const page = await signedIn(harness, warehouseKey);
      await openScreen(page, /^stock$/i);
      const row = page.getByRole('row').filter({ hasText: 'CUP-1' }).first();
      await row.waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'stock');

      await page.getByRole('tab', { name: 'Stock count' }).click();
      const form = page.getByRole('tabpanel', { name: 'Stock count' });
      await form.getByRole('textbox', { name: 'SKU' }).fill('CUP-1');
      await form.getByRole('spinbutton', { name: 'Counted quantity' }).fill('7');
      await form.getByRole('textbox', { name: 'Reason' }).fill('Three cups broken on the shelf');
      const variance = form.getByTestId('count-variance');
      await variance.waitFor({ timeout: UI_WAIT });
      expect((await variance.innerText()).replace('\u2212', '-')).toBe('-3');
      await harness.screenshot(page, 'stock-count-preview');
      expect((await harness.view<{ onHand: number }>('/stock/CUP-1')).onHand).toBe(10);

      await form.getByRole('button', { name: 'Record count' }).click();
      await form.getByText(/Count of CUP-1 recorded/).waitFor({ timeout: UI_WAIT });
      expect((await eventually(() => harness.admin.get<{ onHand: number }>('/stock/CUP-1'), (level) => level.onHand === 7)).onHand).toBe(7);
      await page.getByRole('tab', { name: 'Stock levels' }).click();
      await row.getByRole('cell', { name: '7', exact: true }).first().waitFor({ timeout: UI_WAIT });
    },
    BROWSER_TEST_TIMEOUT,
  );
});
