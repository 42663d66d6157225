import { type NumberClaimed, type SequenceEvent } from './events.js';
import { type NumberClaim, type Sequence } from './state.js';

/** A take moves the series up to its number (reservations at or below it are behind it now); a reservation is remembered. */
export function evolveSequence(state: Sequence, event: SequenceEvent): Sequence {
  const { sequence, orderId } = event.data;
  if (event.type === 'NumberReserved') return { ...state, reserved: [...state.reserved, { sequence, orderId }] };
  const taken = Math.max(state.taken, sequence);
  return { taken, reserved: state.reserved.filter((entry) => entry.sequence > taken) };
}

/** The first claim is the claim; a stream has no other event. */
export function evolveClaim(state: NumberClaim, event: NumberClaimed): NumberClaim {
  return state ?? { ...event.data };
}
