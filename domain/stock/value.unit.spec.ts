import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { type StockEvent } from './events.js';
import { orderEntry, stockDecider, stockLevel, transferEntry } from './index.js';
import { upcastStockEvent } from './upcast.js';
import { averageOf, shareOf } from './value.js';

const warehouse = asUser('wendy', 'warehouse');
const { given, fold } = deciderSpec(stockDecider, warehouse);
const where = { warehouseId: 'main', sku: 'TEA-1' };
const east = { warehouseId: 'east', sku: 'TEA-1' };

const receivedAt = (quantity: number, unitCost: number): StockEvent => ({
  type: 'StockReceived',
  data: { ...where, quantity, orderId: null, note: null, unitCost, value: quantity * unitCost },
});
const reserved = (orderId: string, quantity: number): StockEvent => ({ type: 'StockReserved', data: { ...where, orderId, quantity } });

describe('value shares', () => {
  it('takes round(value × q / units), the whole value when it takes every unit, nothing of nothing', () => {
    expect(shareOf(1000, 3, 1)).toBe(333);
    expect(shareOf(1000, 3, 2)).toBe(667);
    expect(shareOf(1000, 3, 3)).toBe(1000);
    expect(shareOf(0, 3, 2)).toBe(0);
    expect(shareOf(500, 0, 2)).toBe(0);
    expect(averageOf(1001, 2)).toBe(501);
    expect(averageOf(7, 0)).toBe(0);
  });

  it('stays exact for values and quantities whose product passes 2^53', () => {
    expect(shareOf(10 ** 15, 1_000_000_000, 999_999_999)).toBe(10 ** 15 - 1_000_000);
  });
});

describe('stock: cost of receipts, shipments, returns, counts', () => {
  it('a manual receipt records its unit cost and value; one without a cost comes in at the average', () => {
    given(receivedAt(3, 1000)).when({ type: 'ReceiveStock', ...where, quantity: 2, unitCost: 1300 })
      .then({ type: 'StockReceived', data: { ...where, quantity: 2, orderId: null, note: null, unitCost: 1300, value: 2600 } });
    given(receivedAt(3, 1000), receivedAt(1, 1400)).when({ type: 'ReceiveStock', ...where, quantity: 2 })
      .then({ type: 'StockReceived', data: { ...where, quantity: 2, orderId: null, note: null, unitCost: null, value: 2200 } });
  });

  it('refuses a negative or fractional unit cost naming the field', () =>
    given().when({ type: 'ReceiveStock', ...where, quantity: 2, unitCost: -5 }).thenFails('validation_failed', { fields: [{ field: 'unitCost', problems: ['must be a non-negative integer (minor units)'] }] }));

  it('a purchase receipt comes in at the line price it is given', () =>
    given({ type: 'StockExpected', data: { ...where, orderId: 'p1', quantity: 5 } }).when({ type: 'ReceivePurchaseStock', ...where, orderId: 'p1', receivedTotal: 5, unitCost: 750 })
      .thenState((stock, events) => {
        expect(events[0]).toMatchObject({ type: 'StockReceived', data: { unitCost: 750, value: 3750 } });
        expect(stockLevel(stock)).toMatchObject({ onHand: 5, value: 3750, unitCost: 750 });
      }));

  it('a shipment takes its share of the value; the last units on hand take the rest', () => {
    const three = [receivedAt(2, 1000), receivedAt(1, 1001), reserved('s1', 3)];
    given(...three).when({ type: 'ShipStock', ...where, orderId: 's1', shippedTotal: 1 }).then({ type: 'StockShipped', data: { ...where, orderId: 's1', quantity: 1, value: 1000 } });
    const afterOne = fold([...three, { type: 'StockShipped', data: { ...where, orderId: 's1', quantity: 1, value: 1000 } }]);
    expect(afterOne.value).toBe(2001);
    given(...three, { type: 'StockShipped', data: { ...where, orderId: 's1', quantity: 1, value: 1000 } })
      .when({ type: 'ShipStock', ...where, orderId: 's1', shippedTotal: 3 })
      .thenState((stock, events) => {
        expect(events[0]).toMatchObject({ data: { quantity: 2, value: 2001 } });
        expect(stock).toMatchObject({ onHand: 0, value: 0 });
      });
  });

  it('a return restocks at the cost its order shipped with, whatever the average is now, exactly on the last unit', () => {
    const shipped: StockEvent = { type: 'StockShipped', data: { ...where, orderId: 's1', quantity: 3, value: 1000 } };
    const history = [receivedAt(3, 1000), reserved('s1', 3), shipped, receivedAt(10, 50)];
    given(...history).when({ type: 'ReturnToStock', ...where, orderId: 's1', returnedTotal: 1 }).then({ type: 'StockReturned', data: { ...where, orderId: 's1', quantity: 1, value: 333 } });
    const oneBack: StockEvent = { type: 'StockReturned', data: { ...where, orderId: 's1', quantity: 1, value: 333 } };
    given(...history, oneBack).when({ type: 'ReturnToStock', ...where, orderId: 's1', returnedTotal: 3 }).thenState((stock, events) => {
      expect(events[0]).toMatchObject({ data: { quantity: 2, value: 667 } });
      expect(orderEntry(stock, 's1')).toMatchObject({ shippedValue: 1000, returnedValue: 1000 });
    });
  });

  it('a count values a loss at what the units carry and a gain at the average', () => {
    given(receivedAt(4, 250)).when({ type: 'CountStock', ...where, countedQuantity: 1, reason: 'broken' }).thenState((stock, events) => {
      expect(events[0]).toMatchObject({ type: 'StockAdjusted', data: { variance: -3, value: -750 } });
      expect(stock.value).toBe(250);
    });
    given(receivedAt(4, 250)).when({ type: 'CountStock', ...where, countedQuantity: 6, reason: 'found' }).thenState((stock, events) => {
      expect(events[0]).toMatchObject({ data: { variance: 2, value: 500 } });
      expect(stockLevel(stock)).toMatchObject({ value: 1500, unitCost: 250 });
    });
  });

  it('reads events written before costs (schema 1) as carrying no value', () => {
    expect(upcastStockEvent('StockReceived', 1, { ...where, quantity: 3, orderId: null, note: null })).toEqual({ ...where, quantity: 3, orderId: null, note: null, unitCost: null, value: 0 });
    expect(upcastStockEvent('StockShipped', 1, { ...where, orderId: 's1', quantity: 3 })).toEqual({ ...where, orderId: 's1', quantity: 3, value: 0 });
    expect(upcastStockEvent('StockAdjusted', 2, { value: -5 })).toEqual({ value: -5 });
  });
});

