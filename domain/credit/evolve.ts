import { type CreditEvent } from './events.js';
import { type CreditGrant, type CreditLedger, restoreEntryId } from './state.js';

/**
 * A spend takes from the grants it can use, soonest expiry first (grants without one last), oldest first among
 * equals: the order `spendOrder` gives. Every grant's `remaining` stays ≥ 0 since a spend never exceeds what is spendable.
 */
export function evolve(ledger: CreditLedger, event: CreditEvent): CreditLedger {
  const current = { ...ledger, customerId: event.data.customerId, entries: ledger.entries + 1 };
  switch (event.type) {
    case 'CreditGranted': {
      const { entryId, amount, currency, source, reason, orderId, expiresAt } = event.data;
      const spends = current.spends.map((spend) => restoreEntryId(spend.entryId) === entryId ? { ...spend, restored: true } : spend);
      return { ...current, spends, grants: [...current.grants, { entryId, amount, currency, source, reason, orderId, expiresAt, remaining: amount }] };
    }
    case 'CreditSpent': {
      const { entryId, amount, currency, orderId, paymentId } = event.data;
      let rest = amount;
      const taken = new Map<string, number>();
      for (const grant of spendOrder(current.grants, currency)) {
        if (rest === 0) break;
        const part = Math.min(rest, grant.remaining);
        taken.set(grant.entryId, part);
        rest -= part;
      }
      return {
        ...current,
        grants: current.grants.map((grant) => taken.has(grant.entryId) ? { ...grant, remaining: grant.remaining - taken.get(grant.entryId)! } : grant),
        spends: [...current.spends, { entryId, orderId, paymentId, amount, currency, restored: false }],
      };
    }
    case 'CreditExpired': {
      const { grantEntryId, amount } = event.data;
      return { ...current, grants: current.grants.map((grant) => grant.entryId === grantEntryId ? { ...grant, remaining: grant.remaining - amount } : grant) };
    }
    default: {
      const _unknown: never = event;
      return ledger;
    }
  }
}

/**
 * The grants a spend draws on, in the order it draws: those of its currency with something left, soonest expiry
 * first (never-expiring last), then in the order granted. The decider has already checked that the spendable ones
 * (not expired at the spend's time) cover it; expired-but-unswept grants sort first by expiry, so the decider only
 * allows a spend when none is left (see `decide`: the sweep runs first).
 */
function spendOrder(grants: readonly CreditGrant[], currency: string): CreditGrant[] {
  const never = Number.POSITIVE_INFINITY;
  return grants
    .map((grant, index) => ({ grant, index }))
    .filter(({ grant }) => grant.currency === currency && grant.remaining > 0)
    .sort((a, b) => (a.grant.expiresAt === null ? never : Date.parse(a.grant.expiresAt)) - (b.grant.expiresAt === null ? never : Date.parse(b.grant.expiresAt)) || a.index - b.index)
    .map(({ grant }) => grant);
}
