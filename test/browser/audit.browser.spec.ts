import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';

import { expectText, openScreen, placeSale, seedShop, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// The auditor's screens: verify the log, and an order as it was at an earlier time.
describeInBrowser('console: audit', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await seedShop(harness.admin, { sku: 'CUP-1', name: 'Celadon cup', price: 500, stock: 10 });
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'an auditor verifies the log and sees it intact with the number of events checked',
    async () => {
      const auditorKey = await harness.keyFor('auditor-verify', 'auditor');
      const page = await signedIn(harness, auditorKey);
      await openScreen(page, /^audit$/i);
      await page.getByRole('tab', { name: 'Verify the log' }).click();
      const answer = await harness.api(auditorKey).get<{ ok: boolean; eventsChecked: number }>('/audit/verify');
      expect(answer.ok).toBe(true);
      await page.getByRole('tabpanel', { name: 'Verify the log' }).getByRole('button', { name: 'Verify the log' }).click();
      await expectText(page, 'The log is intact: every hash chain holds.');
      await expectText(page, new RegExp(`^${answer.eventsChecked} events in \\d+ streams checked`));
      await harness.screenshot(page, 'audit-verify');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'an auditor sees an order as it was before its cancellation, picked by a time in the browser zone',
    async () => {
      const clerkKey = await harness.keyFor('clerk-asof', 'clerk');
      const auditorKey = await harness.keyFor('auditor-asof', 'auditor');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'CUP-1', quantity: 1 }]);
      await sleep(1100); // the picker works in whole seconds
      const beforeCancellation = new Date();
      await sleep(1100);
      await harness.api(clerkKey).post(`/orders/${order.orderId}/cancellation`, { reason: 'Duplicate', initiatedBy: 'company' });
      await harness.admin.post(`/orders/${order.orderId}/cancellation/approve`, {});
      expect((await harness.view<{ status: string }>(`/orders/${order.orderId}`)).status).toBe('cancelled');

      const page = await signedIn(harness, auditorKey);
      await openScreen(page, /^audit$/i);
      await page.getByRole('textbox', { name: 'Order id or number' }).fill(order.number);
      await page.getByRole('textbox', { name: 'Order id or number' }).press('Enter');
      await page.getByRole('heading', { name: `Timeline of ${order.orderId}` }).waitFor({ timeout: UI_WAIT });
      // Every event with its actor and reason: the cancellation request is there, by the clerk, with its reason.
      const request = page.getByRole('row').filter({ hasText: 'CancellationRequested' }).first();
      await request.waitFor({ timeout: UI_WAIT });
      expect(await request.innerText()).toMatch(/clerk-asof[\s\S]*Duplicate/);
      const status = page.getByTestId('state-status');
      await expect(status.innerText()).resolves.toBe('Cancelled');
      await harness.screenshot(page, 'audit-timeline');

      // The browser runs in Asia/Shanghai (UTC+8): the picker takes that zone's wall-clock time.
      const asOf = page.getByRole('textbox', { name: 'As of' });
      await asOf.fill(shanghaiWallClock(beforeCancellation));
      await asOf.press('Enter');
      await page.getByTestId('as-of-caption').filter({ hasText: /^As of/ }).waitFor({ timeout: UI_WAIT });
      await page.getByTestId('state-status').filter({ hasText: 'Placed' }).waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'audit-as-of');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "an auditor filters the audit trail by actor and pages through it: every event of one clerk, nobody else's",
    async () => {
      const clerkKey = await harness.keyFor('clerk-trail', 'clerk');
      const auditorKey = await harness.keyFor('auditor-trail', 'auditor');
      await seedShop(harness.admin, { sku: 'BOWL-1', name: 'Rice bowl', price: 300, stock: 100 });
      await placeSale(harness.admin, [{ sku: 'BOWL-1', quantity: 1 }]); // by someone else
      for (let i = 0; i < 51; i++) await placeSale(harness.api(clerkKey), [{ sku: 'BOWL-1', quantity: 1 }]);
      let expected = 0;
      for (let cursor: string | null | undefined; ; ) {
        const page = await harness.view<{ items: unknown[]; nextCursor?: string | null }>(`/audit?actor=clerk-trail&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        expected += page.items.length;
        if (!(cursor = page.nextCursor)) break;
      }
      expect(expected).toBeGreaterThan(50); // more than one page of the console's 50

      const page = await signedIn(harness, auditorKey);
      await openScreen(page, /^audit$/i);
      await page.getByRole('tab', { name: 'Audit trail' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Audit trail' });
      await panel.getByRole('textbox', { name: 'Actor (user id)' }).fill('clerk-trail');
      await panel.getByRole('button', { name: 'Search' }).click();
      const rows = panel.getByRole('row').filter({ has: page.getByRole('cell') });
      const clerkRows = rows.filter({ hasText: 'clerk-trail' });
      await until('50 rows, all by clerk-trail', async () => (await clerkRows.count()) === 50 && (await rows.count()) === 50);
      await panel.getByRole('button', { name: 'Load more' }).click();
      await until(`${expected} rows, all by clerk-trail`, async () => (await clerkRows.count()) === expected && (await rows.count()) === expected);
      expect(await panel.getByRole('button', { name: 'Load more' }).count()).toBe(0);
      await harness.screenshot(page, 'audit-trail');
    },
    BROWSER_TEST_TIMEOUT,
  );
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the condition holds (the console has loaded what it asked for), failing after UI_WAIT. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  for (const start = Date.now(); !(await condition()); await sleep(100)) {
    if (Date.now() - start > UI_WAIT) throw new Error(`the page did not show ${what} within ${UI_WAIT} ms`);
  }
}

/** A time as a clock in Asia/Shanghai (UTC+8, no daylight saving) shows it: `2026-12-01 16:30:00`. */
function shanghaiWallClock(time: Date): string {
  return new Date(time.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
