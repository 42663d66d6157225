import { type WarehouseEvent } from './events.js';
import { type WarehouseState } from './state.js';

export function evolve(state: WarehouseState, event: WarehouseEvent): WarehouseState {
  switch (event.type) {
    case 'WarehouseRegistered': return { ...event.data };
    default: {
      const _unknown: never = event.type;
      return state;
    }
  }
}
