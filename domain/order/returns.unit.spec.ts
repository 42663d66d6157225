import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { cup, orderFacts, PARTS_LINES, tea } from '../../test/support/order-fixtures.js';
import { type OrderCommand, orderDecider, type OrderEvent, purchaseReturnRefusal, type SkuQuantityInput } from './index.js';

// Customer returns of a sale without cancelling it, and purchase returns to the supplier.

const clerk = asUser('carol', 'clerk');
const warehouse = asUser('wendy', 'warehouse');
const system = asUser('system');

const { given } = deciderSpec(orderDecider, clerk);
const orderId = 'o1';
const past = orderFacts(orderId);
const now = orderFacts(orderId, SPEC_NOW);

const LINES = PARTS_LINES;
type Condition = 'resellable' | 'damaged';
const back = (line: SkuQuantityInput, condition: Condition = 'resellable') => ({ ...line, condition });

const requestReturn = (lines: SkuQuantityInput[], reason = 'does not fit'): OrderCommand => ({ type: 'RequestReturn', orderId, lines, reason });
const receive = (lines: { sku: string; quantity: number; condition: Condition }[], returnId?: string): OrderCommand => ({ type: 'ReceiveReturn', orderId, returnId, lines });
const closeReturns = (reason = 'customer keeps them'): OrderCommand => ({ type: 'CloseReturns', orderId, reason });

/** S1: 3 tea and 3 cups delivered; S2: 2 tea shipped, not delivered. */
const delivered: OrderEvent[] = [
  past.salePlaced(LINES),
  past.reserved(),
  past.shipped([tea(3), cup(3)], 'S1'),
  past.delivered(['S1']),
  past.shipped([tea(2)], 'S2'),
];
/** R1: 2 tea asked back by the customer. */
const oneReturn: OrderEvent[] = [...delivered, past.returnRequested('R1', [tea(2)])];

describe('customer returns', () => {
  it('opens a return of delivered units, R1, without touching the order status', () =>
    given(...delivered).when(requestReturn([tea(1), cup(1), tea(1)]), clerk).thenState((order, events) => {
      expect(events).toEqual([{
        type: 'ReturnRequested',
        data: { orderId, at: SPEC_NOW, returnId: 'R1', origin: 'customer', lines: [tea(2), cup(1)], reason: 'does not fit', requestedBy: 'carol' },
      }]);
      expect(order?.lines.map((line) => line.returnPending)).toEqual([2, 1]);
      expect(order?.status).toBe('shipped');
    }));

  it('numbers the next return R2', () => given(...oneReturn).when(requestReturn([cup(1)]), clerk).thenState((_order, events) => expect(events[0]).toMatchObject({ data: { returnId: 'R2' } })));

  it('refuses more than delivered and not yet returned or on its way back: exceeds_shipped', () =>
    given(...oneReturn).when(requestReturn([tea(2)]), clerk).thenFails('exceeds_shipped', { sku: 'TEA-1', delivered: 3, returned: 0, returnPending: 2, requested: 2 }));

  it('refuses units shipped but not delivered', () => given(...delivered).when(requestReturn([tea(4)]), clerk).thenFails('exceeds_shipped', { delivered: 3, requested: 4 }));

  it('refuses a return without a reason or lines, naming the fields', () =>
    given(...delivered).when(requestReturn([], ' '), clerk).thenFails('validation_failed', { fields: [{ field: 'reason' }, { field: 'lines' }] }));

  it('refuses a return on a purchase', () => given(past.purchasePlaced()).when(requestReturn([tea(1)]), clerk).thenFails('invalid_transition'));

  it('still works while the order is held', () => given(...delivered, past.held()).when(requestReturn([tea(1)]), clerk).thenState((order) => expect(order?.returns).toHaveLength(1)));
});

