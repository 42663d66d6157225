import { DomainError } from '../shared/domain-error.js';
import { type Order } from './state.js';

/**
 * How the HTTP layer answers once a process has run: a rejected sale placement, a refused amendment and a refused
 * purchase return are `insufficient_stock` with the short lines (`details.lines`); the order keeps the record.
 */
export function placementRefusal(order: Order): DomainError | null {
  if (order.kind !== 'sale' || order.status !== 'rejected') return null;
  return new DomainError('insufficient_stock', 'not enough stock to reserve every line: the order is kept as rejected', {
    orderId: order.orderId,
    lines: order.shortLines,
  });
}

/** `POST /amend`: the amendment's increase could not be reserved; nothing changed. Null unless that amendment was refused. */
export function amendmentRefusal(order: Order, amendmentNo: number): DomainError | null {
  const amendment = order.amendments.find((candidate) => candidate.amendmentNo === amendmentNo);
  if (amendment?.state !== 'refused') return null;
  return new DomainError('insufficient_stock', 'not enough stock to reserve the increase: the order is unchanged', {
    orderId: order.orderId,
    amendmentNo,
    lines: amendment.shortLines,
  });
}

/** `POST /purchase-returns`: not enough unreserved stock on hand to send the goods back. Null unless that return was refused. */
export function purchaseReturnRefusal(order: Order, returnId: string): DomainError | null {
  const entry = order.purchaseReturns.find((candidate) => candidate.returnId === returnId);
  if (entry?.state !== 'refused') return null;
  return new DomainError('insufficient_stock', 'not enough unreserved stock on hand to return these goods: nothing went back', {
    orderId: order.orderId,
    returnId,
    lines: entry.shortLines,
  });
}
