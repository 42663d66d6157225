import { accountOf } from './chart.js';

export interface TrialBalanceRow {
  readonly account: string;
  readonly name: string;
  readonly nameZh: string;
  readonly debit: number;
  readonly credit: number;
  /** debit − credit. */
  readonly balance: number;
}

export interface TrialBalance {
  readonly accounts: readonly TrialBalanceRow[];
  readonly totals: { readonly debit: number; readonly credit: number };
}

/** Σ debit and Σ credit per account over journal lines, accounts in code order (only those with lines). */
export function trialBalance(lines: Iterable<{ readonly account: string; readonly debit: number; readonly credit: number }>): TrialBalance {
  const sums = new Map<string, { debit: number; credit: number }>();
  let debit = 0;
  let credit = 0;
  for (const line of lines) {
    const sum = sums.get(line.account) ?? { debit: 0, credit: 0 };
    sum.debit += line.debit;
    sum.credit += line.credit;
    sums.set(line.account, sum);
    debit += line.debit;
    credit += line.credit;
  }
  const accounts = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, sum]) => ({ account, name: accountOf(account)?.name ?? account, nameZh: accountOf(account)?.nameZh ?? account, debit: sum.debit, credit: sum.credit, balance: sum.debit - sum.credit }));
  return { accounts, totals: { debit, credit } };
}
