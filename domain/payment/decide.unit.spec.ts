import { describe, it } from '@jest/globals';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { type PaymentEvent } from './events.js';
import { type PaymentTerms, paymentDecider } from './index.js';

const { given } = deciderSpec(paymentDecider, asUser('fiona', 'finance'));
const orderId = 'o1';
const money = (amount: number) => ({ orderId, amount, currency: 'CNY' });
const sale: PaymentTerms = { kind: 'sale', total: 1000, currency: 'CNY', open: true };
const purchase: PaymentTerms = { kind: 'purchase', total: 5000, currency: 'CNY', open: true };

const paid = (amount: number, paymentId = 'P1', method = 'card'): PaymentEvent => ({ type: 'PaymentReceived', data: { ...money(amount), method, paymentId, at: SPEC_NOW } });
/** A v1 payment as read from the store: no id, named by its place. */
const paidV1 = (amount: number, method = 'card'): PaymentEvent => ({ type: 'PaymentReceived', data: { ...money(amount), method } });
const refunded = (amount: number, paymentId: string | null = null, method = 'original'): PaymentEvent => ({
  type: 'RefundIssued',
  data: { ...money(amount), method, paymentId, requestedMethod: 'original', at: SPEC_NOW },
});
const committed = (amount: number): PaymentEvent => ({ type: 'FundsCommitted', data: money(amount) });
const deposit = (amount: number): PaymentEvent => ({ type: 'DepositPaid', data: { ...money(amount), method: 'bank_transfer' } });
const due = (amount: number): PaymentEvent => ({ type: 'SupplierRefundDue', data: money(amount) });

