import { type PartyEvent } from './events.js';
import { type PartyState } from './state.js';

export function evolve(state: PartyState, event: PartyEvent): PartyState {
  switch (event.type) {
    case 'CustomerRegistered': return { kind: 'customer', ...event.data, erased: false };
    case 'SupplierRegistered': return { kind: 'supplier', ...event.data, erased: false };
    case 'CustomerErased': return state === null ? state : { ...state, name: null, phone: null, email: null, address: null, erased: true };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
