/**
 * An event as projections see it: the domain event (already upcast to its current schema) with
 * where it sits in the log and who caused it. Positions are opaque: projections never compare
 * them; they copy them into the documents they write, and the runner compares.
 */
export interface EventActor {
  readonly id: string;
  readonly roles: readonly string[];
}

export interface ProjectedEventMetadata {
  readonly commandId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly actor?: EventActor;
  readonly occurredAt?: string;
}

export interface ProjectedEvent {
  readonly streamId: string;
  /** Revision in its stream: 0 for the first event. */
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: ProjectedEventMetadata;
}

/** Every view document: keyed by `id`, stamped with the position of the last event applied to it. */
export interface ViewDoc {
  readonly id: string;
  readonly position: string;
}

/** The order of two positions, as the event store that produced them says (negative: a is earlier). */
export type ComparePositions = (a: string, b: string) => number;

/**
 * True when the document already holds this event: a document records the last event applied to
 * it and events arrive in log order, so anything at or before that position is a re-delivery.
 */
export function alreadyApplied(doc: ViewDoc | null, event: ProjectedEvent, compare: ComparePositions): boolean {
  return doc !== null && compare(doc.position, event.position) >= 0;
}
