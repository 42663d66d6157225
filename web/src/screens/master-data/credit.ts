// A customer's store credit (储值/余额, API.md "Money"): GET /api/customers/:id/credits answers the balance
// and every entry with a positive amount whose `kind` gives the direction.

export type CreditEntryKind = 'grant' | 'spend' | 'expiry';

export interface CreditEntry {
  readonly entryId: string;
  readonly kind: CreditEntryKind;
  readonly amount: number;
  readonly reason: string | null;
  readonly orderId: string | null;
  readonly at: string;
  readonly expiresAt?: string | null;
  readonly source?: string | null;
}

export interface CustomerCredit {
  readonly balance: number;
  readonly currency?: string;
  readonly entries: CreditEntry[];
}

/** An entry's effect on the balance: a grant adds, a spend or an expiry takes away. */
export function signedCredit(entry: Pick<CreditEntry, 'kind' | 'amount'>): number {
  return entry.kind === 'grant' ? entry.amount : -entry.amount;
}

/** Newest entry first, each with the balance right after it (from the balance now, walking back). */
export function withRunningBalance(credit: Pick<CustomerCredit, 'balance' | 'entries'>): (CreditEntry & { balanceAfter: number })[] {
  const newestFirst = [...credit.entries].sort((a, b) => b.at.localeCompare(a.at));
  let balance = credit.balance;
  return newestFirst.map((entry) => {
    const row = { ...entry, balanceAfter: balance };
    balance -= signedCredit(entry);
    return row;
  });
}
