import { type Decider } from '../shared/event.js';
import { type ProductCommand } from './commands.js';
import { decide } from './decide.js';
import { type ProductEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type ProductState } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';

export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = { initialState, decide, evolve };
