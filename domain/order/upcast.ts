import { DEFAULT_CURRENCY } from '../shared/defaults.js';

/**
 * Brings stored order event data to the current schema before `evolve` sees it.
 * - `OrderPlaced` v1 had no `currency`: every order was in CNY then.
 * - `OrderShipped` v1 shipped the whole order: one shipment `S1` of everything (`lines: null`).
 * - `OrderDelivered` v1 delivered every shipment (`shipmentIds: null`).
 * - `CancellationRequested` v1 was for the whole order.
 * - `CancellationApproved` v1 had no per-line split: `null`, which evolve derives from the outcome.
 * - `ReturnReceived` v1 belonged to the cancellation's return (`returnId: null`).
 * - `GoodwillCouponIssued` v1 had no expiry (`expiresAt: null`).
 */
export function upcastOrderEvent(type: string, schemaVersion: number, data: unknown): unknown {
  const v1 = data as Record<string, unknown>;
  if (schemaVersion >= 2) return data;
  switch (type) {
    case 'OrderPlaced': return { ...v1, currency: DEFAULT_CURRENCY };
    case 'OrderShipped': return { ...v1, shipmentId: 'S1', lines: null };
    case 'OrderDelivered': return { ...v1, shipmentIds: null };
    case 'CancellationRequested': return { ...v1, scope: 'whole', lines: [] };
    case 'CancellationApproved': return { ...v1, cancelledLines: null, returnLines: null, returnId: null };
    case 'ReturnReceived': return { ...v1, returnId: null };
    case 'GoodwillCouponIssued': return { ...v1, expiresAt: null };
    default: return data;
  }
}
