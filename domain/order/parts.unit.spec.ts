import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { cup, orderFacts, PARTS_LINES, tea } from '../../test/support/order-fixtures.js';
import { type Order, type OrderCommand, orderDecider, type OrderEvent, paymentTerms, type SkuQuantityInput } from './index.js';

// Orders in parts: partial shipments, per-shipment delivery, holds, partial cancellations and how a sale ends.

const clerk = asUser('carol', 'clerk');
const warehouse = asUser('wendy', 'warehouse');
const approver = asUser('alice', 'approver');
const system = asUser('system');

const { given, fold } = deciderSpec(orderDecider, clerk);
/** The order after these events, for checks that decide nothing (payment terms). */
const stateAfter = (...events: OrderEvent[]) => ({ then: (check: (order: Order) => void) => check(fold(events)!) });
const orderId = 'o1';
const past = orderFacts(orderId);
const now = orderFacts(orderId, SPEC_NOW);

const LINES = PARTS_LINES;

const ship = (lines?: SkuQuantityInput[], extra: Partial<Extract<OrderCommand, { type: 'ShipOrder' }>> = {}): OrderCommand => ({ type: 'ShipOrder', orderId, lines, ...extra });
const deliver = (shipmentId?: string): OrderCommand => ({ type: 'DeliverOrder', orderId, shipmentId });
const hold = (reason = 'credit check'): OrderCommand => ({ type: 'HoldOrder', orderId, reason });
const release = (note?: string): OrderCommand => ({ type: 'ReleaseHold', orderId, note });
const request = (extra: Partial<Extract<OrderCommand, { type: 'RequestCancellation' }>> = {}): OrderCommand => ({
  type: 'RequestCancellation', orderId, reason: 'changed mind', initiatedBy: 'customer', ...extra,
});
const approve: OrderCommand = { type: 'ApproveCancellation', orderId };
const complete: OrderCommand = { type: 'CompleteCancellation', orderId };
const close: OrderCommand = { type: 'CloseOrder', orderId };

