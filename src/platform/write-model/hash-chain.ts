import { hash } from 'node:crypto';

import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  /** Every metadata field except `hash` itself; `prevHash` included, which is what links the chain. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * hash = SHA-256 over the previous hash and the event's canonical content (RFC 8785 JSON, see
 * canonical-json.ts): altering, removing or reordering any event breaks every later link.
 */
export function chainHash(prevHash: string, content: ChainedContent): string {
  const { hash: _ignored, ...metadata } = content.metadata as Record<string, unknown>;
  const canonical = canonicalJson({ streamId: content.streamId, revision: content.revision, eventId: content.eventId, type: content.type, data: content.data, metadata });
  // One-shot: half the time of a Hash object fed twice (about 0.5 against 0.9 µs an event), the same bytes.
  return hash('sha256', prevHash + canonical, 'hex');
}

export interface ChainBreak {
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'revision_gap';
}

/** Checks events of ONE stream, fed in revision order; remembers only the last link. */
export class StreamChainVerifier {
  private lastHash = GENESIS_HASH;
  private nextRevision = 0;

  constructor(readonly streamId: string) {}

  /** Returns the break this event shows, or undefined when the link holds. */
  check(event: ChainedContent & { readonly position: string }): ChainBreak | undefined {
    const at = { streamId: this.streamId, revision: event.revision, position: event.position };
    if (event.revision !== this.nextRevision) return { ...at, reason: 'revision_gap' };
    const metadata = event.metadata as { prevHash?: unknown; hash?: unknown };
    if (metadata.prevHash !== this.lastHash) return { ...at, reason: 'prev_hash_mismatch' };
    const expected = chainHash(this.lastHash, event);
    if (metadata.hash !== expected) return { ...at, reason: 'hash_mismatch' };
    this.lastHash = expected;
    this.nextRevision++;
    return undefined;
  }
}
