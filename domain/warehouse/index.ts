import { type Decider } from '../shared/event.js';
import { type WarehouseCommand } from './commands.js';
import { decide } from './decide.js';
import { type WarehouseEvent } from './events.js';
import { evolve } from './evolve.js';
import { initialState, type WarehouseState } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';

export const warehouseDecider: Decider<WarehouseCommand, WarehouseEvent, WarehouseState> = { initialState, decide, evolve };