const live: OrderEvent[] = [past.salePlaced(LINES), past.reserved()];
/** S1: 3 tea shipped, nothing delivered. */
const partlyShipped: OrderEvent[] = [...live, past.shipped([tea(3)], 'S1')];
/** Everything shipped in S1 and delivered. */
const allDelivered: OrderEvent[] = [...live, past.shipped([tea(5), cup(3)], 'S1'), past.delivered(['S1'])];
const requested = (scope: 'whole' | 'lines' | 'remainder', lines: SkuQuantityInput[] = []) => past.cancellationRequested('carol', 'customer', scope, lines);
/** The remainder (2 tea, 3 cups) of the partly shipped order cancelled. */
const remainderCancelled: OrderEvent[] = [
  ...partlyShipped,
  requested('remainder'),
  past.cancellationApproved('release_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [], returnId: null }),
];

describe('partial shipments', () => {
  it('ships the given quantities as shipment S1, the order partially shipped', () =>
    given(...live).when(ship([tea(3)], { carrier: 'SF' }), warehouse).thenState((order, events) => {
      expect(events).toEqual([{ type: 'OrderShipped', data: { orderId, at: SPEC_NOW, shipmentId: 'S1', lines: [tea(3)], carrier: 'SF', trackingNumber: null } }]);
      expect(order?.status).toBe('partially_shipped');
      expect(order?.lines.map((line) => line.shipped)).toEqual([3, 0]);
    }));

  it('numbers the next shipment S2 and ships what is left when no lines are given: the order is shipped', () =>
    given(...partlyShipped).when(ship(), warehouse).thenState((order, events) => {
      expect(events).toEqual([now.shipped([tea(2), cup(3)], 'S2')]);
      expect(order?.status).toBe('shipped');
      expect(order?.shipments.map((shipment) => shipment.shipmentId)).toEqual(['S1', 'S2']);
    }));

  it('adds up the same sku on two lines', () =>
    given(...live).when(ship([tea(1), tea(2)]), warehouse).then(now.shipped([tea(3)], 'S1')));

  it('refuses more than ordered and not yet shipped: exceeds_ordered', () =>
    given(...partlyShipped).when(ship([tea(3)]), warehouse).thenFails('exceeds_ordered', { sku: 'TEA-1', ordered: 5, cancelled: 0, shipped: 3, requested: 3 }));

  it('refuses units whose cancellation was approved', () =>
    given(...live, requested('lines', [cup(2)]), past.cancellationApproved('release_and_refund', { cancelledLines: [cup(2)], returnLines: [], returnId: null }))
      .when(ship([cup(2)]), warehouse)
      .thenFails('exceeds_ordered', { sku: 'CUP-1', ordered: 3, cancelled: 2, shipped: 0, requested: 2 }));

  it('after an approved partial cancellation the rest ships, and the order is shipped without the cancelled units', () =>
    given(...live, requested('lines', [cup(2)]), past.cancellationApproved('release_and_refund', { cancelledLines: [cup(2)], returnLines: [], returnId: null }))
      .when(ship(), warehouse)
      .thenState((order, events) => {
        expect(events).toEqual([now.shipped([tea(5), cup(1)], 'S1')]);
        expect(order?.status).toBe('shipped');
      }));

  it('refuses a sku not on the order and a quantity that is not a positive integer, naming the fields', () =>
    given(...live).when(ship([{ sku: 'NOPE', quantity: 1 }, tea(0)]), warehouse).thenFails('validation_failed', {
      fields: [{ field: 'lines[0].sku' }, { field: 'lines[1].quantity' }],
    }));

  it('refuses an empty list of lines', () => given(...live).when(ship([]), warehouse).thenFails('validation_failed', { fields: [{ field: 'lines' }] }));

  it('refuses to ship while an amendment is being reserved', () =>
    given(...live, past.amendmentRequested({ amendmentNo: 1, reason: 'more', amendedBy: 'carol', before: LINES, after: [{ ...LINES[0], quantity: 6 }, LINES[1]] }))
      .when(ship([tea(1)]), warehouse)
      .thenFails('invalid_transition', { amendmentNo: 1 }));

  it('refuses to ship once a whole cancellation is approved', () =>
    given(...partlyShipped, requested('whole'), past.cancellationApproved('return_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' }))
      .when(ship(), warehouse)
      .thenFails('invalid_transition'));
});

describe('delivery per shipment', () => {
  const twoShipments = [...partlyShipped, past.shipped([tea(2), cup(3)], 'S2')];

  it('delivers one shipment; the order stays shipped until every shipment is delivered', () =>
    given(...twoShipments).when(deliver('S1'), warehouse).thenState((order, events) => {
      expect(events).toEqual([{ type: 'OrderDelivered', data: { orderId, at: SPEC_NOW, shipmentIds: ['S1'] } }]);
      expect(order?.status).toBe('shipped');
      expect(order?.lines.map((line) => line.delivered)).toEqual([3, 0]);
      expect(order?.shipments[0].deliveredAt).toBe(SPEC_NOW);
    }));

  it('a partly shipped order stays partially shipped when its shipment is delivered', () =>
    given(...partlyShipped).when(deliver('S1'), warehouse).thenState((order) => expect(order?.status).toBe('partially_shipped')));

  it('delivers every shipment not delivered yet when none is named: delivered', () =>
    given(...twoShipments, past.delivered(['S1'])).when(deliver(), warehouse).thenState((order, events) => {
      expect(events).toEqual([now.delivered(['S2'])]);
      expect(order?.status).toBe('delivered');
    }));

  it('delivering a delivered shipment again emits nothing', () => given(...twoShipments, past.delivered(['S1'])).when(deliver('S1'), warehouse).thenNothing());

  it('refuses an unknown shipment, naming the field', () =>
    given(...twoShipments).when(deliver('S9'), warehouse).thenFails('validation_failed', { fields: [{ field: 'shipmentId' }] }));

  it('refuses to deliver when nothing was shipped', () => given(...live).when(deliver(), warehouse).thenFails('invalid_transition'));

  it('records a delivery on a returning order: the customer signing is a fact', () =>
    given(...partlyShipped, requested('whole'), past.cancellationApproved('return_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' }))
      .when(deliver(), warehouse)
      .thenState((order, events) => {
        expect(events).toEqual([now.delivered(['S1'])]);
        expect(order?.status).toBe('returning');
      }));
});

