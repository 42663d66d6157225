import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { orderFacts, PURCHASE_LINES, SALE_LINES, SALE_QUANTITIES } from '../../test/support/order-fixtures.js';
import { type OrderCommand, orderDecider, type OrderEvent, placementRefusal, type RequestCancellation } from './index.js';

const clerk = asUser('carol', 'clerk');
const otherClerk = asUser('dave', 'clerk');
const warehouse = asUser('wendy', 'warehouse');
const approver = asUser('alice', 'approver');
const admin = asUser('root', 'admin');
const system = asUser('system');

const { given } = deciderSpec(orderDecider, clerk);
const orderId = 'o1';
const past = orderFacts(orderId);
const now = orderFacts(orderId, SPEC_NOW);

const placeSale: OrderCommand = { type: 'PlaceOrder', orderId, kind: 'sale', partyId: 'cust-1', warehouseId: 'main', currency: 'CNY', lines: SALE_LINES };
const placePurchase: OrderCommand = { ...placeSale, kind: 'purchase', partyId: 'supp-1', lines: PURCHASE_LINES };
const process: OrderCommand = { type: 'ProcessOrder', orderId };
const ship: OrderCommand = { type: 'ShipOrder', orderId };
const deliver: OrderCommand = { type: 'DeliverOrder', orderId };
const receive = (lines: { sku: string; quantity: number }[]): OrderCommand => ({ type: 'ReceiveGoods', orderId, lines });
const requestCancellation = (initiatedBy: 'customer' | 'company' | 'supplier' = 'customer', reason = 'changed mind'): RequestCancellation => ({
  type: 'RequestCancellation',
  orderId,
  reason,
  initiatedBy,
});
const approve = (extra: Partial<Extract<OrderCommand, { type: 'ApproveCancellation' }>> = {}): OrderCommand => ({ type: 'ApproveCancellation', orderId, ...extra });
const rejectCancellation = (reason = 'already packed'): OrderCommand => ({ type: 'RejectCancellation', orderId, reason });
const withdraw: OrderCommand = { type: 'WithdrawCancellation', orderId };
const receiveReturn = (lines: { sku: string; quantity: number; condition: 'resellable' | 'damaged' }[]): OrderCommand => ({ type: 'ReceiveReturn', orderId, lines });
const complete: OrderCommand = { type: 'CompleteCancellation', orderId };
const close: OrderCommand = { type: 'CloseOrder', orderId };

const liveSale: OrderEvent[] = [past.salePlaced(), past.reserved()];
const pendingSale: OrderEvent[] = [...liveSale, past.cancellationRequested('carol')];
const shippedSale: OrderEvent[] = [...liveSale, past.shipped()];
const returningSale: OrderEvent[] = [...shippedSale, past.cancellationRequested('carol'), past.cancellationApproved('return_and_refund')];
const livePurchase: OrderEvent[] = [past.purchasePlaced()];
const partlyReceived: OrderEvent[] = [...livePurchase, past.goodsReceived([{ sku: 'TEA-1', quantity: 4 }])];

