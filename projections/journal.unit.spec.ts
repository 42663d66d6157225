import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { journalLines, type Posting } from '../domain/accounting/postings.js';
import { trialBalance } from '../domain/accounting/trial-balance.js';
import { type DomainEvent } from '../domain/shared/event.js';
import { orderStream, paymentStream, stockStream } from '../domain/shared/streams.js';
import { EventLog, fold } from '../test/support/projection-spec.js';
import { journalView } from './journal.js';

const at = '2026-03-01T09:00:00.000Z';
const event = (type: string, data: Record<string, unknown>): DomainEvent => ({ type, data });
const place = (orderId: string, kind: 'sale' | 'purchase', lines: { sku: string; quantity: number; unitPrice: number }[]) =>
  event('OrderPlaced', { orderId, at, number: orderId, kind, partyId: 'p', warehouseId: 'main', currency: 'CNY', lines, ownerId: 'carol' });

/** A month in miniature: a purchase with a deposit, a sale paid in advance, shipped in part, one unit returned and refunded, a stocktake loss, a goodwill credit. */
function month(withValues: boolean) {
  const log = new EventLog();
  const valued = (data: Record<string, unknown>, value: number) => (withValues ? { ...data, value } : data);
  const tea = { warehouseId: 'main', sku: 'TEA' };
  log.append(orderStream('PO-1'), place('PO-1', 'purchase', [{ sku: 'TEA', quantity: 10, unitPrice: 500 }]));
  log.append(paymentStream('PO-1'), event('DepositPaid', { orderId: 'PO-1', amount: 2000, currency: 'CNY', method: 'bank_transfer' }));
  log.append(orderStream('PO-1'), event('GoodsReceived', { orderId: 'PO-1', at, lines: [{ sku: 'TEA', quantity: 10 }] }));
  log.append(stockStream('main', 'TEA'), event('StockReceived', valued({ ...tea, quantity: 10, orderId: 'PO-1', note: null, unitCost: 500 }, 5000)));
  log.append(orderStream('SO-1'), place('SO-1', 'sale', [{ sku: 'TEA', quantity: 3, unitPrice: 1200 }]));
  log.append(paymentStream('SO-1'), event('PaymentReceived', { orderId: 'SO-1', amount: 3600, currency: 'CNY', method: 'alipay' }));
  log.append(orderStream('SO-1'), event('OrderShipped', { orderId: 'SO-1', at, shipmentId: 'S1', lines: [{ sku: 'TEA', quantity: 2 }], carrier: null, trackingNumber: null }));
  log.append(stockStream('main', 'TEA'), event('StockShipped', valued({ ...tea, orderId: 'SO-1', quantity: 2 }, 1000)));
  log.append(orderStream('SO-1'), event('OrderDelivered', { orderId: 'SO-1', at, shipmentIds: ['S1'] }));
  log.append(orderStream('SO-1'), event('ReturnRequested', { orderId: 'SO-1', at, returnId: 'R1', origin: 'customer', lines: [{ sku: 'TEA', quantity: 1 }], reason: 'broken', requestedBy: 'carol' }));
  log.append(orderStream('SO-1'), event('ReturnReceived', { orderId: 'SO-1', at, returnId: 'R1', lines: [{ sku: 'TEA', quantity: 1, condition: 'resellable' }] }));
  log.append(stockStream('main', 'TEA'), event('StockReturned', valued({ ...tea, orderId: 'SO-1', quantity: 1 }, 500)));
  log.append(paymentStream('SO-1'), event('RefundIssued', { orderId: 'SO-1', amount: 1200, currency: 'CNY', method: 'original' }));
  log.append(stockStream('main', 'TEA'), event('StockAdjusted', valued({ ...tea, countedQuantity: 8, variance: -1, reason: 'stocktake', countedBy: 'w', countedAt: at }, -500)));
  log.append('credit-c1', event('CreditGranted', { customerId: 'c1', entryId: 'G1', amount: 300, currency: 'CNY', reason: 'late', orderId: 'SO-1', expiresAt: null, grantedBy: 'ann', source: 'goodwill' }));
  return fold(journalView, log.events);
}

const balances = (withValues: boolean) => {
  const books = [...month(withValues).values()];
  const tb = trialBalance(books.flatMap((book) => book.vouchers.flatMap((voucher) => voucher.lines)));
  return { tb, by: Object.fromEntries(tb.accounts.map((row) => [row.account, row.balance])) };
};

