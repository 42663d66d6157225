import { describe, expect, it } from '@jest/globals';

import { customerStream, productStream, supplierStream, warehouseStream } from '../domain/shared/streams.js';
import { EventLog, fold } from '../test/support/projection-spec.js';
import { customersView, productsView, suppliersView, warehousesView } from './master-data.js';

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
      preferredSupplierId: null,
      leadTimeDays: null,
      active: true,
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

  it('folds product changes into the product: the new price and name (searchable), inactive; a redelivered change is ignored', () => {
    const log = new EventLog();
    const registered = log.append(productStream('TEA-LJ'), { type: 'ProductRegistered', data: { sku: 'TEA-LJ', name: 'Longjing', spec: null, unit: 'pcs', price: 12800, minStock: null, maxStock: null } });
    const changed = log.append(productStream('TEA-LJ'), { type: 'ProductChanged', data: { sku: 'TEA-LJ', changes: { name: 'Longjing Premium', price: 13800, active: false }, changedBy: 'wes' } });
    const product = fold(productsView, [registered, changed, changed]).get('TEA-LJ');
    expect(product).toMatchObject({ name: 'Longjing Premium', nameLower: 'longjing premium', price: 13800, active: false, revision: 1, position: changed.position });
  });

  it('folds a customer change (as stored: its personal fields sealed) and keeps the rest', () => {
    const log = new EventLog();
    const registered = log.append(customerStream('c1'), { type: 'CustomerRegistered', data: { id: 'c1', name: 'Acme', phone: null, email: null, address: null } });
    const changed = log.append(customerStream('c1'), { type: 'CustomerChanged', data: { id: 'c1', changes: { phone: 'sealed-phone', active: false }, changedBy: 'carol' } });
    expect(fold(customersView, [registered, changed]).get('c1')).toMatchObject({ name: 'Acme', phone: 'sealed-phone', active: false, revision: 1 });
  });

  it('keeps each registered warehouse once', () => {
    const log = new EventLog();
    const registered = log.append(warehouseStream('SH_1'), { type: 'WarehouseRegistered', data: { warehouseId: 'SH_1', name: 'Shanghai', address: null } }, { occurredAt: '2026-01-02T03:04:05.000Z' });
    expect(fold(warehousesView, [registered]).get('SH_1')).toEqual({ id: 'SH_1', position: registered.position, warehouseId: 'SH_1', name: 'Shanghai', address: null, registeredAt: '2026-01-02T03:04:05.000Z' });
  });
});
