import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

import { ConfigError } from '../config/config.js';

/** The key that wraps every party's data key; `id` (a fingerprint, not the key) is stored with each wrapped key. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** 32 bytes as 64 hex digits or as base64 (44 characters); `name` says where it came from, for the error. */
export function parseMasterKey(text: string, name: string): MasterKey {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key?.length !== 32) throw new ConfigError(`${name} must be 32 random bytes as 64 hex digits or base64 (make one with: jxc keys new-master-key)`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** A new master key as base64 text, for a key file or JXC_MASTER_KEY. */
export function newMasterKeyText(): string {
  return randomBytes(32).toString('base64');
}

/** The data key sealed under the master key, bound to its stream (AES-256-GCM, the stream id as additional data). */
export function wrapDataKey(master: MasterKey, streamId: string, dataKey: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, master.key, iv);
  cipher.setAAD(Buffer.from(streamId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** Throws when the wrapped key was not made by this master key for this stream. */
export function unwrapDataKey(master: MasterKey, streamId: string, wrapped: string): Buffer {
  const payload = Buffer.from(wrapped, 'base64');
  const decipher = createDecipheriv(ALGORITHM, master.key, payload.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(streamId, 'utf8'));
  decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
