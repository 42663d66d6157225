import { describe, expect, it } from '@jest/globals';

import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { type ClaimNumber, documentNumber, type NumberReserved, type NumberTaken, numberClaimDecider, type ReserveNumber, sequenceDecider, seriesNumberOf, type TakeNumber } from './index.js';

const context = asUser('alice', 'clerk');
const series = deciderSpec(sequenceDecider, context);
const claims = deciderSpec(numberClaimDecider, context);

const take = (orderId: string, kind: TakeNumber['kind'] = 'sale', year = 2026): TakeNumber => ({ type: 'TakeNumber', kind, year, orderId });
const taken = (sequence: number, orderId: string, prefix = 'SO-2026'): NumberTaken => ({
  type: 'NumberTaken',
  data: { number: `${prefix}-${String(sequence).padStart(6, '0')}`, sequence, orderId },
});
const claim = (number: string, orderId: string, origin: ClaimNumber['origin'] = 'given'): ClaimNumber => ({ type: 'ClaimNumber', number, orderId, origin });

describe('a series of document numbers', () => {
  it('hands out SO-<year>-000001 first', () => series.given().when(take('o-1')).then(taken(1, 'o-1')));

  it('hands out the number after the last one, whoever takes it', () =>
    series.given(taken(1, 'o-1'), taken(2, 'o-2')).when(take('o-3')).then(taken(3, 'o-3')));

  it('numbers purchases PO-<year>-…', () => series.given().when(take('p-1', 'purchase', 2027)).then(taken(1, 'p-1', 'PO-2027')));

  it('takes a new number on every take, also for the same order (a retry is recognised by its command id, not here)', () =>
    series.given(taken(1, 'o-1')).when(take('o-1')).then(taken(2, 'o-1')));

  it('pads to six digits and grows past 999,999 instead of wrapping', () => {
    expect(documentNumber('SO-2026', 7)).toBe('SO-2026-000007');
    expect(documentNumber('SO-2026', 999_999)).toBe('SO-2026-999999');
    expect(documentNumber('SO-2026', 1_000_000)).toBe('SO-2026-1000000');
  });

  it('refuses a year that is not four digits and an order without an id', () => {
    series.given().when(take('o-1', 'sale', 26)).thenFails('validation_failed', { fields: [{ field: 'year' }] });
    series.given().when(take(' ')).thenFails('validation_failed', { fields: [{ field: 'orderId' }] });
  });
});

describe("a client's number in a series' own form", () => {
  const reserve = (sequence: number, orderId: string): ReserveNumber => ({ type: 'ReserveNumber', number: documentNumber('SO-2026', sequence), sequence, orderId });
  const reserved = (sequence: number, orderId: string): NumberReserved => ({ type: 'NumberReserved', data: { number: documentNumber('SO-2026', sequence), sequence, orderId } });

  it('is reserved on the series above what it handed out, and the series skips it', () => {
    series.given(taken(1, 'o-1')).when(reserve(3, 'c-1')).then(reserved(3, 'c-1'));
    series.given(taken(1, 'o-1'), reserved(2, 'c-1'), reserved(3, 'c-2')).when(take('o-2')).then(taken(4, 'o-2'));
  });

  it('reserved again by the same order is a repeat; by another order, or behind the series, 409 already_exists naming the number', () => {
    series.given(reserved(3, 'c-1')).when(reserve(3, 'c-1')).thenNothing();
    series.given(reserved(3, 'c-1')).when(reserve(3, 'c-2')).thenFails('already_exists', { field: 'number', number: 'SO-2026-000003' });
    series.given(taken(1, 'o-1'), taken(2, 'o-2')).when(reserve(2, 'c-1')).thenFails('already_exists', { field: 'number', number: 'SO-2026-000002' });
  });

  it('is recognised only in the canonical spelling the series hands out', () => {
    expect(seriesNumberOf('SO-2026-000050')).toEqual({ series: 'SO-2026', sequence: 50 });
    expect(seriesNumberOf('PO-2027-1000000')).toEqual({ series: 'PO-2027', sequence: 1_000_000 });
    for (const other of ['SO-2026-0000050', 'SO-2026-000000', 'SO-26-000050', 'XO-2026-000050', 'SO-2026-00005O', 'INV-7']) expect(seriesNumberOf(other)).toBeNull();
  });
});

describe('the claim of a number', () => {
  const claimed = (number: string, orderId: string, origin: ClaimNumber['origin'] = 'given') => ({ type: 'NumberClaimed' as const, data: { number, orderId, origin } });

  it('goes to the first order that claims it', () => claims.given().when(claim('SO-2026-000007', 'o-1', 'generated')).then(claimed('SO-2026-000007', 'o-1', 'generated')));

  it('claimed again by the same order is a repeat: nothing new', () => claims.given(claimed('A-1', 'o-1')).when(claim('A-1', 'o-1')).thenNothing());

  it('claimed by another order is 409 already_exists naming the number, not the order that holds it', () => {
    claims.given(claimed('A-1', 'o-1')).when(claim('A-1', 'o-2')).thenFails('already_exists', { field: 'number', number: 'A-1' });
    claims.given(claimed('SO-2026-000007', 'o-1')).when(claim('SO-2026-000007', 'o-2', 'generated')).thenFails('already_exists', { number: 'SO-2026-000007' });
  });

  it('keeps the first claim as the state', () =>
    claims.given(claimed('A-1', 'o-1')).when(claim('A-1', 'o-1')).thenState((state) => expect(state).toEqual({ number: 'A-1', orderId: 'o-1', origin: 'given' })));

  it('refuses a blank number', () => claims.given().when(claim('  ', 'o-1')).thenFails('validation_failed', { fields: [{ field: 'number' }] }));
});
