import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// GET /api/planning/reorder as a buyer reads it after a day of trading: demand from today's sales (a sale the stock
// could not serve included), the lead time measured on a received purchase, the supplier of the latest purchase,
// position = on hand + incoming − reserved, and the suggestion in whole units; roles and bad parameters refused.

interface Item {
  sku: string;
  warehouseId: string;
  dailyDemand: number;
  leadTimeDays: number;
  safetyStock: number;
  reorderPoint: number;
  position: number;
  suggestedQuantity: number;
  supplierId: string | null;
}

let jxc: RunningApp;
let analyst: string;
let lastPosition: string;

const admin = () => jxc.as(ADMIN_KEY);
const post = (path: string, body: object) => jxc.http.post(path).set(admin()).send(body);
const reorder = (key: string, query = '') => jxc.http.get(`/api/planning/reorder?minPosition=${lastPosition}${query}`).set(jxc.as(key));

beforeAll(async () => {
  jxc = await startApp();
  analyst = await jxc.keyFor('ann', 'analyst');
  for (const sku of ['TEA-P', 'CUP-P', 'PLATE-P']) await post('/api/products', { sku, name: sku, price: 1000 }).expect(201);
  await post('/api/customers', { id: 'C-P', name: '王芳' }).expect(201);
  await post('/api/suppliers', { id: 'SUP-A', name: '杭州茶厂' }).expect(201);
  await post('/api/suppliers', { id: 'SUP-B', name: '龙井合作社' }).expect(201);
  await post('/api/stock/receipts', { sku: 'TEA-P', quantity: 20 }).expect(201);
  // A purchase received at once (lead time measured: 1 day, the least), then a later one still on its way.
  await post('/api/orders', { orderId: 'PO-P1', kind: 'purchase', partyId: 'SUP-A', lines: [{ sku: 'TEA-P', quantity: 10, unitPrice: 500 }] }).expect(201);
  await post('/api/orders/PO-P1/receive', { lines: [{ sku: 'TEA-P', quantity: 10 }] }).expect(200);
  await post('/api/orders', { orderId: 'PO-P2', kind: 'purchase', partyId: 'SUP-B', lines: [{ sku: 'TEA-P', quantity: 30, unitPrice: 480 }] }).expect(201);
  // Today's sales: 10 TEA-P reserved; 3 CUP-P asked for with none in stock (rejected, still demand).
  await post('/api/orders', { orderId: 'SO-P1', kind: 'sale', partyId: 'C-P', lines: [{ sku: 'TEA-P', quantity: 6, unitPrice: 1000 }] }).expect(201);
  await post('/api/orders', { orderId: 'SO-P2', kind: 'sale', partyId: 'C-P', lines: [{ sku: 'TEA-P', quantity: 4, unitPrice: 1000 }] }).expect(201);
  await post('/api/orders', { orderId: 'SO-P3', kind: 'sale', partyId: 'C-P', lines: [{ sku: 'CUP-P', quantity: 3, unitPrice: 1000 }] }).expect(409);
  // Stock in another warehouse, not sold: listed there only (warehouses are registered before use; `empty` holds nothing).
  await post('/api/warehouses', { id: 'north', name: 'North' }).expect(201);
  await post('/api/warehouses', { id: 'empty', name: 'Empty' }).expect(201);
  lastPosition = (await post('/api/stock/receipts', { sku: 'PLATE-P', quantity: 5, warehouseId: 'north' }).expect(201)).body.position as string;
});

afterAll(async () => {
  await jxc?.close();
});

describe('GET /api/planning/reorder', () => {
  it('plans every SKU of the warehouse from its demand, lead time, position and latest supplier, in whole units', async () => {
    const response = await reorder(analyst).expect(200);
    const items = response.body.items as Item[];
    expect(items.map((item) => item.sku)).toEqual(['CUP-P', 'TEA-P']);
    // TEA-P: demand 10/day (one day of history: σ = √10), lead time 1 day (the purchase received),
    // safety ⌈1.645 · 3.162 · 1⌉ = 6, reorder point 10 + 6 = 16, position 30 on hand + 30 incoming − 10 reserved = 50,
    // suggestion 16 + 7 · 10 − 50 = 36 from SUP-B (the latest purchase, not the one received).
    expect(items[1]).toEqual({ sku: 'TEA-P', warehouseId: 'main', dailyDemand: 10, leadTimeDays: 1, safetyStock: 6, reorderPoint: 16, position: 50, suggestedQuantity: 36, supplierId: 'SUP-B' });
    // CUP-P: demand 3/day, never purchased: default lead time 7 days, no supplier;
    // safety ⌈1.645 · √3 · √7⌉ = ⌈7.54⌉ = 8, reorder point 21 + 8 = 29, suggestion 29 + 21 − 0 = 50.
    expect(items[0]).toEqual({ sku: 'CUP-P', warehouseId: 'main', dailyDemand: 3, leadTimeDays: 7, safetyStock: 8, reorderPoint: 29, position: 0, suggestedQuantity: 50, supplierId: null });
  });

  it('answers one warehouse at a time: stock without sales gets no suggestion', async () => {
    const items = (await reorder(analyst, '&warehouseId=north').expect(200)).body.items as Item[];
    expect(items).toEqual([{ sku: 'PLATE-P', warehouseId: 'north', dailyDemand: 0, leadTimeDays: 7, safetyStock: 0, reorderPoint: 0, position: 5, suggestedQuantity: 0, supplierId: null }]);
    expect((await reorder(analyst, '&warehouseId=empty').expect(200)).body).toEqual({ items: [] });
  });

  it('lets analysts, auditors and finance read it, and no other role', async () => {
    for (const role of ['auditor', 'finance'] as const) {
      expect((await reorder(await jxc.keyFor(`${role}-p`, role)).expect(200)).body.items).toHaveLength(2);
    }
    for (const role of ['clerk', 'warehouse', 'integration'] as const) {
      expect((await reorder(await jxc.keyFor(`${role}-p`, role)).expect(403)).body.error.code).toBe('forbidden');
    }
    await jxc.http.get('/api/planning/reorder').expect(401);
  });

  it('refuses a malformed warehouse id with 400 naming the field', async () => {
    const response = await reorder(analyst, '&warehouseId=no%20such').expect(400);
    expect(JSON.stringify(response.body)).toContain('warehouseId');
  });
});
