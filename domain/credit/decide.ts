import { type Context, hasRole } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import { FieldChecks, isCurrencyCode, isNonEmptyText, isNonNegativeInteger, isPositiveInteger } from '../shared/validation.js';
import {
  type CreditCommand,
  type GrantCredit,
  type GrantGoodwillCredit,
  type GrantRefundCredit,
  type RestoreCredit,
  type SpendCredit,
} from './commands.js';
import { type CreditEvent, type CreditExpired, type CreditGranted } from './events.js';
import { evolve } from './evolve.js';
import { creditEntryId, type CreditLedger, hasGoodwillGrant, isSpendable, refundCreditGranted, restoreEntryId, spendableCredit } from './state.js';

export function decide(command: CreditCommand, ledger: CreditLedger, context: Context): CreditEvent[] {
  switch (command.type) {
    case 'GrantCredit': return grantCredit(command, ledger, context);
    case 'GrantRefundCredit': return grantRefundCredit(command, ledger, context);
    case 'GrantGoodwillCredit': return grantGoodwillCredit(command, ledger, context);
    case 'SpendCredit': return spendCredit(command, ledger, context);
    case 'RestoreCredit': return restoreCredit(command, ledger, context);
    case 'ExpireCredit': return expired(command.customerId, ledger, context.now);
    default: return assertNever(command);
  }
}

const isInstant = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));

function grantCredit(command: GrantCredit, ledger: CreditLedger, context: Context): CreditEvent[] {
  if (!hasRole(context.actor, 'approver') && !hasRole(context.actor, 'finance')) {
    throw new DomainError('forbidden', 'the approver or finance role is required to grant store credit', { actorId: context.actor.id });
  }
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .require(command.expiresAt === null || isInstant(command.expiresAt), 'expiresAt', 'must be an ISO-8601 time')
    .require(command.expiresAt === null || !isInstant(command.expiresAt) || Date.parse(command.expiresAt) > Date.parse(context.now), 'expiresAt', 'must be in the future')
    .throwIfAny();
  return [granted(ledger, command.customerId, creditEntryId(ledger.entries + 1), {
    amount: command.amount,
    currency: command.currency,
    reason: command.reason.trim(),
    orderId: command.orderId,
    expiresAt: command.expiresAt === null ? null : new Date(command.expiresAt).toISOString(),
    grantedBy: context.actor.id,
    source: 'manual',
  })];
}

function grantRefundCredit(command: GrantRefundCredit, ledger: CreditLedger, context: Context): CreditEvent[] {
  new FieldChecks().require(isNonNegativeInteger(command.refundedTotal), 'refundedTotal', 'must be a non-negative integer (minor units)').throwIfAny();
  const amount = command.refundedTotal - refundCreditGranted(ledger, command.orderId);
  if (amount <= 0) return [];
  return [granted(ledger, command.customerId, creditEntryId(ledger.entries + 1), {
    amount,
    currency: command.currency,
    reason: `refund of order ${command.orderId}`,
    orderId: command.orderId,
    expiresAt: null,
    grantedBy: context.actor.id,
    source: 'refund',
  })];
}

function grantGoodwillCredit(command: GrantGoodwillCredit, ledger: CreditLedger, context: Context): CreditEvent[] {
  if (hasGoodwillGrant(ledger, command.orderId, command.reason)) return [];
  return [granted(ledger, command.customerId, creditEntryId(ledger.entries + 1), {
    amount: command.amount,
    currency: command.currency,
    reason: command.reason,
    orderId: command.orderId,
    expiresAt: command.expiresAt,
    grantedBy: context.actor.id,
    source: 'goodwill',
  })];
}

/** Expired grants are written off first (in the same append), so a spend never draws on credit past its expiry. */
function spendCredit(command: SpendCredit, ledger: CreditLedger, context: Context): CreditEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.amount), 'amount', 'must be a positive integer (minor units)')
    .require(isCurrencyCode(command.currency), 'currency', 'must be a three-letter currency code')
    .throwIfAny();
  const already = ledger.spends.find((spend) => spend.orderId === command.orderId && spend.paymentId === command.paymentId);
  if (already !== undefined && !already.restored && already.amount === command.amount) return [];
  const available = spendableCredit(ledger, command.currency, context.now);
  if (command.amount > available) {
    throw new DomainError('insufficient_credit', 'the customer has less store credit than the payment', {
      customerId: command.customerId,
      amount: command.amount,
      available,
      currency: command.currency,
    });
  }
  const expiries = expired(command.customerId, ledger, context.now);
  const after = expiries.reduce(evolve, ledger);
  return [...expiries, {
    type: 'CreditSpent',
    data: {
      customerId: command.customerId,
      entryId: creditEntryId(after.entries + 1),
      amount: command.amount,
      currency: command.currency,
      orderId: command.orderId,
      paymentId: command.paymentId,
    },
  }];
}

function restoreCredit(command: RestoreCredit, ledger: CreditLedger, context: Context): CreditEvent[] {
  const spend = ledger.spends.find((candidate) => candidate.entryId === command.spendEntryId);
  if (spend === undefined) throw new DomainError('not_found', `no spend ${command.spendEntryId} in this ledger`, { spendEntryId: command.spendEntryId });
  if (spend.restored) return [];
  return [granted(ledger, command.customerId, restoreEntryId(spend.entryId), {
    amount: spend.amount,
    currency: spend.currency,
    reason: `payment ${spend.paymentId} of order ${spend.orderId} refused: credit given back`,
    orderId: spend.orderId,
    expiresAt: null,
    grantedBy: context.actor.id,
    source: 'refund',
  })];
}

/** A `CreditExpired` for the unspent rest of every grant past its expiry at `now`. */
function expired(customerId: string, ledger: CreditLedger, now: string): CreditExpired[] {
  const events: CreditExpired[] = [];
  let entries = ledger.entries;
  for (const grant of ledger.grants) {
    if (grant.remaining <= 0 || grant.expiresAt === null || isSpendable(grant, now)) continue;
    entries++;
    events.push({
      type: 'CreditExpired',
      data: { customerId, entryId: creditEntryId(entries), grantEntryId: grant.entryId, amount: grant.remaining, currency: grant.currency },
    });
  }
  return events;
}

function granted(ledger: CreditLedger, customerId: string, entryId: string, fields: Omit<CreditGranted['data'], 'customerId' | 'entryId'>): CreditGranted {
  return { type: 'CreditGranted', data: { customerId, entryId, ...fields } };
}
