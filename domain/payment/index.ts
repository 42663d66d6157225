import { type Decider } from '../shared/event.js';
import { type PaymentCommand } from './commands.js';
import { decide } from './decide.js';
import { type PaymentEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type Payment } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export { evolve };

export const paymentDecider: Decider<PaymentCommand, PaymentEvent, Payment> = { initialState, decide, evolve };
