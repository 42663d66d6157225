import { describe, expect, it } from '@jest/globals';

import { ConfigError } from '../platform/config/config.js';
import { BusinessTime, businessTimeFrom } from './business-time.js';

describe('business time zone', () => {
  it('defaults to Asia/Shanghai: a day starts at 16:00 UTC the day before', () => {
    const time = businessTimeFrom({});
    expect(time.zone).toBe('Asia/Shanghai');
    expect(time.localDay('2026-12-01T15:59:59.999Z')).toBe('2026-12-01');
    expect(time.localDay('2026-12-01T16:00:00.000Z')).toBe('2026-12-02');
    expect(time.instantOf('2026-12-02')).toBe('2026-12-01T16:00:00.000Z');
    expect(time.instantOf('2026-12-02T10:00:00+08:00')).toBe('2026-12-02T02:00:00.000Z');
    expect(time.instantOf('2026-12-02T10:00:00Z')).toBe('2026-12-02T10:00:00.000Z');
    // Without an offset, a time is read on the business zone's wall clock.
    expect(time.instantOf('2026-12-02T09:30')).toBe('2026-12-02T01:30:00.000Z');
    expect(time.instantOf('2026-12-02T09:30:15.25')).toBe('2026-12-02T01:30:15.250Z');
  });

  it('follows daylight saving time in a zone that has it', () => {
    const time = new BusinessTime('America/New_York');
    expect(time.instantOf('2026-03-08')).toBe('2026-03-08T05:00:00.000Z'); // still EST at midnight
    expect(time.instantOf('2026-03-09')).toBe('2026-03-09T04:00:00.000Z'); // EDT
    expect(time.localDay('2026-07-01T03:59:00.000Z')).toBe('2026-06-30');
    expect(time.localDay('2026-07-01T04:00:00.000Z')).toBe('2026-07-01');
  });

  it('refuses a zone the runtime does not know, naming JXC_BUSINESS_TZ', () => {
    expect(() => businessTimeFrom({ JXC_BUSINESS_TZ: 'Mars/Olympus' })).toThrow(ConfigError);
    expect(() => businessTimeFrom({ JXC_BUSINESS_TZ: 'Mars/Olympus' })).toThrow(/JXC_BUSINESS_TZ/);
    expect(businessTimeFrom({ JXC_BUSINESS_TZ: 'Europe/Berlin' }).zone).toBe('Europe/Berlin');
  });
});