describe('order placement', () => {
  it('places a sale order owned by the placing actor, numbered by its id unless told', () =>
    given().when(placeSale, clerk).then(now.salePlaced(SALE_LINES, 'carol')));

  it('a placed sale order waits for its stock reservation', () =>
    given().when(placeSale).thenState((order) => expect(order).toMatchObject({ status: 'placed', reservation: 'pending', ownerId: 'carol' })));

  it('places a purchase order with its business number', () =>
    given().when({ ...placePurchase, number: 'PO-2026-001' }).thenState((order, events) => {
      expect(events).toEqual([{ ...now.purchasePlaced(), data: { ...now.purchasePlaced().data, number: 'PO-2026-001' } }]);
      expect(order).toMatchObject({ status: 'placed', reservation: null, kind: 'purchase' });
    }));

  it('placing the same order again emits nothing', () => given(past.salePlaced()).when(placeSale).thenNothing());

  it('refuses a different order under an existing id', () =>
    given(past.salePlaced()).when({ ...placeSale, partyId: 'cust-2' }).thenFails('already_exists'));

  it('refuses the same order placed by someone else', () => given(past.salePlaced()).when(placeSale, otherClerk).thenFails('already_exists'));

  it('refuses an order without lines', () =>
    given().when({ ...placeSale, lines: [] }).thenFails('validation_failed', { fields: [{ field: 'lines', problems: ['must list at least one line'] }] }));

  it('refuses fractional quantities and prices, naming each bad field', () =>
    given().when({ ...placeSale, lines: [{ sku: 'TEA-1', quantity: 1.5, unitPrice: 9.99 }] }).thenFails('validation_failed', {
      fields: [
        { field: 'lines[0].quantity', problems: ['must be a positive integer'] },
        { field: 'lines[0].unitPrice', problems: ['must be a non-negative integer (minor units)'] },
      ],
    }));

  it('refuses the same sku on two lines', () =>
    given().when({ ...placeSale, lines: [SALE_LINES[0], SALE_LINES[0]] }).thenFails('validation_failed', { fields: [{ field: 'lines[1].sku' }] }));

  it('refuses a malformed currency', () => given().when({ ...placeSale, currency: 'yuan' }).thenFails('validation_failed'));

  it('refuses an unknown order kind', () => given().when({ ...placeSale, kind: 'gift' as 'sale' }).thenFails('validation_failed'));

  it('confirms the reservation of every line', () => given(past.salePlaced()).when({ type: 'ConfirmReservation', orderId }, system).then(now.reserved()));

  it('confirming the reservation twice emits nothing', () => given(...liveSale).when({ type: 'ConfirmReservation', orderId }, system).thenNothing());

  it('rejects a placement that cannot reserve every line, naming the short skus', () =>
    given(past.salePlaced())
      .when({ type: 'RejectOrder', orderId, shortLines: [{ sku: 'TEA-1', requested: 2, available: 1 }] }, system)
      .thenState((order, events) => {
        expect(events).toEqual([now.rejected([{ sku: 'TEA-1', requested: 2, available: 1 }])]);
        expect(order).toMatchObject({ status: 'rejected', reservation: 'failed' });
      }));

  it('a rejected placement answers insufficient_stock with the short lines', () =>
    given(past.salePlaced()).when({ type: 'RejectOrder', orderId, shortLines: [{ sku: 'TEA-1', requested: 2, available: 1 }] }, system).thenState((order) => {
      expect(placementRefusal(order!)).toMatchObject({ code: 'insufficient_stock', details: { orderId, lines: [{ sku: 'TEA-1', requested: 2, available: 1 }] } });
    }));

  it('a reserved placement is no refusal', () => given(past.salePlaced()).when({ type: 'ConfirmReservation', orderId }, system).thenState((order) => expect(placementRefusal(order!)).toBeNull()));

  it('rejecting twice emits nothing', () => given(past.salePlaced(), past.rejected()).when({ type: 'RejectOrder', orderId, shortLines: [] }, system).thenNothing());

  it('refuses to confirm the reservation of a rejected order', () =>
    given(past.salePlaced(), past.rejected()).when({ type: 'ConfirmReservation', orderId }, system).thenFails('invalid_transition'));

  it('refuses to reject an order whose lines are all reserved', () =>
    given(...liveSale).when({ type: 'RejectOrder', orderId, shortLines: [] }, system).thenFails('invalid_transition'));
});

