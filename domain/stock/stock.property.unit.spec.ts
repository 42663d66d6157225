import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { onHandChange } from '../../test/support/stock-events.js';
import { isDomainError } from '../shared/domain-error.js';
import { type StockCommand, stockDecider, type StockEvent, type StockPosition } from './index.js';
import { incomingOf, orderEntries } from './state.js';

const where = { warehouseId: 'main', sku: 'TEA-1' };
const saleOrders = ['s1', 's2', 's3', 's4'];
const purchaseOrders = ['p1', 'p2'];
const context = asUser('wendy', 'warehouse');

const quantity = fc.integer({ min: 1, max: 15 });
const command: fc.Arbitrary<StockCommand> = fc.oneof(
  fc.record({ quantity, unitCost: fc.option(fc.integer({ min: 0, max: 5000 })) }).map((c): StockCommand => ({ type: 'ReceiveStock', ...where, ...c })),
  fc.integer({ min: 0, max: 40 }).map((q): StockCommand => ({ type: 'CountStock', ...where, countedQuantity: q, reason: 'stocktake' })),
  fc.record({ orderId: fc.constantFrom(...saleOrders), required: fc.integer({ min: 0, max: 15 }), asOf: fc.integer({ min: 1, max: 8 }) })
    .map((c): StockCommand => ({ type: 'SetReservation', ...where, ...c })),
  fc.record({ orderId: fc.constantFrom(...saleOrders), shippedTotal: fc.integer({ min: 0, max: 15 }) }).map((c): StockCommand => ({ type: 'ShipStock', ...where, ...c })),
  fc.record({ orderId: fc.constantFrom(...purchaseOrders), returnedTotal: fc.integer({ min: 0, max: 20 }) })
    .map((c): StockCommand => ({ type: 'ReturnStockToSupplier', ...where, ...c })),
  fc.record({ orderId: fc.constantFrom(...saleOrders), returnedTotal: fc.integer({ min: 0, max: 15 }) }).map((c): StockCommand => ({ type: 'ReturnToStock', ...where, ...c })),
  fc.record({ orderId: fc.constantFrom(...purchaseOrders), quantity }).map((c): StockCommand => ({ type: 'ExpectStock', ...where, ...c })),
  fc.constantFrom(...purchaseOrders).map((orderId): StockCommand => ({ type: 'CancelExpectedStock', ...where, orderId })),
  fc.record({ orderId: fc.constantFrom(...purchaseOrders), receivedTotal: fc.integer({ min: 0, max: 20 }), unitCost: fc.option(fc.integer({ min: 0, max: 5000 })) })
    .map((c): StockCommand => ({ type: 'ReceivePurchaseStock', ...where, ...c })),
  fc.record({ quantity, issueId: fc.constantFrom('i1', 'i2') }).map((c): StockCommand => ({ type: 'IssueStock', ...where, ...c, reason: 'scrap' })),
  fc.record({ min: fc.integer({ min: 0, max: 10 }), max: fc.integer({ min: 10, max: 30 }) }).map((c): StockCommand => ({ type: 'SetStockThresholds', ...where, ...c })),
);

/** Decides each command on the state so far; a refusal changes nothing. */
function apply(commands: StockCommand[], check: (stock: StockPosition, command: StockCommand, events: StockEvent[]) => void) {
  let stock = stockDecider.initialState;
  const history: StockEvent[] = [];
  for (const next of commands) {
    let events: StockEvent[] = [];
    try {
      events = stockDecider.decide(next, stock, context);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
    stock = events.reduce(stockDecider.evolve, stock);
    history.push(...events);
    check(stock, next, events);
  }
  return { stock, history };
}

describe('stock position under random commands across several orders', () => {
  it('never reserves more than on hand and never goes negative', () =>
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
        apply(commands, (stock) => {
          const holds = stock.onHand >= 0 && stock.reserved >= 0 && stock.reserved <= stock.onHand && stock.incoming >= 0;
          if (!holds) throw new Error(`invariant broken: ${JSON.stringify({ onHand: stock.onHand, reserved: stock.reserved, incoming: stock.incoming })}`);
        });
      }),
      { numRuns: 300 },
    ));

  it('keeps its totals equal to the sum of its order entries', () =>
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
        const { stock } = apply(commands, () => undefined);
        const entries = orderEntries(stock).map(([, entry]) => entry);
        expect(stock.reserved).toBe(entries.reduce((sum, entry) => sum + entry.reserved, 0));
        expect(stock.incoming).toBe(entries.reduce((sum, entry) => sum + incomingOf(entry), 0));
        for (const entry of entries) expect(Object.values(entry).every((value) => value >= 0)).toBe(true);
      }),
      { numRuns: 200 },
    ));

  it('keeps on hand equal to the sum of the quantities its events moved', () =>
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
        const { stock, history } = apply(commands, () => undefined);
        expect(stock.onHand).toBe(history.reduce((sum, event) => sum + onHandChange(event), 0));
        for (const [, entry] of orderEntries(stock)) {
          expect(entry.returnedToSupplier).toBeLessThanOrEqual(entry.received);
          expect(entry.returned).toBeLessThanOrEqual(entry.shipped);
        }
      }),
      { numRuns: 200 },
    ));

  it('replaying the produced events from scratch yields the same state', () =>
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
        const { stock, history } = apply(commands, () => undefined);
        expect(history.reduce(stockDecider.evolve, stockDecider.initialState)).toEqual(stock);
      }),
      { numRuns: 200 },
    ));

  it('a command repeated right after it succeeded emits nothing, except receipts, counts and issues', () =>
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60, size: 'max' }), (commands) => {
        apply(commands, (stock, last, events) => {
          if (events.length === 0 || last.type === 'ReceiveStock' || last.type === 'CountStock' || last.type === 'IssueStock') return;
          expect(stockDecider.decide(last, stock, context)).toEqual([]);
        });
      }),
      { numRuns: 200 },
    ));
});
