import { type Order } from '../order/state.js';
import { stockStream } from '../shared/streams.js';
import { nextPurchaseCancellationStep } from './purchase-cancellation.js';
import { nextPurchasePlacementStep, nextPurchaseReceiptStep } from './purchase-placement.js';
import { nextPurchaseReturnStep, nextSupplierRefundDueStep } from './purchase-return.js';
import { nextSaleClosingStep } from './sale-closing.js';
import { nextCreditGrantStep, nextCreditPaymentStep } from './sale-credit.js';
import { nextSaleRefundStep } from './sale-refund.js';
import { amendedAwaySkus, nextSaleReservationStep } from './sale-reservation.js';
import { nextSaleReturnStep } from './sale-return.js';
import { nextSaleShipmentStep } from './sale-shipment.js';
import { type OrderProcessStates, type PlacedOrderStates, type ProcessStep } from './step.js';

/**
 * The one entry point the runner calls for an order: from the order, its payment and the stock of
 * its lines, the next step to run, or null when everything the order's facts call for is done.
 *
 * The runner loads the states, runs the step on its stream (command id from `stepId`), and asks again
 * until null. A step refused with a domain error means a state it read was stale: reload and ask again
 * (bounded). Being a pure function of the states, it resumes where a crash left off; every step is
 * idempotent, so re-running one changes nothing. Run it after every append to `order-<id>` or
 * `payment-<id>` (inline) and from the subscription (recovery), and after a `CreditSpent` naming the order.
 */
export function nextOrderStep(states: OrderProcessStates): ProcessStep | null {
  if (states.order === null) return null;
  const placed: PlacedOrderStates = { ...states, order: states.order };
  if (placed.order.kind === 'sale') {
    return nextCreditPaymentStep(placed)
      ?? nextSaleReservationStep(placed)
      ?? nextSaleShipmentStep(placed)
      ?? nextSaleReturnStep(placed)
      ?? nextSaleRefundStep(placed)
      ?? nextCreditGrantStep(placed)
      ?? nextSaleClosingStep(placed);
  }
  return nextPurchasePlacementStep(placed)
    ?? nextPurchaseReceiptStep(placed)
    ?? nextPurchaseReturnStep(placed)
    ?? nextPurchaseCancellationStep(placed)
    ?? nextSupplierRefundDueStep(placed);
}

export interface StockPositionRef {
  readonly warehouseId: string;
  readonly sku: string;
  readonly streamId: string;
}

/**
 * The stock streams to load for `nextOrderStep`, in the order's warehouse: one per line, then one per sku a
 * refused amendment added and took away again (its reservation may still need releasing).
 */
export function stockPositionsOf(order: Order): StockPositionRef[] {
  return [...order.lines.map((line) => line.sku), ...amendedAwaySkus(order)]
    .map((sku) => ({ warehouseId: order.warehouseId, sku, streamId: stockStream(order.warehouseId, sku) }));
}

/** Whether the order's processes have nothing left to do (e.g. for health checks or tests). */
export const isOrderSettled = (states: OrderProcessStates): boolean => nextOrderStep(states) === null;