describe('stock issues', () => {
  it('takes units off hand at their share of the value, by whom and why', () =>
    given(receivedAt(4, 300)).when({ type: 'IssueStock', ...where, issueId: 'i1', quantity: 1, reason: ' scrap ' }).then({
      type: 'StockIssued',
      data: { ...where, issueId: 'i1', quantity: 1, reason: 'scrap', issuedBy: 'wendy', value: 300 },
    }));

  it('never takes what is reserved for orders', () =>
    given(receivedAt(4, 300), reserved('s1', 3)).when({ type: 'IssueStock', ...where, issueId: 'i1', quantity: 2, reason: 'scrap' }).thenFails('insufficient_stock', { requested: 2, available: 1 }));

  it('refuses a missing reason or a non-positive quantity', () =>
    given(receivedAt(4, 300)).when({ type: 'IssueStock', ...where, issueId: 'i1', quantity: 0, reason: ' ' }).thenFails('validation_failed'));
});

describe('transfers', () => {
  const out: StockEvent = { type: 'StockTransferredOut', data: { ...where, transferId: 't1', to: 'east', quantity: 3, note: null, value: 900 } };
  const arriving: StockEvent = { type: 'StockTransferArriving', data: { ...east, transferId: 't1', from: 'main', quantity: 3, value: 900 } };

  it('leave from with their share of the value; the same transfer again does nothing', () => {
    given(receivedAt(6, 300)).when({ type: 'TransferStockOut', ...where, transferId: 't1', to: 'east', quantity: 3 }).thenState((stock, events) => {
      expect(events).toEqual([out]);
      expect(stock).toMatchObject({ onHand: 3, value: 900 });
      expect(transferEntry(stock, 't1')).toMatchObject({ direction: 'out', counterpart: 'east', quantity: 3, value: 900 });
    });
    given(receivedAt(6, 300), out).when({ type: 'TransferStockOut', ...where, transferId: 't1', to: 'east', quantity: 3 }).thenNothing();
  });

  it('never take what is reserved, nor go to the warehouse they leave', () => {
    given(receivedAt(6, 300), reserved('s1', 4)).when({ type: 'TransferStockOut', ...where, transferId: 't1', to: 'east', quantity: 3 }).thenFails('insufficient_stock', { requested: 3, available: 2 });
    given(receivedAt(6, 300)).when({ type: 'TransferStockOut', ...where, transferId: 't1', to: 'main', quantity: 1 }).thenFails('validation_failed', { fields: [{ field: 'to', problems: ['must be another warehouse than from'] }] });
  });

  it('are in transit at to once, then received on hand in parts with their value', () => {
    const destination = deciderSpec(stockDecider, warehouse);
    destination.given().when({ type: 'ArriveTransfer', ...east, transferId: 't1', from: 'main', quantity: 3, value: 900 }).thenState((stock, events) => {
      expect(events).toEqual([arriving]);
      expect(stockLevel(stock)).toMatchObject({ onHand: 0, inTransit: 3, inTransitValue: 900, value: 0 });
    });
    destination.given(arriving).when({ type: 'ArriveTransfer', ...east, transferId: 't1', from: 'main', quantity: 3, value: 900 }).thenNothing();
    destination.given(arriving).when({ type: 'ReceiveTransfer', ...east, transferId: 't1', quantity: 1 }).then({
      type: 'StockTransferReceived',
      data: { ...east, transferId: 't1', quantity: 1, receivedBy: 'wendy', value: 300 },
    });
    const partly: StockEvent = { type: 'StockTransferReceived', data: { ...east, transferId: 't1', quantity: 1, receivedBy: 'wendy', value: 300 } };
    destination.given(arriving, partly).when({ type: 'ReceiveTransfer', ...east, transferId: 't1' }).thenState((stock, events) => {
      expect(events[0]).toMatchObject({ data: { quantity: 2, value: 600 } });
      expect(stockLevel(stock)).toMatchObject({ onHand: 3, value: 900, unitCost: 300, inTransit: 0, inTransitValue: 0 });
    });
    destination.given(arriving, partly).when({ type: 'ReceiveTransfer', ...east, transferId: 't1', quantity: 3 }).thenFails('exceeds_shipped', { inTransit: 2, quantity: 3 });
    destination.given(arriving, { ...partly, data: { ...partly.data, quantity: 3, value: 900 } } as StockEvent).when({ type: 'ReceiveTransfer', ...east, transferId: 't1' }).thenFails('invalid_transition');
    destination.given().when({ type: 'ReceiveTransfer', ...east, transferId: 't9' }).thenFails('not_found');
  });
});
