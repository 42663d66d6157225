import { type Initiator, type OrderEvent, type OrderLineInput } from '../../domain/order/index.js';
import { type CancellationOutcome } from '../../domain/order/events.js';

/** Events of one order, as the deciders would have produced them, for given/when/then specs. */
const EARLIER = '2026-02-28T10:00:00.000Z';

export const SALE_LINES: readonly OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 2, unitPrice: 1999 },
  { sku: 'CUP-1', quantity: 1, unitPrice: 500 },
];
export const PURCHASE_LINES: readonly OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 10, unitPrice: 800 },
  { sku: 'CUP-1', quantity: 4, unitPrice: 200 },
];

export function orderFacts(orderId: string, at = EARLIER) {
  const fact = { orderId, at };
  return {
    salePlaced: (lines = SALE_LINES, ownerId = 'carol'): OrderEvent => ({
      type: 'OrderPlaced',
      data: { ...fact, number: orderId, kind: 'sale', partyId: 'cust-1', warehouseId: 'main', currency: 'CNY', lines, ownerId },
    }),
    purchasePlaced: (lines = PURCHASE_LINES, ownerId = 'carol'): OrderEvent => ({
      type: 'OrderPlaced',
      data: { ...fact, number: orderId, kind: 'purchase', partyId: 'supp-1', warehouseId: 'main', currency: 'CNY', lines, ownerId },
    }),
    reserved: (): OrderEvent => ({ type: 'OrderReserved', data: fact }),
    rejected: (shortLines = [{ sku: 'TEA-1', requested: 2, available: 1 }]): OrderEvent => ({ type: 'OrderRejected', data: { ...fact, shortLines } }),
    processed: (): OrderEvent => ({ type: 'OrderProcessed', data: fact }),
    shipped: (): OrderEvent => ({ type: 'OrderShipped', data: { ...fact, carrier: null, trackingNumber: null } }),
    delivered: (): OrderEvent => ({ type: 'OrderDelivered', data: fact }),
    goodsReceived: (lines: { sku: string; quantity: number }[]): OrderEvent => ({ type: 'GoodsReceived', data: { ...fact, lines } }),
    cancellationRequested: (requestedBy = 'carol', initiatedBy: Initiator = 'customer'): OrderEvent => ({
      type: 'CancellationRequested',
      data: { ...fact, reason: 'changed mind', initiatedBy, requestedBy, note: null },
    }),
    cancellationApproved: (
      outcome: CancellationOutcome,
      extra: { refundMethod?: 'original' | 'cash' | null; penalty?: { amount: number; payer: 'company' | 'supplier' } | null } = {},
    ): OrderEvent => ({
      type: 'CancellationApproved',
      data: {
        ...fact,
        approvedBy: 'alice',
        note: null,
        outcome,
        refundMethod: extra.refundMethod !== undefined ? extra.refundMethod : outcome === 'release_and_refund' || outcome === 'return_and_refund' ? 'original' : null,
        penalty: extra.penalty ?? null,
      },
    }),
    cancellationRejected: (): OrderEvent => ({ type: 'CancellationRejected', data: { ...fact, rejectedBy: 'alice', reason: 'already packed' } }),
    cancellationWithdrawn: (withdrawnBy = 'carol'): OrderEvent => ({ type: 'CancellationWithdrawn', data: { ...fact, withdrawnBy } }),
    returnReceived: (lines: { sku: string; quantity: number; condition: 'resellable' | 'damaged' }[]): OrderEvent => ({
      type: 'ReturnReceived',
      data: { ...fact, lines },
    }),
    cancelled: (): OrderEvent => ({ type: 'OrderCancelled', data: fact }),
    closed: (): OrderEvent => ({ type: 'OrderClosed', data: fact }),
  };
}
