import {
  currentSchemaVersion,
  creditDecider,
  customerDecider,
  type Decider,
  type DomainEvent,
  orderDecider,
  paymentDecider,
  productDecider,
  stockDecider,
  supplierDecider,
  upcastEvent,
  warehouseDecider,
} from '../../../domain/index.js';
import {
  changedStockEntries,
  keysOfStockCommand,
  keysOfStockEvent,
  missingStockKeys,
  partialAsOf,
  type StockCommand,
  stockEntries,
  type StockEvent,
  stockHeader,
  type StockPosition,
  withStockEntries,
} from '../../../domain/stock/index.js';
import { type AggregateType } from './aggregate-type.js';

/**
 * `stateVersion` names the shape of the folded state: a snapshot taken under another version is ignored and the
 * stream folded from the start. Raise it whenever the state gains or changes a field (order and stock: 2, orders in parts).
 */
function fromDecider<Command, Event extends DomainEvent, State>(name: string, decider: Decider<Command, Event, State>, stateVersion = 1): AggregateType<State, Command, Event> {
  return {
    name,
    stateVersion,
    initialState: decider.initialState,
    decide: decider.decide,
    evolve: decider.evolve,
    upcast: (type, schemaVersion, data) => upcastEvent<Event>(type, schemaVersion, data),
    schemaVersion: currentSchemaVersion,
  };
}

/** The domain's deciders as the repository runs them: with upcasting on read and schema versions on write. */
// order 3: a goodwill coupon's expiresAt and optional code (issue 12).
export const orderAggregate = fromDecider('order', orderDecider, 3);
// stock 4: partitioned snapshots (a header, and an entry per order and transfer stored apart), issue 16.
export const stockAggregate = {
  ...fromDecider('stock', stockDecider, 4),
  partitions: {
    ofCommand: keysOfStockCommand,
    ofEvent: keysOfStockEvent,
    entries: stockEntries,
    changedEntries: changedStockEntries,
    header: stockHeader,
    withEntries: withStockEntries,
    asOf: partialAsOf,
    missing: missingStockKeys,
  },
} satisfies AggregateType<StockPosition, StockCommand, StockEvent>;
// payment 2: payments and refunds by route (issue 12).
export const paymentAggregate = fromDecider('payment', paymentDecider, 2);
/** A customer's store credit ledger (`credit-<customerId>`). */
export const creditAggregate = fromDecider('credit', creditDecider);
// product, customer, supplier 2: `active` (and a product's preferredSupplierId, leadTimeDays), issue 12.
export const productAggregate = fromDecider('product', productDecider, 2);
export const customerAggregate = fromDecider('customer', customerDecider, 2);
export const supplierAggregate = fromDecider('supplier', supplierDecider, 2);
export const warehouseAggregate = fromDecider('warehouse', warehouseDecider);