describe('hold and release', () => {
  const held = [...live, past.held('wendy', 'credit check')];

  it('holds an order with a reason, keeping who and when', () =>
    given(...live).when(hold(' credit check '), warehouse).thenState((order, events) => {
      expect(events).toEqual([{ type: 'OrderHeld', data: { orderId, at: SPEC_NOW, reason: 'credit check', heldBy: 'wendy' } }]);
      expect(order?.onHold).toEqual({ reason: 'credit check', by: 'wendy', at: SPEC_NOW });
      expect(order?.status).toBe('placed');
    }));

  it('refuses a hold without a reason', () => given(...live).when(hold(' '), warehouse).thenFails('validation_failed', { fields: [{ field: 'reason' }] }));

  it('refuses to hold an order already held', () => given(...held).when(hold(), approver).thenFails('invalid_transition'));

  it('refuses to hold a finished order', () => given(past.salePlaced(LINES), past.rejected()).when(hold(), warehouse).thenFails('invalid_transition'));

  it('releases a hold with a note', () =>
    given(...held).when(release('cleared'), approver).thenState((order, events) => {
      expect(events).toEqual([{ type: 'HoldReleased', data: { orderId, at: SPEC_NOW, note: 'cleared', releasedBy: 'alice' } }]);
      expect(order?.onHold).toBeNull();
    }));

  it('refuses to release an order that is not held', () => given(...live).when(release(), approver).thenFails('invalid_transition'));

  it.each([
    ['process', { type: 'ProcessOrder', orderId }],
    ['ship', ship()],
  ] as [string, OrderCommand][])('a held sale refuses to %s with on_hold', (_name, command) =>
    given(...held).when(command, warehouse).thenFails('on_hold', { reason: 'credit check', by: 'wendy' }));

  it('a held sale refuses a delivery with on_hold', () => given(...partlyShipped, past.held()).when(deliver('S1'), warehouse).thenFails('on_hold'));

  it('a held purchase refuses to receive goods with on_hold', () =>
    given(past.purchasePlaced(), past.held()).when({ type: 'ReceiveGoods', orderId, lines: [tea(1)] }, warehouse).thenFails('on_hold'));

  it('a held order still takes a cancellation request', () => given(...held).when(request(), clerk).thenState((order) => expect(order?.cancellation?.state).toBe('requested')));

  it('a held order still takes payments', () => stateAfter(...held).then((order) => expect(paymentTerms(order).open).toBe(true)));

  it('fulfilment resumes after the release', () => given(...held, past.holdReleased()).when(ship([tea(1)]), warehouse).then(now.shipped([tea(1)], 'S1')));
});