describe('sale stages: placed -> processing -> shipped -> delivered (whole shipments)', () => {
  it('processes a placed order', () => given(...liveSale).when(process, warehouse).then(now.processed()));

  it('processing twice emits nothing', () => given(...liveSale, past.processed()).when(process, warehouse).thenNothing());

  it('refuses to process while the reservation is in progress', () => given(past.salePlaced()).when(process, warehouse).thenFails('invalid_transition'));

  it('ships a placed order with carrier and tracking number', () =>
    given(...liveSale).when({ ...ship, carrier: 'SF', trackingNumber: 'SF123' }, warehouse).then({
      type: 'OrderShipped',
      data: { orderId, at: SPEC_NOW, shipmentId: 'S1', lines: SALE_QUANTITIES, carrier: 'SF', trackingNumber: 'SF123' },
    }));

  it('ships a processing order', () =>
    given(...liveSale, past.processed()).when(ship, warehouse).thenState((order) => expect(order?.status).toBe('shipped')));

  it('refuses to ship an order with nothing left to ship', () => given(...shippedSale).when(ship, warehouse).thenFails('invalid_transition'));

  it('refuses to process a shipped order', () => given(...shippedSale).when(process, warehouse).thenFails('invalid_transition'));

  it('delivers a shipped order', () => given(...shippedSale).when(deliver, warehouse).then(now.delivered()));

  it('delivering twice emits nothing', () => given(...shippedSale, past.delivered()).when(deliver, warehouse).thenNothing());

  it('refuses to deliver an order not shipped', () => given(...liveSale).when(deliver, warehouse).thenFails('invalid_transition'));

  it('refuses to ship a purchase order', () => given(...livePurchase).when(ship, warehouse).thenFails('invalid_transition'));

  it('refuses commands on an order that does not exist', () => given().when(process, warehouse).thenFails('not_found'));
});

describe('purchase stages: placed -> partially_received -> received', () => {
  it('receives part of the order', () =>
    given(...livePurchase).when(receive([{ sku: 'TEA-1', quantity: 4 }]), warehouse).thenState((order, events) => {
      expect(events).toEqual([now.goodsReceived([{ sku: 'TEA-1', quantity: 4 }])]);
      expect(order?.status).toBe('partially_received');
      expect(order?.lines[0].received).toBe(4);
    }));

  it('receives the rest of the order', () =>
    given(...partlyReceived).when(receive([{ sku: 'TEA-1', quantity: 6 }, { sku: 'CUP-1', quantity: 4 }]), warehouse).thenState((order) =>
      expect(order?.status).toBe('received')));

  it('refuses to receive more than ordered', () =>
    given(...partlyReceived).when(receive([{ sku: 'TEA-1', quantity: 7 }]), warehouse).thenFails('exceeds_ordered', {
      sku: 'TEA-1',
      ordered: 10,
      received: 4,
      requested: 7,
    }));

  it('counts the same sku on two receipt lines together', () =>
    given(...partlyReceived).when(receive([{ sku: 'TEA-1', quantity: 4 }, { sku: 'TEA-1', quantity: 3 }]), warehouse).thenFails('exceeds_ordered'));

  it('refuses to receive anything on a fully received order', () =>
    given(...livePurchase, past.goodsReceived([{ sku: 'TEA-1', quantity: 10 }, { sku: 'CUP-1', quantity: 4 }]))
      .when(receive([{ sku: 'CUP-1', quantity: 1 }]), warehouse)
      .thenFails('exceeds_ordered'));

  it('refuses a sku that is not on the order', () =>
    given(...livePurchase).when(receive([{ sku: 'NOPE', quantity: 1 }]), warehouse).thenFails('validation_failed', { fields: [{ field: 'lines[0].sku' }] }));

  it('refuses to receive goods on a sale order', () => given(...liveSale).when(receive([{ sku: 'TEA-1', quantity: 1 }]), warehouse).thenFails('invalid_transition'));
});

