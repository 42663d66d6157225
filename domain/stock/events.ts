import { type DomainEvent } from '../shared/event.js';

interface StockEventBase {
  readonly warehouseId: string;
  readonly sku: string;
}

interface OrderQuantity extends StockEventBase {
  readonly orderId: string;
  readonly quantity: number;
}

/**
 * `value`: what the movement adds to or takes from the position's inventory value, in integer minor units of
 * the business currency (always ≥ 0; StockAdjusted signed). See value.ts for the rules.
 */
interface Valued {
  readonly value: number;
}

/**
 * Units put on hand: against a purchase order (`orderId`) or a manual/opening receipt (`orderId: null`).
 * `unitCost`: what the receipt said (the purchase line's unit price, a manual receipt's `unitCost`), null = at
 * the current average; `value` = quantity × unitCost (or × the current average).
 */
export type StockReceived = DomainEvent<'StockReceived', StockEventBase & Valued & {
  readonly quantity: number;
  readonly orderId: string | null;
  readonly note: string | null;
  readonly unitCost: number | null;
}>;
export type StockExpected = DomainEvent<'StockExpected', OrderQuantity>;
export type StockExpectationCancelled = DomainEvent<'StockExpectationCancelled', OrderQuantity>;
/** `asOf`: the order's requirementVersion of the setpoint that caused it (absent before partial fulfilment). */
export type StockReserved = DomainEvent<'StockReserved', OrderQuantity & { readonly asOf?: number }>;
export type StockReleased = DomainEvent<'StockReleased', OrderQuantity & { readonly asOf?: number }>;
/** `value`: the cost of goods sold leaving stock. */
export type StockShipped = DomainEvent<'StockShipped', OrderQuantity & Valued>;
/** `value`: back at the cost the order's units left with. */
export type StockReturned = DomainEvent<'StockReturned', OrderQuantity & Valued>;
/** A purchase return: received units leave on hand back to the supplier (`value` at the current average). */
export type StockReturnedToSupplier = DomainEvent<'StockReturnedToSupplier', OrderQuantity & Valued>;
/**
 * A stocktake: on hand moves by `variance` to `countedQuantity`; who counted, when and why. `value` is signed:
 * a gain at the current average (positive), a loss what those units carried (negative).
 */
export type StockAdjusted = DomainEvent<'StockAdjusted', StockEventBase & Valued & {
  readonly countedQuantity: number;
  readonly variance: number;
  readonly reason: string;
  readonly countedBy: string;
  readonly countedAt: string;
}>;
export type StockThresholdsSet = DomainEvent<'StockThresholdsSet', StockEventBase & {
  readonly min: number | null;
  readonly max: number | null;
}>;

/** Stock leaves without an order (scrap, internal use, 出库). */
export type StockIssued = DomainEvent<'StockIssued', StockEventBase & Valued & {
  readonly issueId: string;
  readonly quantity: number;
  readonly reason: string;
  readonly issuedBy: string;
}>;
/** A transfer (调拨) leaves the `from` position (this one: `warehouseId`) for warehouse `to`. The decision. */
export type StockTransferredOut = DomainEvent<'StockTransferredOut', StockEventBase & Valued & {
  readonly transferId: string;
  readonly to: string;
  readonly quantity: number;
  readonly note: string | null;
}>;
/** The transfer is in transit at the `to` position (this one), with the value it left `from` with. */
export type StockTransferArriving = DomainEvent<'StockTransferArriving', StockEventBase & Valued & {
  readonly transferId: string;
  readonly from: string;
  readonly quantity: number;
}>;
/** Units of the transfer arrive on hand at `to` (this position): in transit → on hand, `value` with them. */
export type StockTransferReceived = DomainEvent<'StockTransferReceived', StockEventBase & Valued & {
  readonly transferId: string;
  readonly quantity: number;
  readonly receivedBy: string;
}>;

export type StockEvent =
  | StockReceived
  | StockExpected
  | StockExpectationCancelled
  | StockReserved
  | StockReleased
  | StockShipped
  | StockReturned
  | StockReturnedToSupplier
  | StockAdjusted
  | StockThresholdsSet
  | StockIssued
  | StockTransferredOut
  | StockTransferArriving
  | StockTransferReceived;

export type StockEventType = StockEvent['type'];

/**
 * Current schema version per event type, written into each event's metadata.
 * 2: `value` on every movement of on hand (and `unitCost` on StockReceived); v1 events are read with value 0
 * and unitCost null (upcast.ts): nothing had a cost before.
 */
export const STOCK_EVENT_SCHEMA_VERSIONS: Readonly<Record<StockEventType, number>> = {
  StockReceived: 2,
  StockExpected: 1,
  StockExpectationCancelled: 1,
  StockReserved: 1,
  StockReleased: 1,
  StockShipped: 2,
  StockReturned: 2,
  StockReturnedToSupplier: 2,
  StockAdjusted: 2,
  StockThresholdsSet: 1,
  StockIssued: 1,
  StockTransferredOut: 1,
  StockTransferArriving: 1,
  StockTransferReceived: 1,
};