describe('goods back', () => {
  it('books goods to the named return, resellable and damaged', () =>
    given(...oneReturn).when(receive([back(tea(1)), back(tea(1), 'damaged')], 'R1'), warehouse).thenState((order, events) => {
      expect(events).toEqual([{ type: 'ReturnReceived', data: { orderId, at: SPEC_NOW, returnId: 'R1', lines: [back(tea(1)), back(tea(1), 'damaged')] } }]);
      expect(order?.lines[0]).toMatchObject({ returnedResellable: 1, returnedDamaged: 1, returnPending: 0 });
      expect(order?.returns[0].lines).toEqual([{ sku: 'TEA-1', quantity: 2, receivedResellable: 1, receivedDamaged: 1 }]);
      expect(order?.status).toBe('shipped');
    }));

  it('unnamed, books goods to the open returns oldest first', () =>
    given(...oneReturn, past.returnRequested('R2', [tea(1)])).when(receive([back(tea(3))]), warehouse).thenState((order, events) => {
      expect(events[0]).toMatchObject({ data: { returnId: null } });
      expect(order?.returns.map((entry) => entry.lines[0].receivedResellable)).toEqual([2, 1]);
    }));

  it('refuses more than the named return still expects: exceeds_shipped', () =>
    given(...oneReturn, past.returnReceived([back(tea(1))], 'R1')).when(receive([back(tea(2))], 'R1'), warehouse).thenFails('exceeds_shipped', {
      returnId: 'R1', sku: 'TEA-1', expected: 1, requested: 2,
    }));

  it('refuses a sku the named return does not expect', () => given(...oneReturn).when(receive([back(cup(1))], 'R1'), warehouse).thenFails('exceeds_shipped', { sku: 'CUP-1', expected: 0 }));

  it('unnamed, refuses more than all open returns expect', () => given(...oneReturn).when(receive([back(tea(3))]), warehouse).thenFails('exceeds_shipped', { expected: 2, requested: 3 }));

  it('refuses an unknown or closed return, naming returnId', () => {
    given(...oneReturn).when(receive([back(tea(1))], 'R7'), warehouse).thenFails('validation_failed', { fields: [{ field: 'returnId' }] });
    given(...oneReturn, past.returnRequested('R2', [tea(1)]), past.returnsClosed(['R1'], [tea(2)]))
      .when(receive([back(tea(1))], 'R1'), warehouse)
      .thenFails('validation_failed', { fields: [{ field: 'returnId' }] });
  });

  it('refuses goods back when no return waits for any', () => {
    given(...delivered).when(receive([back(tea(1))]), warehouse).thenFails('invalid_transition');
    given(...oneReturn, past.returnReceived([back(tea(2))], 'R1')).when(receive([back(tea(1))], 'R1'), warehouse).thenFails('invalid_transition');
  });

  it('takes goods back while the order is held', () => given(...oneReturn, past.held()).when(receive([back(tea(1))], 'R1'), warehouse).thenState((order) => expect(order?.lines[0].returnedResellable).toBe(1)));
});

describe('closing returns', () => {
  it('stops waiting for what did not come back; a delivered order stays delivered', () =>
    given(...oneReturn, past.delivered(['S2']), past.returnReceived([back(tea(1))], 'R1')).when(closeReturns(), warehouse).thenState((order, events) => {
      expect(events).toEqual([now.returnsClosed(['R1'], [tea(1)])]);
      expect(order?.lines[0].returnPending).toBe(0);
      expect(order?.returns[0]).toMatchObject({ closedAt: SPEC_NOW, closedBy: 'wendy', closeReason: 'customer keeps them' });
      expect(order?.status).toBe('delivered');
    }));

  it('refuses when no return waits for goods', () => given(...delivered).when(closeReturns(), warehouse).thenFails('invalid_transition'));

  it('refuses without a reason', () => given(...oneReturn).when(closeReturns(' '), warehouse).thenFails('validation_failed', { fields: [{ field: 'reason' }] }));
});

