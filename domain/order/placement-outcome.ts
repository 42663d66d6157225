import { DomainError } from '../shared/domain-error.js';
import { type Order } from './state.js';

/**
 * How `POST /api/orders` answers once the placement process has run: a rejected sale placement is
 * `insufficient_stock` with the short lines (`details.lines`), and the order stays as `rejected`.
 */
export function placementRefusal(order: Order): DomainError | null {
  if (order.kind !== 'sale' || order.status !== 'rejected') return null;
  return new DomainError('insufficient_stock', 'not enough stock to reserve every line: the order is kept as rejected', {
    orderId: order.orderId,
    lines: order.shortLines,
  });
}
