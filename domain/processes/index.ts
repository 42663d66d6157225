export { isOrderSettled, nextOrderStep, stockPositionsOf, type StockPositionRef } from './order-process.js';
export { orderSummary, type OrderSummary, type OrderSummaryLine, type PurchaseFunds } from './order-summary.js';
export { nextPurchaseCancellationStep } from './purchase-cancellation.js';
export { nextPurchasePlacementStep, nextPurchaseReceiptStep } from './purchase-placement.js';
export { nextSaleCancellationStep } from './sale-cancellation.js';
export { nextSalePlacementStep } from './sale-placement.js';
export { nextSaleReturnStep } from './sale-return.js';
export { nextSaleShipmentStep } from './sale-shipment.js';
export { type OrderProcessStates, type PlacedOrderStates, type ProcessStep } from './step.js';
