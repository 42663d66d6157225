import { type DomainEvent } from '../shared/event.js';

interface StockEventBase {
  readonly warehouseId: string;
  readonly sku: string;
}

interface OrderQuantity extends StockEventBase {
  readonly orderId: string;
  readonly quantity: number;
}

/** Units put on hand: against a purchase order (`orderId`) or a manual/opening receipt (`orderId: null`). */
export type StockReceived = DomainEvent<'StockReceived', StockEventBase & {
  readonly quantity: number;
  readonly orderId: string | null;
  readonly note: string | null;
}>;
export type StockExpected = DomainEvent<'StockExpected', OrderQuantity>;
export type StockExpectationCancelled = DomainEvent<'StockExpectationCancelled', OrderQuantity>;
/** `asOf`: the order's requirementVersion of the setpoint that caused it (absent before partial fulfilment). */
export type StockReserved = DomainEvent<'StockReserved', OrderQuantity & { readonly asOf?: number }>;
export type StockReleased = DomainEvent<'StockReleased', OrderQuantity & { readonly asOf?: number }>;
export type StockShipped = DomainEvent<'StockShipped', OrderQuantity>;
export type StockReturned = DomainEvent<'StockReturned', OrderQuantity>;
/** A purchase return: received units leave on hand back to the supplier. */
export type StockReturnedToSupplier = DomainEvent<'StockReturnedToSupplier', OrderQuantity>;
/** A stocktake: on hand moves by `variance` to `countedQuantity`; who counted, when and why. */
export type StockAdjusted = DomainEvent<'StockAdjusted', StockEventBase & {
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
  | StockThresholdsSet;

export type StockEventType = StockEvent['type'];

/** Current schema version per event type, written into each event's metadata. */
export const STOCK_EVENT_SCHEMA_VERSIONS: Readonly<Record<StockEventType, number>> = {
  StockReceived: 1,
  StockExpected: 1,
  StockExpectationCancelled: 1,
  StockReserved: 1,
  StockReleased: 1,
  StockShipped: 1,
  StockReturned: 1,
  StockReturnedToSupplier: 1,
  StockAdjusted: 1,
  StockThresholdsSet: 1,
};
