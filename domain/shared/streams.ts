/** Stream names: one function per aggregate, never string concatenation scattered around. */
export const orderStream = (orderId: string): string => `order-${orderId}`;
export const stockStream = (warehouseId: string, sku: string): string => `stock-${warehouseId}-${sku}`;
export const paymentStream = (orderId: string): string => `payment-${orderId}`;
export const productStream = (sku: string): string => `product-${sku}`;
export const customerStream = (customerId: string): string => `customer-${customerId}`;
export const supplierStream = (supplierId: string): string => `supplier-${supplierId}`;

/** The category is everything before the first `-`. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
