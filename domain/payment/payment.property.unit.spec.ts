import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { isDomainError } from '../shared/domain-error.js';
import { type PaymentCommand, paymentDecider, type PaymentEvent, type PaymentTerms } from './index.js';

const context = asUser('fiona', 'finance');
const orderId = 'o1';

const commandsFor = (terms: PaymentTerms): fc.Arbitrary<PaymentCommand> =>
  fc.oneof(
    fc.integer({ min: 1, max: terms.total + 100 }).map((amount): PaymentCommand => ({ type: 'RecordPayment', orderId, amount, method: 'card', terms })),
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
  it('refunds never exceed payments and what the customer keeps paid never exceeds the amount due', () =>
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
        expect(history.reduce(paymentDecider.evolve, paymentDecider.initialState)).toEqual(payment);
      }),
      { numRuns: 300 },
    ));
});
