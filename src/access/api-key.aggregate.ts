import { type Role } from '../../domain/shared/context.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { type AggregateType } from '../platform/write-model/aggregate-type.js';

// API keys are access infrastructure, not business: their small decider lives beside the registry.
export const API_KEYS_STREAM = 'apikeys';

export type ApiKeyEvent =
  | { type: 'ApiKeyIssued'; data: { keyId: string; userId: string; roles: Role[]; keyHash: string } }
  | { type: 'ApiKeyRevoked'; data: { keyId: string } };

export type ApiKeyCommand =
  | { type: 'IssueApiKey'; keyId: string; userId: string; roles: Role[]; keyHash: string }
  | { type: 'RevokeApiKey'; keyId: string };

export interface IssuedKey {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly keyHash: string;
}

export interface ApiKeys {
  readonly keys: ReadonlyMap<string, IssuedKey>;
}

export const apiKeys: AggregateType<ApiKeys, ApiKeyCommand, ApiKeyEvent> = {
  name: 'apikeys',
  initialState: { keys: new Map() },
  decide(command, state) {
    switch (command.type) {
      case 'IssueApiKey':
        if (state.keys.has(command.keyId)) return [];
        return [{ type: 'ApiKeyIssued', data: { keyId: command.keyId, userId: command.userId, roles: command.roles, keyHash: command.keyHash } }];
      case 'RevokeApiKey':
        if (!state.keys.has(command.keyId)) throw new DomainError('not_found', `no API key ${command.keyId}`);
        return [{ type: 'ApiKeyRevoked', data: { keyId: command.keyId } }];
    }
  },
  evolve(state, event) {
    const keys = new Map(state.keys);
    if (event.type === 'ApiKeyIssued') keys.set(event.data.keyId, event.data);
    else keys.delete(event.data.keyId);
    return { keys };
  },
  upcast: (type, _version, data) => ({ type, data }) as ApiKeyEvent,
  schemaVersion: () => 1,
};
