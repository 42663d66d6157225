import { type AggregateType } from '../write-model/aggregate-type.js';

export interface StoredResponse {
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyEvent = { type: 'IdempotentResponseRecorded'; data: StoredResponse };
export type IdempotencyCommand = { type: 'RecordResponse'; response: StoredResponse };
export type IdempotencyRecord = { response: StoredResponse | undefined };

export const idempotencyStream = (scopedKeyHash: string): string => `idempotency-${scopedKeyHash}`;

/** One stream per (caller, key): the first response recorded wins, and it is never replaced. */
export const idempotencyRecord: AggregateType<IdempotencyRecord, IdempotencyCommand, IdempotencyEvent> = {
  name: 'idempotency',
  initialState: { response: undefined },
  decide: (command, state) => (state.response ? [] : [{ type: 'IdempotentResponseRecorded', data: command.response }]),
  evolve: (state, event) => ({ response: state.response ?? event.data }),
  upcast: (type, _version, data) => ({ type: type as 'IdempotentResponseRecorded', data: data as StoredResponse }),
  schemaVersion: () => 1,
};
