/**
 * Commands on one stock position (`stock-<warehouseId>-<sku>`).
 *
 * HTTP commands (role checked by the route): ReceiveStock, CountStock, SetStockThresholds.
 * Process commands (never exposed over HTTP, no role check): the ones carrying an `orderId`.
 * Reserve, release, ship, expect and cancel-expected happen once per order; returns and purchase
 * receipts carry a cumulative target (`returnedTotal`, `receivedTotal`), so a repeat emits nothing.
 */
interface StockCommandBase {
  readonly warehouseId: string;
  readonly sku: string;
}

/** Opening or manual receipt (入库), not tied to an order. */
export interface ReceiveStock extends StockCommandBase {
  readonly type: 'ReceiveStock';
  readonly quantity: number;
  readonly note?: string | null;
}

/** A stocktake (盘点): the counted quantity replaces on hand; the variance is recorded. */
export interface CountStock extends StockCommandBase {
  readonly type: 'CountStock';
  readonly countedQuantity: number;
  readonly reason: string;
}

/** `null` clears a threshold (the HTTP route always sends both; product registration may send one). */
export interface SetStockThresholds extends StockCommandBase {
  readonly type: 'SetStockThresholds';
  readonly min: number | null;
  readonly max: number | null;
}

/** Hold `quantity` of available stock for a sale order. Once per order. */
export interface ReserveStock extends StockCommandBase {
  readonly type: 'ReserveStock';
  readonly orderId: string;
  readonly quantity: number;
}

/** Give back whatever is still reserved for the order (rejection or cancellation). */
export interface ReleaseStock extends StockCommandBase {
  readonly type: 'ReleaseStock';
  readonly orderId: string;
}

/** The order's reservation leaves the warehouse: on hand and reserved both drop by it. */
export interface ShipStock extends StockCommandBase {
  readonly type: 'ShipStock';
  readonly orderId: string;
}

/** Resellable units of a shipped order back on the shelf, as a cumulative target. */
export interface ReturnToStock extends StockCommandBase {
  readonly type: 'ReturnToStock';
  readonly orderId: string;
  readonly returnedTotal: number;
}

/** A purchase order announces `quantity` incoming units. Once per order. */
export interface ExpectStock extends StockCommandBase {
  readonly type: 'ExpectStock';
  readonly orderId: string;
  readonly quantity: number;
}

/** The purchase order's incoming units not received yet are no longer expected. */
export interface CancelExpectedStock extends StockCommandBase {
  readonly type: 'CancelExpectedStock';
  readonly orderId: string;
}

/** Goods received against a purchase order, as a cumulative target. */
export interface ReceivePurchaseStock extends StockCommandBase {
  readonly type: 'ReceivePurchaseStock';
  readonly orderId: string;
  readonly receivedTotal: number;
}

export type StockCommand =
  | ReceiveStock
  | CountStock
  | SetStockThresholds
  | ReserveStock
  | ReleaseStock
  | ShipStock
  | ReturnToStock
  | ExpectStock
  | CancelExpectedStock
  | ReceivePurchaseStock;
