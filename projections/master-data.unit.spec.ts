import { describe, expect, it } from '@jest/globals';

import { customerStream, productStream, supplierStream } from '../domain/shared/streams.js';
import { EventLog, fold } from '../test/support/projection-spec.js';
import { customersView, productsView, suppliersView } from './master-data.js';

describe('products, customers and suppliers views', () => {
  it('keeps a product with lower-cased sku and name for case-insensitive prefix search', () => {
    const log = new EventLog();
    const registered = log.append(productStream('TEA-LJ'), { type: 'ProductRegistered', data: { sku: 'TEA-LJ', name: 'Longjing 龙井', spec: '250g', unit: 'box', price: 12800, minStock: 5, maxStock: 50 } }, { occurredAt: '2026-01-02T03:04:05.000Z' });
    expect(fold(productsView, [registered]).get('TEA-LJ')).toEqual({
      id: 'TEA-LJ',
      position: '1',
      revision: 0,
      sku: 'TEA-LJ',
      name: 'Longjing 龙井',
      spec: '250g',
      unit: 'box',
      price: 12800,
      minStock: 5,
      maxStock: 50,
      skuLower: 'tea-lj',
      nameLower: 'longjing 龙井',
      registeredAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('keeps customers and suppliers apart', () => {
    const log = new EventLog();
    const party = { id: 'c1', name: 'Acme', phone: null, email: 'a@example.com', address: null };
    const customer = log.append(customerStream('c1'), { type: 'CustomerRegistered', data: party });
    const supplier = log.append(supplierStream('c1'), { type: 'SupplierRegistered', data: { ...party, name: 'Acme Supply' } });
    expect(fold(customersView, [customer, supplier]).get('c1')).toMatchObject({ name: 'Acme', email: 'a@example.com' });
    expect(fold(suppliersView, [customer, supplier]).get('c1')).toMatchObject({ name: 'Acme Supply' });
  });
});