describe('cancellation request', () => {
  it('records the reason, who asked and who typed it in', () =>
    given(...liveSale).when({ ...requestCancellation('customer', ' too slow '), note: 'phoned in' }, clerk).then({
      type: 'CancellationRequested',
      data: { orderId, at: SPEC_NOW, scope: 'whole', lines: [], reason: 'too slow', initiatedBy: 'customer', requestedBy: 'carol', note: 'phoned in' },
    }));

  it('shows the pending request on the order, leaving the status alone', () =>
    given(...liveSale).when(requestCancellation('company'), clerk).thenState((order) => {
      expect(order?.status).toBe('placed');
      expect(order?.cancellation).toMatchObject({ state: 'requested', initiatedBy: 'company', requestedBy: 'carol', requestedAt: SPEC_NOW, decidedBy: null, outcome: null });
    }));

  it('refuses a request without a reason', () => given(...liveSale).when(requestCancellation('customer', '  ')).thenFails('validation_failed'));

  it('refuses an unknown initiator', () => given(...liveSale).when(requestCancellation('courier' as 'customer')).thenFails('validation_failed'));

  it('refuses a second request while one is pending', () => given(...pendingSale).when(requestCancellation(), otherClerk).thenFails('cancellation_pending'));

  it('refuses a request while the placement is still reserving stock', () => given(past.salePlaced()).when(requestCancellation()).thenFails('invalid_transition'));

  it('accepts a request on a partly received purchase order', () =>
    given(...partlyReceived).when(requestCancellation('supplier')).thenState((order) => expect(order?.cancellation?.state).toBe('requested')));

  it('refuses to cancel a fully received purchase order', () =>
    given(...livePurchase, past.goodsReceived([{ sku: 'TEA-1', quantity: 10 }, { sku: 'CUP-1', quantity: 4 }]))
      .when(requestCancellation('company'))
      .thenFails('not_cancellable'));
});

describe('fulfilment while a cancellation is pending', () => {
  it('refuses to process with cancellation_pending', () => given(...pendingSale).when(process, warehouse).thenFails('cancellation_pending'));

  it('refuses to ship with cancellation_pending', () => given(...pendingSale).when(ship, warehouse).thenFails('cancellation_pending'));

  it('refuses to receive with cancellation_pending', () =>
    given(...livePurchase, past.cancellationRequested()).when(receive([{ sku: 'TEA-1', quantity: 1 }]), warehouse).thenFails('cancellation_pending'));

  it('still records a delivery: the customer signing is a fact', () =>
    given(...shippedSale, past.cancellationRequested()).when(deliver, warehouse).then(now.delivered()));
});