describe('cancellation requests for part of an order', () => {
  it('asks for some lines, adding up each sku', () =>
    given(...partlyShipped).when(request({ lines: [tea(1), cup(2), tea(1)] }), clerk).thenState((order, events) => {
      expect(events).toEqual([now.cancellationRequested('carol', 'customer', 'lines', [tea(2), cup(2)])]);
      expect(order?.cancellation).toMatchObject({ state: 'requested', scope: 'lines', lines: [tea(2), cup(2)] });
    }));

  it('asks for the remainder', () => given(...partlyShipped).when(request({ scope: 'remainder' }), clerk).then(now.cancellationRequested('carol', 'customer', 'remainder', [])));

  it('refuses lines and scope together, naming scope', () =>
    given(...live).when(request({ lines: [tea(1)], scope: 'remainder' }), clerk).thenFails('validation_failed', { fields: [{ field: 'scope', problems: ['cannot be combined with lines'] }] }));

  it('refuses an unknown scope', () => given(...live).when(request({ scope: 'everything' as 'remainder' }), clerk).thenFails('validation_failed', { fields: [{ field: 'scope' }] }));

  it('refuses lines on a purchase order', () =>
    given(past.purchasePlaced()).when(request({ lines: [tea(1)], initiatedBy: 'supplier' }), clerk).thenFails('validation_failed', {
      fields: [{ field: 'lines', problems: ['applies to sale orders'] }],
    }));

  it('refuses a sku not on the order', () => given(...live).when(request({ lines: [{ sku: 'NOPE', quantity: 1 }] }), clerk).thenFails('validation_failed', { fields: [{ field: 'lines[0].sku' }] }));

  it('refuses more than is left to cancel: exceeds_ordered', () =>
    given(...live).when(request({ lines: [tea(6)] }), clerk).thenFails('exceeds_ordered', { sku: 'TEA-1', ordered: 5, cancelled: 0, returned: 0, returnPending: 0, requested: 6 }));

  it('counts units already cancelled, returned or on their way back as not cancellable', () =>
    given(...allDelivered, past.returnRequested('R1', [tea(2)]), past.returnReceived([{ ...tea(1), condition: 'resellable' }], 'R1'))
      .when(request({ lines: [tea(4)] }), clerk)
      .thenFails('exceeds_ordered', { returned: 1, returnPending: 1, requested: 4 }));

  it('refuses the remainder when everything has shipped', () => given(...allDelivered).when(request({ scope: 'remainder' }), clerk).thenFails('invalid_transition'));

  it('refuses a request while an amendment is being reserved', () =>
    given(...live, past.amendmentRequested({ amendmentNo: 1, reason: 'more', amendedBy: 'carol', before: LINES, after: [{ ...LINES[0], quantity: 6 }, LINES[1]] }))
      .when(request(), clerk)
      .thenFails('invalid_transition'));

  it('a new request may follow an approved partial cancellation', () =>
    given(...remainderCancelled).when(request({ lines: [tea(1)] }), clerk).thenState((order) => expect(order?.cancellation).toMatchObject({ state: 'requested', scope: 'lines' })));

  it('refuses a new request once a whole cancellation is approved', () =>
    given(...live, requested('whole'), past.cancellationApproved('release_and_refund', { cancelledLines: [tea(5), cup(3)], returnLines: [], returnId: null }))
      .when(request({ lines: [tea(1)] }), clerk)
      .thenFails('invalid_transition'));
});

