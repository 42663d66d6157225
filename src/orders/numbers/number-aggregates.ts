import { currentSchemaVersion, numberClaimDecider, sequence, sequenceDecider, upcastEvent } from '../../../domain/index.js';
import { type AggregateType } from '../../platform/write-model/aggregate-type.js';

/** `sequence-<SO|PO>-<year>` as the repository runs it: the last number and the reservations above it, snapshotted like any stream. */
export const sequenceAggregate: AggregateType<sequence.Sequence, sequence.TakeNumber | sequence.ReserveNumber, sequence.SequenceEvent> = {
  name: 'sequence',
  initialState: sequenceDecider.initialState,
  decide: sequenceDecider.decide,
  evolve: sequenceDecider.evolve,
  upcast: (type, schemaVersion, data) => upcastEvent<sequence.SequenceEvent>(type, schemaVersion, data),
  schemaVersion: currentSchemaVersion,
};

/** `number-<number>`: the one order a document number belongs to. */
export const numberClaimAggregate: AggregateType<sequence.NumberClaim, sequence.ClaimNumber, sequence.NumberClaimed> = {
  name: 'number-claim',
  initialState: numberClaimDecider.initialState,
  decide: numberClaimDecider.decide,
  evolve: numberClaimDecider.evolve,
  upcast: (type, schemaVersion, data) => upcastEvent<sequence.NumberClaimed>(type, schemaVersion, data),
  schemaVersion: currentSchemaVersion,
};
