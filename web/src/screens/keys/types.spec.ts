import { describe, expect, it } from '@jest/globals';

import { type KeyListing, keyStatus } from './types';

const key = (overrides: Partial<KeyListing>): KeyListing => ({
  keyId: 'k1', userId: 'alice', roles: ['clerk'], createdAt: '2026-12-01T00:00:00Z', lastUsedAt: null, expiresAt: null, revokedAt: null, revoked: false, ...overrides,
});

describe('keys: the status an admin reads in the list', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('is active while not revoked and not past its expiry', () => {
    expect(keyStatus(key({}), now)).toBe('active');
    expect(keyStatus(key({ expiresAt: '2026-12-02T00:00:00Z' }), now)).toBe('active');
  });

  it('is expired from its expiry time on', () => {
    expect(keyStatus(key({ expiresAt: '2026-12-01T12:00:00Z' }), now)).toBe('expired');
    expect(keyStatus(key({ expiresAt: '2026-11-30T00:00:00Z' }), now)).toBe('expired');
  });

  it('is revoked when revoked, even without a recorded time and whatever its expiry', () => {
    expect(keyStatus(key({ revoked: true }), now)).toBe('revoked');
    expect(keyStatus(key({ revoked: true, revokedAt: '2026-12-01T10:00:00Z', expiresAt: '2026-11-30T00:00:00Z' }), now)).toBe('revoked');
  });
});
