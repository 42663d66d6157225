import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { ENVELOPE_PREFIX, envelopeStream, isEnvelope, newDataKey, open, seal } from './envelope.js';

// Personal text as people type it: any Unicode (Chinese, emoji, accents, control characters), no lone surrogates.
const text = fc.string({ unit: 'binary', maxLength: 200 });
// Long enough that finding it inside random base64 by chance is out of the question.
const distinctiveText = fc.string({ unit: 'binary', minLength: 8, maxLength: 120 });
const streamId = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map((id) => `customer-${id}`),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map((id) => `supplier-${id}`),
);
const dataKey = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));

const ENVELOPE_SHAPE = /^jxc:pii:1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function payloadOf(envelope: string): { head: string; payload: Buffer } {
  const dot = envelope.lastIndexOf('.');
  return { head: envelope.slice(0, dot + 1), payload: Buffer.from(envelope.slice(dot + 1), 'base64url') };
}

describe('personal data envelope (AES-256-GCM, the stream id as additional data)', () => {
  it('opens to exactly the text that was sealed, for any text and stream', () => {
    fc.assert(
      fc.property(dataKey, streamId, text, (key, stream, plain) => {
        const sealed = seal(key, stream, plain);
        expect(sealed).toMatch(ENVELOPE_SHAPE);
        expect(isEnvelope(sealed)).toBe(true);
        expect(envelopeStream(sealed)).toBe(stream);
        expect(open(key, sealed)).toBe(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('never holds the text, its lower or upper case, or its UTF-8 bytes in base64, in what it stores', () => {
    fc.assert(
      fc.property(dataKey, streamId, distinctiveText, (key, stream, plain) => {
        const forms = [plain, plain.toLowerCase(), plain.toUpperCase(), Buffer.from(plain).toString('base64url')];
        // The head (prefix and the stream id in base64url) is not personal and is stored by design; a text whose
        // form is already part of it (say "toString" in stream "supplier-toString", whose base64 holds the base64
        // of "toString") says nothing about the ciphertext.
        const head = `${ENVELOPE_PREFIX}${Buffer.from(stream).toString('base64url')}.`;
        fc.pre(forms.every((form) => !head.includes(form)));
        const sealed = seal(key, stream, plain);
        expect(sealed.startsWith(head)).toBe(true);
        for (const form of forms) {
          expect(sealed.includes(form)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('seals the same text differently every time (a fresh IV), so equal values cannot be matched across parties', () => {
    const key = newDataKey();
    const sealed = new Set(Array.from({ length: 200 }, () => seal(key, 'customer-c1', '13800138000')));
    expect(sealed.size).toBe(200);
  });

  it('does not open under another key', () => {
    fc.assert(
      fc.property(dataKey, dataKey, streamId, text, (key, other, stream, plain) => {
        fc.pre(!key.equals(other));
        expect(open(other, seal(key, stream, plain))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("does not open as another stream's value: an envelope relabelled with another stream id is refused", () => {
    fc.assert(
      fc.property(dataKey, streamId, streamId, text, (key, stream, otherStream, plain) => {
        fc.pre(stream !== otherStream);
        const sealed = seal(key, stream, plain);
        const { payload } = payloadOf(sealed);
        const moved = `${ENVELOPE_PREFIX}${Buffer.from(otherStream, 'utf8').toString('base64url')}.${payload.toString('base64url')}`;
        expect(envelopeStream(moved)).toBe(otherStream);
        // Even when the other stream's key is the same key: the stream id is authenticated.
        expect(open(key, moved)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any altered bit of the iv, tag or ciphertext', () => {
    fc.assert(
      fc.property(dataKey, streamId, text, fc.nat(), fc.integer({ min: 0, max: 7 }), (key, stream, plain, at, bit) => {
        const { head, payload } = payloadOf(seal(key, stream, plain));
        const altered = Buffer.from(payload);
        altered[at % altered.length]! ^= 1 << bit;
        expect(open(key, `${head}${altered.toString('base64url')}`)).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('never opens an altered envelope to any text but the original (a changed character, truncation, extension)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:';
    fc.assert(
      fc.property(dataKey, streamId, text, fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('replace', 'cut', 'append', 'drop'), (key, stream, plain, at, char, how) => {
        const sealed = seal(key, stream, plain);
        const i = at % sealed.length;
        const altered =
          how === 'replace' ? `${sealed.slice(0, i)}${char}${sealed.slice(i + 1)}`
          : how === 'cut' ? sealed.slice(0, i)
          : how === 'append' ? `${sealed}${char}`
          : `${sealed.slice(0, i)}${sealed.slice(i + 1)}`;
        const opened = open(key, altered);
        // Base64's unused trailing bits can make a changed last character decode to the same bytes: then the
        // value is the same value. Anything else must not open.
        if (opened !== undefined) expect(opened).toBe(plain);
      }),
      { numRuns: 500 },
    );
  });

  it('is not fooled by strings that only look like envelopes, and answers undefined instead of throwing', () => {
    const key = newDataKey();
    for (const value of ['', 'jxc:pii:1:', 'jxc:pii:1:.', 'jxc:pii:1:Y3VzdG9tZXI.', 'jxc:pii:1:Y3VzdG9tZXI.AAAA', 'jxc:pii:2:Y3VzdG9tZXI.AAAA', 'Alice', 'jxc:pii:1:a b.c']) {
      expect(open(key, value)).toBeUndefined();
    }
    expect(isEnvelope('Alice')).toBe(false);
    expect(isEnvelope(null)).toBe(false);
    expect(isEnvelope(42)).toBe(false);
    expect(envelopeStream('jxc:pii:1:not valid')).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (junk) => {
        expect(open(key, `${ENVELOPE_PREFIX}${junk}`)).toBeUndefined();
        expect(open(key, junk)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('makes 32-byte data keys that differ every time', () => {
    const keys = Array.from({ length: 100 }, () => newDataKey());
    expect(keys.every((key) => key.length === 32)).toBe(true);
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(100);
  });
});
