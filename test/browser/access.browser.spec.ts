import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';

import { keyField, navigationItems, openScreen, placeSale, seedShop, signIn, signOutButton, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// Signing in and out, the screens each role is shown, the language switch, and the origin rule: the
// console loads and asks nothing from anywhere but the service that served it.
describeInBrowser('console: access', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await seedShop(harness.admin, { sku: 'TEA-1', price: 1999, stock: 40 });
    await seedShop(harness.admin, { sku: 'CUP-1', name: 'Celadon cup', price: 500, stock: 3 });
    await harness.admin.put('/stock/CUP-1/thresholds', { min: 5, max: 50 });
    await placeSale(harness.admin, [{ sku: 'TEA-1', quantity: 2 }, { sku: 'CUP-1', quantity: 1 }]);
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'shows each key only the screens of its roles',
    async () => {
      const clerk = await harness.keyFor('clerk-nav', 'clerk');
      const approver = await harness.keyFor('approver-nav', 'approver');
      const auditor = await harness.keyFor('auditor-nav', 'auditor');

      const page = await harness.newPage();
      await signIn(page, clerk);
      const clerkScreens = await navigationItems(page);
      expect(clerkScreens).toContain('Orders');
      expect(clerkScreens).not.toContain('Approvals');
      expect(clerkScreens).not.toContain('API keys');
      expect(clerkScreens).not.toContain('Audit');
      await harness.screenshot(page, 'orders-clerk');

      await signOutButton(page).click();
      await signIn(page, approver);
      const approverScreens = await navigationItems(page);
      expect(approverScreens).toEqual(expect.arrayContaining(['Orders', 'Approvals']));
      expect(approverScreens).not.toContain('API keys');

      await signOutButton(page).click();
      await signIn(page, auditor);
      const auditorScreens = await navigationItems(page);
      expect(auditorScreens).toContain('Audit');
      expect(auditorScreens).not.toContain('Approvals');
      expect(auditorScreens).not.toContain('API keys');

      await signOutButton(page).click();
      await signIn(page, harness.adminKey);
      expect(await navigationItems(page)).toEqual(expect.arrayContaining(['Orders', 'Approvals', 'Audit', 'API keys']));
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'keeps the key for the browser session only, and signing out forgets it: a reload shows the sign-in page',
    async () => {
      const page = await harness.newPage();
      await signIn(page, harness.adminKey);
      expect(await page.evaluate<string | null>('sessionStorage.getItem("jxc.apiKey")')).toBe(harness.adminKey);
      expect(await page.evaluate<string>('JSON.stringify(localStorage)')).not.toContain(harness.adminKey);

      // A reload keeps the session.
      await page.reload();
      await signOutButton(page).waitFor({ timeout: UI_WAIT });

      await signOutButton(page).click();
      await keyField(page).waitFor({ timeout: UI_WAIT });
      expect(await page.evaluate<string | null>('sessionStorage.getItem("jxc.apiKey")')).toBeNull();
      await page.reload();
      await keyField(page).waitFor({ timeout: UI_WAIT });
      expect(await signOutButton(page).count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "returns to the sign-in page with the API's message when the key is revoked while signed in",
    async () => {
      const clerk = await harness.keyFor('clerk-revoked', 'clerk');
      const page = await harness.newPage();
      // The orders list must have loaded before the key is revoked (under load its request could otherwise be the one
      // answered 401, and the console would be back at sign-in before the test opens the next screen).
      const listed = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/orders' && response.status() === 200, { timeout: UI_WAIT });
      await signIn(page, clerk);
      await openScreen(page, 'Orders');
      await listed;
      await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: UI_WAIT });
      const { items } = await harness.admin.get<{ items: { keyId: string; userId: string }[] }>('/keys');
      await harness.admin.send('DELETE', `/keys/${items.find((key) => key.userId === 'clerk-revoked')!.keyId}`);
      const refusal = await harness.api(clerk).send('GET', '/orders');
      expect(refusal.status).toBe(401);

      await openScreen(page, 'Stock'); // the next request answers 401
      await keyField(page).waitFor({ timeout: UI_WAIT });
      await page.getByText((refusal.body.error as { message: string }).message).first().waitFor({ timeout: UI_WAIT });
      expect(await page.evaluate<string | null>('sessionStorage.getItem("jxc.apiKey")')).toBeNull();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "refuses an unknown key with the API's message and stays on the sign-in page",
    async () => {
      const page = await harness.newPage();
      const refusal = await harness.api('not-a-key-0123456789').send('GET', '/me');
      expect(refusal.status).toBe(401);
      const message = (refusal.body.error as { message: string }).message;

      await page.goto('/');
      await keyField(page).fill('not-a-key-0123456789');
      await keyField(page).press('Enter');
      await page.getByText(message).first().waitFor({ timeout: UI_WAIT });
      expect(await signOutButton(page).count()).toBe(0);
      expect(await page.evaluate<string | null>('sessionStorage.getItem("jxc.apiKey")')).toBeNull();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'switches to 中文 from the header, shows Chinese business terms, and remembers the choice',
    async () => {
      const page = await harness.newPage();
      await signIn(page, harness.adminKey);
      expect(await navigationItems(page)).toContain('Orders');

      await page.getByText('中文', { exact: true }).first().click();

      await page.getByRole('navigation').first().getByRole('menuitem', { name: '订单' }).waitFor({ timeout: UI_WAIT });
      const screens = await navigationItems(page);
      expect(screens).toEqual(expect.arrayContaining(['订单', '审批', '库存', '审计']));
      expect(screens).not.toContain('Orders');
      expect(await page.evaluate<string | null>('localStorage.getItem("jxc.lang")')).toMatch(/^zh/);
      await page.getByRole('button', { name: '退出登录' }).waitFor({ timeout: UI_WAIT });
      await openScreen(page, '库存');
      await page.getByRole('tab', { name: '盘点' }).waitFor({ timeout: UI_WAIT });
      await page.getByRole('columnheader', { name: '现存量' }).waitFor({ timeout: UI_WAIT });
      // CUP-1 has 2 available against a minimum of 5: its alert reads 低库存.
      await page.getByRole('row').filter({ hasText: 'CUP-1' }).getByText('低库存').waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'stock-zh');
      await openScreen(page, '审批');
      await page.getByRole('heading', { name: '审批' }).waitFor({ timeout: UI_WAIT });
      await openScreen(page, '订单');
      await page.getByRole('columnheader', { name: '单号' }).waitFor({ timeout: UI_WAIT });
      await page.getByText('销售单', { exact: true }).first().waitFor({ timeout: UI_WAIT });
      await page.getByText(/^¥\s?44\.98$/).first().waitFor({ timeout: UI_WAIT }); // 2 × 19.99 + 5.00, in yuan
      await harness.screenshot(page, 'orders-zh');

      await page.reload();
      await page.getByRole('navigation').first().getByRole('menuitem', { name: '订单' }).waitFor({ timeout: UI_WAIT });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'asks nothing from another origin while every screen of an admin is opened',
    async () => {
      const page = await harness.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await signIn(page, harness.adminKey);
      for (const screen of await navigationItems(page)) {
        await openScreen(page, screen);
        await page.waitForLoadState('networkidle');
        await harness.screenshot(page, `screen-${screen.toLowerCase().replace(/\W+/g, '-')}`);
      }
      // The check has something to check: the console and its API calls went through the interception.
      expect(requested.some((url) => url.startsWith(`${harness.origin}/api/`))).toBe(true);
      expect(requested.filter((url) => !url.startsWith(harness.origin) && !url.startsWith('data:'))).toEqual([]);
      expectNothingLeftTheOrigin(harness);
    },
    BROWSER_TEST_TIMEOUT,
  );
});
