import { type Decider } from '../shared/event.js';
import { type ClaimNumber, type TakeNumber } from './commands.js';
import { decideClaim, decideTake } from './decide.js';
import { type NumberClaimed, type NumberTaken } from './events.js';
import { evolveClaim, evolveSequence } from './evolve.js';
import { initialClaim, initialSequence, type NumberClaim, type Sequence } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export { documentNumber, documentSeries } from './decide.js';

/** `sequence-<SO|PO>-<year>` streams: one number per take, the stream's count. */
export const sequenceDecider: Decider<TakeNumber, NumberTaken, Sequence> = { initialState: initialSequence, decide: decideTake, evolve: evolveSequence };
/** `number-<number>` streams: the one order a number belongs to. */
export const numberClaimDecider: Decider<ClaimNumber, NumberClaimed, NumberClaim> = { initialState: initialClaim, decide: decideClaim, evolve: evolveClaim };
