import { describe, expect, it } from '@jest/globals';

import { eventTime, parseTypedTime } from './types';

// The times an auditor types (as of, from, to) are read on the browser's wall clock: Shanghai (UTC+8) and
// New York (UTC-5 in December, UTC-4 in summer) here.
describe('audit: typed times and event times', () => {
  it('reads a date and time without a zone on the wall clock of the zone: 16:30 in Shanghai is 08:30 UTC', () => {
    expect(parseTypedTime('2026-12-01 16:30', 'Asia/Shanghai')).toBe('2026-12-01T08:30:00.000Z');
    expect(parseTypedTime('2026-12-01T16:30:05', 'Asia/Shanghai')).toBe('2026-12-01T08:30:05.000Z');
    expect(parseTypedTime('  2026-12-01 16:30:05  ', 'Asia/Shanghai')).toBe('2026-12-01T08:30:05.000Z');
    expect(parseTypedTime('2026-12-01 16:30', 'America/New_York')).toBe('2026-12-01T21:30:00.000Z');
    expect(parseTypedTime('2026-07-01 16:30', 'America/New_York')).toBe('2026-07-01T20:30:00.000Z');
  });

  it('reads a date alone as midnight in the zone, not UTC midnight', () => {
    expect(parseTypedTime('2026-12-01', 'Asia/Shanghai')).toBe('2026-11-30T16:00:00.000Z');
  });

  it('takes a time with Z or an offset as it is, whatever the zone', () => {
    expect(parseTypedTime('2026-12-01T08:30:00Z', 'Asia/Shanghai')).toBe('2026-12-01T08:30:00.000Z');
    expect(parseTypedTime('2026-12-01T08:30:00+02:00', 'Asia/Shanghai')).toBe('2026-12-01T06:30:00.000Z');
  });

  it('refuses what is not such a time, and gives nothing for an empty field', () => {
    for (const typed of ['yesterday', '2026-13-01 10:00', '2026-02-30', '2026-12-01 24:00', '1 Dec 2026', '2026-12-01T08:30:00+2']) {
      expect(parseTypedTime(typed, 'Asia/Shanghai')).toBeUndefined();
    }
    expect(parseTypedTime('', 'Asia/Shanghai')).toBeUndefined();
    expect(parseTypedTime(undefined, 'Asia/Shanghai')).toBeUndefined();
  });

  it('shows an event to the second in the zone, so the events of one command can be told apart', () => {
    expect(eventTime('2026-12-01T08:30:05Z', 'en', 'Asia/Shanghai').replace(/[\u00a0\u202f]/g, ' ')).toBe('Dec 1, 2026, 4:30:05 PM');
    expect(eventTime('2026-12-01T08:30:05Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月1日 16:30:05');
    expect(eventTime(null, 'en')).toBe('');
  });
});
