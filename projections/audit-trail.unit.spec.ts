import { describe, expect, it } from '@jest/globals';

import { orderStream, paymentStream, productStream, stockStream } from '../domain/shared/streams.js';
import { orderFacts } from '../test/support/order-fixtures.js';
import { EventLog, fold } from '../test/support/projection-spec.js';
import { auditTrailView } from './audit-trail.js';

describe('audit_trail view', () => {
  it('has one entry per event: where, who, when, why, in which command, and the data', () => {
    const log = new EventLog();
    const requested = log.append(orderStream('o1'), orderFacts('o1').cancellationRequested('carol', 'customer'), {
      actor: { id: 'carol', roles: ['clerk'] },
      occurredAt: '2026-03-02T10:00:00.000Z',
      correlationId: 'corr-9',
      causationId: 'cmd-9',
      commandId: 'cmd-9',
    });
    const entry = fold(auditTrailView, [requested]).get(requested.position);
    expect(entry).toEqual({
      id: '1',
      position: '1',
      streamId: 'order-o1',
      revision: 0,
      type: 'CancellationRequested',
      occurredAt: '2026-03-02T10:00:00.000Z',
      actor: { id: 'carol', roles: ['clerk'] },
      reason: 'changed mind',
      correlationId: 'corr-9',
      causationId: 'cmd-9',
      commandId: 'cmd-9',
      orderId: 'o1',
      summary: 'cancellation of order o1 requested by carol (customer): changed mind',
      data: requested.data,
    });
  });

  it('links stock and payment entries to the order they were made for', () => {
    const log = new EventLog();
    const reserved = log.append(stockStream('main', 'TEA-1'), { type: 'StockReserved', data: { warehouseId: 'main', sku: 'TEA-1', orderId: 'o1', quantity: 2 } });
    const refund = log.append(paymentStream('o1'), { type: 'RefundIssued', data: { orderId: 'o1', amount: 3998, currency: 'CNY', method: 'original' } });
    const manual = log.append(stockStream('main', 'TEA-1'), { type: 'StockReceived', data: { warehouseId: 'main', sku: 'TEA-1', quantity: 5, orderId: null, note: 'opening' } });
    const entries = fold(auditTrailView, [reserved, refund, manual]);
    expect(entries.get('1')).toMatchObject({ orderId: 'o1', summary: 'TEA-1@main: 2 reserved for order o1' });
    expect(entries.get('2')).toMatchObject({ orderId: 'o1', summary: 'order o1: 3998 CNY refunded (original)' });
    expect(entries.get('3')).toMatchObject({ orderId: null, summary: 'TEA-1@main: 5 received (opening)' });
    expect(entries.get('3')).not.toHaveProperty('reason');
  });

  it('tells every step of an order in parts in one readable line, with who and why', () => {
    const log = new EventLog();
    const facts = orderFacts('o1');
    const purchase = orderFacts('p1');
    const as = (id: string) => ({ actor: { id, roles: ['clerk'] } });
    const amendment = {
      amendmentNo: 2,
      reason: 'customer wants more tea',
      amendedBy: 'carol',
      before: [{ sku: 'TEA-1', quantity: 2, unitPrice: 1999 }, { sku: 'CUP-1', quantity: 1, unitPrice: 500 }],
      after: [{ sku: 'TEA-1', quantity: 3, unitPrice: 1999 }, { sku: 'MUG-1', quantity: 1, unitPrice: 800 }],
    };
    const cases: [event: ReturnType<typeof facts.held>, actor: string, summary: string, reason?: string][] = [
      [facts.shipped([{ sku: 'TEA-1', quantity: 3 }], 'S2', 'SF', 'T1'), 'wendy', 'order o1 shipment S2 shipped by wendy: TEA-1 ×3 (SF T1)'],
      [facts.delivered(['S1', 'S2']), 'wendy', 'order o1: shipment S1, S2 delivered by wendy'],
      [facts.cancellationRequested('carol', 'customer', 'lines', [{ sku: 'TEA-1', quantity: 1 }]), 'carol', 'cancellation of TEA-1 ×1 of order o1 requested by carol (customer): changed mind', 'changed mind'],
      [facts.cancellationRequested('carol', 'company', 'remainder'), 'carol', 'cancellation of the remainder of order o1 requested by carol (company): changed mind', 'changed mind'],
      [
        facts.cancellationApproved('return_and_refund', { cancelledLines: [{ sku: 'TEA-1', quantity: 1 }], returnLines: [{ sku: 'CUP-1', quantity: 1 }], returnId: 'R1' }),
        'alice',
        'cancellation of order o1 approved by alice: return and refund; cancelled TEA-1 ×1; return R1 of CUP-1 ×1',
      ],
      [facts.returnRequested('R1', [{ sku: 'CUP-1', quantity: 1 }], 'cancellation', 'alice'), 'alice', 'order o1: return R1 of CUP-1 ×1 opened by the cancellation approved by alice: changed mind', 'changed mind'],
      [facts.returnRequested('R2', [{ sku: 'TEA-1', quantity: 2 }]), 'carol', 'order o1: return R2 of TEA-1 ×2 requested by carol (customer): does not fit', 'does not fit'],
      [facts.returnReceived([{ sku: 'TEA-1', quantity: 1, condition: 'damaged' }], 'R2'), 'wendy', 'order o1: return R2 received by wendy: TEA-1 ×1 damaged'],
      [facts.returnsClosed(['R2'], [{ sku: 'TEA-1', quantity: 1 }]), 'wendy', 'order o1: return R2 closed by wendy, not coming back: TEA-1 ×1: customer keeps them', 'customer keeps them'],
      [facts.held('wendy', 'address unclear'), 'wendy', 'order o1 put on hold by wendy: address unclear', 'address unclear'],
      [facts.holdReleased('alice', 'customer called back'), 'alice', 'order o1 released from hold by alice: customer called back', 'customer called back'],
      [facts.holdReleased('alice'), 'alice', 'order o1 released from hold by alice'],
      [
        facts.amendmentRequested(amendment),
        'carol',
        'order o1: amendment 2 by carol requested (increase to reserve): TEA-1 ×2 → ×3, CUP-1 ×1 → ×0, MUG-1 ×0 → ×1 @800: customer wants more tea',
        'customer wants more tea',
      ],
      [facts.amended(amendment), 'system', 'order o1: amendment 2 by carol applied: TEA-1 ×2 → ×3, CUP-1 ×1 → ×0, MUG-1 ×0 → ×1 @800: customer wants more tea', 'customer wants more tea'],
      [
        facts.amended({ ...amendment, amendmentNo: 3, before: amendment.after, after: [{ sku: 'TEA-1', quantity: 3, unitPrice: 1800 }, { sku: 'MUG-1', quantity: 1, unitPrice: 800 }] }),
        'carol',
        'order o1: amendment 3 by carol applied: TEA-1 ×3 → ×3 @1999 → @1800: customer wants more tea',
        'customer wants more tea',
      ],
      [facts.amendmentRefused(2), 'system', 'order o1: amendment 2 refused, short: TEA-1 (requested 3, available 1)'],
      [facts.closed(), 'system', 'order o1 closed'],
      [purchase.purchaseReturnRequested('PR1', [{ sku: 'TEA-1', quantity: 2 }]), 'wendy', 'order p1: purchase return PR1 of TEA-1 ×2 to the supplier requested by wendy: faulty batch', 'faulty batch'],
      [purchase.purchaseReturnCompleted('PR1'), 'system', 'order p1: purchase return PR1 done: the goods left the stock'],
      [
        purchase.purchaseReturnRefused('PR2', [{ sku: 'TEA-1', requested: 2, available: 1 }]),
        'system',
        'order p1: purchase return PR2 refused, not enough unreserved on hand: TEA-1 (requested 2, available 1)',
      ],
    ];
    for (const [event, actor, summary, reason] of cases) {
      const appended = log.append(orderStream(event.data.orderId), event, as(actor));
      const entry = fold(auditTrailView, [appended]).get(appended.position);
      expect({ type: event.type, summary: entry?.summary, reason: entry?.reason, actor: entry?.actor?.id }).toEqual({ type: event.type, summary, reason, actor });
    }
  });

  it('tells the stock side of orders in parts: goods back to the supplier, reservation setpoints', () => {
    const log = new EventLog();
    const where = { warehouseId: 'main', sku: 'TEA-1' };
    const back = log.append(stockStream('main', 'TEA-1'), { type: 'StockReturnedToSupplier', data: { ...where, orderId: 'p1', quantity: 2 } });
    const reserved = log.append(stockStream('main', 'TEA-1'), { type: 'StockReserved', data: { ...where, orderId: 'o1', quantity: 1, asOf: 3 } });
    const released = log.append(stockStream('main', 'TEA-1'), { type: 'StockReleased', data: { ...where, orderId: 'o1', quantity: 1, asOf: 4 } });
    const entries = fold(auditTrailView, [back, reserved, released]);
    expect(entries.get(back.position)).toMatchObject({ orderId: 'p1', summary: 'TEA-1@main: 2 sent back to the supplier of purchase order p1' });
    expect(entries.get(reserved.position)?.summary).toBe('TEA-1@main: 1 reserved for order o1 (requirement 3)');
    expect(entries.get(released.position)?.summary).toBe('TEA-1@main: 1 released from order o1 (requirement 4)');
  });

  it('never rewrites an entry when an event is delivered again', () => {
    const log = new EventLog();
    const placed = log.append(orderStream('o1'), orderFacts('o1').salePlaced());
    const entry = fold(auditTrailView, [placed]).get('1')!;
    expect(auditTrailView.apply(entry, { ...placed, metadata: { actor: { id: 'mallory', roles: [] } } }, '1')).toBe(entry);
  });

  it('leaves out idempotency records, which are not business facts', () => {
    const log = new EventLog();
    const recorded = log.append('idempotency-abc', { type: 'IdempotentResponseRecorded', data: {} });
    const product = log.append(productStream('TEA-1'), { type: 'ProductRegistered', data: { sku: 'TEA-1', name: 'Longjing', spec: null, unit: 'pcs', price: 1999, minStock: null, maxStock: null } });
    expect([...fold(auditTrailView, [recorded, product]).keys()]).toEqual(['2']);
  });

  it('records API keys issued and revoked as restricted access entries, with who did it and never the key hash', () => {
    const log = new EventLog();
    const admin = { actor: { id: 'root', roles: ['admin'] } };
    const issued = log.append('apikeys', { type: 'ApiKeyIssued', data: { keyId: 'k1', userId: 'alice', roles: ['clerk', 'finance'], keyHash: 'ab'.repeat(32), issuedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-02-01T00:00:00.000Z' } }, admin);
    const revoked = log.append('apikeys', { type: 'ApiKeyRevoked', data: { keyId: 'k1', revokedAt: '2026-01-02T00:00:00.000Z' } }, admin);
    const trail = fold(auditTrailView, [issued, revoked]);
    expect(trail.get(issued.position)).toMatchObject({
      type: 'ApiKeyIssued',
      actor: { id: 'root' },
      orderId: null,
      restricted: true,
      summary: 'API key k1 issued by root for alice as clerk, finance, expires at 2026-02-01T00:00:00.000Z',
      data: { keyId: 'k1', userId: 'alice', roles: ['clerk', 'finance'], expiresAt: '2026-02-01T00:00:00.000Z' },
    });
    expect(trail.get(revoked.position)).toMatchObject({ type: 'ApiKeyRevoked', restricted: true, summary: 'API key k1 revoked by root' });
    expect(JSON.stringify([...trail.values()])).not.toContain('abab');
  });
});
