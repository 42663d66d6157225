import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { isDomainError } from '../shared/domain-error.js';
import { type CreditCommand, creditDecider, type CreditEvent, type CreditGranted, creditBalance, spendableCredit } from './index.js';

const finance = asUser('fiona', 'finance');
const { given } = deciderSpec(creditDecider, finance);
const customerId = 'cust-1';
const LATER = '2026-06-01T00:00:00.000Z';
const EARLIER = '2026-02-01T00:00:00.000Z';

const grant = (entryId: string, amount: number, fields: Partial<CreditGranted['data']> = {}): CreditEvent => ({
  type: 'CreditGranted',
  data: { customerId, entryId, amount, currency: 'CNY', reason: 'sorry', orderId: null, expiresAt: null, grantedBy: 'fiona', source: 'manual', ...fields },
});
const spent = (entryId: string, amount: number, paymentId = 'P1', orderId = 'o1'): CreditEvent => ({
  type: 'CreditSpent',
  data: { customerId, entryId, amount, currency: 'CNY', orderId, paymentId },
});
const spend = (amount: number, paymentId = 'P1'): CreditCommand => ({ type: 'SpendCredit', customerId, orderId: 'o1', paymentId, amount, currency: 'CNY' });
const ledgerOf = (...events: CreditEvent[]) => events.reduce(creditDecider.evolve, creditDecider.initialState);

describe('store credit', () => {
  it('grants credit by hand (finance or approver), entry C<n>', () =>
    given().when({ type: 'GrantCredit', customerId, amount: 500, currency: 'CNY', reason: ' sorry ', orderId: null, expiresAt: null }).then(grant('C1', 500)));
  it('refuses a grant by a clerk', () =>
    given().when({ type: 'GrantCredit', customerId, amount: 500, currency: 'CNY', reason: 'x', orderId: null, expiresAt: null }, asUser('carol', 'clerk')).thenFails('forbidden'));
  it('refuses a grant that expired already, naming the field', () =>
    given().when({ type: 'GrantCredit', customerId, amount: 500, currency: 'CNY', reason: 'x', orderId: null, expiresAt: EARLIER }).thenFails('validation_failed'));
  it('refuses a fractional amount', () =>
    given().when({ type: 'GrantCredit', customerId, amount: 5.5, currency: 'CNY', reason: 'x', orderId: null, expiresAt: null }).thenFails('validation_failed'));
  it('spends credit for a payment', () => given(grant('C1', 500)).when(spend(300)).then(spent('C2', 300)));
  it('refuses a spend beyond the balance: insufficient_credit', () =>
    given(grant('C1', 500), spent('C2', 300)).when(spend(201, 'P2')).thenFails('insufficient_credit', { available: 200, amount: 201 }));
  it('repeating the same spend appends nothing', () => given(grant('C1', 500), spent('C2', 300)).when(spend(300)).thenNothing());
  it('credit past its expiry cannot be spent', () =>
    given(grant('C1', 500, { expiresAt: EARLIER })).when(spend(1)).thenFails('insufficient_credit', { available: 0 }));
  it('a spend writes off expired grants first, then draws on the live ones', () =>
    given(grant('C1', 500, { expiresAt: EARLIER }), grant('C2', 300)).when(spend(300)).then(
      { type: 'CreditExpired', data: { customerId, entryId: 'C3', grantEntryId: 'C1', amount: 500, currency: 'CNY' } },
      spent('C4', 300),
    ));
  it('the sweep expires only the unspent rest of grants past their expiry', () =>
    given(grant('C1', 500, { expiresAt: '2026-02-28T00:00:00.000Z' }), spent('C2', 200), grant('C3', 100, { expiresAt: LATER }))
      .when({ type: 'ExpireCredit', customerId })
      .then({ type: 'CreditExpired', data: { customerId, entryId: 'C4', grantEntryId: 'C1', amount: 300, currency: 'CNY' } }));
  it('a second sweep expires nothing more', () =>
    given(grant('C1', 500, { expiresAt: EARLIER }), { type: 'CreditExpired', data: { customerId, entryId: 'C2', grantEntryId: 'C1', amount: 500, currency: 'CNY' } })
      .when({ type: 'ExpireCredit', customerId })
      .thenNothing());
  it('spends the soonest-expiring credit first', () => {
    const ledger = ledgerOf(grant('C1', 500), grant('C2', 300, { expiresAt: LATER }), spent('C3', 400));
    expect(ledger.grants.map((g) => g.remaining)).toEqual([400, 0]);
  });
  it('grants a refund paid as store credit up to the refunded total, once', () =>
    given(grant('C1', 200, { source: 'refund', orderId: 'o1', reason: 'refund of order o1', grantedBy: 'system' }))
      .when({ type: 'GrantRefundCredit', customerId, orderId: 'o1', refundedTotal: 500, currency: 'CNY' })
      .then(grant('C2', 300, { source: 'refund', orderId: 'o1', reason: 'refund of order o1' })));
  it('a reached refund target grants nothing', () =>
    given(grant('C1', 500, { source: 'refund', orderId: 'o1' })).when({ type: 'GrantRefundCredit', customerId, orderId: 'o1', refundedTotal: 500, currency: 'CNY' }).thenNothing());
  it('grants each goodwill gesture of an order once', () =>
    given(grant('C1', 800, { source: 'goodwill', orderId: 'o1' }))
      .when({ type: 'GrantGoodwillCredit', customerId, orderId: 'o1', amount: 800, currency: 'CNY', expiresAt: null, reason: 'sorry' })
      .thenNothing());
  it('gives a spend back once when its payment was refused', () =>
    given(grant('C1', 500), spent('C2', 300))
      .when({ type: 'RestoreCredit', customerId, spendEntryId: 'C2' })
      .then(grant('C2-back', 300, { source: 'refund', orderId: 'o1', reason: 'payment P1 of order o1 refused: credit given back' })));
  it('a given-back spend does not count as a refund grant, and may be spent again', () => {
    const ledger = ledgerOf(grant('C1', 500), spent('C2', 300), grant('C2-back', 300, { source: 'refund', orderId: 'o1' }));
    expect(ledger.spends[0].restored).toBe(true);
    expect(spendableCredit(ledger, 'CNY', SPEC_NOW)).toBe(500);
  });
});