describe('cancellation approval', () => {
  it('approves a sale before shipment: release and refund by the original method', () =>
    given(...pendingSale).when(approve(), approver).then({
      type: 'CancellationApproved',
      data: {
        orderId, at: SPEC_NOW, approvedBy: 'alice', note: null, outcome: 'release_and_refund', refundMethod: 'original', penalty: null,
        cancelledLines: SALE_QUANTITIES, returnLines: [], returnId: null,
      },
    }));

  it('records the refund method and note the approver chose', () =>
    given(...pendingSale).when(approve({ refundMethod: 'store_credit', note: 'ok' }), approver).thenState((order) =>
      expect(order?.cancellation).toMatchObject({ state: 'approved', decidedBy: 'alice', decidedAt: SPEC_NOW, decisionNote: 'ok', refundMethod: 'store_credit' })));

  it('approving after shipment sends the order to returning', () =>
    given(...shippedSale, past.cancellationRequested()).when(approve(), approver).thenState((order, events) => {
      expect(events[0]).toMatchObject({ type: 'CancellationApproved', data: { outcome: 'return_and_refund' } });
      expect(order?.status).toBe('returning');
    }));

  it('approving after delivery sends the order to returning', () =>
    given(...shippedSale, past.delivered(), past.cancellationRequested()).when(approve(), approver).thenState((order) => expect(order?.status).toBe('returning')));

  it('approves a purchase with nothing received, with an agreed penalty', () =>
    given(...livePurchase, past.cancellationRequested('carol', 'supplier'))
      .when(approve({ penalty: { amount: 3000, payer: 'supplier' } }), approver)
      .then({
        type: 'CancellationApproved',
        data: {
          orderId, at: SPEC_NOW, approvedBy: 'alice', note: null, outcome: 'cancel_purchase', refundMethod: null, penalty: { amount: 3000, payer: 'supplier' },
          cancelledLines: [], returnLines: [], returnId: null,
        },
      }));

  it('approves a partly received purchase: only the remainder is cancelled', () =>
    given(...partlyReceived, past.cancellationRequested('carol', 'company')).when(approve(), approver).thenState((order, events) => {
      expect(events[0]).toMatchObject({ data: { outcome: 'close_remainder' } });
      expect(order?.status).toBe('partially_received');
    }));

  it('refuses an approver without the approver role', () => given(...pendingSale).when(approve(), otherClerk).thenFails('forbidden'));

  it('checks the role before the state', () => given(...liveSale).when(approve(), otherClerk).thenFails('forbidden'));

  it('lets an admin approve', () => given(...pendingSale).when(approve(), admin).thenState((order) => expect(order?.cancellation?.decidedBy).toBe('root')));

  it('refuses self-approval', () => given(...liveSale, past.cancellationRequested('alice')).when(approve(), approver).thenFails('self_approval'));

  it('refuses to approve when nothing is pending', () => given(...liveSale).when(approve(), approver).thenFails('invalid_transition'));

  it('refuses a penalty on a sale order', () =>
    given(...pendingSale).when(approve({ penalty: { amount: 100, payer: 'company' } }), approver).thenFails('validation_failed', { fields: [{ field: 'penalty' }] }));

  it('refuses an unknown refund method', () => given(...pendingSale).when(approve({ refundMethod: 'cheque' as 'cash' }), approver).thenFails('validation_failed'));

  it('issues a goodwill coupon with the approval of a customer-initiated cancellation', () =>
    given(...pendingSale).when(approve({ goodwillCoupon: { code: 'SORRY-10', amount: 1000 } }), approver).thenState((order, events) => {
      expect(events[1]).toEqual({
        type: 'GoodwillCouponIssued',
        data: { orderId, at: SPEC_NOW, customerId: 'cust-1', code: 'SORRY-10', amount: 1000, expiresAt: null, currency: 'CNY' },
      });
      expect(order?.cancellation?.goodwillCoupon).toEqual({ code: 'SORRY-10', amount: 1000, expiresAt: null });
    }));

  it('issues a goodwill credit whoever initiated the cancellation, with an expiry and no code', () =>
    given(...liveSale, past.cancellationRequested('carol', 'company'))
      .when(approve({ goodwillCoupon: { amount: 1000, expiresAt: '2026-12-31T16:00:00+08:00' } }), approver)
      .thenState((order) => expect(order?.cancellation?.goodwillCoupon).toEqual({ code: null, amount: 1000, expiresAt: '2026-12-31T08:00:00.000Z' })));

  it('refuses a goodwill credit that expired already, naming the field', () =>
    given(...pendingSale).when(approve({ goodwillCoupon: { amount: 1000, expiresAt: '2026-01-01T00:00:00Z' } }), approver).thenFails('validation_failed'));

  it('refuses fulfilment once the cancellation is approved', () =>
    given(...pendingSale, past.cancellationApproved('release_and_refund')).when(ship, warehouse).thenFails('invalid_transition'));

  it('refuses a new request once the cancellation is approved', () =>
    given(...pendingSale, past.cancellationApproved('release_and_refund')).when(requestCancellation()).thenFails('invalid_transition'));
});

