import { type Locator, type Page } from 'playwright-core';

import { type Api, type ConsoleHarness } from './harness.js';

// What a user does in the console, written once: elements are found by accessible role and name (the
// English UI), as a screen reader user would find them.

/** How long the console may take to show what a step expects (it waits for the API). */
export const UI_WAIT = 15_000;

/**
 * A dialog (antd Modal) once its opening animation is over. CI lost a click made while the dialog was still
 * zooming in (the dialog then stayed open with nothing sent): its fields and buttons are used only once it is still.
 */
export async function settledDialog(dialog: Locator): Promise<Locator> {
  await dialog.and(dialog.page().locator('.ant-modal:not(.ant-zoom-appear):not(.ant-zoom-enter)')).waitFor({ timeout: UI_WAIT });
  return dialog;
}

export interface Order {
  readonly orderId: string;
  readonly number: string;
  readonly total: number;
  readonly revision: number;
  readonly position: string;
}

/** A product with stock and a customer, registered through the API by the admin. */
export async function seedShop(api: Api, { sku = 'TEA-1', name = 'Longjing tea', price = 1999, stock = 10, customerId = 'cust-1' } = {}): Promise<void> {
  await api.post('/products', { sku, name, price });
  await api.post('/stock/receipts', { sku, quantity: stock });
  const customer = await api.send('POST', '/customers', { id: customerId, name: 'Hangzhou Teahouse' });
  if (customer.status !== 201 && (customer.body.error as { code?: string } | undefined)?.code !== 'already_exists') {
    throw new Error(`could not register the customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  }
}

/** A sale placed through the API with this key (the owner is the key's user). */
export function placeSale(api: Api, lines: readonly { sku: string; quantity: number }[], partyId = 'cust-1'): Promise<Order> {
  return api.post<Order>('/orders', { kind: 'sale', partyId, lines });
}

/** The sign-in form's API key field. */
export const keyField = (page: Page): Locator => page.getByLabel(/API key/i);

/** Opens the console and signs in with the key (typed, then Enter). */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto('/');
  await keyField(page).fill(key);
  await keyField(page).press('Enter');
  await signOutButton(page).waitFor({ timeout: UI_WAIT });
}

export const signOutButton = (page: Page): Locator => page.getByRole('button', { name: /sign out/i });

/** The screens the navigation offers, by name. */
export async function navigationItems(page: Page): Promise<string[]> {
  const navigation = page.getByRole('navigation').first();
  await navigation.waitFor({ timeout: UI_WAIT });
  const items = navigation.getByRole('menuitem');
  await items.first().waitFor({ timeout: UI_WAIT });
  return (await items.allInnerTexts()).map((text) => text.trim()).filter((text) => text !== '');
}

/** Opens a screen from the navigation. */
export async function openScreen(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation').first().getByRole('menuitem', { name }).click();
}

/** Opens an order's page by its number, through the orders list's quick search. */
export async function openOrder(page: Page, number: string): Promise<void> {
  await openScreen(page, /^orders$/i);
  const search = page.getByLabel('Search by order number');
  await search.fill(number);
  await search.press('Enter');
  await page.getByRole('link', { name: number, exact: true }).click({ timeout: UI_WAIT });
  await orderHeading(page, number).waitFor({ timeout: UI_WAIT });
}

/** The order page's title: "Sales order SO-2026-000001". */
export const orderHeading = (page: Page, number: string): Locator => page.getByRole('heading', { level: 1, name: new RegExp(number) });

/** Waits until the page shows this text somewhere (the console refreshed after an action). */
export async function expectText(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ timeout: UI_WAIT });
}

/**
 * Reads until the answer passes `ok` (a view catching up with a write the console made), at most UI_WAIT;
 * returns the last answer for the test to assert on.
 */
export async function eventually<T>(read: () => Promise<T>, ok: (answer: T) => boolean): Promise<T> {
  for (const start = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const answer = await read();
    if (ok(answer) || Date.now() - start > UI_WAIT) return answer;
  }
}

/** The API's own message for a refusal, to compare with what the console shows. */
export function messageOf(answer: { status: number; body: Record<string, unknown> }): string {
  const message = (answer.body.error as { message?: string } | undefined)?.message;
  if (!message) throw new Error(`expected a refusal, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return message;
}

/** Signs in in a fresh browser context and returns the page. */
export async function signedIn(harness: ConsoleHarness, key: string): Promise<Page> {
  const page = await harness.newPage();
  await signIn(page, key);
  return page;
}
