import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { type Locator, type Page } from 'playwright-core';

import { eventually, expectText, messageOf, openOrder, openScreen, orderHeading, placeSale, seedShop, settledDialog, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// Orders and approvals as people use them: a clerk asks to cancel, a second person approves from the
// queue, the warehouse ships part of an order; refusals show the API's own words.

/** A button of the order page's Actions section (the dialog it opens has a submit button of the same name). */
const action = (page: Page, name: string) => page.getByRole('region', { name: 'Actions' }).getByRole('button', { name, exact: true });

/** The cells of an order line's row in the Lines section. */
async function lineCells(page: Page, sku: string): Promise<string[]> {
  const row = page.getByRole('region', { name: 'Lines' }).getByRole('row').filter({ hasText: sku }).first();
  await row.waitFor({ timeout: UI_WAIT });
  return (await row.getByRole('cell').allInnerTexts()).map((text) => text.trim());
}

/** The Approvals queue's row of an order. */
async function queueRow(page: Page, number: string) {
  await openScreen(page, /^approvals$/i);
  // The screen the page was on (the orders list) may still show a row with that number after the URL has
  // changed, while the approvals screen loads: only a queue row carries the list of what approval will do.
  await page.waitForURL(/\/approvals(?:[?#]|$)/, { timeout: UI_WAIT });
  const row = page
    .getByRole('row')
    .filter({ hasText: number })
    .filter({ has: page.getByRole('list', { name: 'What approval will do' }) })
    .first();
  await row.waitFor({ timeout: UI_WAIT });
  return row;
}

/** A command dialog closes on the API's answer; on a loaded machine (two jest workers, their services and browsers on 2 cores) that has taken over UI_WAIT. */
const COMMAND_WAIT = 4 * UI_WAIT;

/**
 * The approval answers once the order's process has run (stock released, payment refunded), which on a loaded machine
 * (two jest workers, their services and browsers on 2 cores) can take well over UI_WAIT: waits for the dialog to
 * close, and fails at once with the API's message if the dialog shows one instead.
 */
async function closedOrRefused(dialog: Locator): Promise<void> {
  const refused = dialog.getByRole('alert');
  await Promise.race([dialog.waitFor({ state: 'hidden', timeout: COMMAND_WAIT }).catch(() => undefined), refused.waitFor({ timeout: COMMAND_WAIT }).catch(() => undefined)]);
  if (await refused.isVisible().catch(() => false)) throw new Error(`the dialog shows: ${await refused.innerText()}`);
  await dialog.waitFor({ state: 'hidden', timeout: 1000 });
}

/** The order's status tag beside its title (not the Lines table's column of the same word). */
const statusTag = (page: Page, label: string) => page.getByText(label, { exact: true }).and(page.locator(':not(th)')).first();

describeInBrowser('console: orders and approvals', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await seedShop(harness.admin, { sku: 'TEA-1', price: 1999, stock: 50 });
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    "a clerk places an order from the console (the line takes the product's price); one that stock cannot cover is refused with the API's message",
    async () => {
      const clerkKey = await harness.keyFor('clerk-place', 'clerk');
      const page = await signedIn(harness, clerkKey);
      await openScreen(page, /^orders$/i);

      const place = async (sku: string, quantity: number) => {
        await page.getByRole('button', { name: 'New order' }).click();
        const dialog = await settledDialog(page.getByRole('dialog', { name: 'New order' }));
        await dialog.getByRole('textbox', { name: 'Customer or supplier ID' }).fill('cust-1');
        await dialog.getByRole('textbox', { name: 'SKU' }).fill(sku);
        await dialog.getByRole('spinbutton', { name: 'Quantity' }).fill(String(quantity));
        await dialog.getByRole('button', { name: 'New order' }).click();
        return dialog;
      };

      await seedShop(harness.admin, { sku: 'TEA-PLACE', price: 1999, stock: 5 });
      const tooMany = await place('TEA-PLACE', 6);
      const refusal = await harness.api(clerkKey).send('POST', '/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'TEA-PLACE', quantity: 6 }] });
      expect(refusal.status).toBe(409);
      const alert = tooMany.getByRole('alert');
      await alert.waitFor({ timeout: UI_WAIT });
      expect((await alert.innerText()).trim()).toBe(messageOf(refusal));
      await tooMany.getByRole('button', { name: 'Cancel' }).click();
      await tooMany.waitFor({ state: 'hidden', timeout: UI_WAIT });

      await place('TEA-PLACE', 2);
      const heading = page.getByRole('heading', { level: 1, name: /^Sales order SO-\d{4}-\d{6}$/ });
      await heading.waitFor({ timeout: UI_WAIT });
      const number = (await heading.innerText()).replace('Sales order ', '').trim();
      const [, unitPrice, ordered, reserved, , , , , , amount] = await lineCells(page, 'TEA-PLACE');
      expect({ unitPrice, ordered, reserved, amount }).toEqual({ unitPrice: 'CN¥19.99', ordered: '2', reserved: '2', amount: 'CN¥39.98' });
      const listed = await harness.api(clerkKey).get<{ items: { number: string; ownerId: string; total: number; status: string }[] }>(`/orders?number=${number}`);
      expect(listed.items).toEqual([expect.objectContaining({ number, ownerId: 'clerk-place', total: 3998, status: 'placed' })]);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a clerk requests a cancellation of a paid order with a reason; an approver approves it from the queue; the order shows cancelled, its stock released and the payment refunded',
    async () => {
      const clerkKey = await harness.keyFor('clerk-cancel', 'clerk');
      const approverKey = await harness.keyFor('approver-cancel', 'approver');
      await seedShop(harness.admin, { sku: 'TEA-CANCEL', price: 1999, stock: 10 });
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-CANCEL', quantity: 3 }]);
      expect((await harness.view<{ available: number }>('/stock/TEA-CANCEL')).available).toBe(7);
      await harness.api(clerkKey).post(`/orders/${order.orderId}/payments`, { amount: 5997, method: 'alipay' });

      const clerk = await signedIn(harness, clerkKey);
      await openOrder(clerk, order.number);
      await harness.screenshot(clerk, 'order');
      await action(clerk, 'Request cancellation').click();
      const dialog = await settledDialog(clerk.getByRole('dialog', { name: 'Request cancellation' }));
      await dialog.getByRole('textbox', { name: 'Reason' }).fill('Customer found a cheaper offer');
      await dialog.getByRole('radio', { name: 'Customer' }).check();
      await dialog.getByRole('button', { name: 'Request cancellation' }).click();
      await closedOrRefused(dialog);
      await statusTag(clerk, 'Pending approval').waitFor({ timeout: UI_WAIT });
      expect((await harness.admin.get<{ cancellation: { state: string; reason: string; initiatedBy: string } }>(`/orders/${order.orderId}`)).cancellation).toMatchObject({
        state: 'requested',
        reason: 'Customer found a cheaper offer',
        initiatedBy: 'customer',
      });

      const approver = await signedIn(harness, approverKey);
      const row = await queueRow(approver, order.number);
      const text = await row.innerText();
      expect(text).toContain('Customer found a cheaper offer');
      expect(text).toContain('clerk-cancel');
      expect(text).toContain('Releases 3 reserved unit(s) back to stock: TEA-CANCEL × 3');
      expect(text).toMatch(/Refunds CN¥59\.97 of CN¥59\.97 paid/);
      await harness.screenshot(approver, 'approvals');
      await row.getByRole('button', { name: `Approve ${order.number}` }).click();
      const confirm = await settledDialog(approver.getByRole('dialog', { name: `Approve the cancellation of ${order.number}` }));
      await confirm.getByRole('button', { name: 'Approve', exact: true }).click();
      await closedOrRefused(confirm);
      await approver.getByRole('row').filter({ hasText: order.number }).waitFor({ state: 'detached', timeout: UI_WAIT });

      await openOrder(approver, order.number);
      await statusTag(approver, 'Cancelled').waitFor({ timeout: UI_WAIT });
      // The refund went back the way the money came (Alipay), in full.
      await approver.getByRole('main').last().filter({ hasText: /Refunded\W*CN¥59\.97/ }).waitFor({ timeout: UI_WAIT });
      // 3 ordered, 0 reserved (released), 3 cancelled.
      const [sku, , ordered, reserved, , , , , cancelled] = await lineCells(approver, 'TEA-CANCEL');
      expect({ sku, ordered, reserved, cancelled }).toEqual({ sku: 'TEA-CANCEL', ordered: '3', reserved: '0', cancelled: '3' });
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({ status: 'cancelled', paid: 5997, refunded: 5997 });
      expect((await eventually(() => harness.admin.get<{ available: number }>('/stock/TEA-CANCEL'), (level) => level.available === 10)).available).toBe(10);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows an approver-and-clerk their own request in the queue without an approve button, and another clerk’s request with one',
    async () => {
      const bothKey = await harness.keyFor('clerk-approver', 'clerk', 'approver');
      const otherClerk = await harness.keyFor('clerk-other', 'clerk');
      const own = await placeSale(harness.api(bothKey), [{ sku: 'TEA-1', quantity: 1 }]);
      const other = await placeSale(harness.api(otherClerk), [{ sku: 'TEA-1', quantity: 1 }]);
      await harness.api(bothKey).post(`/orders/${own.orderId}/cancellation`, { reason: 'Ordered twice', initiatedBy: 'customer' });
      await harness.api(otherClerk).post(`/orders/${other.orderId}/cancellation`, { reason: 'Wrong colour', initiatedBy: 'customer' });

      const page = await signedIn(harness, bothKey);
      const ownRow = await queueRow(page, own.number);
      expect(await ownRow.innerText()).toContain('Ordered twice');
      expect(await ownRow.innerText()).toContain('Your own request');
      expect(await ownRow.getByRole('button', { name: /approve/i }).count()).toBe(0);
      const otherRow = page.getByRole('row').filter({ hasText: other.number }).first();
      expect(await otherRow.getByRole('button', { name: `Approve ${other.number}` }).count()).toBe(1);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'an approver rejects a request with a reason: it leaves the queue and the order goes on unchanged',
    async () => {
      const clerkKey = await harness.keyFor('clerk-reject', 'clerk');
      const approverKey = await harness.keyFor('approver-reject', 'approver');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 1 }]);
      await harness.api(clerkKey).post(`/orders/${order.orderId}/cancellation`, { reason: 'Changed mind', initiatedBy: 'customer' });

      const page = await signedIn(harness, approverKey);
      const row = await queueRow(page, order.number);
      await row.getByRole('button', { name: `Reject ${order.number}` }).click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: `Reject the cancellation of ${order.number}` }));
      await dialog.getByRole('textbox', { name: 'Reason for rejecting' }).fill('Already packed for dispatch');
      await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
      await closedOrRefused(dialog);
      await page.getByRole('row').filter({ hasText: order.number }).waitFor({ state: 'detached', timeout: UI_WAIT });

      await openOrder(page, order.number);
      await statusTag(page, 'Placed').waitFor({ timeout: UI_WAIT });
      const card = page.getByRole('region', { name: 'Cancellation' });
      await card.getByText('Rejected', { exact: true }).waitFor({ timeout: UI_WAIT });
      expect(await card.innerText()).toContain('Already packed for dispatch');
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({
        status: 'placed',
        cancellation: { state: 'rejected', decidedBy: 'approver-reject', decisionNote: 'Already packed for dispatch' },
      });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'the warehouse puts an order on hold: shipping is no longer offered until the hold is released',
    async () => {
      const clerkKey = await harness.keyFor('clerk-hold', 'clerk');
      const warehouseKey = await harness.keyFor('warehouse-hold', 'warehouse');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 1 }]);
      const page = await signedIn(harness, warehouseKey);
      await openOrder(page, order.number);

      await action(page, 'Put on hold').click();
      const hold = await settledDialog(page.getByRole('dialog', { name: 'Put on hold' }));
      await hold.getByRole('textbox', { name: 'Reason' }).fill('Address to be confirmed');
      await hold.getByRole('button', { name: 'Put on hold' }).click();
      await closedOrRefused(hold);
      await page.getByRole('alert').filter({ hasText: /On hold since .* by warehouse-hold: Address to be confirmed/ }).waitFor({ timeout: UI_WAIT });
      expect(await action(page, 'Ship').count()).toBe(0);
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({ onHold: { reason: 'Address to be confirmed', by: 'warehouse-hold' } });

      await action(page, 'Release hold').click();
      const release = await settledDialog(page.getByRole('dialog', { name: 'Release hold' }));
      await release.getByRole('button', { name: 'Release hold' }).click();
      await closedOrRefused(release);
      await action(page, 'Ship').waitFor({ timeout: UI_WAIT });
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({ onHold: null });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "shows the API's message when an action is refused (the order changed since the page was opened)",
    async () => {
      const clerkKey = await harness.keyFor('clerk-stale', 'clerk');
      const warehouseKey = await harness.keyFor('warehouse-stale', 'warehouse');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 2 }]);

      const page = await signedIn(harness, warehouseKey);
      await openOrder(page, order.number);
      await action(page, 'Process').waitFor({ timeout: UI_WAIT });
      // Meanwhile a colleague ships the whole order: processing it is no longer possible.
      await harness.api(warehouseKey).post(`/orders/${order.orderId}/ship`, {});
      const refusal = await harness.api(warehouseKey).send('POST', `/orders/${order.orderId}/process`);
      expect(refusal.status).toBe(409);

      await action(page, 'Process').click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: 'Process' }));
      // Under load a click can land while the dialog is still opening and send nothing: click until the console has
      // sent the request (at most twice), then the refusal must be shown in the API's words.
      const sent = () => page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith(`/orders/${order.orderId}/process`), { timeout: 5_000 });
      const first = sent();
      await dialog.getByRole('button', { name: 'Process', exact: true }).click();
      if (!(await first.then(() => true, () => false))) {
        const second = sent();
        await dialog.getByRole('button', { name: 'Process', exact: true }).click();
        await second;
      }
      const alert = dialog.getByRole('alert');
      await alert.waitFor({ timeout: UI_WAIT });
      expect((await alert.innerText()).trim()).toBe(messageOf(refusal));
      await harness.screenshot(page, 'order-refused');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'the warehouse ships part of an order: the page shows it partly shipped, the shipment, and what remains reserved',
    async () => {
      const clerkKey = await harness.keyFor('clerk-parts', 'clerk');
      const warehouseKey = await harness.keyFor('warehouse-parts', 'warehouse');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 5 }]);

      const page = await signedIn(harness, warehouseKey);
      await openOrder(page, order.number);
      await action(page, 'Ship').click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: 'Ship' }));
      await dialog.getByRole('spinbutton', { name: 'Quantity TEA-1' }).fill('2');
      await dialog.getByRole('textbox', { name: 'Carrier' }).fill('SF Express');
      await dialog.getByRole('button', { name: 'Ship', exact: true }).click();
      await closedOrRefused(dialog);
      await statusTag(page, 'Partly shipped').waitFor({ timeout: UI_WAIT });
      const shipment = page.getByRole('region', { name: 'Shipments' }).getByRole('row').filter({ hasText: 'TEA-1 × 2' });
      await shipment.waitFor({ timeout: UI_WAIT });
      expect(await shipment.innerText()).toContain('SF Express');
      const [, , ordered, reserved, shipped] = await lineCells(page, 'TEA-1');
      expect({ ordered, reserved, shipped }).toEqual({ ordered: '5', reserved: '3', shipped: '2' });
      await harness.screenshot(page, 'order-partly-shipped');

      const view = await harness.admin.get<{ status: string; lines: { shipped: number }[] }>(`/orders/${order.orderId}`);
      expect(view.status).toBe('partially_shipped');
      expect(view.lines[0].shipped).toBe(2);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows money in major units with the currency: 19.99 a unit, 59.97 for three (the API says 1999 and 5997)',
    async () => {
      const clerkKey = await harness.keyFor('clerk-money', 'clerk');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 3 }]);
      expect(order.total).toBe(5997);

      const page = await signedIn(harness, clerkKey);
      await openOrder(page, order.number);
      const [, unitPrice, , , , , , , , amount] = await lineCells(page, 'TEA-1');
      expect(unitPrice).toMatch(/^CN¥\s?19\.99$/);
      expect(amount).toMatch(/^CN¥\s?59\.97$/);
      await page.getByText(/^CN¥\s?59\.97$/).first().waitFor({ timeout: UI_WAIT }); // the total
      expect(await page.getByText(/\b(1999|5997)\b/).count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a clerk records a payment typed in yuan (19.99 is 1999 fen); paying more than is outstanding is refused with the API\'s message',
    async () => {
      const clerkKey = await harness.keyFor('clerk-pay', 'clerk');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 2 }]);
      const page = await signedIn(harness, clerkKey);
      await openOrder(page, order.number);

      const pay = async (amount: string) => {
        await action(page, 'Record payment').click();
        const dialog = await settledDialog(page.getByRole('dialog', { name: 'Record payment' }));
        await dialog.getByRole('textbox', { name: 'Amount (CNY)' }).fill(amount);
        await dialog.getByRole('button', { name: 'Record payment' }).click();
        return dialog;
      };
      await closedOrRefused(await pay('19.99'));
      await page.getByRole('main').last().filter({ hasText: /Paid\W*CN¥19\.99/ }).waitFor({ timeout: UI_WAIT });
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({ paid: 1999 });

      const refusal = await harness.api(clerkKey).send('POST', `/orders/${order.orderId}/payments`, { amount: 10000, method: 'bank_transfer' });
      expect(refusal.status).toBe(409);
      const dialog = await pay('100.00');
      const alert = dialog.getByRole('alert');
      await alert.waitFor({ timeout: UI_WAIT });
      expect((await alert.innerText()).trim()).toBe(messageOf(refusal));
      expect(await harness.admin.get(`/orders/${order.orderId}`)).toMatchObject({ paid: 1999 });
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'a clerk does not see another clerk’s order: not in the list, and its page says it is not one they may see',
    async () => {
      const mine = await harness.keyFor('clerk-mine', 'clerk');
      const theirs = await harness.keyFor('clerk-theirs', 'clerk');
      await placeSale(harness.api(mine), [{ sku: 'TEA-1', quantity: 1 }]);
      const order = await placeSale(harness.api(theirs), [{ sku: 'TEA-1', quantity: 1 }]);
      expect((await harness.api(mine).send('GET', `/orders/${order.orderId}`)).status).toBe(404);

      const page = await signedIn(harness, mine);
      await openScreen(page, /^orders$/i);
      await page.getByRole('link', { name: /^SO-/ }).first().waitFor({ timeout: UI_WAIT }); // the list shows the clerk's own
      expect(await page.getByRole('link', { name: order.number }).count()).toBe(0);
      await harness.screenshot(page, 'orders');

      await page.goto(`/orders/${order.orderId}`);
      await expectText(page, 'No such order, or not one you may see.');
      expect(await page.getByText(order.number).count()).toBe(0);
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'by keyboard alone: sign in, request an order’s cancellation (Tab, typing, Enter)',
    async () => {
      const clerkKey = await harness.keyFor('clerk-keyboard', 'clerk');
      const order = await placeSale(harness.api(clerkKey), [{ sku: 'TEA-1', quantity: 1 }]);
      const page = await harness.newPage();
      await page.goto(`/orders/${order.orderId}`);

      // Sign in: the key field has the focus (or is reached by Tab); Enter submits.
      await tabTo(page, 'the API key field', async () => (await focused(page)).label === 'API key');
      await page.keyboard.type(clerkKey);
      await page.keyboard.press('Enter');
      await orderHeading(page, order.number).waitFor({ timeout: UI_WAIT });

      await tabTo(page, 'the Request cancellation button', async () => (await focused(page)).text === 'Request cancellation');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Request cancellation' }).waitFor({ timeout: UI_WAIT });
      await tabTo(page, 'the Reason field', async () => (await focused(page)).label === 'Reason');
      await page.keyboard.type('Customer changed their mind');
      await tabTo(page, 'the dialog’s submit button', async () => (await focused(page)).text === 'Request cancellation');
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Request cancellation' }).waitFor({ state: 'hidden', timeout: COMMAND_WAIT });
      await statusTag(page, 'Pending approval').waitFor({ timeout: UI_WAIT });

      const view = await harness.admin.get<{ cancellation: { state: string; reason: string; initiatedBy: string } | null }>(`/orders/${order.orderId}`);
      expect(view.cancellation).toMatchObject({ state: 'requested', reason: 'Customer changed their mind', initiatedBy: 'customer' });
    },
    BROWSER_TEST_TIMEOUT,
  );
});

/** The focused element: its label (a form field) and its text (a button). */
function focused(page: Page): Promise<{ label: string; text: string }> {
  return page.evaluate<{ label: string; text: string }>(
    `(() => { const e = document.activeElement; return { label: (e?.labels?.[0]?.textContent ?? e?.getAttribute('aria-label') ?? '').trim(), text: (e?.tagName === 'BUTTON' ? e.textContent : '').trim() }; })()`,
  );
}

/** Presses Tab until the focused element is the one wanted (at most 60 times). */
async function tabTo(page: Page, what: string, reached: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await reached()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}
