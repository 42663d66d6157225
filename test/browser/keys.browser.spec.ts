import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';

import { expectText, openScreen, settledDialog, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// The admin's keys: a new key is shown once (with a copy button), listed without the key, and revoked.
describeInBrowser('console: API keys', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'an admin creates a key (shown once, copied with a button) and revokes it; the revoked key is refused',
    async () => {
      const page = await signedIn(harness, harness.adminKey);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.origin });
      await openScreen(page, /^api keys$/i);
      await page.getByRole('button', { name: 'Create key' }).click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: 'Create key' }));
      await dialog.getByRole('textbox', { name: 'User id' }).fill('dora');
      await dialog.getByRole('checkbox', { name: 'Clerk' }).check();
      await dialog.getByRole('button', { name: 'Create key' }).click();

      const shown = page.getByRole('dialog', { name: 'Key created for dora' }).getByTestId('issued-key');
      await shown.waitFor({ timeout: UI_WAIT });
      const key = (await shown.innerText()).trim();
      expect((await harness.api(key).send('GET', '/me')).body).toMatchObject({ userId: 'dora', roles: ['clerk'] });
      await page.getByRole('button', { name: 'Copy key' }).click();
      await expectText(page, 'Key copied');
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
      await harness.screenshot(page, 'keys-created');

      await page.getByRole('button', { name: 'Done' }).click();
      const row = page.getByRole('row').filter({ hasText: 'dora' }).first();
      await row.getByText('Active', { exact: true }).waitFor({ timeout: UI_WAIT });
      expect(await page.getByText(key).count()).toBe(0); // never shown again
      await page.reload();
      await row.getByText('Active', { exact: true }).waitFor({ timeout: UI_WAIT });
      expect(await page.content()).not.toContain(key);
      await harness.screenshot(page, 'keys');

      await row.getByRole('button', { name: /^Revoke dora / }).click();
      // The confirmation is a dialog too: clicked once its opening animation is over (a click during it can be lost).
      const confirmation = await settledDialog(page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Revoke', exact: true }) }));
      await confirmation.getByRole('button', { name: 'Revoke', exact: true }).click();
      await row.getByText('Revoked', { exact: true }).waitFor({ timeout: UI_WAIT });
      expect((await harness.api(key).send('GET', '/me')).status).toBe(401);
    },
    BROWSER_TEST_TIMEOUT,
  );
});