describe('approving a cancellation of part of an order', () => {
  it('cancels unshipped units first, then sends shipped ones back through a return in the same decision', () =>
    given(...partlyShipped, requested('lines', [tea(3)])).when(approve, approver).thenState((order, events) => {
      expect(events).toEqual([
        {
          type: 'CancellationApproved',
          data: {
            orderId, at: SPEC_NOW, approvedBy: 'alice', note: null, outcome: 'return_and_refund', refundMethod: 'original', penalty: null,
            cancelledLines: [tea(2)], returnLines: [tea(1)], returnId: 'R1',
          },
        },
        { type: 'ReturnRequested', data: { orderId, at: SPEC_NOW, returnId: 'R1', origin: 'cancellation', lines: [tea(1)], reason: 'changed mind', requestedBy: 'alice' } },
      ]);
      expect(order?.lines[0]).toMatchObject({ quantity: 5, cancelled: 2, shipped: 3, returnPending: 1 });
      expect(order?.status).toBe('partially_shipped');
      expect(order?.returns).toMatchObject([{ returnId: 'R1', origin: 'cancellation', lines: [{ sku: 'TEA-1', quantity: 1 }] }]);
    }));

  it('cancelling only unshipped units releases and refunds, no return', () =>
    given(...partlyShipped, requested('lines', [cup(2)])).when(approve, approver).thenState((order, events) => {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ data: { outcome: 'release_and_refund', cancelledLines: [cup(2)], returnLines: [], returnId: null } });
      expect(order?.status).toBe('partially_shipped');
    }));

  it('cancelling the remainder leaves the order shipped, not returning', () =>
    given(...partlyShipped, requested('remainder')).when(approve, approver).thenState((order, events) => {
      expect(events[0]).toMatchObject({ data: { outcome: 'release_and_refund', cancelledLines: [tea(2), cup(3)], returnLines: [] } });
      expect(order?.status).toBe('shipped');
    }));

  it('a whole cancellation of a partly shipped order cancels the rest and brings back what shipped: returning', () =>
    given(...partlyShipped, requested('whole')).when(approve, approver).thenState((order, events) => {
      expect(events.map((event) => event.type)).toEqual(['CancellationApproved', 'ReturnRequested']);
      expect(events[0]).toMatchObject({ data: { outcome: 'return_and_refund', cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' } });
      expect(order?.status).toBe('returning');
    }));

  it('a whole cancellation brings back only what the customer still has, in the next return', () =>
    given(...allDelivered, past.returnRequested('R1', [tea(2)]), requested('whole')).when(approve, approver).thenState((order, events) => {
      expect(events[0]).toMatchObject({ data: { cancelledLines: [], returnLines: [tea(3), cup(3)], returnId: 'R2' } });
      expect(order?.lines.map((line) => line.returnPending)).toEqual([5, 3]);
    }));

  it('returns no more than the customer still has when a return was requested meanwhile', () =>
    given(...allDelivered, requested('lines', [tea(5)]), past.returnRequested('R1', [tea(2)])).when(approve, approver).thenState((_order, events) =>
      expect(events[0]).toMatchObject({ data: { cancelledLines: [], returnLines: [tea(3)], returnId: 'R2' } })));

  it('a coupon follows the return in the same decision', () =>
    given(...partlyShipped, requested('whole')).when({ ...approve, goodwillCoupon: { code: 'SORRY', amount: 500 } } as OrderCommand, approver).thenState((_order, events) =>
      expect(events.map((event) => event.type)).toEqual(['CancellationApproved', 'ReturnRequested', 'GoodwillCouponIssued'])));
});

describe('how a sale ends', () => {
  it('closes a sale whose remainder was cancelled once the rest is delivered', () =>
    given(...remainderCancelled, past.delivered(['S1'])).when(close, system).thenState((order, events) => {
      expect(events).toEqual([now.closed()]);
      expect(order?.status).toBe('closed');
    }));

  it('refuses to close before the rest is delivered', () => given(...remainderCancelled).when(close, system).thenFails('invalid_transition'));

  it('refuses to close while a return is awaited', () =>
    given(...remainderCancelled, past.delivered(['S1']), past.returnRequested('R1', [tea(1)])).when(close, system).thenFails('invalid_transition'));

  it('refuses to close while another cancellation is pending', () =>
    given(...remainderCancelled, past.delivered(['S1']), requested('lines', [tea(1)])).when(close, system).thenFails('invalid_transition'));

  it('refuses to close a delivered sale nothing of which was cancelled', () => given(...allDelivered).when(close, system).thenFails('invalid_transition'));

  it('closes a returning order whose returns were closed with goods kept by the customer', () =>
    given(
      ...partlyShipped,
      requested('whole'),
      past.cancellationApproved('return_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' }),
      past.returnRequested('R1', [tea(3)], 'cancellation', 'alice'),
      past.returnReceived([{ ...tea(1), condition: 'resellable' }], 'R1'),
      past.returnsClosed(['R1'], [tea(2)]),
    ).when(close, system).then(now.closed()));

  it('refuses to close a returning order while goods are still expected', () =>
    given(
      ...partlyShipped,
      requested('whole'),
      past.cancellationApproved('return_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' }),
      past.returnRequested('R1', [tea(3)], 'cancellation', 'alice'),
    ).when(close, system).thenFails('invalid_transition'));

  it('cancels a sale once every unit is cancelled or back', () =>
    given(
      ...remainderCancelled,
      past.delivered(['S1']),
      past.returnRequested('R1', [tea(3)]),
      past.returnReceived([{ ...tea(3), condition: 'damaged' }], 'R1'),
    ).when(complete, system).thenState((order, events) => {
      expect(events).toEqual([now.cancelled()]);
      expect(order?.status).toBe('cancelled');
    }));

  it('refuses to close a sale of which nothing is left: it is cancelled instead', () =>
    given(...remainderCancelled, past.delivered(['S1']), past.returnRequested('R1', [tea(3)]), past.returnReceived([{ ...tea(3), condition: 'damaged' }], 'R1'))
      .when(close, system)
      .thenFails('invalid_transition'));

  it('refuses to cancel a sale with units still on the order', () => given(...remainderCancelled, past.delivered(['S1'])).when(complete, system).thenFails('invalid_transition'));
});

