import { type Actor } from '../../../domain/shared/context.js';

/** Who sends a command, when, and how it relates to others: stamped on every event it appends. */
export interface CommandMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  /** The command id for a request, or the event (or step) that caused a process step. */
  readonly causationId: string;
  readonly actor: Actor;
  /** ISO-8601 UTC, read from the clock once per request by the application (never in domain/). */
  readonly now: string;
  /**
   * Event ids derived from the command id (same command id, same event ids), so that a retried command
   * whose first attempt was written is a no-op in the store. Set for Idempotency-Key requests.
   */
  readonly deterministicEventIds?: boolean;
  /**
   * SHA-256 of the Idempotency-Key request (method, path, body), stamped on the command's events: a retry of
   * the key with another request is refused (422) even when the HTTP record of the first answer was lost.
   */
  readonly requestFingerprint?: string;
}

/** The metadata every stored event carries (DESIGN.md "Streams and events"). */
export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: { readonly id: string; readonly roles: readonly string[] };
  readonly occurredAt: string;
  readonly schemaVersion: number;
  /** Only on the events of an Idempotency-Key request: see CommandMetadata.requestFingerprint. */
  readonly requestFingerprint?: string;
  readonly prevHash: string;
  readonly hash: string;
}
