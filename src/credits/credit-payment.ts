import { creditStream, paymentDecider, paymentStream } from '../../domain/index.js';
import { type PaymentCommand, type PaymentTerms } from '../../domain/payment/commands.js';
import { paymentIdAt } from '../../domain/payment/events.js';
import { type Order } from '../../domain/order/state.js';
import { validationFailed } from '../platform/http/validation.js';
import { type AggregateRepository, type Executed } from '../platform/write-model/aggregate-repository.js';
import { creditAggregate, paymentAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';

/** The payment method that draws on the customer's store credit. */
const STORE_CREDIT = 'store_credit';

export const isCreditPayment = (command: PaymentCommand): command is Extract<PaymentCommand, { type: 'RecordPayment' }> =>
  command.type === 'RecordPayment' && typeof command.method === 'string' && command.method.trim() === STORE_CREDIT;

/**
 * `POST /api/orders/:id/payments {method: "store_credit"}`: spends the customer's credit (409 insufficient_credit),
 * the decision, under the payment id the payment will have (`P<n>`); the order's process, run next (inline, and by
 * recovery after a crash), records the `PaymentReceived` or gives the credit back if the order refused it meanwhile.
 * The payment is checked first against the order as it is now (409 overpayment, invalid_transition), so a payment
 * that would be refused spends nothing.
 */
export async function spendCreditForPayment(
  repository: AggregateRepository,
  order: Order,
  command: Extract<PaymentCommand, { type: 'RecordPayment' }>,
  terms: PaymentTerms,
  metadata: CommandMetadata,
  precondition: () => Promise<void>,
): Promise<Executed<unknown, unknown>> {
  if (order.kind !== 'sale') throw validationFailed([{ field: 'method', problems: ['store_credit pays sale orders only'] }]);
  const payment = await repository.load(paymentAggregate, paymentStream(order.orderId));
  const paymentId = paymentIdAt(payment.state.payments.length + 1);
  paymentDecider.decide({ type: 'RecordCreditPayment', orderId: order.orderId, paymentId, amount: command.amount, terms }, payment.state, {
    actor: metadata.actor,
    now: metadata.now,
  });
  return repository.execute(creditAggregate, creditStream(order.partyId), {
    type: 'SpendCredit',
    customerId: order.partyId,
    orderId: order.orderId,
    paymentId,
    amount: command.amount,
    currency: terms.currency,
  }, metadata, { precondition });
}