describe('cancellation rejection and withdrawal', () => {
  it('rejects a request with a reason, leaving the order where it was', () =>
    given(...liveSale, past.processed(), past.cancellationRequested()).when(rejectCancellation('already packed'), approver).thenState((order, events) => {
      expect(events).toEqual([{ type: 'CancellationRejected', data: { orderId, at: SPEC_NOW, rejectedBy: 'alice', reason: 'already packed' } }]);
      expect(order?.status).toBe('processing');
      expect(order?.cancellation).toMatchObject({ state: 'rejected', decidedBy: 'alice', decisionNote: 'already packed', outcome: null });
    }));

  it('refuses a rejection without a reason', () => given(...pendingSale).when(rejectCancellation(' '), approver).thenFails('validation_failed'));

  it('refuses a rejection without the approver role', () => given(...pendingSale).when(rejectCancellation(), warehouse).thenFails('forbidden'));

  it('refuses to reject when nothing is pending', () => given(...liveSale).when(rejectCancellation(), approver).thenFails('invalid_transition'));

  it('lets the requester withdraw the request, leaving the order where it was', () =>
    given(...pendingSale).when(withdraw, clerk).thenState((order, events) => {
      expect(events).toEqual([{ type: 'CancellationWithdrawn', data: { orderId, at: SPEC_NOW, withdrawnBy: 'carol' } }]);
      expect(order?.status).toBe('placed');
      expect(order?.cancellation?.state).toBe('withdrawn');
    }));

  it('refuses a withdrawal by anyone but the requester', () => given(...pendingSale).when(withdraw, otherClerk).thenFails('forbidden'));

  it('refuses a withdrawal by an admin who did not ask', () => given(...pendingSale).when(withdraw, admin).thenFails('forbidden'));

  it('refuses to withdraw when nothing is pending', () => given(...liveSale).when(withdraw, clerk).thenFails('invalid_transition'));

  it('a new request may follow a rejected one', () =>
    given(...pendingSale, past.cancellationRejected()).when(requestCancellation(), otherClerk).thenState((order) =>
      expect(order?.cancellation).toMatchObject({ state: 'requested', requestedBy: 'dave', decidedBy: null })));

  it('a new request may follow a withdrawn one', () =>
    given(...pendingSale, past.cancellationWithdrawn()).when(requestCancellation()).thenState((order) => expect(order?.cancellation?.state).toBe('requested')));

  it('fulfilment resumes after a rejected request', () => given(...pendingSale, past.cancellationRejected()).when(ship, warehouse).then(now.shipped()));
});

describe('returns after an approved cancellation of a shipped order', () => {
  it('records goods back, resellable and damaged', () =>
    given(...returningSale)
      .when(receiveReturn([{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }, { sku: 'TEA-1', quantity: 1, condition: 'damaged' }]), warehouse)
      .thenState((order) => expect(order?.lines[0]).toMatchObject({ returnedResellable: 1, returnedDamaged: 1 })));

  it('refuses to take back more than was shipped', () =>
    given(...returningSale, past.returnReceived([{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }]))
      .when(receiveReturn([{ sku: 'TEA-1', quantity: 2, condition: 'damaged' }]), warehouse)
      .thenFails('exceeds_shipped', { sku: 'TEA-1', shipped: 2, returned: 1, expected: 1, requested: 2 }));

  it('refuses a return line with an unknown condition', () =>
    given(...returningSale).when(receiveReturn([{ sku: 'TEA-1', quantity: 1, condition: 'used' as 'damaged' }]), warehouse).thenFails('validation_failed'));

  it('refuses goods back when no return is open', () =>
    given(...shippedSale).when(receiveReturn([{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }]), warehouse).thenFails('invalid_transition'));

  it('refuses to complete the cancellation before every shipped unit is back', () =>
    given(...returningSale, past.returnReceived([{ sku: 'TEA-1', quantity: 2, condition: 'resellable' }])).when(complete, system).thenFails('invalid_transition'));

  it('completes the cancellation once every shipped unit is back', () =>
    given(
      ...returningSale,
      past.returnReceived([{ sku: 'TEA-1', quantity: 2, condition: 'resellable' }]),
      past.returnReceived([{ sku: 'CUP-1', quantity: 1, condition: 'damaged' }]),
    ).when(complete, system).then(now.cancelled()));
});

