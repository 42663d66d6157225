import { describe, expect, it } from '@jest/globals';

import type { Payment, Refund } from '../../api/types';
import { refundableByPayment, refundRoutes } from './refund-routes';

const payment = (paymentId: string, method: string, amount: number, at: string): Payment => ({ paymentId, method, amount, at });
const refund = (amount: number, paymentId: string | null, method = 'cash'): Refund => ({ method, amount, paymentId, at: '2026-12-01T12:00:00Z' });

const alipay = payment('P1', 'alipay', 3000, '2026-12-01T09:00:00Z');
const wechat = payment('P2', 'wechat', 2000, '2026-12-01T10:00:00Z');

describe('refund by route: the preview of where the money goes back', () => {
  it('original: the latest payment first, then the earlier one for the rest', () => {
    expect(refundRoutes(4500, 'original', [alipay, wechat])).toEqual([
      { method: 'wechat', paymentId: 'P2', amount: 2000 },
      { method: 'alipay', paymentId: 'P1', amount: 2500 },
    ]);
  });

  it('original: a refund smaller than the latest payment goes back through it alone', () => {
    expect(refundRoutes(1200, 'original', [wechat, alipay])).toEqual([{ method: 'wechat', paymentId: 'P2', amount: 1200 }]);
  });

  it('never gives back through a payment more than it brought, less what was refunded through it already', () => {
    const parts = refundRoutes(3500, 'original', [alipay, wechat], [refund(1500, 'P2', 'wechat')]);
    expect(parts).toEqual([
      { method: 'wechat', paymentId: 'P2', amount: 500 },
      { method: 'alipay', paymentId: 'P1', amount: 3000 },
    ]);
    expect(parts.reduce((total, part) => total + part.amount, 0)).toBe(3500);
  });

  it('refunds that name no payment are counted against the latest payments, so nothing is given back twice', () => {
    expect(refundableByPayment([alipay, wechat], [refund(2500, null)])).toEqual(new Map([['P1', 2500], ['P2', 0]]));
    expect(refundRoutes(2500, 'original', [alipay, wechat], [refund(2500, null)])).toEqual([{ method: 'alipay', paymentId: 'P1', amount: 2500 }]);
  });

  it('what no listed payment covers stays one "original" part, so the parts always add up to the refund', () => {
    expect(refundRoutes(900, 'original')).toEqual([{ method: 'original', paymentId: null, amount: 900 }]);
    expect(refundRoutes(5500, 'original', [alipay, wechat])).toEqual([
      { method: 'wechat', paymentId: 'P2', amount: 2000 },
      { method: 'alipay', paymentId: 'P1', amount: 3000 },
      { method: 'original', paymentId: null, amount: 500 },
    ]);
  });

  it('cash or store credit chosen by the approver: one part by that route, no payment named; nothing to refund, no part', () => {
    expect(refundRoutes(4500, 'cash', [alipay, wechat])).toEqual([{ method: 'cash', paymentId: null, amount: 4500 }]);
    expect(refundRoutes(4500, 'store_credit', [alipay, wechat])).toEqual([{ method: 'store_credit', paymentId: null, amount: 4500 }]);
    expect(refundRoutes(0, 'original', [alipay])).toEqual([]);
  });

  it('payments at the same moment: the one listed later counts as the latest', () => {
    const same = payment('P3', 'card', 1000, wechat.at);
    expect(refundRoutes(1000, 'original', [wechat, same])).toEqual([{ method: 'card', paymentId: 'P3', amount: 1000 }]);
  });
});
