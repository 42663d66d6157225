import { type Context } from './context.js';

/**
 * A domain event as deciders produce and evolvers consume it: a past-tense type and its data.
 * Metadata (event id, command id, actor, time, hash chain) is added by the application when it appends.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** The pure triple every aggregate exports (the decider pattern). */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
}

/** Exhaustiveness guard for `switch` over a union: a missing case does not compile. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
