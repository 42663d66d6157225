/** Stream names: one function per aggregate, never string concatenation scattered around. */
export const orderStream = (orderId: string): string => `order-${orderId}`;
export const stockStream = (warehouseId: string, sku: string): string => `stock-${warehouseId}-${sku}`;
export const paymentStream = (orderId: string): string => `payment-${orderId}`;
export const productStream = (sku: string): string => `product-${sku}`;
export const customerStream = (customerId: string): string => `customer-${customerId}`;
/** A customer's store credit ledger. */
export const creditStream = (customerId: string): string => `credit-${customerId}`;
export const supplierStream = (supplierId: string): string => `supplier-${supplierId}`;
export const warehouseStream = (warehouseId: string): string => `warehouse-${warehouseId}`;
/** A series of document numbers (`sequence-SO-2026`): `series` is `documentSeries(kind, year)`. */
export const sequenceStream = (series: string): string => `sequence-${series}`;
/** The claim of one document number, generated or given (`number-SO-2026-000007`). */
export const numberClaimStream = (number: string): string => `number-${number}`;

/** The category is everything before the first `-`. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
