import { type Initiator, type OrderEvent, type OrderLineInput, type ShortLine } from '../../domain/order/index.js';
import { type AmendmentFacts, type CancellationOutcome, type CancellationScope, type SkuQuantity } from '../../domain/order/events.js';

/** Events of one order, as the deciders would have produced them (current schema), for given/when/then specs. */
const EARLIER = '2026-02-28T10:00:00.000Z';

export const SALE_LINES: readonly OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 2, unitPrice: 1999 },
  { sku: 'CUP-1', quantity: 1, unitPrice: 500 },
];
export const PURCHASE_LINES: readonly OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 10, unitPrice: 800 },
  { sku: 'CUP-1', quantity: 4, unitPrice: 200 },
];

/** The sale the specs of orders in parts start from: 5 tea at 10.00 and 3 cups at 5.00, 65.00 in all. */
export const PARTS_LINES: OrderLineInput[] = [
  { sku: 'TEA-1', quantity: 5, unitPrice: 1000 },
  { sku: 'CUP-1', quantity: 3, unitPrice: 500 },
];
export const tea = (quantity: number): SkuQuantity => ({ sku: 'TEA-1', quantity });
export const cup = (quantity: number): SkuQuantity => ({ sku: 'CUP-1', quantity });

/** Every unit of SALE_LINES, as a shipment or a cancellation lists them. */
export const SALE_QUANTITIES: readonly SkuQuantity[] = SALE_LINES.map(({ sku, quantity }) => ({ sku, quantity }));

type ReturnedLine = { sku: string; quantity: number; condition: 'resellable' | 'damaged' };

interface ApprovalExtra {
  refundMethod?: 'original' | 'cash' | null;
  penalty?: { amount: number; payer: 'company' | 'supplier' } | null;
  /**
   * The per-line split. Absent (`null`): derived by the fold from the outcome, as for v1 events (release_and_refund:
   * every unshipped unit; return_and_refund: every shipped unit through return `R1`, opened by the fold).
   * Given with `returnLines`, follow it with `returnRequested(returnId, returnLines, 'cancellation')` as the decider does.
   */
  cancelledLines?: readonly SkuQuantity[] | null;
  returnLines?: readonly SkuQuantity[] | null;
  returnId?: string | null;
}

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
    /** One shipment; by default S1 of every unit of SALE_LINES. */
    shipped: (lines: readonly SkuQuantity[] = SALE_QUANTITIES, shipmentId = 'S1', carrier: string | null = null, trackingNumber: string | null = null): OrderEvent => ({
      type: 'OrderShipped',
      data: { ...fact, shipmentId, lines, carrier, trackingNumber },
    }),
    /** By default S1 delivered. */
    delivered: (shipmentIds: readonly string[] = ['S1']): OrderEvent => ({ type: 'OrderDelivered', data: { ...fact, shipmentIds } }),
    goodsReceived: (lines: { sku: string; quantity: number }[]): OrderEvent => ({ type: 'GoodsReceived', data: { ...fact, lines } }),
    cancellationRequested: (
      requestedBy = 'carol',
      initiatedBy: Initiator = 'customer',
      scope: CancellationScope = 'whole',
      lines: readonly SkuQuantity[] = [],
    ): OrderEvent => ({
      type: 'CancellationRequested',
      data: { ...fact, scope, lines, reason: 'changed mind', initiatedBy, requestedBy, note: null },
    }),
    cancellationApproved: (outcome: CancellationOutcome, extra: ApprovalExtra = {}): OrderEvent => ({
      type: 'CancellationApproved',
      data: {
        ...fact,
        approvedBy: 'alice',
        note: null,
        outcome,
        refundMethod: extra.refundMethod !== undefined ? extra.refundMethod : outcome === 'release_and_refund' || outcome === 'return_and_refund' ? 'original' : null,
        penalty: extra.penalty ?? null,
        cancelledLines: extra.cancelledLines ?? null,
        returnLines: extra.returnLines ?? null,
        returnId: extra.returnId ?? null,
      },
    }),
    cancellationRejected: (): OrderEvent => ({ type: 'CancellationRejected', data: { ...fact, rejectedBy: 'alice', reason: 'already packed' } }),
    cancellationWithdrawn: (withdrawnBy = 'carol'): OrderEvent => ({ type: 'CancellationWithdrawn', data: { ...fact, withdrawnBy } }),
    returnRequested: (returnId: string, lines: readonly SkuQuantity[], origin: 'customer' | 'cancellation' = 'customer', requestedBy = 'carol'): OrderEvent => ({
      type: 'ReturnRequested',
      data: { ...fact, returnId, origin, lines, reason: origin === 'customer' ? 'does not fit' : 'changed mind', requestedBy },
    }),
    /** Goods back; `returnId` null: booked to the open returns oldest first. */
    returnReceived: (lines: ReturnedLine[], returnId: string | null = null): OrderEvent => ({
      type: 'ReturnReceived',
      data: { ...fact, returnId, lines },
    }),
    returnsClosed: (returnIds: readonly string[], lines: readonly SkuQuantity[], closedBy = 'wendy'): OrderEvent => ({
      type: 'ReturnsClosed',
      data: { ...fact, returnIds, lines, reason: 'customer keeps them', closedBy },
    }),
    held: (heldBy = 'wendy', reason = 'payment check'): OrderEvent => ({ type: 'OrderHeld', data: { ...fact, reason, heldBy } }),
    holdReleased: (releasedBy = 'wendy', note: string | null = null): OrderEvent => ({ type: 'HoldReleased', data: { ...fact, note, releasedBy } }),
    amendmentRequested: (facts: AmendmentFacts): OrderEvent => ({ type: 'AmendmentRequested', data: { ...fact, ...facts } }),
    amended: (facts: AmendmentFacts): OrderEvent => ({ type: 'OrderAmended', data: { ...fact, ...facts } }),
    amendmentRefused: (amendmentNo: number, shortLines: readonly ShortLine[] = [{ sku: 'TEA-1', requested: 3, available: 1 }]): OrderEvent => ({
      type: 'AmendmentRefused',
      data: { ...fact, amendmentNo, shortLines },
    }),
    purchaseReturnRequested: (returnId: string, lines: readonly SkuQuantity[], requestedBy = 'wendy'): OrderEvent => ({
      type: 'PurchaseReturnRequested',
      data: { ...fact, returnId, lines, reason: 'faulty batch', requestedBy },
    }),
    purchaseReturnCompleted: (returnId: string): OrderEvent => ({ type: 'PurchaseReturnCompleted', data: { ...fact, returnId } }),
    purchaseReturnRefused: (returnId: string, shortLines: readonly ShortLine[], returnedLines: readonly SkuQuantity[] = []): OrderEvent => ({
      type: 'PurchaseReturnRefused',
      data: { ...fact, returnId, shortLines, returnedLines },
    }),
    cancelled: (): OrderEvent => ({ type: 'OrderCancelled', data: fact }),
    closed: (): OrderEvent => ({ type: 'OrderClosed', data: fact }),
  };
}
