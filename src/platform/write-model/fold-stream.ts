import { type DomainEvent } from '../../../domain/shared/event.js';
import { type EventStore } from '../event-store/event-store.port.js';
import { type LoadedAggregate } from './aggregate-repository.js';
import { type AggregateType } from './aggregate-type.js';
import { type EventMetadata } from './command-metadata.js';
import { GENESIS_HASH } from './hash-chain.js';
import { type Snapshot } from './snapshots.js';

/**
 * Folds the stream from the snapshot (or from the start), with the number of events folded. Undefined
 * when the snapshot does not match the stream: the event at its revision is missing or carries another hash.
 */
export async function foldStream<State, Command, Event extends DomainEvent>(
  store: EventStore,
  type: AggregateType<State, Command, Event>,
  streamId: string,
  snapshot: Snapshot | undefined,
): Promise<{ loaded: LoadedAggregate<State>; folded: number } | undefined> {
  let state = snapshot ? (snapshot.state as State) : type.initialState;
  let revision = snapshot?.revision;
  let lastHash = snapshot?.lastHash ?? GENESIS_HASH;
  let position = snapshot?.position;
  let folded = 0;
  let matched = snapshot === undefined;
  for await (const recorded of store.readStream(streamId, snapshot ? { fromRevision: snapshot.revision } : undefined)) {
    const metadata = recorded.metadata as Partial<EventMetadata>;
    if (!matched) {
      if (recorded.revision !== snapshot!.revision || metadata.hash !== snapshot!.lastHash) break;
      matched = true;
      continue;
    }
    state = type.evolve(state, type.upcast(recorded.type, metadata.schemaVersion ?? 1, recorded.data));
    revision = recorded.revision;
    lastHash = typeof metadata.hash === 'string' ? metadata.hash : lastHash;
    position = recorded.position;
    folded++;
  }
  return matched ? { loaded: { streamId, state, revision, lastHash, position }, folded } : undefined;
}

/**
 * Folds a partitioned aggregate from its snapshot's header: reads the events after it first, then `start` gives
 * the state to fold them on (the header with the entries of the keys asked for and of those the events touch).
 * Undefined when the snapshot does not match the stream. The events read are held in memory: about `every` of them.
 */
export async function foldStreamFromHeader<State, Command, Event extends DomainEvent>(
  store: EventStore,
  type: AggregateType<State, Command, Event>,
  streamId: string,
  snapshot: Snapshot,
  start: (events: readonly Event[]) => Promise<State>,
): Promise<{ loaded: LoadedAggregate<State>; folded: number } | undefined> {
  const tail: { event: Event; revision: bigint; hash: string | undefined; position: string }[] = [];
  let matched = false;
  for await (const recorded of store.readStream(streamId, { fromRevision: snapshot.revision })) {
    const metadata = recorded.metadata as Partial<EventMetadata>;
    if (!matched) {
      if (recorded.revision !== snapshot.revision || metadata.hash !== snapshot.lastHash) return undefined;
      matched = true;
      continue;
    }
    tail.push({ event: type.upcast(recorded.type, metadata.schemaVersion ?? 1, recorded.data), revision: recorded.revision, hash: typeof metadata.hash === 'string' ? metadata.hash : undefined, position: recorded.position });
  }
  if (!matched) return undefined;
  let state: State = await start(tail.map((entry) => entry.event));
  let { revision, lastHash, position } = snapshot as { revision: bigint | undefined; lastHash: string; position: string | undefined };
  for (const entry of tail) {
    state = type.evolve(state, entry.event);
    revision = entry.revision;
    lastHash = entry.hash ?? lastHash;
    position = entry.position;
  }
  return { loaded: { streamId, state, revision, lastHash, position }, folded: tail.length };
}
