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
  /** A state kept in parts (a header and entries by key), snapshotted and loaded in parts (partitioned-snapshots.ts). */
  readonly partitions?: Partitions<State, Command, Event>;
}

/**
 * How a state splits into a header and entries by key, all pure (from domain/). A partitioned snapshot stores the
 * header and each entry apart; a load reads the header, then only the entries of the keys it is asked for and of
 * those the events after the snapshot touch. A state loaded so is partial: it throws when asked for another entry.
 */
export interface Partitions<State, Command, Event> {
  /** The keys of the entries a command reads. */
  ofCommand(command: Command): readonly string[];
  /** The keys of the entries an event changes. */
  ofEvent(event: Event): readonly string[];
  /** The entries a state holds (all of a whole state; of a partial one, those it loaded or changed). */
  entries(state: State): readonly (readonly [string, unknown])[];
  /** The entries of `next` that differ from `previous`, an earlier state of the same stream (cheap when they share structure). */
  changedEntries(previous: State, next: State): readonly (readonly [string, unknown])[];
  /** The state without its entries (a snapshot's header). */
  header(state: State): State;
  /** `state` with the entries of `keys` added (`found`: those stored; a key not found has none), partial as of `asOf`. */
  withEntries(state: State, keys: readonly string[], found: ReadonlyMap<string, unknown>, asOf: string): State;
  /** The snapshot revision a partial state was loaded from; undefined for a whole state. */
  asOf(state: State): string | undefined;
  /** The keys of `keys` a partial state has not loaded. */
  missing(state: State, keys: readonly string[]): readonly string[];
}
