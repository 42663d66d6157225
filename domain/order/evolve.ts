import { type OrderEvent } from './events.js';
import { type Cancellation, type Order, type OrderLine, type OrderState } from './state.js';

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') return placed(event.data);
  if (state === null) return state;
  const order: Order = { ...state, updatedAt: event.data.at };
  switch (event.type) {
    case 'OrderReserved':
      return { ...order, reservation: 'complete' };
    case 'OrderRejected':
      return { ...order, status: 'rejected', reservation: 'failed', shortLines: event.data.shortLines };
    case 'OrderProcessed':
      return { ...order, status: 'processing' };
    case 'OrderShipped':
      return {
        ...order,
        status: 'shipped',
        shipment: { carrier: event.data.carrier, trackingNumber: event.data.trackingNumber, shippedAt: event.data.at },
      };
    case 'OrderDelivered':
      return { ...order, status: 'delivered' };
    case 'GoodsReceived': {
      const lines = addToLines(order.lines, event.data.lines, (line, quantity) => ({ ...line, received: line.received + quantity }));
      const complete = lines.every((line) => line.received >= line.quantity);
      return { ...order, lines, status: complete ? 'received' : 'partially_received' };
    }
    case 'CancellationRequested':
      return { ...order, cancellation: requested(event.data) };
    case 'CancellationApproved': {
      const { approvedBy, note, outcome, refundMethod, penalty, at } = event.data;
      return {
        ...order,
        status: outcome === 'return_and_refund' ? 'returning' : order.status,
        cancellation: withDecision(order, { state: 'approved', decidedBy: approvedBy, decidedAt: at, decisionNote: note, outcome, refundMethod, penalty }),
      };
    }
    case 'GoodwillCouponIssued':
      return { ...order, cancellation: withDecision(order, { goodwillCoupon: { code: event.data.code, amount: event.data.amount } }) };
    case 'CancellationRejected':
      return {
        ...order,
        cancellation: withDecision(order, { state: 'rejected', decidedBy: event.data.rejectedBy, decidedAt: event.data.at, decisionNote: event.data.reason }),
      };
    case 'CancellationWithdrawn':
      return { ...order, cancellation: withDecision(order, { state: 'withdrawn', decidedBy: event.data.withdrawnBy, decidedAt: event.data.at }) };
    case 'ReturnReceived':
      return { ...order, lines: withReturns(order.lines, event.data.lines) };
    case 'OrderCancelled':
      return { ...order, status: 'cancelled' };
    case 'OrderClosed':
      return { ...order, status: 'closed' };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}

function placed(data: Extract<OrderEvent, { type: 'OrderPlaced' }>['data']): Order {
  return {
    orderId: data.orderId,
    number: data.number,
    kind: data.kind,
    status: 'placed',
    partyId: data.partyId,
    warehouseId: data.warehouseId,
    currency: data.currency,
    lines: data.lines.map((line) => ({ ...line, received: 0, returnedResellable: 0, returnedDamaged: 0 })),
    ownerId: data.ownerId,
    placedAt: data.at,
    updatedAt: data.at,
    reservation: data.kind === 'sale' ? 'pending' : null,
    shortLines: [],
    shipment: null,
    cancellation: null,
  };
}

function requested(data: Extract<OrderEvent, { type: 'CancellationRequested' }>['data']): Cancellation {
  const { reason, initiatedBy, note, requestedBy, at } = data;
  return {
    state: 'requested',
    reason,
    initiatedBy,
    note,
    requestedBy,
    requestedAt: at,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    outcome: null,
    refundMethod: null,
    penalty: null,
    goodwillCoupon: null,
  };
}

function withReturns(lines: readonly OrderLine[], returns: Extract<OrderEvent, { type: 'ReturnReceived' }>['data']['lines']): readonly OrderLine[] {
  return returns.reduce<readonly OrderLine[]>(
    (current, returned) => addToLines(current, [returned], (line, quantity) =>
      returned.condition === 'resellable'
        ? { ...line, returnedResellable: line.returnedResellable + quantity }
        : { ...line, returnedDamaged: line.returnedDamaged + quantity }),
    lines,
  );
}

function addToLines(
  lines: readonly OrderLine[],
  quantities: readonly { sku: string; quantity: number }[],
  add: (line: OrderLine, quantity: number) => OrderLine,
): readonly OrderLine[] {
  return lines.map((line) => {
    const quantity = quantities.filter((entry) => entry.sku === line.sku).reduce((sum, entry) => sum + entry.quantity, 0);
    return quantity === 0 ? line : add(line, quantity);
  });
}

/** A decision on the latest request; evolve never refuses, so a missing request stays missing. */
function withDecision(order: Order, decision: Partial<Cancellation>): Cancellation | null {
  return order.cancellation === null ? null : { ...order.cancellation, ...decision };
}