describe('payment terms of a sale in parts', () => {
  it('the total is what is still owed: cancelled and returned units are not', () =>
    stateAfter(...remainderCancelled, past.delivered(['S1']), past.returnRequested('R1', [tea(1)]), past.returnReceived([{ ...tea(1), condition: 'resellable' }], 'R1'))
      .then((order) => expect(paymentTerms(order)).toEqual({ kind: 'sale', total: 2000, currency: 'CNY', open: true })));

  it('an approved partial cancellation leaves the sale open for payments', () =>
    stateAfter(...remainderCancelled).then((order) => expect(paymentTerms(order)).toMatchObject({ total: 3000, open: true })));

  it('a whole approved cancellation closes it', () =>
    stateAfter(...live, requested('whole'), past.cancellationApproved('release_and_refund', { cancelledLines: [tea(5), cup(3)], returnLines: [], returnId: null }))
      .then((order) => expect(paymentTerms(order)).toMatchObject({ total: 0, open: false })));

  it('a returning sale is closed for payments', () =>
    stateAfter(...partlyShipped, requested('whole'), past.cancellationApproved('return_and_refund', { cancelledLines: [tea(2), cup(3)], returnLines: [tea(3)], returnId: 'R1' }))
      .then((order) => expect(paymentTerms(order).open).toBe(false)));

  it('a closed sale still takes what the customer owes for the goods it kept (closing ends fulfilment, not the debt)', () =>
    stateAfter(...remainderCancelled, past.delivered(['S1']), { type: 'OrderClosed', data: { orderId: 'o1', at: '2026-03-02T00:00:00.000Z' } } as OrderEvent)
      .then((order) => expect([order.status, paymentTerms(order)]).toEqual(['closed', { kind: 'sale', total: 3000, currency: 'CNY', open: true }])));

  it('a sale is closed for payments while its placement is reserving stock', () =>
    stateAfter(past.salePlaced(LINES)).then((order) => expect(paymentTerms(order)).toMatchObject({ total: 6500, open: false })));

  it('a purchase keeps its placed total and closes once its cancellation is approved', () =>
    stateAfter(past.purchasePlaced(), past.cancellationRequested(), past.cancellationApproved('cancel_purchase', { cancelledLines: [], returnLines: [], returnId: null }))
      .then((order) => expect(paymentTerms(order)).toEqual({ kind: 'purchase', total: 8800, currency: 'CNY', open: false })));
});
