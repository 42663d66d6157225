import type { Role } from '../../api/types';

/** GET /api/keys: an issued key, never the key itself. */
export interface KeyListing {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revoked: boolean;
}

/** POST /api/keys: `key` is shown once (null on an idempotent replay). */
export interface IssuedKey {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly key: string | null;
  readonly expiresAt: string | null;
}

/** Whether a key still opens the API at `now`. */
export function keyStatus(key: KeyListing, now: number): 'active' | 'expired' | 'revoked' {
  if (key.revoked) return 'revoked';
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}
