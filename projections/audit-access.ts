import { type ProjectedEvent } from './projected-event.js';

/** The stream of API key records (`src/access`): not business facts, but an auditor needs them. */
const API_KEYS_STREAM_ID = 'apikeys';

/** An API key event as the audit trail shows it: never the key's hash. */
export interface AccessRecord {
  readonly type: 'ApiKeyIssued' | 'ApiKeyRevoked';
  readonly data: { readonly keyId: string; readonly userId?: string; readonly roles?: readonly string[]; readonly expiresAt?: string | null };
}

/** The key event a projected event carries, or null for any other event. */
export function accessRecordOf(event: ProjectedEvent): AccessRecord | null {
  if (event.streamId !== API_KEYS_STREAM_ID) return null;
  const data = (event.data ?? {}) as Record<string, unknown>;
  const keyId = String(data.keyId);
  if (event.type === 'ApiKeyRevoked') return { type: 'ApiKeyRevoked', data: { keyId } };
  if (event.type !== 'ApiKeyIssued') return null;
  const roles = Array.isArray(data.roles) ? data.roles.map(String) : [];
  const expiresAt = typeof data.expiresAt === 'string' ? data.expiresAt : null;
  return { type: 'ApiKeyIssued', data: { keyId, userId: String(data.userId), roles, expiresAt } };
}

/** One line a person reads: who issued or revoked which key, for whom, with what roles, until when. */
export function summariseAccess(record: AccessRecord, actorId: string | null): string {
  const by = actorId === null ? '' : ` by ${actorId}`;
  const { keyId, userId, roles, expiresAt } = record.data;
  if (record.type === 'ApiKeyRevoked') return `API key ${keyId} revoked${by}`;
  const until = expiresAt ? `, expires at ${expiresAt}` : ', never expires';
  return `API key ${keyId} issued${by} for ${userId} as ${(roles ?? []).join(', ')}${until}`;
}