describe('journal view', () => {
  it('posts a month of a small shop and balances', () => {
    const { tb, by } = balances(true);
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(by).toEqual({
      '1002': -2000, // deposit paid from the bank
      '1012': 3600 - 1200, // Alipay in, the refund back to it (the `original` route of a legacy refund: the latest payment's)
      '1123': 0, // the deposit was taken off the payable on receipt
      '1402': 0, // received at the purchase price, valued into stock at the same
      '1405': 5000 - 1000 + 500 - 500, // Σ stock values
      '2202': -3000, // 5000 of goods less the 2000 deposit
      '2203': -1200, // 3600 paid in advance, 1200 of it refunded, 1200 taken by revenue (2 shipped, 1 returned): what is left is for the unit not shipped
      '2241': -300, // store credit owed
      '6001': -1200, // revenue: 2 shipped, 1 returned
      '6401': 500, // cost: 1000 shipped, 500 back
      '6601': 300, // goodwill
      '6711': 500, // stocktake loss
    });
  });

  it('posts every voucher balanced, one per event that moves money or value', () => {
    const books = [...month(true).values()];
    const vouchers = books.flatMap((book) => book.vouchers);
    for (const voucher of vouchers) {
      expect(voucher.lines.reduce((sum, line) => sum + line.debit - line.credit, 0)).toBe(0);
    }
    expect(vouchers.map((voucher) => voucher.eventType).sort()).toEqual(
      ['CreditGranted', 'DepositPaid', 'GoodsReceived', 'OrderShipped', 'PaymentReceived', 'RefundIssued', 'ReturnReceived', 'StockAdjusted', 'StockReceived', 'StockReturned', 'StockShipped'].sort(),
    );
  });

  it('posts no inventory for stock events stored without a value, and still balances', () => {
    const { tb, by } = balances(false);
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(by['1405']).toBeUndefined();
    expect(by['6001']).toBe(-1200);
    expect(by['1402']).toBe(5000); // goods received, not valued into stock
  });

  it('keeps a customer payment beyond what was shipped as an advance (2203), and a shipment takes it first', () => {
    const log = new EventLog();
    log.append(orderStream('SO-2'), place('SO-2', 'sale', [{ sku: 'A', quantity: 2, unitPrice: 1000 }]));
    log.append(paymentStream('SO-2'), event('PaymentReceived', { orderId: 'SO-2', amount: 500, currency: 'CNY', method: 'cash' }));
    log.append(orderStream('SO-2'), event('OrderShipped', { orderId: 'SO-2', at, shipmentId: 'S1', lines: null, carrier: null, trackingNumber: null }));
    const shipped = fold(journalView, log.events).get('order:SO-2')!.vouchers[1];
    expect(shipped.lines).toEqual([
      { account: '1122', debit: 1500, credit: 0, sku: null },
      { account: '2203', debit: 500, credit: 0, sku: null },
      { account: '6001', debit: 0, credit: 2000, sku: 'A' },
    ]);
  });

  it('posts store credit: a refund to credit owes the customer (2241), a grant from it posts nothing more, goodwill is a selling expense, expiry is income, a payment by credit draws on it', () => {
    const log = new EventLog();
    log.append(orderStream('SO-4'), place('SO-4', 'sale', [{ sku: 'A', quantity: 1, unitPrice: 1000 }]));
    log.append(paymentStream('SO-4'), event('PaymentReceived', { orderId: 'SO-4', paymentId: 'P1', amount: 1000, currency: 'CNY', method: 'card' }));
    log.append(paymentStream('SO-4'), event('RefundIssued', { orderId: 'SO-4', paymentId: null, requestedMethod: 'store_credit', amount: 1000, currency: 'CNY', method: 'store_credit' }));
    const credit = { customerId: 'c1', currency: 'CNY', orderId: 'SO-4', expiresAt: null, grantedBy: 'ann' };
    log.append('credit-c1', event('CreditGranted', { ...credit, entryId: 'G1', amount: 1000, reason: 'refund', source: 'refund' }));
    log.append('credit-c1', event('CreditGranted', { ...credit, entryId: 'G2', amount: 300, reason: 'sorry', source: 'manual' }));
    log.append('credit-c1', event('CreditSpent', { customerId: 'c1', entryId: 'S1', amount: 500, currency: 'CNY', orderId: 'SO-5', paymentId: 'P1' }));
    log.append(orderStream('SO-5'), place('SO-5', 'sale', [{ sku: 'A', quantity: 1, unitPrice: 500 }]));
    log.append(paymentStream('SO-5'), event('PaymentReceived', { orderId: 'SO-5', paymentId: 'P1', amount: 500, currency: 'CNY', method: 'store_credit' }));
    log.append('credit-c1', event('CreditExpired', { customerId: 'c1', entryId: 'E1', grantEntryId: 'G2', amount: 300, currency: 'CNY' }));
    const books = [...fold(journalView, log.events).values()];
    const tb = trialBalance(books.flatMap((book) => book.vouchers.flatMap((voucher) => voucher.lines)));
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(Object.fromEntries(tb.accounts.map((row) => [row.account, row.balance]))).toEqual({ '1002': 1000, '2203': -500, '2241': -500, '6301': -300, '6601': 300 });
  });

  it('moves inventory with issues, transfers and purchase returns (the difference to the purchase price is cost)', () => {
    const log = new EventLog();
    const at = { warehouseId: 'main', sku: 'A' };
    log.append(stockStream('main', 'A'), event('StockReceived', { ...at, quantity: 10, orderId: null, note: null, unitCost: 100, value: 1000 }));
    log.append(stockStream('main', 'A'), event('StockIssued', { ...at, issueId: 'I1', quantity: 1, reason: 'scrap', issuedBy: 'w', value: 100 }));
    log.append(stockStream('main', 'A'), event('StockTransferredOut', { ...at, transferId: 'T1', to: 'north', quantity: 3, value: 300 }));
    log.append(stockStream('north', 'A'), event('StockTransferArriving', { warehouseId: 'north', sku: 'A', transferId: 'T1', from: 'main', quantity: 3, value: 300 }));
    log.append(stockStream('north', 'A'), event('StockTransferReceived', { warehouseId: 'north', sku: 'A', transferId: 'T1', quantity: 2, value: 200 }));
    log.append(orderStream('PO-2'), place('PO-2', 'purchase', [{ sku: 'A', quantity: 2, unitPrice: 130 }]));
    log.append(orderStream('PO-2'), event('GoodsReceived', { orderId: 'PO-2', at, lines: [{ sku: 'A', quantity: 2 }] }));
    log.append(stockStream('main', 'A'), event('StockReceived', { ...at, quantity: 2, orderId: 'PO-2', note: null, unitCost: 130, value: 260 }));
    log.append(stockStream('main', 'A'), event('StockReturnedToSupplier', { ...at, orderId: 'PO-2', quantity: 1, value: 110 }));
    const books = [...fold(journalView, log.events).values()];
    const tb = trialBalance(books.flatMap((book) => book.vouchers.flatMap((voucher) => voucher.lines)));
    expect(tb.totals.debit).toBe(tb.totals.credit);
    const by = Object.fromEntries(tb.accounts.map((row) => [row.account, row.balance]));
    // On hand: 1000 − 100 − 300 + 200 + 260 − 110 = 950; in transit 100 (and the returned tin at its purchase price, 130, until the order books the return).
    expect(by).toMatchObject({ '1405': 950, '1402': 100 + 130, '4001': -1000, '6602': 100, '6401': -20, '2202': -260 });
  });

  it('ignores a re-delivered event (a book holds its position)', () => {
    const log = new EventLog();
    const events = [log.append(orderStream('SO-3'), place('SO-3', 'sale', [{ sku: 'A', quantity: 1, unitPrice: 100 }])), log.append(paymentStream('SO-3'), event('PaymentReceived', { orderId: 'SO-3', amount: 100, currency: 'CNY', method: 'cash' }))];
    const once = fold(journalView, events);
    expect(fold(journalView, events, once)).toEqual(once);
  });
});

describe('journal lines', () => {
  it('always balance when the postings do (property)', () => {
    const account = fc.constantFrom('1001' as const, '1122' as const, '1405' as const, '6001' as const);
    fc.assert(fc.property(fc.array(fc.record({ account, amount: fc.integer({ min: -1e9, max: 1e9 }), sku: fc.option(fc.constantFrom('A', 'B')) })), (drawn) => {
      const postings: Posting[] = [...drawn, { account: '2202', amount: -drawn.reduce((sum, posting) => sum + posting.amount, 0), sku: null }];
      const lines = journalLines(postings);
      const tb = trialBalance(lines);
      expect(tb.totals.debit).toBe(tb.totals.credit);
      expect(lines.every((line) => Number.isInteger(line.debit) && Number.isInteger(line.credit) && line.debit >= 0 && line.credit >= 0 && (line.debit === 0 || line.credit === 0))).toBe(true);
    }));
  });
});
