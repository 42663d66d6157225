import { type PartyEvent } from './events.js';
import { type PartyState } from './state.js';

export function evolve(state: PartyState, event: PartyEvent): PartyState {
  switch (event.type) {
    case 'CustomerRegistered': return { kind: 'customer', ...event.data };
    case 'SupplierRegistered': return { kind: 'supplier', ...event.data };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
