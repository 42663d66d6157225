import { describe, expect, it } from '@jest/globals';
import { Long } from 'mongodb';

import { fromStored, toStored } from './bson-values.js';

describe('MongoDB value mapping (analysts see BSON dates and integers; the service reads what it wrote)', () => {
  it('stores a time as toISOString writes it as a BSON date, and reads back the same string', () => {
    const stored = toStored({ placedAt: '2026-03-01T08:00:00.000Z', onHold: { at: '2026-03-02T00:00:00.000Z' }, log: [{ at: '2026-03-03T00:00:00.000Z' }] });
    expect(stored).toEqual({ placedAt: new Date('2026-03-01T08:00:00.000Z'), onHold: { at: new Date('2026-03-02T00:00:00.000Z') }, log: [{ at: new Date('2026-03-03T00:00:00.000Z') }] });
    expect(fromStored(stored)).toEqual({ placedAt: '2026-03-01T08:00:00.000Z', onHold: { at: '2026-03-02T00:00:00.000Z' }, log: [{ at: '2026-03-03T00:00:00.000Z' }] });
  });

  it('keeps every other string as it is: dates without a time, other time forms, impossible dates, text', () => {
    for (const text of ['2026-03-01', '2026-03-01T08:00:00Z', '2026-03-01T08:00:00.000+08:00', '2026-02-30T00:00:00.000Z', 'changed mind', '']) {
      expect(toStored(text)).toBe(text);
      expect(fromStored(toStored(text))).toBe(text);
    }
  });

  it('stores an integer beyond int32 as int64 (not a double), smaller numbers and fractions as they are', () => {
    expect(toStored(3_000_000_000)).toEqual(Long.fromNumber(3_000_000_000));
    expect(toStored(-3_000_000_000)).toEqual(Long.fromNumber(-3_000_000_000));
    expect(toStored(2_147_483_647)).toBe(2_147_483_647);
    expect(toStored(0.25)).toBe(0.25);
    expect(toStored({ total: 12_500, nothing: null, flag: true })).toEqual({ total: 12_500, nothing: null, flag: true });
  });
});
