import { type Decider } from '../shared/event.js';
import { type StockCommand } from './commands.js';
import { decide } from './decide.js';
import { type StockEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type StockPosition } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './partition.js';
export { evolve };

export const stockDecider: Decider<StockCommand, StockEvent, StockPosition> = { initialState, decide, evolve };
