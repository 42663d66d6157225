import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';

import { eventually, expectText, openScreen, settledDialog, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// Master data as the admin keeps it: a product registered with its price typed in yuan (stored in fen),
// a customer registered and found by name; an analyst sees no customer's name.
describeInBrowser('console: master data', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'an admin registers a product with a price typed in major units, and finds it by the start of its SKU',
    async () => {
      const page = await signedIn(harness, harness.adminKey);
      await openScreen(page, /^products$/i);
      await page.getByRole('button', { name: 'Register product' }).click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: 'Register product' }));
      await dialog.getByRole('textbox', { name: 'SKU' }).fill('MUG-1');
      await dialog.getByRole('textbox', { name: 'Name' }).fill('Jingdezhen mug');
      await dialog.getByRole('textbox', { name: 'Price (CNY)' }).fill('12.50');
      await dialog.getByRole('button', { name: 'Register product' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: UI_WAIT });
      await expectText(page, 'Product MUG-1 registered.');
      expect(await eventually(() => harness.admin.send('GET', '/products/MUG-1'), (answer) => answer.status === 200)).toMatchObject({ body: { sku: 'MUG-1', name: 'Jingdezhen mug', price: 1250 } });

      const search = page.getByRole('searchbox', { name: 'Search' });
      await search.fill('MUG');
      await search.press('Enter');
      const row = page.getByRole('row').filter({ hasText: 'MUG-1' }).first();
      await row.waitFor({ timeout: UI_WAIT });
      expect(await row.innerText()).toMatch(/Jingdezhen mug[\s\S]*CN¥12\.50/);
      await harness.screenshot(page, 'products');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'an admin registers a customer and finds it by name; an analyst sees the customer without its name',
    async () => {
      const page = await signedIn(harness, harness.adminKey);
      await openScreen(page, /^customers$/i);
      await page.getByRole('button', { name: 'Register customer' }).click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: 'Register customer' }));
      await dialog.getByRole('textbox', { name: 'Id' }).fill('cust-west-lake');
      await dialog.getByRole('textbox', { name: 'Name' }).fill('West Lake Tea House');
      await dialog.getByRole('textbox', { name: 'Phone' }).fill('+86 571 8888 0000');
      await dialog.getByRole('button', { name: 'Register customer' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: UI_WAIT });
      await expectText(page, 'Customer cust-west-lake registered.');

      const search = page.getByRole('searchbox', { name: 'Search' });
      await search.fill('West Lake');
      await search.press('Enter');
      const row = page.getByRole('row').filter({ hasText: 'cust-west-lake' }).first();
      await row.waitFor({ timeout: UI_WAIT });
      expect(await row.innerText()).toContain('West Lake Tea House');

      const analyst = await signedIn(harness, await harness.keyFor('analyst-parties', 'analyst'));
      await openScreen(analyst, /^customers$/i);
      const hidden = analyst.getByRole('row').filter({ hasText: 'cust-west-lake' }).first();
      await hidden.waitFor({ timeout: UI_WAIT });
      expect(await hidden.innerText()).toContain('Hidden');
      expect(await analyst.content()).not.toContain('West Lake Tea House');
      expect(await analyst.content()).not.toContain('8888');
    },
    BROWSER_TEST_TIMEOUT,
  );
});
