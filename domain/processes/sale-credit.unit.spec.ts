import { describe, expect, it } from '@jest/globals';
import { asUser } from '../../test/support/decider-spec.js';
import { InMemoryLedger, runOrderProcess } from '../../test/support/process-runner.js';
import {
  approve,
  crashCases,
  expectCrashSafe,
  pay,
  placeSale,
  play,
  receiveStock,
  requestCancellation,
  run,
  type Scenario,
  system,
} from '../../test/support/process-scenarios.js';
import { paymentTerms } from '../order/index.js';
import { creditStream, paymentStream } from '../shared/streams.js';

const finance = asUser('fiona', 'finance');
const stocked = [receiveStock('TEA-1', 5), receiveStock('CUP-1', 5)];

const refundedAsCredit: Scenario = {
  name: 'a cancellation refunded as store credit, with a goodwill credit',
  orderIds: ['s1'],
  actions: [
    ...stocked,
    ...placeSale('s1'),
    ...pay('s1', 3000),
    ...requestCancellation('s1', 'company'),
    ...approve('s1', { refundMethod: 'store_credit', goodwillCoupon: { amount: 500, expiresAt: '2026-12-31T00:00:00Z' } }),
  ],
};

const grantCredit = (ledger: InMemoryLedger, amount: number) =>
  ledger.execute(creditStream('cust-1'), {
    aggregate: 'credit',
    command: { type: 'GrantCredit', customerId: 'cust-1', amount, currency: 'CNY', reason: 'sorry', orderId: null, expiresAt: null },
  }, finance);

const spendOn = (ledger: InMemoryLedger, orderId: string, paymentId: string, amount: number) =>
  ledger.execute(creditStream('cust-1'), {
    aggregate: 'credit',
    command: { type: 'SpendCredit', customerId: 'cust-1', orderId, paymentId, amount, currency: 'CNY' },
  }, finance);

describe('store credit through the order process', () => {
  it('grants a refund paid as store credit and the goodwill credit of the approval', () => {
    const ledger = run(refundedAsCredit);
    expect(ledger.payment('s1').refunds).toEqual([expect.objectContaining({ method: 'store_credit', paymentId: null, amount: 3000 })]);
    const grants = ledger.credit('cust-1').grants;
    expect(grants.map(({ source, amount, expiresAt, orderId }) => ({ source, amount, expiresAt, orderId }))).toEqual([
      { source: 'refund', amount: 3000, expiresAt: null, orderId: 's1' },
      { source: 'goodwill', amount: 500, expiresAt: '2026-12-31T00:00:00.000Z', orderId: 's1' },
    ]);
    expect(ledger.order('s1')?.status).toBe('cancelled');
  });

  it.each(crashCases([refundedAsCredit]))('%s: a crash after step %i of %i ends the same', (_name, after, _steps, scenario) => expectCrashSafe(scenario, after));

  it('records a payment drawn on credit under the id its spend reserved (recovery of a spend without its payment)', () => {
    const ledger = play(new InMemoryLedger(), [...stocked, ...placeSale('s1')]);
    grantCredit(ledger, 2000);
    spendOn(ledger, 's1', 'P1', 1500);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.payment('s1').payments).toEqual([expect.objectContaining({ paymentId: 'P1', method: 'store_credit', amount: 1500 })]);
    expect(runOrderProcess(ledger, 's1', system).steps).toEqual([]);
  });

  it('gives the credit back when the order no longer takes the payment', () => {
    const ledger = play(new InMemoryLedger(), [...stocked, ...placeSale('s1'), ...requestCancellation('s1', 'company'), ...approve('s1')]);
    grantCredit(ledger, 2000);
    spendOn(ledger, 's1', 'P1', 1500);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.payment('s1').paid).toBe(0);
    expect(ledger.credit('cust-1').spends[0].restored).toBe(true);
    expect(ledger.credit('cust-1').grants.reduce((sum, grant) => sum + grant.remaining, 0)).toBe(2000);
  });

  it('gives the credit back when another payment took its id first', () => {
    const ledger = play(new InMemoryLedger(), [...stocked, ...placeSale('s1')]);
    grantCredit(ledger, 2000);
    spendOn(ledger, 's1', 'P1', 1000);
    ledger.execute(paymentStream('s1'), { aggregate: 'payment', command: { type: 'RecordPayment', orderId: 's1', amount: 500, method: 'cash', terms: paymentTerms(ledger.order('s1')!) } }, finance);
    runOrderProcess(ledger, 's1', system);
    expect(ledger.payment('s1').payments.map((entry) => entry.method)).toEqual(['cash']);
    expect(ledger.credit('cust-1').spends[0].restored).toBe(true);
  });

  it('a store credit payment refunded by its original route goes back as store credit', () => {
    const ledger = play(new InMemoryLedger(), [...stocked, ...placeSale('s1')]);
    grantCredit(ledger, 5000);
    spendOn(ledger, 's1', 'P1', 1000);
    runOrderProcess(ledger, 's1', system);
    play(ledger, [...pay('s1', 1000), ...requestCancellation('s1', 'company'), ...approve('s1')]);
    expect(ledger.payment('s1').refunds.map(({ method, paymentId, amount }) => ({ method, paymentId, amount }))).toEqual([
      { method: 'card', paymentId: 'P2', amount: 1000 },
      { method: 'store_credit', paymentId: 'P1', amount: 1000 },
    ]);
    const ledgerOfCredit = ledger.credit('cust-1');
    expect(ledgerOfCredit.grants.filter((grant) => grant.source === 'refund').map((grant) => grant.amount)).toEqual([1000]);
    expect(ledgerOfCredit.grants.reduce((sum, grant) => sum + grant.remaining, 0)).toBe(5000);
  });
});
