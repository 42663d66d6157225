import { describe, expect, it } from '@jest/globals';

import { chainHash, GENESIS_HASH, StreamChainVerifier } from './hash-chain.js';

function chain(events: Array<{ type: string; data: unknown }>) {
  let prevHash = GENESIS_HASH;
  return events.map((event, revision) => {
    const content = { streamId: 'order-1', revision, eventId: `e${revision}`, type: event.type, data: event.data, metadata: { actor: { id: 'alice' }, prevHash } };
    const hash = chainHash(prevHash, content);
    prevHash = hash;
    return { ...content, position: String(revision + 10), metadata: { ...content.metadata, hash } };
  });
}

describe('hash chain', () => {
  it('does not depend on key order (canonical JSON)', () => {
    const a = chainHash(GENESIS_HASH, { streamId: 's', revision: 0, eventId: 'e', type: 'T', data: { a: 1, b: 2 }, metadata: { x: 1, y: 2 } });
    const b = chainHash(GENESIS_HASH, { streamId: 's', revision: 0, eventId: 'e', type: 'T', data: { b: 2, a: 1 }, metadata: { y: 2, x: 1 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the hash every earlier version wrote: SHA-256 of the previous hash, then the canonical content in UTF-8', () => {
    const content = { streamId: 'order-1', revision: 0, eventId: 'e-1', type: 'OrderPlaced', data: { b: 1, a: '货' }, metadata: { prevHash: GENESIS_HASH, hash: 'ignored' } };
    // Computed by the implementation of 2026-12-03 (a Hash object fed the previous hash, then the content).
    expect(chainHash(GENESIS_HASH, content)).toBe('d14cda4ed690a5e838f03263ae6ced0394db21310c3982f356247c8667d8d21a');
  });

  it('accepts an intact stream', () => {
    const verifier = new StreamChainVerifier('order-1');
    expect(chain([{ type: 'OrderPlaced', data: { total: 100 } }, { type: 'OrderProcessed', data: {} }]).map((e) => verifier.check(e))).toEqual([undefined, undefined]);
  });

  it('reports the event whose data was altered', () => {
    const events = chain([{ type: 'OrderPlaced', data: { total: 100 } }, { type: 'PaymentReceived', data: { amount: 100 } }, { type: 'OrderShipped', data: {} }]);
    const altered = [events[0], { ...events[1], data: { amount: 900 } }, events[2]];
    const verifier = new StreamChainVerifier('order-1');
    expect(altered.map((e) => verifier.check(e))).toEqual([undefined, { streamId: 'order-1', revision: 1, position: '11', reason: 'hash_mismatch' }, expect.anything()]);
  });

  it('reports a deleted event as a gap', () => {
    const events = chain([{ type: 'A', data: {} }, { type: 'B', data: {} }, { type: 'C', data: {} }]);
    const verifier = new StreamChainVerifier('order-1');
    expect(verifier.check(events[0])).toBeUndefined();
    expect(verifier.check(events[2])).toMatchObject({ revision: 2, reason: 'revision_gap' });
  });

  it('reports an event re-hashed after alteration, because the next link no longer matches', () => {
    const events = chain([{ type: 'A', data: { n: 1 } }, { type: 'B', data: {} }]);
    const forgedData = { n: 2 };
    const forgedHash = chainHash(GENESIS_HASH, { ...events[0], data: forgedData });
    const forged = { ...events[0], data: forgedData, metadata: { ...events[0].metadata, hash: forgedHash } };
    const verifier = new StreamChainVerifier('order-1');
    expect(verifier.check(forged)).toBeUndefined();
    expect(verifier.check(events[1])).toMatchObject({ revision: 1, reason: 'prev_hash_mismatch' });
  });
});
