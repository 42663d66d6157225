import { type Decider } from '../shared/event.js';
import { type ChangeCustomer, type ChangeSupplier, type EraseCustomer, type PartyCommand, type RegisterCustomer, type RegisterSupplier } from './commands.js';
import { decide } from './decide.js';
import { type CustomerChanged, type CustomerErased, type CustomerRegistered, type PartyEvent, type SupplierChanged, type SupplierRegistered } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type PartyState } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';

export const partyDecider: Decider<PartyCommand, PartyEvent, PartyState> = { initialState, decide, evolve };
/** `customer-<id>` streams: the party decider, typed to customer commands and events. */
export const customerDecider = partyDecider as Decider<RegisterCustomer | EraseCustomer | ChangeCustomer, CustomerRegistered | CustomerErased | CustomerChanged, PartyState>;
/** `supplier-<id>` streams: the party decider, typed to supplier commands and events. */
export const supplierDecider = partyDecider as Decider<RegisterSupplier | ChangeSupplier, SupplierRegistered | SupplierChanged, PartyState>;