describe('completing an approved cancellation', () => {
  const approvedSale = [...pendingSale, past.cancellationApproved('release_and_refund')];
  const approvedPartial = [...partlyReceived, past.cancellationRequested('carol', 'company'), past.cancellationApproved('close_remainder')];

  it('cancels the order', () => given(...approvedSale).when(complete, system).thenState((order, events) => {
    expect(events).toEqual([now.cancelled()]);
    expect(order?.status).toBe('cancelled');
    expect(order?.cancellation?.state).toBe('approved');
  }));

  it('completing twice emits nothing', () => given(...approvedSale, past.cancelled()).when(complete, system).thenNothing());

  it('refuses to cancel without an approved cancellation', () => given(...pendingSale).when(complete, system).thenFails('invalid_transition'));

  it('closes a partly received purchase order', () =>
    given(...approvedPartial).when(close, system).thenState((order, events) => {
      expect(events).toEqual([now.closed()]);
      expect(order?.status).toBe('closed');
    }));

  it('closing twice emits nothing', () => given(...approvedPartial, past.closed()).when(close, system).thenNothing());

  it('refuses to close an order whose cancellation does not end in closing', () =>
    given(...livePurchase, past.cancellationRequested(), past.cancellationApproved('cancel_purchase')).when(close, system).thenFails('invalid_transition'));

  it('refuses to cancel a partly received purchase order instead of closing it', () => given(...approvedPartial).when(complete, system).thenFails('invalid_transition'));
});

describe('finished orders refuse everything but reads', () => {
  const commands: [string, OrderCommand, ReturnType<typeof asUser>][] = [
    ['process', process, warehouse],
    ['ship', ship, warehouse],
    ['deliver', deliver, warehouse],
    ['request a cancellation', requestCancellation(), clerk],
    ['approve', approve(), approver],
    ['reject a cancellation', rejectCancellation(), approver],
    ['withdraw', withdraw, clerk],
    ['receive a return', receiveReturn([{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }]), warehouse],
    ['request a return', { type: 'RequestReturn', orderId, lines: [{ sku: 'TEA-1', quantity: 1 }], reason: 'broken' }, clerk],
    ['close the returns', { type: 'CloseReturns', orderId, reason: 'kept' }, warehouse],
    ['hold', { type: 'HoldOrder', orderId, reason: 'check' }, warehouse],
    ['amend', { type: 'AmendOrder', orderId, lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 1999 }], reason: 'less' }, clerk],
  ];

  it.each(commands)('a rejected order refuses to %s', (_name, command, context) =>
    given(past.salePlaced(), past.rejected()).when(command, context).thenFails('invalid_transition'));

  it.each(commands)('a cancelled order refuses to %s', (_name, command, context) =>
    given(...pendingSale, past.cancellationApproved('release_and_refund'), past.cancelled()).when(command, context).thenFails('invalid_transition'));

  it.each([
    ['receive goods', receive([{ sku: 'TEA-1', quantity: 1 }]), warehouse],
    ['request a cancellation', requestCancellation('company'), clerk],
  ] as [string, OrderCommand, ReturnType<typeof asUser>][])('a closed purchase order refuses to %s', (_name, command, context) =>
    given(...partlyReceived, past.cancellationRequested(), past.cancellationApproved('close_remainder'), past.closed())
      .when(command, context)
      .thenFails('invalid_transition'));

  it('a cancelled purchase order refuses to receive goods', () =>
    given(...livePurchase, past.cancellationRequested(), past.cancellationApproved('cancel_purchase'), past.cancelled())
      .when(receive([{ sku: 'TEA-1', quantity: 1 }]), warehouse)
      .thenFails('invalid_transition'));
});
