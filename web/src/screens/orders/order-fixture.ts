import type { Order, OrderLine } from '../../api/types';

/** An order as GET /api/orders/:id answers it, with these fields changed (for the console's unit specs). */
export function anOrder(changes: Partial<Order> = {}, lines: Partial<OrderLine>[] = [{}]): Order {
  return {
    orderId: 'o-1', number: 'SO-2026-000001', kind: 'sale', status: 'placed', partyId: 'cust-1', warehouseId: 'main', currency: 'CNY',
    lines: lines.map((line, index) => ({
      sku: `SKU-${index + 1}`, quantity: 3, unitPrice: 1000, reserved: 3, cancelled: 0, shipped: 0, delivered: 0, received: 0, returned: 0, returnPending: 0, ...line,
    })),
    total: 3000 * lines.length, paid: 0, refunded: 0, supplierRefundDue: null, ownerId: 'alice', placedAt: '2026-12-01T08:00:00Z', updatedAt: '2026-12-01T08:00:00Z',
    cancellation: null, shipments: [], returns: [], onHold: null, revision: 0, position: '1',
    ...changes,
  };
}

export const requested = (changes: Partial<NonNullable<Order['cancellation']>> = {}): NonNullable<Order['cancellation']> => ({
  state: 'requested', scope: 'whole', lines: [], reason: 'changed mind', initiatedBy: 'customer', note: null, requestedBy: 'alice', requestedAt: '2026-12-01T09:00:00Z',
  decidedBy: null, decidedAt: null, decisionNote: null, outcome: null, refundMethod: null, ...changes,
});
