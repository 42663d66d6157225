import { type DomainEvent } from '../shared/event.js';
import { type NumberOrigin } from './commands.js';

/** On `sequence-<SO|PO>-<year>`: the series handed out its `sequence`-th number to this order. */
export type NumberTaken = DomainEvent<'NumberTaken', { readonly number: string; readonly sequence: number; readonly orderId: string }>;
/** On `sequence-<SO|PO>-<year>`: a client gave this number of the series to its order; the series skips it. */
export type NumberReserved = DomainEvent<'NumberReserved', { readonly number: string; readonly sequence: number; readonly orderId: string }>;
export type SequenceEvent = NumberTaken | NumberReserved;

/** On `number-<number>` (its only event): the number belongs to this order. */
export type NumberClaimed = DomainEvent<'NumberClaimed', { readonly number: string; readonly orderId: string; readonly origin: NumberOrigin }>;
