import { type Decider } from '../shared/event.js';
import { type ClaimNumber, type ReserveNumber, type TakeNumber } from './commands.js';
import { decideClaim, decideSequence } from './decide.js';
import { type NumberClaimed, type SequenceEvent } from './events.js';
import { evolveClaim, evolveSequence } from './evolve.js';
import { initialClaim, initialSequence, type NumberClaim, type Sequence } from './state.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export { documentNumber, documentSeries, seriesNumberOf } from './decide.js';

/** `sequence-<SO|PO>-<year>` streams: numbers handed out in order, and the client numbers of the series reserved. */
export const sequenceDecider: Decider<TakeNumber | ReserveNumber, SequenceEvent, Sequence> = { initialState: initialSequence, decide: decideSequence, evolve: evolveSequence };
/** `number-<number>` streams: the one order a number belongs to. */
export const numberClaimDecider: Decider<ClaimNumber, NumberClaimed, NumberClaim> = { initialState: initialClaim, decide: decideClaim, evolve: evolveClaim };
