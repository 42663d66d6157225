import { type CancellationApproved, type CancellationRequested, type OrderDelivered, type OrderShipped, type SkuQuantity } from './events.js';
import { applyReturnRequested } from './evolve-returns.js';
import { addToLines, fulfilmentStatus, perLine } from './lines.js';
import { type Cancellation, type Order, unshippedQuantity } from './state.js';

/** How shipments, deliveries and cancellation decisions change the order (evolve.ts dispatches here). */

export function applyShipped(order: Order, data: OrderShipped['data']): Order {
  // v1 shipped the whole order: everything not shipped yet.
  const lines = data.lines ?? perLine(order, unshippedQuantity);
  const shipment = {
    shipmentId: data.shipmentId,
    lines,
    carrier: data.carrier,
    trackingNumber: data.trackingNumber,
    shippedAt: data.at,
    deliveredAt: null,
  };
  const shipped: Order = {
    ...order,
    lines: addToLines(order.lines, lines, (line, quantity) => ({ ...line, shipped: line.shipped + quantity })),
    shipments: [...order.shipments, shipment],
  };
  return { ...shipped, status: fulfilmentStatus(shipped) };
}

export function applyDelivered(order: Order, data: OrderDelivered['data']): Order {
  const delivering = order.shipments.filter((shipment) =>
    shipment.deliveredAt === null && (data.shipmentIds === null || data.shipmentIds.includes(shipment.shipmentId)));
  if (delivering.length === 0) return order;
  const ids = new Set(delivering.map((shipment) => shipment.shipmentId));
  const delivered: Order = {
    ...order,
    lines: addToLines(order.lines, delivering.flatMap((shipment) => shipment.lines), (line, quantity) => ({ ...line, delivered: line.delivered + quantity })),
    shipments: order.shipments.map((shipment) => (ids.has(shipment.shipmentId) ? { ...shipment, deliveredAt: data.at } : shipment)),
  };
  return { ...delivered, status: fulfilmentStatus(delivered) };
}

export function requested(data: CancellationRequested['data']): Cancellation {
  const { reason, initiatedBy, note, requestedBy, at, scope, lines } = data;
  return {
    state: 'requested',
    scope,
    lines,
    reason,
    initiatedBy,
    note,
    requestedBy,
    requestedAt: at,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    outcome: null,
    cancelledLines: [],
    returnLines: [],
    returnId: null,
    refundMethod: null,
    penalty: null,
    goodwillCoupon: null,
  };
}

/**
 * Approval: the unshipped units it cancels are `cancelled` now (the process releases them); its shipped units
 * go through a return (v2: the `ReturnRequested` in the same append opens it; v1: opened here as `R1`).
 * A whole-order cancellation with something shipped makes the order `returning`.
 */
export function applyApproved(order: Order, data: CancellationApproved['data']): Order {
  const { approvedBy, note, outcome, refundMethod, penalty, at } = data;
  const isSale = order.kind === 'sale';
  const cancelledLines = data.cancelledLines ?? (isSale ? perLine(order, unshippedQuantity) : []);
  const returnLines = data.returnLines ?? (isSale && outcome === 'return_and_refund' ? perLine(order, (line) => line.shipped) : []);
  const returnId = data.returnId ?? (data.returnLines === null && returnLines.length > 0 ? 'R1' : null);
  const decided: Order = {
    ...order,
    lines: addToLines(order.lines, cancelledLines, (line, quantity) => ({ ...line, cancelled: line.cancelled + quantity })),
    cancellation: withDecision(order, {
      state: 'approved', decidedBy: approvedBy, decidedAt: at, decisionNote: note, outcome, refundMethod, penalty, cancelledLines, returnLines, returnId,
    }),
    requirementVersion: order.requirementVersion + (isSale ? 1 : 0),
  };
  const withV1Return = data.returnLines === null && returnId !== null ? openV1Return(decided, returnId, returnLines, data) : decided;
  const whole = order.cancellation?.scope !== 'lines' && order.cancellation?.scope !== 'remainder';
  if (isSale && whole && returnLines.length > 0) return { ...withV1Return, status: 'returning' };
  return { ...withV1Return, status: fulfilmentStatus(withV1Return) };
}

function openV1Return(order: Order, returnId: string, lines: readonly SkuQuantity[], data: CancellationApproved['data']): Order {
  const reason = order.cancellation?.reason ?? '';
  return applyReturnRequested(order, { orderId: order.orderId, at: data.at, returnId, origin: 'cancellation', lines, reason, requestedBy: data.approvedBy });
}

/** A decision on the latest request; evolve never refuses, so a missing request stays missing. */
export function withDecision(order: Order, decision: Partial<Cancellation>): Cancellation | null {
  return order.cancellation === null ? null : { ...order.cancellation, ...decision };
}
