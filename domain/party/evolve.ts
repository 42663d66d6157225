import { type PartyEvent } from './events.js';
import { type PartyState } from './state.js';

export function evolve(state: PartyState, event: PartyEvent): PartyState {
  switch (event.type) {
    case 'CustomerRegistered': return { kind: 'customer', ...event.data, erased: false, active: true };
    case 'SupplierRegistered': return { kind: 'supplier', ...event.data, erased: false, active: true };
    case 'CustomerChanged':
    case 'SupplierChanged': return state === null ? state : { ...state, ...event.data.changes };
    case 'CustomerErased': return state === null ? state : { ...state, name: null, phone: null, email: null, address: null, erased: true };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
