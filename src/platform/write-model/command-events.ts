import { v5 as uuidv5 } from 'uuid';

import { type DomainEvent } from '../../../domain/shared/event.js';
import { type EventToAppend } from '../event-store/event-store.port.js';
import { newId } from '../ids.js';
import { type LoadedAggregate } from './aggregate-repository.js';
import { type AggregateType } from './aggregate-type.js';
import { type CommandMetadata } from './command-metadata.js';
import { type StreamCodec } from './event-codec.js';
import { chainHash } from './hash-chain.js';

const EVENT_ID_NAMESPACE = '7c3a3f1e-5f0b-4c39-9f0e-6a1f0d2b8e41';

/** The id of a command's index-th event on a stream, when its event ids are deterministic. */
export function eventIdOf(commandId: string, streamId: string, index: number): string {
  return uuidv5(`${commandId}:${streamId}:${index}`, EVENT_ID_NAMESPACE);
}

/**
 * The events a command decided, as they are appended: ids (derived from the command id, or new),
 * the metadata every stored event carries, encoded by the stream's codec if it has one, chained by hash
 * to the stream's last event; and the state after them (folded from the events as decided).
 */
export function prepareAppend<State, Command, Event extends DomainEvent>(
  type: AggregateType<State, Command, Event>,
  before: LoadedAggregate<State>,
  events: readonly Event[],
  command: CommandMetadata,
  codec?: StreamCodec,
): { toAppend: EventToAppend[]; after: LoadedAggregate<State> } {
  let state = before.state;
  let prevHash = before.lastHash;
  let revision = before.revision === undefined ? 0 : Number(before.revision) + 1;
  const toAppend: EventToAppend[] = [];
  events.forEach((event, index) => {
    const eventId = command.deterministicEventIds ? eventIdOf(command.commandId, before.streamId, index) : newId();
    const metadata = {
      commandId: command.commandId,
      correlationId: command.correlationId,
      causationId: command.causationId,
      actor: { id: command.actor.id, roles: [...command.actor.roles] },
      occurredAt: command.now,
      schemaVersion: type.schemaVersion(event.type),
      // The Idempotency-Key's record is part of the command's own append: its id is the command id, and this.
      ...(command.requestFingerprint === undefined ? {} : { requestFingerprint: command.requestFingerprint }),
      prevHash,
    };
    const { data } = codec ? codec.encode(event) : event;
    const hash = chainHash(prevHash, { streamId: before.streamId, revision, eventId, type: event.type, data, metadata });
    toAppend.push({ eventId, type: event.type, data, metadata: { ...metadata, hash } });
    state = type.evolve(state, event);
    prevHash = hash;
    revision++;
  });
  const after: LoadedAggregate<State> = { streamId: before.streamId, state, revision: BigInt(revision - 1), lastHash: prevHash, position: undefined };
  // A state loaded in part stays in its lineage (the snapshot it was loaded from, and that snapshot's key filter).
  return { toAppend, after: before.lineage === undefined ? after : { ...after, lineage: before.lineage } };
}
