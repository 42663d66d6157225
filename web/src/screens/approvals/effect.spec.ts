import { describe, expect, it } from '@jest/globals';

import { anOrder, requested } from '../orders/order-fixture';
import { approvalPreview } from './effect';

describe('what approving a cancellation will do, shown before deciding', () => {
  it('a sale not shipped: every reserved unit released, what was paid refunded, the order cancelled, a goodwill credit possible for a customer\'s request', () => {
    const preview = approvalPreview(anOrder({ paid: 2000, cancellation: requested() }, [{}, { quantity: 2, reserved: 2, unitPrice: 500 }]));
    expect(preview.value).toBe(4000);
    expect(preview.effects).toEqual([
      { kind: 'release', lines: [{ sku: 'SKU-1', quantity: 3 }, { sku: 'SKU-2', quantity: 2 }] },
      { kind: 'refund', amount: 2000, paid: 2000, parts: [{ method: 'original', paymentId: null, amount: 2000 }] },
      { kind: 'cancelOrder' },
      { kind: 'credit' },
    ]);
  });

  it('part of a partly shipped sale: the unshipped units are released, the rest comes back through a return, the refund never exceeds what was paid', () => {
    const order = anOrder({ status: 'partially_shipped', paid: 1500, cancellation: requested({ scope: 'lines', lines: [{ sku: 'SKU-1', quantity: 3 }], initiatedBy: 'company' }) }, [{ quantity: 4, reserved: 2, shipped: 2 }]);
    const preview = approvalPreview(order);
    expect(preview.value).toBe(3000);
    expect(preview.effects).toEqual([
      { kind: 'release', lines: [{ sku: 'SKU-1', quantity: 2 }] },
      { kind: 'returnGoods', lines: [{ sku: 'SKU-1', quantity: 1 }] },
      { kind: 'refund', amount: 1500, paid: 1500, parts: [{ method: 'original', paymentId: null, amount: 1500 }] },
      { kind: 'credit' },
    ]);
  });

  it('the remainder of a sale: only the unshipped units, nothing comes back, no refund when nothing was paid', () => {
    const order = anOrder({ status: 'partially_shipped', cancellation: requested({ scope: 'remainder', initiatedBy: 'company' }) }, [{ quantity: 4, reserved: 1, shipped: 3 }]);
    expect(approvalPreview(order)).toEqual({ value: 1000, effects: [{ kind: 'release', lines: [{ sku: 'SKU-1', quantity: 1 }] }, { kind: 'noRefund' }, { kind: 'closeRemainder' }, { kind: 'credit' }] });
  });

  it('the refund follows the route the approver picks: split over two payments latest first, or one route; a goodwill credit for a company-initiated request', () => {
    const payments = [
      { paymentId: 'P1', method: 'alipay', amount: 1000, at: '2026-12-01T08:10:00Z' },
      { paymentId: 'P2', method: 'cash', amount: 1500, at: '2026-12-01T08:20:00Z' },
    ];
    const order = anOrder({ paid: 2500, payments, refunds: [], cancellation: requested({ initiatedBy: 'company' }) }, [{ quantity: 1, reserved: 1, unitPrice: 2500 }]);
    const refundOf = (preview: ReturnType<typeof approvalPreview>) => preview.effects.find((effect) => effect.kind === 'refund');
    expect(refundOf(approvalPreview(order))).toEqual({
      kind: 'refund', amount: 2500, paid: 2500,
      parts: [{ method: 'cash', paymentId: 'P2', amount: 1500 }, { method: 'alipay', paymentId: 'P1', amount: 1000 }],
    });
    expect(refundOf(approvalPreview(order, { refundMethod: 'store_credit' }))).toMatchObject({ parts: [{ method: 'store_credit', paymentId: null, amount: 2500 }] });
    expect(approvalPreview(order, { goodwill: { amount: 500, expiresAt: '2027-01-31T00:00:00Z' } }).effects.at(-1)).toEqual({ kind: 'goodwill', amount: 500, expiresAt: '2027-01-31T00:00:00Z' });
  });

  it('a purchase partly received: stops expecting the rest, releases its funds, deposits become due from the supplier, the order closes', () => {
    const order = anOrder({ kind: 'purchase', status: 'partially_received', paid: 800, cancellation: requested({ initiatedBy: 'supplier' }) }, [{ quantity: 5, reserved: 0, received: 2 }]);
    expect(approvalPreview(order)).toEqual({
      value: 3000,
      effects: [{ kind: 'stopIncoming', lines: [{ sku: 'SKU-1', quantity: 3 }] }, { kind: 'releaseFunds' }, { kind: 'depositDue', amount: 800 }, { kind: 'partlyReceived' }, { kind: 'penalty' }],
    });
  });
});
