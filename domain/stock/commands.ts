/**
 * Commands on one stock position (`stock-<warehouseId>-<sku>`).
 *
 * HTTP commands (role checked by the route): ReceiveStock, CountStock, SetStockThresholds.
 * Process commands (never exposed over HTTP, no role check): the ones carrying an `orderId`.
 * Expect and cancel-expected happen once per order; the others carry a target: the reservation a setpoint
 * versioned by the order (`required`, `asOf`), shipments, returns and receipts a cumulative total
 * (`shippedTotal`, `returnedTotal`, `receivedTotal`), so a repeat emits nothing.
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
  /** What one unit cost (minor units); absent or null: at the current average. */
  readonly unitCost?: number | null;
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

/**
 * The sale order needs `required` units from this position in all (held now or already shipped): the
 * reservation becomes `required − shipped`, reserving more (`StockReserved`, refused above available with
 * `insufficient_stock`) or releasing the rest (`StockReleased`). `asOf` is the order's requirementVersion:
 * a setpoint older than the last one applied changes nothing.
 */
export interface SetReservation extends StockCommandBase {
  readonly type: 'SetReservation';
  readonly orderId: string;
  readonly required: number;
  readonly asOf: number;
}

/** Reserved units of the order leave the warehouse, up to `shippedTotal` in all: on hand and reserved both drop. */
export interface ShipStock extends StockCommandBase {
  readonly type: 'ShipStock';
  readonly orderId: string;
  readonly shippedTotal: number;
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

/** Purchase return: received units of the order go back to the supplier, up to `returnedTotal` in all; never below reserved. */
export interface ReturnStockToSupplier extends StockCommandBase {
  readonly type: 'ReturnStockToSupplier';
  readonly orderId: string;
  readonly returnedTotal: number;
}

/** Goods received against a purchase order, as a cumulative target. */
export interface ReceivePurchaseStock extends StockCommandBase {
  readonly type: 'ReceivePurchaseStock';
  readonly orderId: string;
  readonly receivedTotal: number;
  /** The purchase line's unit price: what the units received cost (null: at the current average). */
  readonly unitCost: number | null;
}

/** Stock leaves without an order (scrap, internal use, 出库); never below what is reserved. */
export interface IssueStock extends StockCommandBase {
  readonly type: 'IssueStock';
  readonly issueId: string;
  readonly quantity: number;
  readonly reason: string;
}

/** A transfer (调拨) leaves this position (`warehouseId` is `from`) for warehouse `to`; never below reserved. */
export interface TransferStockOut extends StockCommandBase {
  readonly type: 'TransferStockOut';
  readonly transferId: string;
  readonly to: string;
  readonly quantity: number;
  readonly note?: string | null;
}

/** Process step: the transfer that left `from` is in transit at this position (`to`). Once per transfer. */
export interface ArriveTransfer extends StockCommandBase {
  readonly type: 'ArriveTransfer';
  readonly transferId: string;
  readonly from: string;
  readonly quantity: number;
  readonly value: number;
}

/** Units of a transfer in transit here arrive on hand: `quantity`, or everything still in transit when absent. */
export interface ReceiveTransfer extends StockCommandBase {
  readonly type: 'ReceiveTransfer';
  readonly transferId: string;
  readonly quantity?: number | null;
}

export type StockCommand =
  | ReceiveStock
  | CountStock
  | SetStockThresholds
  | SetReservation
  | ShipStock
  | ReturnToStock
  | ReturnStockToSupplier
  | ExpectStock
  | CancelExpectedStock
  | ReceivePurchaseStock
  | IssueStock
  | TransferStockOut
  | ArriveTransfer
  | ReceiveTransfer;
