import { type Decider } from '../shared/event.js';
import { type CreditCommand } from './commands.js';
import { decide } from './decide.js';
import { type CreditEvent } from './events.js';
import { evolve } from './evolve.js';
import { type CreditLedger, initialState } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';

export const creditDecider: Decider<CreditCommand, CreditEvent, CreditLedger> = { initialState, decide, evolve };
