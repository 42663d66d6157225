import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';

import { ConfigError } from '../config/config.js';
import { newMasterKeyText, parseMasterKey, unwrapDataKey, wrapDataKey } from './master-key.js';

describe('master key', () => {
  const bytes = randomBytes(32);

  it('reads 32 bytes given as 64 hex digits, base64 or base64url, with the newline a key file ends with', () => {
    const forms = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), `${bytes.toString('base64')}\n`, `  ${bytes.toString('hex')}\r\n`];
    const parsed = forms.map((form) => parseMasterKey(form, 'JXC_MASTER_KEY'));
    for (const key of parsed) {
      expect(key.key.equals(bytes)).toBe(true);
      expect(key.id).toBe(parsed[0]!.id);
    }
  });

  it('is known by a fingerprint that does not reveal it: 16 hex digits, the same for the same key, different for another', () => {
    const key = parseMasterKey(bytes.toString('hex'), 'JXC_MASTER_KEY');
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(bytes.toString('hex').includes(key.id)).toBe(false);
    expect(parseMasterKey(randomBytes(32).toString('hex'), 'JXC_MASTER_KEY').id).not.toBe(key.id);
  });

  it.each([
    ['31 bytes', randomBytes(31).toString('hex')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['empty', ''],
    ['63 hex digits', bytes.toString('hex').slice(1)],
  ])('refuses %s with one line naming where it came from and how to make one', (_what, text) => {
    let thrown: unknown;
    try {
      parseMasterKey(text, 'JXC_MASTER_KEY_FILE');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^JXC_MASTER_KEY_FILE must be 32 random bytes/);
    expect(message).toContain('jxc keys new-master-key');
    expect(message).not.toContain('\n');
    // The refused text is not echoed back into a log.
    if (text.length > 0) expect(message.includes(text)).toBe(false);
  });

  it('makes new keys that parse and differ every time', () => {
    const texts = Array.from({ length: 20 }, () => newMasterKeyText());
    expect(new Set(texts).size).toBe(20);
    for (const text of texts) expect(parseMasterKey(text, 'JXC_MASTER_KEY').key.length).toBe(32);
  });

  it('wraps a data key so that only the same master key, for the same stream, unwraps it', () => {
    const master = parseMasterKey(newMasterKeyText(), 'JXC_MASTER_KEY');
    const other = parseMasterKey(newMasterKeyText(), 'JXC_MASTER_KEY');
    const dataKey = randomBytes(32);
    const wrapped = wrapDataKey(master, 'customer-c1', dataKey);
    expect(Buffer.from(wrapped, 'base64').includes(dataKey)).toBe(false);
    expect(wrapped).not.toBe(wrapDataKey(master, 'customer-c1', dataKey));
    expect(unwrapDataKey(master, 'customer-c1', wrapped).equals(dataKey)).toBe(true);
    expect(() => unwrapDataKey(other, 'customer-c1', wrapped)).toThrow();
    expect(() => unwrapDataKey(master, 'customer-c2', wrapped)).toThrow();
  });
});
