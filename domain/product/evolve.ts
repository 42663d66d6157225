import { type ProductEvent } from './events.js';
import { type ProductState } from './state.js';

export function evolve(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered': return { ...event.data };
    default: {
      const _unknown: never = event.type;
      return state;
    }
  }
}