describe('payment: sale orders', () => {
  it('records a customer payment', () =>
    given().when({ type: 'RecordPayment', orderId, amount: 400, method: 'card', terms: sale }).then(paid(400)));

  it('accepts a payment of exactly what is outstanding, named after the payments before it', () =>
    given(paid(400)).when({ type: 'RecordPayment', orderId, amount: 600, method: 'card', terms: sale }).then(paid(600, 'P2')));
  it('names a new payment after v1 payments the same way they are read (P<n>)', () =>
    given(paidV1(100), paidV1(100)).when({ type: 'RecordPayment', orderId, amount: 100, method: 'cash', terms: sale }).then(paid(100, 'P3', 'cash')));

  it('refuses a payment beyond what is outstanding', () =>
    given(paid(400)).when({ type: 'RecordPayment', orderId, amount: 601, method: 'card', terms: sale }).thenFails('overpayment', { outstanding: 600, amount: 601 }));

  it('counts refunds out of what was paid: a refunded amount may be paid again', () =>
    given(paid(1000), refunded(300)).when({ type: 'RecordPayment', orderId, amount: 300, method: 'card', terms: sale }).then(paid(300, 'P2')));

  it('refuses a payment beyond the amount due less what was kept', () =>
    given(paid(1000), refunded(300)).when({ type: 'RecordPayment', orderId, amount: 301, method: 'card', terms: sale }).thenFails('overpayment', {
      outstanding: 300,
      paid: 1000,
      refunded: 300,
    }));

  it('refuses any payment once what was kept covers a lowered amount due', () =>
    given(paid(1000)).when({ type: 'RecordPayment', orderId, amount: 1, method: 'card', terms: { ...sale, total: 800 } }).thenFails('overpayment', { outstanding: 0 }));

  it('refuses a payment on an order that no longer accepts payments', () =>
    given().when({ type: 'RecordPayment', orderId, amount: 1, method: 'card', terms: { ...sale, open: false } }).thenFails('invalid_transition'));

  it('refuses a fractional amount', () =>
    given().when({ type: 'RecordPayment', orderId, amount: 10.5, method: 'card', terms: sale }).thenFails('validation_failed'));

  it('refuses a payment without a method', () =>
    given().when({ type: 'RecordPayment', orderId, amount: 10, method: '', terms: sale }).thenFails('validation_failed'));

  it('refunds up to the target by the route of the payment (original)', () =>
    given(paid(1000), refunded(300, 'P1', 'card')).when({ type: 'IssueRefund', orderId, refundedTotal: 1000, method: 'original', currency: 'CNY' }).then(refunded(700, 'P1', 'card')));
  it('splits an original refund over the payments latest first, each by its own route', () =>
    given(paid(500, 'P1', 'card'), paid(300, 'P2', 'alipay'), paid(200, 'P3', 'wechat'))
      .when({ type: 'IssueRefund', orderId, refundedTotal: 600, method: 'original', currency: 'CNY' })
      .then(refunded(200, 'P3', 'wechat'), refunded(300, 'P2', 'alipay'), refunded(100, 'P1', 'card')));
  it('never takes back from a payment more than it brought less what went back against it', () =>
    given(paid(500, 'P1', 'card'), paid(300, 'P2', 'alipay'), refunded(250, 'P2', 'alipay'))
      .when({ type: 'IssueRefund', orderId, refundedTotal: 450, method: 'original', currency: 'CNY' })
      .then(refunded(50, 'P2', 'alipay'), refunded(150, 'P1', 'card')));
  it('refunds a store credit payment back as store credit', () =>
    given(paid(500, 'P1', 'store_credit')).when({ type: 'IssueRefund', orderId, refundedTotal: 200, method: 'original', currency: 'CNY' }).then(refunded(200, 'P1', 'store_credit')));
  it('names v1 payments P<n> when splitting', () =>
    given(paidV1(100, 'card'), paidV1(100, 'cash')).when({ type: 'IssueRefund', orderId, refundedTotal: 150, method: 'original', currency: 'CNY' }).then(
      refunded(100, 'P2', 'cash'),
      refunded(50, 'P1', 'card'),
    ));
  it('refunds by the route the approver chose, naming no payment', () =>
    given(paid(500)).when({ type: 'IssueRefund', orderId, refundedTotal: 500, method: 'store_credit', currency: 'CNY' }).then({
      type: 'RefundIssued',
      data: { ...money(500), method: 'store_credit', paymentId: null, requestedMethod: 'store_credit', at: SPEC_NOW },
    }));
  it('records a store credit payment under the id its spend reserved', () =>
    given(paid(100)).when({ type: 'RecordCreditPayment', orderId, paymentId: 'P2', amount: 300, terms: sale }).then(paid(300, 'P2', 'store_credit')));
  it('recording the same store credit payment again emits nothing', () =>
    given(paid(300, 'P1', 'store_credit')).when({ type: 'RecordCreditPayment', orderId, paymentId: 'P1', amount: 300, terms: sale }).thenNothing());
  it('refuses a store credit payment whose id another payment took', () =>
    given(paid(100, 'P1', 'card')).when({ type: 'RecordCreditPayment', orderId, paymentId: 'P1', amount: 300, terms: sale }).thenFails('invalid_transition'));
  it('refuses a store credit payment beyond what is outstanding', () =>
    given(paid(800)).when({ type: 'RecordCreditPayment', orderId, paymentId: 'P2', amount: 300, terms: sale }).thenFails('overpayment'));
  it('repeating a reached refund target emits nothing', () =>
    given(paid(500), refunded(500, 'P1', 'card')).when({ type: 'IssueRefund', orderId, refundedTotal: 500, method: 'original', currency: 'CNY' }).thenNothing());

  it('refuses a refund beyond what was paid', () =>
    given(paid(500)).when({ type: 'IssueRefund', orderId, refundedTotal: 501, method: 'original', currency: 'CNY' }).thenFails('refund_exceeds_paid', { paid: 500 }));

  it('refuses an unknown refund method', () =>
    given(paid(500)).when({ type: 'IssueRefund', orderId, refundedTotal: 500, method: 'cheque' as 'cash', currency: 'CNY' }).thenFails('validation_failed'));
});

