import { type Context } from '../../../domain/shared/context.js';
import { type DomainEvent } from '../../../domain/shared/event.js';

/** What the repository needs to know of an aggregate: its decider, and how its stored events are read. */
export interface AggregateType<State, Command, Event extends DomainEvent> {
  readonly name: string;
  readonly initialState: State;
  decide(command: Command, state: State, context: Context): Event[];
  evolve(state: State, event: Event): State;
  /** Brings a stored event of any schema version to the current shape (pure, from domain/). */
  upcast(type: string, schemaVersion: number, data: unknown): Event;
  schemaVersion(type: string): number;
  /**
   * Version of the state's shape, stored with snapshots (default 1). Raise it when `evolve` or the
   * state changes so that older snapshots are ignored and states are folded again from the events.
   */
  readonly stateVersion?: number;
}
