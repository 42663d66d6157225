import { type ProductEvent } from './events.js';
import { type ProductState } from './state.js';

export function evolve(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered': return { ...event.data, preferredSupplierId: null, leadTimeDays: null, active: true };
    case 'ProductChanged': return state === null ? state : { ...state, ...event.data.changes };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