describe('payment: purchase orders', () => {
  it('commits the order total at placement', () =>
    given().when({ type: 'CommitFunds', orderId, amount: 5000, currency: 'CNY' }).then(committed(5000)));

  it('committing twice emits nothing', () => given(committed(5000)).when({ type: 'CommitFunds', orderId, amount: 5000, currency: 'CNY' }).thenNothing());

  it('records a deposit paid to the supplier', () =>
    given(committed(5000)).when({ type: 'RecordPayment', orderId, amount: 1500, method: 'bank_transfer', terms: purchase }).then(deposit(1500)));

  it('refuses deposits beyond the order total', () =>
    given(committed(5000), deposit(4000)).when({ type: 'RecordPayment', orderId, amount: 1001, method: 'bank_transfer', terms: purchase }).thenFails('overpayment'));

  it('releases committed funds up to the target', () =>
    given(committed(5000)).when({ type: 'ReleaseFunds', orderId, releasedTotal: 3000, currency: 'CNY' }).then({ type: 'FundsReleased', data: money(3000) }));

  it('releasing a reached target again emits nothing', () =>
    given(committed(5000), { type: 'FundsReleased', data: money(5000) }).when({ type: 'ReleaseFunds', orderId, releasedTotal: 5000, currency: 'CNY' }).thenNothing());

  it('refuses to release more than was committed', () =>
    given(committed(5000)).when({ type: 'ReleaseFunds', orderId, releasedTotal: 5001, currency: 'CNY' }).thenFails('invalid_transition'));

  it('records deposits as a supplier refund due', () =>
    given(committed(5000), deposit(1500)).when({ type: 'RecordSupplierRefundDue', orderId, dueTotal: 1500, currency: 'CNY' }).then(due(1500)));

  it('recording the same refund due again emits nothing', () =>
    given(committed(5000), deposit(1500), due(1500)).when({ type: 'RecordSupplierRefundDue', orderId, dueTotal: 1500, currency: 'CNY' }).thenNothing());

  it('records goods returned to the supplier as due back even beyond the deposits', () =>
    given(committed(5000), deposit(1500)).when({ type: 'RecordSupplierRefundDue', orderId, dueTotal: 2000, currency: 'CNY' }).then(due(2000)));

  it('refuses a refund due beyond both the deposits and the committed total', () =>
    given(committed(5000), deposit(1500)).when({ type: 'RecordSupplierRefundDue', orderId, dueTotal: 5001, currency: 'CNY' }).thenFails('refund_exceeds_paid', {
      deposits: 1500,
      committed: 5000,
    }));

  it('records the supplier paying back what it owes', () =>
    given(committed(5000), deposit(1500), due(1500)).when({ type: 'ReceiveSupplierRefund', orderId, amount: 1500, method: 'bank_transfer' }).then({
      type: 'SupplierRefundReceived',
      data: { ...money(1500), method: 'bank_transfer' },
    }));

  it('refuses a supplier refund beyond what it owes', () =>
    given(committed(5000), deposit(1500), due(1500)).when({ type: 'ReceiveSupplierRefund', orderId, amount: 1501, method: 'bank_transfer' }).thenFails('overpayment'));

  it('records a penalty paid by the supplier', () =>
    given(committed(5000)).when({ type: 'RecordPenalty', orderId, amount: 200, payer: 'supplier', currency: 'CNY' }).then({
      type: 'PenaltyRecorded',
      data: { ...money(200), payer: 'supplier' },
    }));

  it('records a penalty paid by the company', () =>
    given(committed(5000)).when({ type: 'RecordPenalty', orderId, amount: 200, payer: 'company', currency: 'CNY' }).then({
      type: 'PenaltyRecorded',
      data: { ...money(200), payer: 'company' },
    }));

  it('recording the penalty twice emits nothing', () =>
    given(committed(5000), { type: 'PenaltyRecorded', data: { ...money(200), payer: 'company' } })
      .when({ type: 'RecordPenalty', orderId, amount: 200, payer: 'company', currency: 'CNY' })
      .thenNothing());

  it('refuses a penalty payer other than company or supplier', () =>
    given(committed(5000)).when({ type: 'RecordPenalty', orderId, amount: 200, payer: 'customer' as 'company', currency: 'CNY' }).thenFails('validation_failed'));
});
