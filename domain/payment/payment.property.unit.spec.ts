import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { isDomainError } from '../shared/domain-error.js';
import { type PaymentCommand, paymentDecider, type PaymentEvent, type PaymentReceived, type PaymentTerms, type RefundIssued } from './index.js';

const context = asUser('fiona', 'finance');
const orderId = 'o1';

const commandsFor = (terms: PaymentTerms): fc.Arbitrary<PaymentCommand> =>
  fc.oneof(
    fc.record({ amount: fc.integer({ min: 1, max: terms.total + 100 }), method: fc.constantFrom('card', 'alipay', 'wechat', 'cash', 'store_credit') })
      .map(({ amount, method }): PaymentCommand => ({ type: 'RecordPayment', orderId, amount, method, terms })),
    fc.record({
      refundedTotal: fc.integer({ min: 0, max: terms.total + 100 }),
      method: fc.constantFrom('original' as const, 'cash' as const, 'bank_transfer' as const, 'store_credit' as const),
    }).map((c): PaymentCommand => ({ type: 'IssueRefund', orderId, currency: 'CNY', ...c })),
  );

const scenario = fc.integer({ min: 1, max: 100_000 }).chain((total) => {
  const terms: PaymentTerms = { kind: 'sale', total, currency: 'CNY', open: true };
  return fc.tuple(fc.constant(terms), fc.array(commandsFor(terms), { maxLength: 40, size: 'max' }));
});

describe('sale payments under random payments and refunds', () => {
  it('refunds never exceed payments, by route never more than each payment brought, and what the customer keeps paid never exceeds the amount due', () =>
    fc.assert(
      fc.property(scenario, ([terms, commands]) => {
        let payment = paymentDecider.initialState;
        const history: PaymentEvent[] = [];
        for (const command of commands) {
          let events: PaymentEvent[] = [];
          try {
            events = paymentDecider.decide(command, payment, context);
          } catch (error) {
            if (!isDomainError(error)) throw error;
            expect(['overpayment', 'refund_exceeds_paid']).toContain(error.code);
          }
          payment = events.reduce(paymentDecider.evolve, payment);
          history.push(...events);
          expect(payment.refunded).toBeLessThanOrEqual(payment.paid);
          expect(payment.paid - payment.refunded).toBeLessThanOrEqual(terms.total);
        }
        // Refunds by route: each payment got back at most what it brought, by its own method.
        const payments = history.filter((event): event is PaymentReceived => event.type === 'PaymentReceived');
        const refunds = history.filter((event): event is RefundIssued => event.type === 'RefundIssued');
        for (const [index, paid] of payments.entries()) {
          const id = paid.data.paymentId;
          expect(id).toBe(`P${index + 1}`);
          const back = refunds.filter((event) => event.data.paymentId === id);
          expect(back.every((event) => event.data.method === paid.data.method)).toBe(true);
          expect(back.reduce((sum, event) => sum + event.data.amount, 0)).toBeLessThanOrEqual(paid.data.amount);
        }
        for (const event of refunds) expect(event.data.paymentId === null).toBe(event.data.requestedMethod !== 'original');
        expect(history.reduce(paymentDecider.evolve, paymentDecider.initialState)).toEqual(payment);
      }),
      { numRuns: 300 },
    ));
});
