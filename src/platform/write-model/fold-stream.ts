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
