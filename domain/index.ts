/**
 * The domain's public surface for the application and the projections. Each aggregate's own
 * types live in its folder (`domain/order/index.ts` ...); they are re-exported here by namespace
 * because several share names (`decide`, `evolve`, `initialState`).
 */
import { type OrderEvent } from './order/events.js';
import { type PartyEvent } from './party/events.js';
import { type PaymentEvent } from './payment/events.js';
import { type ProductEvent } from './product/events.js';
import { type StockEvent } from './stock/events.js';

export * as order from './order/index.js';
export * as stock from './stock/index.js';
export * as payment from './payment/index.js';
export * as product from './product/index.js';
export * as party from './party/index.js';
export * as processes from './processes/index.js';

export { canSeeOrder, orderDecider, seesOwnOrdersOnly } from './order/index.js';
export { stockDecider } from './stock/index.js';
export { paymentDecider } from './payment/index.js';
export { productDecider } from './product/index.js';
export { customerDecider, partyDecider, supplierDecider } from './party/index.js';
export { nextOrderStep, orderSummary, stockPositionsOf, type OrderProcessStates, type OrderSummary, type ProcessStep } from './processes/index.js';
export { nextProductStep } from './processes/product-thresholds.js';
export { currentSchemaVersion, SCHEMA_VERSIONS, upcast, upcastEvent } from './upcast.js';
export { type Actor, type Context, hasRole, type Role, ROLES } from './shared/context.js';
export { DomainError, type DomainErrorCode, isDomainError } from './shared/domain-error.js';
export { type Decider, type DomainEvent, type StoredDomainEvent } from './shared/event.js';
export { DEFAULT_CURRENCY, DEFAULT_WAREHOUSE_ID } from './shared/defaults.js';
export * from './shared/streams.js';

/** Every event any aggregate of jxc can append. */
export type JxcEvent = OrderEvent | StockEvent | PaymentEvent | ProductEvent | PartyEvent;
export type JxcEventType = JxcEvent['type'];
