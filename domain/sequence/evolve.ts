import { type NumberClaimed, type NumberTaken } from './events.js';
import { type NumberClaim, type Sequence } from './state.js';

/** The series' count: the n-th event is number n (its data says so too). */
export function evolveSequence(state: Sequence, _event: NumberTaken): Sequence {
  return { taken: state.taken + 1 };
}

/** The first claim is the claim; a stream has no other event. */
export function evolveClaim(state: NumberClaim, event: NumberClaimed): NumberClaim {
  return state ?? { ...event.data };
}
