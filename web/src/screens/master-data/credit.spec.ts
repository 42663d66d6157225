import { describe, expect, it } from '@jest/globals';

import { type CreditEntry, signedCredit, withRunningBalance } from './credit';

const entry = (entryId: string, kind: CreditEntry['kind'], amount: number, at: string): CreditEntry => ({ entryId, kind, amount, reason: null, orderId: null, at });

describe('store credit: entries and the balance after each', () => {
  it('a grant adds to the balance, a spend and an expiry take from it', () => {
    expect(signedCredit({ kind: 'grant', amount: 500 })).toBe(500);
    expect(signedCredit({ kind: 'spend', amount: 200 })).toBe(-200);
    expect(signedCredit({ kind: 'expiry', amount: 300 })).toBe(-300);
  });

  it('lists the newest first with the balance after each entry, ending at the balance now', () => {
    const rows = withRunningBalance({
      balance: 1000,
      entries: [entry('C1', 'grant', 1500, '2026-12-01T08:00:00Z'), entry('C2', 'spend', 700, '2026-12-01T09:00:00Z'), entry('C3', 'grant', 200, '2026-12-01T10:00:00Z')],
    });
    expect(rows.map((row) => [row.entryId, row.balanceAfter])).toEqual([['C3', 1000], ['C2', 800], ['C1', 1500]]);
  });
});
