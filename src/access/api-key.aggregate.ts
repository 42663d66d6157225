import { type Role } from '../../domain/shared/context.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { type AggregateType } from '../platform/write-model/aggregate-type.js';

// API keys are access infrastructure, not business: their small decider lives beside the registry.
export const API_KEYS_STREAM = 'apikeys';

/**
 * `issuedAt`, `expiresAt` and `revokedAt` came with key listing: events written before carry none of them
 * (read as null: an older key never expires, and its issue time is not known).
 */
export type ApiKeyEvent =
  | { type: 'ApiKeyIssued'; data: { keyId: string; userId: string; roles: Role[]; keyHash: string; issuedAt?: string; expiresAt?: string | null } }
  | { type: 'ApiKeyRevoked'; data: { keyId: string; revokedAt?: string } };

export type ApiKeyCommand =
  | { type: 'IssueApiKey'; keyId: string; userId: string; roles: Role[]; keyHash: string; expiresAt: string | null }
  | { type: 'RevokeApiKey'; keyId: string };

export interface IssuedKey {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly keyHash: string;
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly revoked: boolean;
  /** Null while the key is valid, and for a key revoked before revocations carried their time. */
  readonly revokedAt: string | null;
}

/** Every key ever issued, revoked ones included (they are listed, and revoking again changes nothing). */
export interface ApiKeys {
  readonly keys: ReadonlyMap<string, IssuedKey>;
}

/** A key authenticates while it is not revoked and not past its expiry. */
export function isUsable(key: IssuedKey, now: number): boolean {
  return !key.revoked && (key.expiresAt === null || Date.parse(key.expiresAt) > now);
}

export const apiKeys: AggregateType<ApiKeys, ApiKeyCommand, ApiKeyEvent> = {
  name: 'apikeys',
  initialState: { keys: new Map() },
  stateVersion: 2,
  decide(command, state, context) {
    switch (command.type) {
      case 'IssueApiKey': {
        if (state.keys.has(command.keyId)) return [];
        const { keyId, userId, roles, keyHash, expiresAt } = command;
        return [{ type: 'ApiKeyIssued', data: { keyId, userId, roles, keyHash, issuedAt: context.now, expiresAt } }];
      }
      case 'RevokeApiKey': {
        const key = state.keys.get(command.keyId);
        if (!key) throw new DomainError('not_found', `no API key ${command.keyId}`);
        // Revoking twice is a no-op: the first revocation stands, with its time.
        if (key.revoked) return [];
        return [{ type: 'ApiKeyRevoked', data: { keyId: command.keyId, revokedAt: context.now } }];
      }
    }
  },
  evolve(state, event) {
    const keys = new Map(state.keys);
    if (event.type === 'ApiKeyIssued') {
      const { keyId, userId, roles, keyHash, issuedAt, expiresAt } = event.data;
      keys.set(keyId, { keyId, userId, roles, keyHash, createdAt: issuedAt ?? null, expiresAt: expiresAt ?? null, revoked: false, revokedAt: null });
    } else {
      const key = keys.get(event.data.keyId);
      if (key) keys.set(key.keyId, { ...key, revoked: true, revokedAt: event.data.revokedAt ?? null });
    }
    return { keys };
  },
  upcast: (type, _version, data) => ({ type, data }) as ApiKeyEvent,
  schemaVersion: () => 1,
};