describe('store credit under random grants, spends and sweeps', () => {
  const times = ['2026-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'];
  const command: fc.Arbitrary<[CreditCommand, string]> = fc.tuple(
    fc.oneof(
      fc.record({ amount: fc.integer({ min: 1, max: 1000 }), expiresAt: fc.constantFrom(null, ...times) })
        .map(({ amount, expiresAt }): CreditCommand => ({ type: 'GrantCredit', customerId, amount, currency: 'CNY', reason: 'r', orderId: null, expiresAt })),
      fc.record({ amount: fc.integer({ min: 1, max: 1500 }), n: fc.nat(50) })
        .map(({ amount, n }): CreditCommand => ({ type: 'SpendCredit', customerId, orderId: 'o1', paymentId: `P${n}`, amount, currency: 'CNY' })),
      fc.constant<CreditCommand>({ type: 'ExpireCredit', customerId }),
    ),
    fc.constantFrom(...times),
  );
  it('the balance is Σ granted − Σ spent − Σ expired, never negative; nothing spent past its expiry', () =>
    fc.assert(fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
      let ledger = creditDecider.initialState;
      const history: CreditEvent[] = [];
      for (const [next, now] of commands) {
        const before = ledger;
        let events: CreditEvent[] = [];
        try {
          events = creditDecider.decide(next, ledger, { ...finance, now });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          expect(['insufficient_credit', 'validation_failed']).toContain(error.code);
        }
        ledger = events.reduce(creditDecider.evolve, ledger);
        history.push(...events);
        if (next.type === 'SpendCredit' && events.some((event) => event.type === 'CreditSpent')) {
          expect(next.amount).toBeLessThanOrEqual(spendableCredit(before, 'CNY', now));
        }
        for (const g of ledger.grants) expect(g.remaining).toBeGreaterThanOrEqual(0);
      }
      const sum = (type: CreditEvent['type']) => history.filter((e) => e.type === type).reduce((s, e) => s + e.data.amount, 0);
      expect(creditBalance(ledger, 'CNY')).toBe(sum('CreditGranted') - sum('CreditSpent') - sum('CreditExpired'));
    }), { numRuns: 300 }));
});
