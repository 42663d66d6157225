import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field as stored: `jxc:pii:1:<stream id, base64url>.<iv ‖ tag ‖ ciphertext, base64url>`, sealed
 * with AES-256-GCM under the party's data key, the stream id as additional data (a sealed value moved to
 * another party's stream does not open). Text only: the field stays a string wherever it was one.
 */
export const ENVELOPE_PREFIX = 'jxc:pii:1:';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE = /^jxc:pii:1:([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/** The stream whose key sealed it; undefined for anything that is not a well-formed envelope. */
export function envelopeStream(value: string): string | undefined {
  const match = ENVELOPE.exec(value);
  return match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : undefined;
}

export function seal(dataKey: Buffer, streamId: string, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, dataKey, iv);
  cipher.setAAD(Buffer.from(streamId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const payload = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  return `${ENVELOPE_PREFIX}${Buffer.from(streamId, 'utf8').toString('base64url')}.${payload}`;
}

/** The text, or undefined when the value was not sealed by this key for this stream (or was altered). */
export function open(dataKey: Buffer, value: string): string | undefined {
  const match = ENVELOPE.exec(value);
  if (!match) return undefined;
  const streamId = Buffer.from(match[1]!, 'base64url');
  const payload = Buffer.from(match[2]!, 'base64url');
  if (payload.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, dataKey, payload.subarray(0, IV_BYTES));
    decipher.setAAD(streamId);
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A new random data key (32 bytes). */
export function newDataKey(): Buffer {
  return randomBytes(32);
}
