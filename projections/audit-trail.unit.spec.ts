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

  it('never rewrites an entry when an event is delivered again', () => {
    const log = new EventLog();
    const placed = log.append(orderStream('o1'), orderFacts('o1').salePlaced());
    const entry = fold(auditTrailView, [placed]).get('1')!;
    expect(auditTrailView.apply(entry, { ...placed, metadata: { actor: { id: 'mallory', roles: [] } } }, '1')).toBe(entry);
  });

  it('leaves out events of API keys and idempotency records, which are not business facts', () => {
    const log = new EventLog();
    const issued = log.append('apikeys', { type: 'ApiKeyIssued', data: { keyId: 'k1' } });
    const recorded = log.append('idempotency-abc', { type: 'IdempotentResponseRecorded', data: {} });
    const product = log.append(productStream('TEA-1'), { type: 'ProductRegistered', data: { sku: 'TEA-1', name: 'Longjing', spec: null, unit: 'pcs', price: 1999, minStock: null, maxStock: null } });
    expect([...fold(auditTrailView, [issued, recorded, product]).keys()]).toEqual(['3']);
  });
});
