/**
 * The domain's public surface for the application and the projections. Each aggregate's own
 * types live in its folder (`domain/order/index.ts` ...); they are re-exported here by namespace
 * because several share names (`evolve`, `initialState`).
 */
export * as order from './order/index.js';
export * as stock from './stock/index.js';
export * as payment from './payment/index.js';
export * as credit from './credit/index.js';
export * as product from './product/index.js';
export * as party from './party/index.js';
export * as processes from './processes/index.js';
export * as sequence from './sequence/index.js';
export * as warehouse from './warehouse/index.js';

export { canSeeOrder, orderDecider, seesOwnOrdersOnly } from './order/index.js';
export { stockDecider } from './stock/index.js';
export { paymentDecider } from './payment/index.js';
export { creditDecider } from './credit/index.js';
export { productDecider } from './product/index.js';
export { customerDecider, supplierDecider } from './party/index.js';
export { numberClaimDecider, sequenceDecider } from './sequence/index.js';
export { warehouseDecider } from './warehouse/index.js';
export { nextOrderStep, orderSummary, stockPositionsOf, type OrderSummary, type ProcessStep } from './processes/index.js';
export { nextProductStep } from './processes/product-thresholds.js';
export { currentSchemaVersion, upcastEvent } from './upcast.js';
export { type Actor } from './shared/context.js';
export { DomainError, isDomainError } from './shared/domain-error.js';
export { type Decider, type DomainEvent } from './shared/event.js';
export { DEFAULT_CURRENCY, DEFAULT_WAREHOUSE_ID } from './shared/defaults.js';
export * from './shared/streams.js';
