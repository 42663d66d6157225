import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { type Locator, type Page } from 'playwright-core';

import { eventually, expectText, messageOf, type Order, openScreen, settledDialog, signedIn, UI_WAIT } from './support/console.js';
import { BROWSER_TEST_TIMEOUT, type ConsoleHarness, describeInBrowser, expectNothingLeftTheOrigin, startConsole } from './support/harness.js';

// Issue 14's screens on top of issue 12: warehouses, transfers in transit (调拨在途), stock issues (出库/报废)
// valued at the moving average cost, the approver's preview of a refund split over the order's payments
// with a goodwill credit (补偿), and the customer's store credit (储值余额).

interface Level {
  onHand: number;
  inTransit: number;
  value: number;
  unitCost: number;
}

interface Transfer {
  transferId: string;
  status: string;
}

/** Picks an option of an antd Select by typing what its label starts with (typing filters, Enter takes the first). */
async function choose(page: Page, combobox: Locator, text: string): Promise<void> {
  await combobox.click();
  await combobox.fill(text);
  await page.getByRole('option', { name: new RegExp(`^${text}`) }).first().waitFor({ state: 'attached', timeout: UI_WAIT });
  await combobox.press('Enter');
}

/**
 * Types a free-text reason into the issue form's AutoComplete and closes its list of suggested reasons: left open,
 * the list lies over the form's button, and a click meant for the button can land on a suggestion instead.
 */
async function fillReason(form: Locator, text: string): Promise<void> {
  const reason = form.getByRole('combobox', { name: 'Reason' });
  await reason.fill(text);
  await reason.press('Escape');
  expect(await reason.inputValue()).toBe(text);
}

