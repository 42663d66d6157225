import { type OrderEvent } from './events.js';
import { applyAmended, applyAmendmentRefused, applyAmendmentRequested } from './evolve-amendments.js';
import { applyPurchaseReturnCompleted, applyPurchaseReturnRefused, applyPurchaseReturnRequested } from './evolve-purchase-returns.js';
import { applyReturnReceived, applyReturnRequested, applyReturnsClosed } from './evolve-returns.js';
import { applyApproved, applyDelivered, applyShipped, requested, withDecision } from './evolve-fulfilment.js';
import { addToLines, newLine } from './lines.js';
import { type Order, type OrderState } from './state.js';

/** Folds one order event into the order. Never refuses: the deciders checked the rules when the event was decided. */
export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') return placed(event.data);
  if (state === null) return state;
  const order: Order = { ...state, updatedAt: event.data.at };
  switch (event.type) {
    case 'OrderReserved':
      return { ...order, reservation: 'complete' };
    case 'OrderRejected':
      return { ...order, status: 'rejected', reservation: 'failed', shortLines: event.data.shortLines, requirementVersion: order.requirementVersion + 1 };
    case 'OrderProcessed':
      return { ...order, status: 'processing' };
    case 'OrderShipped':
      return applyShipped(order, event.data);
    case 'OrderDelivered':
      return applyDelivered(order, event.data);
    case 'GoodsReceived': {
      const lines = addToLines(order.lines, event.data.lines, (line, quantity) => ({ ...line, received: line.received + quantity }));
      const complete = lines.every((line) => line.received >= line.quantity);
      return { ...order, lines, status: complete ? 'received' : 'partially_received' };
    }
    case 'CancellationRequested':
      return { ...order, cancellation: requested(event.data) };
    case 'CancellationApproved':
      return applyApproved(order, event.data);
    case 'GoodwillCouponIssued':
      return { ...order, cancellation: withDecision(order, { goodwillCoupon: { code: event.data.code, amount: event.data.amount, expiresAt: event.data.expiresAt } }) };
    case 'CancellationRejected':
      return {
        ...order,
        cancellation: withDecision(order, { state: 'rejected', decidedBy: event.data.rejectedBy, decidedAt: event.data.at, decisionNote: event.data.reason }),
      };
    case 'CancellationWithdrawn':
      return { ...order, cancellation: withDecision(order, { state: 'withdrawn', decidedBy: event.data.withdrawnBy, decidedAt: event.data.at }) };
    default:
      return evolveParts(order, event, state);
  }
}

/** The events of orders in parts: returns, holds, amendments, purchase returns, and the ends. */
function evolveParts(order: Order, event: OrderEvent, state: Order): Order {
  switch (event.type) {
    case 'ReturnRequested':
      return applyReturnRequested(order, event.data);
    case 'ReturnReceived':
      return applyReturnReceived(order, event.data);
    case 'ReturnsClosed':
      return applyReturnsClosed(order, event.data);
    case 'OrderHeld':
      return { ...order, onHold: { reason: event.data.reason, by: event.data.heldBy, at: event.data.at } };
    case 'HoldReleased':
      return { ...order, onHold: null };
    case 'AmendmentRequested':
      return applyAmendmentRequested(order, event.data);
    case 'OrderAmended':
      return applyAmended(order, event.data);
    case 'AmendmentRefused':
      return applyAmendmentRefused(order, event.data);
    case 'PurchaseReturnRequested':
      return applyPurchaseReturnRequested(order, event.data);
    case 'PurchaseReturnCompleted':
      return applyPurchaseReturnCompleted(order, event.data);
    case 'PurchaseReturnRefused':
      return applyPurchaseReturnRefused(order, event.data);
    case 'OrderCancelled':
      return { ...order, status: 'cancelled' };
    case 'OrderClosed':
      return { ...order, status: 'closed' };
    default:
      // An unknown type from a newer writer changes nothing (evolve never refuses).
      return state;
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
    lines: data.lines.map((line) => newLine(line.sku, line.quantity, line.unitPrice)),
    ownerId: data.ownerId,
    placedAt: data.at,
    updatedAt: data.at,
    reservation: data.kind === 'sale' ? 'pending' : null,
    shortLines: [],
    shipments: [],
    returns: [],
    purchaseReturns: [],
    amendments: [],
    onHold: null,
    cancellation: null,
    requirementVersion: 1,
  };
}