describe('purchase returns', () => {
  const toSupplier = (lines: SkuQuantityInput[], reason = 'faulty batch'): OrderCommand => ({ type: 'ReturnToSupplier', orderId, lines, reason });
  const complete = (returnId = 'PR1'): OrderCommand => ({ type: 'CompletePurchaseReturn', orderId, returnId });
  const refuse = (returnId = 'PR1'): OrderCommand => ({ type: 'RefusePurchaseReturn', orderId, returnId, shortLines: [{ sku: 'TEA-1', requested: 3, available: 1 }], returnedLines: [] });
  const received: OrderEvent[] = [past.purchasePlaced(), past.goodsReceived([tea(4)])];
  const pending: OrderEvent[] = [...received, past.purchaseReturnRequested('PR1', [tea(3)])];

  it('sends received goods back: PR1 pending', () =>
    given(...received).when(toSupplier([tea(3)]), warehouse).thenState((order, events) => {
      expect(events).toEqual([now.purchaseReturnRequested('PR1', [tea(3)])]);
      expect(order?.purchaseReturns).toMatchObject([{ returnId: 'PR1', state: 'pending', lines: [tea(3)] }]);
    }));

  it('refuses more than received, counting returns not settled yet: exceeds_shipped', () =>
    given(...pending).when(toSupplier([tea(2)]), warehouse).thenFails('exceeds_shipped', { sku: 'TEA-1', received: 4, returnedToSupplier: 0, pending: 3, requested: 2 }));

  it('refuses a purchase nothing of which was received', () => given(past.purchasePlaced()).when(toSupplier([tea(1)]), warehouse).thenFails('invalid_transition'));

  it('refuses a sale order', () => given(...delivered).when(toSupplier([tea(1)]), warehouse).thenFails('invalid_transition'));

  it('refuses bad lines and no reason, naming the fields', () =>
    given(...received).when(toSupplier([{ sku: 'NOPE', quantity: 0 }], ''), warehouse).thenFails('validation_failed', {
      fields: [{ field: 'reason' }, { field: 'lines[0].sku' }, { field: 'lines[0].quantity' }],
    }));

  it('works on a closed purchase and while held', () =>
    given(...received, past.held(), past.cancellationRequested('carol', 'company'), past.cancellationApproved('close_remainder', { cancelledLines: [], returnLines: [], returnId: null }), past.closed())
      .when(toSupplier([tea(4)]), warehouse)
      .thenState((_order, events) => expect(events).toEqual([now.purchaseReturnRequested('PR1', [tea(4)])])));

  it('completes: the goods count as returned to the supplier', () =>
    given(...pending).when(complete(), system).thenState((order, events) => {
      expect(events).toEqual([now.purchaseReturnCompleted('PR1')]);
      expect(order?.lines[0].returnedToSupplier).toBe(3);
      expect(order?.purchaseReturns[0].state).toBe('done');
    }));

  it('refuses it when stock is short, and the HTTP answer is insufficient_stock with the lines', () =>
    given(...pending).when(refuse(), system).thenState((order, events) => {
      expect(events).toEqual([now.purchaseReturnRefused('PR1', [{ sku: 'TEA-1', requested: 3, available: 1 }], [])]);
      expect(order?.lines[0].returnedToSupplier).toBe(0);
      expect(purchaseReturnRefusal(order!, 'PR1')).toMatchObject({ code: 'insufficient_stock', details: { returnId: 'PR1', lines: [{ sku: 'TEA-1', requested: 3, available: 1 }] } });
    }));

  it('a completed return is no refusal', () => given(...pending).when(complete(), system).thenState((order) => expect(purchaseReturnRefusal(order!, 'PR1')).toBeNull()));

  it('completing or refusing a settled return again emits nothing', () => {
    given(...pending, past.purchaseReturnCompleted('PR1')).when(complete(), system).thenNothing();
    given(...pending, past.purchaseReturnCompleted('PR1')).when(refuse(), system).thenNothing();
    given(...pending, past.purchaseReturnRefused('PR1', [])).when(complete(), system).thenNothing();
  });

  it('refuses a purchase return the order does not have', () => given(...received).when(complete('PR9'), system).thenFails('invalid_transition'));

  it('a refused return frees its units for the next one', () =>
    given(...pending, past.purchaseReturnRefused('PR1', [])).when(toSupplier([tea(4)]), warehouse).thenState((_order, events) => expect(events[0]).toMatchObject({ data: { returnId: 'PR2' } })));
});