describeInBrowser('console: stock operations and money by route', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await startConsole();
    await harness.admin.post('/products', { sku: 'VASE-1', name: 'Celadon vase', price: 4800 });
    // 10 vases at 12.50 each: 125.00 of stock in main.
    await harness.admin.post('/stock/receipts', { sku: 'VASE-1', quantity: 10, unitCost: 1250 });
    await harness.admin.post('/products', { sku: 'TEA-9', name: 'Dragon well tea', price: 2000 });
    await harness.admin.post('/stock/receipts', { sku: 'TEA-9', quantity: 10 });
    await harness.admin.post('/customers', { id: 'cust-9', name: 'West Lake Teahouse' });
  }, 300_000);
  afterAll(() => harness?.close());
  afterEach(() => expectNothingLeftTheOrigin(harness));

  it(
    'a warehouse user registers a warehouse, transfers stock from main to it, sees it in transit with its value, receives it, scraps stock, and takes the product off sale at a new price',
    async () => {
      const warehouseKey = await harness.keyFor('warehouse-moves', 'warehouse');
      const page = await signedIn(harness, warehouseKey);

      await openScreen(page, /^warehouses$/i);
      await page.getByRole('row').filter({ hasText: 'main' }).first().waitFor({ timeout: UI_WAIT });
      await page.getByRole('button', { name: 'Register warehouse' }).click();
      const registration = await settledDialog(page.getByRole('dialog', { name: 'Register warehouse' }));
      await registration.getByRole('textbox', { name: 'Warehouse id' }).fill('NORTH');
      await registration.getByRole('textbox', { name: 'Address' }).fill('1 Harbour Road, Ningbo');
      await registration.getByRole('textbox', { name: 'Name' }).fill('North DC');
      await registration.getByRole('textbox', { name: 'Name' }).press('Enter');
      await page.getByRole('row').filter({ hasText: 'North DC' }).waitFor({ timeout: UI_WAIT });
      expect((await harness.admin.get<{ items: { id: string }[] }>('/warehouses')).items.map((warehouse) => warehouse.id)).toEqual(['main', 'NORTH']);

      // 调拨: 4 vases leave main for NORTH.
      await openScreen(page, /^stock$/i);
      await page.getByRole('tab', { name: 'Transfer' }).click();
      const transfer = page.getByRole('tabpanel', { name: 'Transfer' });
      await transfer.getByRole('textbox', { name: 'SKU' }).fill('VASE-1');
      await transfer.getByRole('spinbutton', { name: 'Quantity' }).fill('4');
      await choose(page, transfer.getByRole('combobox', { name: 'To warehouse' }), 'NORTH');
      await transfer.getByRole('textbox', { name: 'Note' }).fill('Stock for the spring fair');
      await transfer.getByRole('button', { name: 'Send transfer' }).click();
      await transfer.getByText(/Transfer .+ sent: 4 × VASE-1 from main to NORTH/).waitFor({ timeout: UI_WAIT });
      const [sent] = (await eventually(() => harness.admin.get<{ items: Transfer[] }>('/stock/transfers?status=in_transit'), (list) => list.items.length === 1)).items;
      const inTransitRow = transfer.getByRole('row').filter({ hasText: sent.transferId });
      await inTransitRow.waitFor({ timeout: UI_WAIT });
      expect(await inTransitRow.innerText()).toMatch(/VASE-1\s+main\s+NORTH\s+4/);

      // The levels of NORTH: nothing on hand yet, 4 in transit; main keeps 6 at the same unit cost.
      await page.getByRole('tab', { name: 'Stock levels' }).click();
      const levels = page.getByRole('tabpanel', { name: 'Stock levels' });
      await choose(page, levels.getByRole('combobox', { name: 'Warehouse' }), 'NORTH');
      const northRow = levels.getByRole('row').filter({ hasText: 'VASE-1' }).filter({ hasText: 'NORTH' });
      await northRow.waitFor({ timeout: UI_WAIT });
      const north = await harness.view<Level>('/stock/VASE-1?warehouseId=NORTH');
      expect(north).toMatchObject({ onHand: 0, inTransit: 4 });
      expect(await northRow.getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['NORTH', '0', '4']));
      await choose(page, levels.getByRole('combobox', { name: 'Warehouse' }), 'main');
      const mainRow = levels.getByRole('row').filter({ hasText: 'VASE-1' }).filter({ hasText: 'main' });
      await mainRow.getByRole('cell', { name: 'CN¥75.00' }).waitFor({ timeout: UI_WAIT });
      expect(await mainRow.getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['6', 'CN¥12.50', 'CN¥75.00']));
      await harness.screenshot(page, 'stock-levels-value');
      await choose(page, levels.getByRole('combobox', { name: 'Warehouse' }), 'NORTH');
      await northRow.waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'stock-in-transit');

      // Received at NORTH: on hand there, at the cost it left main with.
      await page.getByRole('tab', { name: 'Transfer' }).click();
      await inTransitRow.getByRole('button', { name: `Receive ${sent.transferId}` }).click();
      const receive = await settledDialog(page.getByRole('dialog', { name: `Receive transfer ${sent.transferId}` }));
      await receive.getByRole('button', { name: 'Receive' }).click();
      await transfer.getByText('Nothing is in transit.').waitFor({ timeout: UI_WAIT });
      expect(await eventually(() => harness.admin.get<Level>('/stock/VASE-1?warehouseId=NORTH'), (level) => level.onHand === 4)).toMatchObject({ onHand: 4, inTransit: 0, value: 5000, unitCost: 1250 });

      // 出库: two vases scrapped from main, never below what is reserved.
      await page.getByRole('tab', { name: 'Stock issue' }).click();
      const issue = page.getByRole('tabpanel', { name: 'Stock issue' });
      await issue.getByRole('textbox', { name: 'SKU' }).fill('VASE-1');
      await issue.getByText(/Available to issue: 6/).waitFor({ timeout: UI_WAIT });
      await issue.getByRole('spinbutton', { name: 'Quantity' }).fill('2');
      await fillReason(issue, 'Scrap: cracked in the kiln');
      await issue.getByRole('button', { name: 'Record issue' }).click();
      await issue.getByText('Issued 2 × VASE-1 from main: 4 on hand now.').waitFor({ timeout: UI_WAIT });
      // 6 on hand worth 75.00 before; two leave at the average (25.00): 4 worth 50.00 stay.
      expect(await eventually(() => harness.admin.get<Level>('/stock/VASE-1'), (level) => level.onHand === 4 && level.value === 5000)).toMatchObject({ onHand: 4, value: 5000, unitCost: 1250 });

      // More than is there: the API's own refusal, nothing issued.
      const refusal = messageOf(await harness.api(warehouseKey).send('POST', '/stock/issues', { sku: 'VASE-1', quantity: 5, reason: 'Scrap' }));
      await issue.getByRole('textbox', { name: 'SKU' }).fill('VASE-1');
      await issue.getByRole('spinbutton', { name: 'Quantity' }).fill('5');
      await fillReason(issue, 'Scrap');
      await issue.getByRole('button', { name: 'Record issue' }).click();
      await issue.getByRole('alert').filter({ hasText: refusal }).waitFor({ timeout: UI_WAIT });
      expect((await harness.view<Level>('/stock/VASE-1')).onHand).toBe(4);

      // The product gets a new price and is taken off sale: only those two fields change, the list tags it.
      await openScreen(page, /^products$/i);
      await page.getByRole('button', { name: 'Edit VASE-1' }).click();
      const edit = await settledDialog(page.getByRole('dialog', { name: 'Edit product VASE-1' }));
      await edit.getByRole('textbox', { name: 'Price (CNY)' }).fill('52.00');
      await edit.getByRole('switch', { name: 'Active (takes new orders)' }).click();
      await edit.getByRole('button', { name: 'Save changes' }).click();
      const product = page.getByRole('row').filter({ hasText: 'VASE-1' });
      await product.getByText('Inactive').waitFor({ timeout: UI_WAIT });
      expect(await product.innerText()).toContain('CN¥52.00');
      expect(await harness.view('/products/VASE-1')).toMatchObject({ price: 5200, active: false, name: 'Celadon vase' });
      // The price history: registered at 48.00, changed to 52.00 and inactive by this user.
      await product.getByRole('button', { name: 'History VASE-1' }).click();
      const history = page.getByRole('dialog', { name: 'History of VASE-1' });
      const eventRow = (what: string) => history.getByRole('row').filter({ has: page.getByRole('cell', { name: what, exact: true }) });
      const changed = eventRow('Changed');
      await changed.waitFor({ timeout: UI_WAIT });
      const change = await changed.innerText();
      for (const shown of ['Price: CN¥52.00', 'Status: Inactive', 'warehouse-moves']) expect(change).toContain(shown);
      expect(change).not.toContain('Name');
      expect(await eventRow('Registered').innerText()).toContain('Price: CN¥48.00');
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    "an approver's preview splits the refund over the order's two payments, latest first, with a goodwill credit the customer then holds",
    async () => {
      const clerkKey = await harness.keyFor('clerk-refund', 'clerk');
      const clerk = harness.api(clerkKey);
      const order = await clerk.post<Order>('/orders', { kind: 'sale', partyId: 'cust-9', lines: [{ sku: 'TEA-9', quantity: 2 }] });
      expect(order.total).toBe(4000);
      await clerk.post(`/orders/${order.orderId}/payments`, { amount: 1500, method: 'alipay' });
      await clerk.post(`/orders/${order.orderId}/payments`, { amount: 2500, method: 'wechat' });
      await clerk.post(`/orders/${order.orderId}/cancellation`, { reason: 'Shop closes for renovation', initiatedBy: 'company' });

      const approverKey = await harness.keyFor('approver-refund', 'approver');
      const page = await signedIn(harness, approverKey);
      await openScreen(page, /^approvals$/i);
      const row = page.getByRole('row').filter({ hasText: order.number });
      const routes = row.getByRole('list', { name: 'Refund by route' });
      await routes.waitFor({ timeout: UI_WAIT });
      expect(await routes.getByRole('listitem').allInnerTexts()).toEqual(['CN¥25.00 back by WeChat Pay (payment P2)', 'CN¥15.00 back by Alipay (payment P1)']);

      await row.getByRole('button', { name: `Approve ${order.number}` }).click();
      const dialog = await settledDialog(page.getByRole('dialog', { name: `Approve the cancellation of ${order.number}` }));
      const preview = dialog.getByRole('region', { name: 'What approval will do' });
      await dialog.getByRole('textbox', { name: 'Goodwill amount (CNY)' }).fill('5.00');
      await dialog.getByRole('textbox', { name: 'Coupon code (optional)' }).fill('SORRY-5');
      await preview.getByText('Grants the customer CN¥5.00 store credit as goodwill').waitFor({ timeout: UI_WAIT });
      await harness.screenshot(page, 'approval-refund-split');

      // Store credit instead: one route, no payment named; then back to the routes the money came by.
      await dialog.getByRole('radio', { name: 'Store credit' }).check();
      await preview.getByText('CN¥40.00 back by Store credit').waitFor({ timeout: UI_WAIT });
      await dialog.getByRole('radio', { name: 'The routes the money came by' }).check();
      await preview.getByText('CN¥25.00 back by WeChat Pay (payment P2)').waitFor({ timeout: UI_WAIT });

      await dialog.getByRole('button', { name: 'Approve' }).click();
      await expectText(page, `Approved: ${order.number}`);
      const settled = await eventually(
        () => harness.admin.get<{ status: string; refunds?: { method: string; amount: number; paymentId: string | null }[] }>(`/orders/${order.orderId}`),
        (view) => (view.refunds ?? []).length === 2,
      );
      expect(settled.status).toBe('cancelled');
      expect(settled.refunds?.map(({ method, amount, paymentId }) => ({ method, amount, paymentId }))).toEqual([
        { method: 'wechat', amount: 2500, paymentId: 'P2' },
        { method: 'alipay', amount: 1500, paymentId: 'P1' },
      ]);

      // The order page lists each refund with the payment it reverses.
      await page.goto(`/orders/${encodeURIComponent(order.orderId)}`);
      const money = page.getByRole('table', { name: 'Payments and refunds' });
      await money.getByText('Reverses P2').waitFor({ timeout: UI_WAIT });
      expect(await money.getByRole('row').filter({ hasText: 'Reverses P1' }).innerText()).toMatch(/Alipay\s+-CN¥15\.00/);

      // Finance sees the goodwill in the customer's store credit and grants more.
      const financeKey = await harness.keyFor('finance-credit', 'finance');
      const finance = await signedIn(harness, financeKey);
      await openScreen(finance, /^customers$/i);
      await finance.getByRole('button', { name: 'Store credit cust-9' }).click();
      const drawer = finance.getByRole('dialog', { name: /Store credit of West Lake Teahouse/ });
      const balance = drawer.getByTestId('credit-balance');
      await eventually(() => balance.innerText(), (text) => text === 'CN¥5.00');
      expect(await balance.innerText()).toBe('CN¥5.00');
      await drawer.getByRole('textbox', { name: 'Amount (CNY)' }).fill('3.00');
      await drawer.getByRole('textbox', { name: 'Reason' }).fill('Late delivery');
      await drawer.getByRole('button', { name: 'Grant credit' }).click();
      await drawer.getByText('Granted CN¥3.00 of store credit.').waitFor({ timeout: UI_WAIT });
      await eventually(() => balance.innerText(), (text) => text === 'CN¥8.00');
      expect(await balance.innerText()).toBe('CN¥8.00');
      expect(await drawer.getByRole('row').filter({ hasText: 'Late delivery' }).innerText()).toMatch(/Granted\s+CN¥3\.00\s+CN¥8\.00/);
      await harness.screenshot(finance, 'customer-store-credit');
      expect(await harness.view<{ balance: number }>('/customers/cust-9/credits')).toMatchObject({ balance: 800 });
    },
    BROWSER_TEST_TIMEOUT,
  );
});
