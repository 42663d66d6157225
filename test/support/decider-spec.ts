import { expect } from '@jest/globals';
import { type Actor, type Context, type Role } from '../../domain/shared/context.js';
import { DomainError, type DomainErrorCode } from '../../domain/shared/domain-error.js';
import { type Decider, type DomainEvent } from '../../domain/shared/event.js';

/** The time every spec decides at, unless it says otherwise. */
export const SPEC_NOW = '2026-03-01T09:00:00.000Z';

function actor(id: string, ...roles: Role[]): Actor {
  return { id, roles };
}

/** A decision context: `asUser('alice', 'approver')`, optionally at another time. */
export function asUser(id: string, ...roles: Role[]): Context {
  return { actor: actor(id, ...roles), now: SPEC_NOW };
}

export interface Then<Event, State> {
  /** The decision is exactly these events (none: an idempotent repeat). */
  then(...expected: Event[]): void;
  /** The decision emits nothing. */
  thenNothing(): void;
  /** The decision is refused with this code (and, if given, details containing these fields). */
  thenFails(code: DomainErrorCode, details?: Record<string, unknown>): void;
  /** The events decided, folded onto the given state, satisfy the check. */
  thenState(check: (state: State, events: Event[]) => void): void;
}

export interface When<Command, Event, State> {
  when(command: Command, context?: Context): Then<Event, State>;
}

/**
 * Given/when/then over one decider:
 * `spec.given(placed, requested).when(approve, asUser('bob', 'approver')).then(approved)`.
 */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>, defaultContext: Context) {
  const fold = (events: readonly Event[], from: State = decider.initialState): State => events.reduce(decider.evolve, from);

  function given(...history: Event[]): When<Command, Event, State> {
    return {
      when(command: Command, context: Context = defaultContext): Then<Event, State> {
        const state = fold(history);
        const decideNow = (): Event[] => decider.decide(command, state, context);
        return {
          then: (...expected) => expect(decideNow()).toEqual(expected),
          thenNothing: () => expect(decideNow()).toEqual([]),
          thenFails: (code, details) => {
            let refusal: unknown;
            try {
              const events = decideNow();
              refusal = new Error(`expected ${code}, got events ${JSON.stringify(events)}`);
            } catch (error) {
              refusal = error;
            }
            expect(refusal).toBeInstanceOf(DomainError);
            expect((refusal as DomainError).code).toBe(code);
            if (details) expect((refusal as DomainError).details).toMatchObject(details);
          },
          thenState: (check) => {
            const events = decideNow();
            check(fold(events, state), events);
          },
        };
      },
    };
  }

  return { given, fold };
}
