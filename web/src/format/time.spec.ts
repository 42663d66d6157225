import { describe, expect, it } from '@jest/globals';

import { formatDate as formatDateRaw, formatTime as formatTimeRaw } from './time';

// ICU versions differ in the space they put before AM/PM (U+202F or U+0020): compare as a reader sees it.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const formatTime = (...args: Parameters<typeof formatTimeRaw>) => plain(formatTimeRaw(...args));
const formatDate = (...args: Parameters<typeof formatDateRaw>) => plain(formatDateRaw(...args));

describe('times: ISO-8601 UTC from the API shown in the reader\'s zone and language', () => {
  it('shows a UTC time in the given zone: 08:30Z is 16:30 in Shanghai and 03:30 in New York', () => {
    expect(formatTime('2026-12-01T08:30:00Z', 'en', 'Asia/Shanghai')).toBe('Dec 1, 2026, 4:30 PM');
    expect(formatTime('2026-12-01T08:30:00Z', 'en', 'America/New_York')).toBe('Dec 1, 2026, 3:30 AM');
    expect(formatTime('2026-12-01T08:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月1日 16:30');
  });

  it('crosses the date line as the zone does: late evening UTC is the next day in Shanghai', () => {
    expect(formatDate('2026-12-31T20:00:00Z', 'en', 'Asia/Shanghai')).toBe('Jan 1, 2027');
    expect(formatDate('2026-12-31T20:00:00Z', 'en', 'UTC')).toBe('Dec 31, 2026');
  });

  it('shows nothing for an absent time and the text itself for one it cannot read', () => {
    expect(formatTime(null)).toBe('');
    expect(formatTime(undefined)).toBe('');
    expect(formatTime('not a time')).toBe('not a time');
  });
});
