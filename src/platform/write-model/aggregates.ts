import {
  currentSchemaVersion,
  customerDecider,
  type Decider,
  type DomainEvent,
  orderDecider,
  paymentDecider,
  productDecider,
  stockDecider,
  supplierDecider,
  upcastEvent,
} from '../../../domain/index.js';
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
export const orderAggregate = fromDecider('order', orderDecider, 2);
export const stockAggregate = fromDecider('stock', stockDecider, 2);
export const paymentAggregate = fromDecider('payment', paymentDecider);
export const productAggregate = fromDecider('product', productDecider);
export const customerAggregate = fromDecider('customer', customerDecider);
export const supplierAggregate = fromDecider('supplier', supplierDecider);
