import { type DomainEvent } from '../../domain/shared/event.js';
import {
  alreadyApplied,
  type AggregatedView,
  type FoldedView,
  type MappedView,
  type ProjectedEvent,
  type ProjectedEventMetadata,
  type ViewDoc,
} from '../../projections/index.js';

/** Positions of the specs: decimal sequence numbers, as the embedded store makes them. */
const comparePositions = (a: string, b: string): number => Number(a) - Number(b);

const SPEC_TIME = '2026-03-01T09:00:00.000Z';

/** Stamps domain events with streams, revisions, positions and metadata, as the event store would deliver them. */
export class EventLog {
  readonly events: ProjectedEvent[] = [];
  private readonly revisions = new Map<string, number>();

  append(streamId: string, event: DomainEvent, metadata: ProjectedEventMetadata = {}): ProjectedEvent {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    const projected: ProjectedEvent = {
      streamId,
      revision,
      position: String(this.events.length + 1),
      type: event.type,
      data: event.data,
      metadata: {
        commandId: `cmd-${this.events.length + 1}`,
        correlationId: `corr-${this.events.length + 1}`,
        causationId: `cmd-${this.events.length + 1}`,
        actor: { id: 'carol', roles: ['clerk'] },
        occurredAt: SPEC_TIME,
        ...metadata,
      },
    };
    this.events.push(projected);
    return projected;
  }

  appendAll(entries: readonly { readonly streamId: string; readonly event: DomainEvent }[]): ProjectedEvent[] {
    return entries.map(({ streamId, event }) => this.append(streamId, event));
  }
}

/** A folded view's documents after these events, applied as the runner applies them (a document skips what it already holds). */
export function fold<Doc extends ViewDoc>(view: FoldedView<Doc>, events: readonly ProjectedEvent[], start: ReadonlyMap<string, Doc> = new Map()): Map<string, Doc> {
  const docs = new Map(start);
  for (const event of events) {
    for (const id of view.documentIds(event)) {
      const before = docs.get(id) ?? null;
      if (alreadyApplied(before, event, comparePositions)) continue;
      const after = view.apply(before, event, id);
      if (after === null) docs.delete(id);
      else docs.set(id, after);
    }
  }
  return docs;
}

export function mapAll<Source extends ViewDoc, Doc extends ViewDoc>(view: MappedView<Source, Doc>, sources: Iterable<Source>): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  for (const source of sources) {
    const doc = view.map(source);
    if (doc !== null) docs.set(doc.id, doc);
  }
  return docs;
}

/** Every aggregate over the source documents, as the runner would leave them after touching each. */
export function aggregateAll<Source extends ViewDoc, Doc extends ViewDoc, Key>(view: AggregatedView<Source, Doc, Key>, sources: Iterable<Source>, position: string): Map<string, Doc> {
  const members = new Map<string, { key: Key; docs: Source[] }>();
  for (const source of sources) {
    const key = view.keyOf(source);
    if (key === null) continue;
    const id = view.idOf(key);
    const entry = members.get(id) ?? { key, docs: [] };
    entry.docs.push(source);
    members.set(id, entry);
  }
  const docs = new Map<string, Doc>();
  for (const [id, { key, docs: group }] of members) {
    const doc = view.summarise(key, group, position);
    if (doc !== null) docs.set(id, doc);
  }
  return docs;
}

/** A document without its bookkeeping, to compare with what the write side computes. */
export function withoutBookkeeping<Doc extends ViewDoc>(doc: Doc | undefined): Omit<Doc, 'id' | 'position' | 'revision'> | undefined {
  if (doc === undefined) return undefined;
  const { id: _id, position: _position, revision: _revision, ...rest } = doc as Doc & { revision?: number };
  return rest;
}
