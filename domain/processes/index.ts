export { nextOrderStep, stockPositionsOf } from './order-process.js';
export { orderSummary, type OrderSummary } from './order-summary.js';
export { type OrderProcessStates, type ProcessStep } from './step.js';
