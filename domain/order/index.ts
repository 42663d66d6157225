import { type Decider } from '../shared/event.js';
import { type OrderCommand } from './commands.js';
import { decide } from './decide.js';
import { type OrderEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type OrderState } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export { paymentTerms } from './payment-terms.js';
export { amendmentRefusal, placementRefusal, purchaseReturnRefusal } from './placement-outcome.js';
export { canSeeOrder, seesOwnOrdersOnly } from './visibility.js';
export { evolve };

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = { initialState, decide, evolve };
