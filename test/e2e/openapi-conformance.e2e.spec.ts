import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PUBLIC_KEY } from '../../src/access/roles.decorator.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { conformanceProblems, isDocumentationPath, OpenApiConformance, type OpenApiDocument } from '../support/openapi.js';

/*
 * The OpenAPI document against the code that answers. Every e2e suite already checks each response it
 * receives against the served document when it closes the app (test/support/e2e.ts); this suite drives
 * every operation at least once to a success and through its typical errors, then asks:
 * every operation answered a documented success, every response matched its schema, security is declared
 * where the guard asks for a key, errors are documented in API.md's format, and Redocly finds no error.
 */

let jxc: RunningApp;
let document: OpenApiDocument;
const keys: Record<string, string> = { admin: ADMIN_KEY };

beforeAll(async () => {
  jxc = await startApp();
  for (const [user, role] of [
    ['alice', 'clerk'],
    ['bob', 'approver'],
    ['wang', 'warehouse'],
    ['fay', 'finance'],
    ['aud', 'auditor'],
    ['ann', 'analyst'],
  ] as const) {
    keys[user] = await jxc.keyFor(user, role);
  }
  document = (await jxc.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
});
afterAll(async () => {
  await jxc.close();
});

const post = (who: string, path: string, body: object = {}, headers: Record<string, string> = {}) =>
  jxc.http.post(path).set({ ...jxc.as(keys[who]), ...headers }).send(body);
const get = (who: string, path: string, headers: Record<string, string> = {}) => jxc.http.get(path).set({ ...jxc.as(keys[who]), ...headers });

async function sale(sku: string, quantity: number, orderId: string): Promise<{ orderId: string; revision: number; position: string }> {
  return (await post('alice', '/api/orders', { orderId, kind: 'sale', partyId: 'cust-1', lines: [{ sku, quantity, unitPrice: 1000 }] }).expect(201)).body;
}

describe('OpenAPI document', () => {
  it('drives every operation: keys, master data, stock, sales and purchases through their workflows, queries, audit, operations', async () => {
    // Keys and master data.
    const issued = (await post('admin', '/api/keys', { userId: 'temp', roles: ['clerk'] }).expect(201)).body;
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(jxc.as(ADMIN_KEY)).expect(204);
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(jxc.as(ADMIN_KEY)).expect(204);
    await jxc.http.delete('/api/keys/no-such-key').set(jxc.as(ADMIN_KEY)).expect(404);
    await post('admin', '/api/keys', { userId: 'temp', roles: ['clerk'], expiresAt: '2000-01-01T00:00:00Z' }).expect(400);
    await post('admin', '/api/keys', { userId: 'temp2', roles: ['clerk'], expiresAt: new Date(Date.now() + 3_600_000).toISOString() }).expect(201);
    await get('admin', '/api/keys').expect(200);
    await get('alice', '/api/keys').expect(403);
    await get('alice', '/api/me').expect(200);
    await jxc.http.get('/api/me').expect(401);
    await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House', email: 'buyer@example.com' }).expect(201);
    await post('admin', '/api/suppliers', { id: 'sup-1', name: 'West Lake Tea Farm' }).expect(201);
    await post('admin', '/api/products', { sku: 'TEA-1', name: 'Longjing 250 g', price: 1000, minStock: 2, maxStock: 100 }).expect(201);
    await post('admin', '/api/products', { sku: 'TEA-2', name: 'Biluochun 250 g', spec: 'tin', unit: 'tin', price: 800 }).expect(201);
    // Master data changes (issue 12): PATCH as events, active/inactive, a product's price history, warehouses listed.
    const patch = (who: string, path: string, body: object) => jxc.http.patch(path).set(jxc.as(keys[who])).send(body);
    await patch('wang', '/api/products/TEA-2', { price: 850, spec: null, leadTimeDays: 7 }).expect(200);
    await patch('wang', '/api/products/TEA-2', { price: -1 }).expect(400);
    await patch('wang', '/api/products/NO-SUCH', { price: 1 }).expect(404);
    await patch('alice', '/api/products/TEA-2', { price: 1 }).expect(403);
    await patch('alice', '/api/customers/cust-1', { phone: '+86 571 8888 0001' }).expect(200);
    await patch('alice', '/api/customers/no-such', { phone: '1' }).expect(404);
    await patch('alice', '/api/customers/cust-1', { email: 'not an email' }).expect(400);
    await patch('wang', '/api/suppliers/sup-1', { address: 'Meijiawu, Hangzhou', active: true }).expect(200);
    await patch('wang', '/api/suppliers/no-such', { active: false }).expect(404);
    await patch('wang', '/api/customers/cust-1', { active: false }).expect(403);
    await get('ann', '/api/products/TEA-2/history').expect(200);
    await get('ann', '/api/products/NO-SUCH/history').expect(404);
    await get('ann', '/api/warehouses').expect(200);

    // Stock.
    await post('wang', '/api/stock/receipts', { sku: 'TEA-1', quantity: 50, note: 'opening balance' }).expect(201);
    await post('wang', '/api/stock/counts', { sku: 'TEA-1', countedQuantity: 48, reason: 'monthly stocktake' }).expect(201);
    await jxc.http.put('/api/stock/TEA-1/thresholds').set(jxc.as(keys.wang)).send({ min: 5, max: null }).expect(200);
    // Stock issues and transfers (issue 12): at a cost, in transit, received in parts, refused below reserved.
    await post('admin', '/api/products', { sku: 'TEA-MOVE', name: 'Tea moved between shops', price: 900 }).expect(201);
    await post('wang', '/api/stock/receipts', { sku: 'TEA-MOVE', quantity: 10, unitCost: 500 }).expect(201);
    await post('admin', '/api/warehouses', { id: 'oa_east', name: 'East shop' }).expect(201);
    await post('wang', '/api/stock/issues', { sku: 'TEA-MOVE', quantity: 1, reason: 'scrap' }).expect(201);
    await post('wang', '/api/stock/issues', { sku: 'TEA-MOVE', quantity: 100, reason: 'too many' }).expect(409);
    const transfer = (await post('wang', '/api/stock/transfers', { sku: 'TEA-MOVE', quantity: 3, to: 'oa_east', note: 'restock' }).expect(201)).body;
    await post('wang', '/api/stock/transfers', { sku: 'TEA-MOVE', quantity: 1, to: 'main' }).expect(400);
    await post('wang', `/api/stock/transfers/${transfer.transferId}/receive`, { quantity: 1 }).expect(200);
    await post('wang', `/api/stock/transfers/${transfer.transferId}/receive`, { quantity: 5 }).expect(409);
    await post('wang', '/api/stock/transfers/no-such-transfer/receive', {}).expect(404);
    await get('ann', `/api/stock/transfers/${transfer.transferId}?minPosition=${transfer.position}`).expect(200);
    await get('ann', '/api/stock/transfers/no-such-transfer').expect(404);
    await get('ann', `/api/stock/transfers?status=in_transit&minPosition=${transfer.position}`).expect(200);

    // A sale all the way: paid, processed, shipped, delivered (with If-Match).
    const delivered = await sale('TEA-1', 2, 'SO-1');
    await post('alice', '/api/orders/SO-1/payments', { amount: 2000, method: 'card' }).expect(200);
    await post('wang', '/api/orders/SO-1/process').expect(200);
    const shipped = (await post('wang', '/api/orders/SO-1/ship', { carrier: 'SF', trackingNumber: 'SF100' }).expect(200)).body;
    await post('wang', '/api/orders/SO-1/deliver', {}, { 'If-Match': String(shipped.revision) }).expect(200);
    expect(delivered.orderId).toBe('SO-1');

    // A sale cancelled after shipment: returns come back; another rejected, another withdrawn.
    await sale('TEA-1', 2, 'SO-2');
    await post('alice', '/api/orders/SO-2/payments', { amount: 2000, method: 'card' }).expect(200);
    await post('wang', '/api/orders/SO-2/ship').expect(200);
    await post('alice', '/api/orders/SO-2/cancellation', { reason: 'arrived broken', initiatedBy: 'customer', note: 'photo sent' }).expect(200);
    await post('bob', '/api/orders/SO-2/cancellation/approve', { note: 'ok', refundMethod: 'original', goodwillCoupon: { code: 'SORRY-5', amount: 500 } }).expect(200);
    await post('wang', '/api/orders/SO-2/returns/receive', { lines: [{ sku: 'TEA-1', quantity: 2, condition: 'resellable' }] }).expect(200);
    await sale('TEA-1', 1, 'SO-3');
    await post('alice', '/api/orders/SO-3/cancellation', { reason: 'changed mind', initiatedBy: 'customer' }).expect(200);
    await post('bob', '/api/orders/SO-3/cancellation/reject', { reason: 'already packed' }).expect(200);
    await post('alice', '/api/orders/SO-3/cancellation', { reason: 'changed mind again', initiatedBy: 'customer' }).expect(200);
    await post('alice', '/api/orders/SO-3/cancellation/withdraw').expect(200);
    // A sale stock cannot cover: kept rejected with its short lines.
    expect((await post('alice', '/api/orders', { orderId: 'SO-4', kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'TEA-2', quantity: 1, unitPrice: 800 }] })).status).toBe(409);

    // Purchases: one received in part then closed, one cancelled with a deposit back from the supplier.
    await post('alice', '/api/orders', { orderId: 'PO-1', kind: 'purchase', partyId: 'sup-1', lines: [{ sku: 'TEA-2', quantity: 10, unitPrice: 500 }] }).expect(201);
    await post('wang', '/api/orders/PO-1/receive', { lines: [{ sku: 'TEA-2', quantity: 4 }] }).expect(200);
    await post('alice', '/api/orders/PO-1/cancellation', { reason: 'rest not needed', initiatedBy: 'company' }).expect(200);
    await post('bob', '/api/orders/PO-1/cancellation/approve').expect(200);
    await post('alice', '/api/orders', { orderId: 'PO-2', kind: 'purchase', partyId: 'sup-1', lines: [{ sku: 'TEA-2', quantity: 10, unitPrice: 500 }] }).expect(201);
    await post('fay', '/api/orders/PO-2/payments', { amount: 2000, method: 'bank_transfer' }).expect(200);
    await post('alice', '/api/orders/PO-2/cancellation', { reason: 'supplier cannot deliver', initiatedBy: 'supplier' }).expect(200);
    await post('bob', '/api/orders/PO-2/cancellation/approve', { penalty: { amount: 300, payer: 'supplier' } }).expect(200);
    const refunded = (await post('fay', '/api/orders/PO-2/supplier-refunds', { amount: 2000, method: 'bank_transfer' }).expect(200)).body;

    // Orders in parts: amended (and an increase refused), held and released, shipped in part, one shipment delivered, a customer
    // return received and closed, the remainder cancelled; a purchase return.
    await sale('TEA-1', 3, 'SO-5');
    await post('alice', '/api/orders/SO-5/amend', { lines: [{ sku: 'TEA-1', quantity: 4 }], reason: 'one more' }).expect(200);
    await post('alice', '/api/orders/SO-5/amend', { lines: [{ sku: 'TEA-1', quantity: 1000 }], reason: 'a party' }).expect(409);
    await post('bob', '/api/orders/SO-5/hold', { reason: 'address check' }).expect(200);
    await post('wang', '/api/orders/SO-5/ship').expect(409);
    await post('wang', '/api/orders/SO-5/hold/release', { note: 'address confirmed' }).expect(200);
    const part = (await post('wang', '/api/orders/SO-5/ship', { lines: [{ sku: 'TEA-1', quantity: 2 }], carrier: 'SF' }).expect(200)).body;
    await post('wang', '/api/orders/SO-5/deliver', { shipmentId: part.shipmentId }).expect(200);
    await post('alice', '/api/orders/SO-5/returns', { lines: [{ sku: 'TEA-1', quantity: 2 }], reason: 'wrong grade' }).expect(200);
    await post('wang', '/api/orders/SO-5/returns/receive', { returnId: 'R1', lines: [{ sku: 'TEA-1', quantity: 1, condition: 'resellable' }] }).expect(200);
    await post('wang', '/api/orders/SO-5/returns/close', { reason: 'the customer kept one' }).expect(200);
    await post('alice', '/api/orders/SO-5/cancellation', { reason: 'rest not needed', initiatedBy: 'customer', scope: 'remainder' }).expect(200);
    await post('bob', '/api/orders/SO-5/cancellation/approve').expect(200);
    const returned = (await post('wang', '/api/orders/PO-1/purchase-returns', { lines: [{ sku: 'TEA-2', quantity: 1 }], reason: 'damaged' }).expect(200)).body;
    await get('aud', `/api/orders/SO-5?minPosition=${returned.position}`).expect(200);
    await get('aud', `/api/orders/PO-1?minPosition=${returned.position}`).expect(200);

    // Queries, read-your-writes on the last command.
    const fresh = `minPosition=${refunded.position}`;
    const one = await get('aud', `/api/orders/SO-2?${fresh}`).expect(200);
    await get('aud', '/api/orders/SO-2', { 'If-None-Match': one.headers.etag }).expect(304);
    await get('aud', `/api/orders?${fresh}&limit=2`).expect(200);
    await get('aud', '/api/orders?kind=purchase&cancellation=approved').expect(200);
    await get('aud', `/api/orders/SO-2/history?${fresh}`).expect(200);
    await get('aud', `/api/orders/SO-1/state?atPosition=${shipped.position}`).expect(200);
    await get('aud', `/api/orders/PO-2/state?asOf=${new Date().toISOString()}`).expect(200);
    await get('ann', `/api/stock?${fresh}`).expect(200);
    await get('ann', '/api/stock?alert=low').expect(200);
    await get('ann', '/api/stock/TEA-1').expect(200);
    await get('ann', '/api/products?limit=1').expect(200);
    await get('ann', '/api/products?q=tea').expect(200);
    await get('ann', '/api/products/TEA-2').expect(200);
    await get('ann', '/api/customers/cust-1').expect(200);
    await get('ann', '/api/suppliers/sup-1').expect(200);
    await get('ann', '/api/customers?limit=1').expect(200);
    await get('admin', '/api/customers?q=hang').expect(200);
    await get('ann', '/api/suppliers?q=sup').expect(200);
    await get('aud', `/api/audit?${fresh}&type=CancellationApproved`).expect(200);
    await get('aud', '/api/audit/verify').expect(200);

    // Integrations: the feed and webhooks (a receiver that is not there: the delivery stays pending, re-sent on request).
    await get('aud', '/api/feed?limit=5').expect(200);
    await get('alice', '/api/feed').expect(403);
    await get('aud', '/api/feed?wait=99').expect(400);
    const hook = (await post('admin', '/api/webhooks', { url: 'http://127.0.0.1:9/jxc', types: ['ProductRegistered'], secret: 'conformance-secret-1' }).expect(201)).body;
    await post('admin', '/api/webhooks', { url: 'ftp://example.com', types: [], secret: 'x' }).expect(400);
    await get('admin', '/api/webhooks').expect(200);
    await post('admin', '/api/products', { sku: 'HOOK-1', name: 'Webhook probe', price: 100 }).expect(201);
    let hookDeliveries: { eventId: string }[] = [];
    for (let i = 0; i < 200 && hookDeliveries.length === 0; i++) {
      hookDeliveries = (await get('admin', `/api/webhooks/${hook.webhookId}/deliveries`).expect(200)).body.items;
      if (hookDeliveries.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await post('admin', `/api/webhooks/${hook.webhookId}/deliveries/${hookDeliveries[0].eventId}/retry`).expect(200);
    await get('admin', '/api/webhooks/no-such-hook/deliveries').expect(404);
    await jxc.http.delete(`/api/webhooks/${hook.webhookId}`).set(jxc.as(ADMIN_KEY)).expect(204);

    // Shop orders and bulk import (issue 13).
    const shopOrder = { kind: 'sale', partyId: 'cust-1', channel: 'taobao', externalId: 'TB-1', lines: [{ sku: 'TEA-1', quantity: 1 }] };
    await post('admin', '/api/orders', shopOrder).expect(201);
    await post('admin', '/api/orders', shopOrder).expect(200);
    const importCsv = (query: string, file: string, type = 'text/csv') =>
      jxc.http.post(`/api/import/products${query}`).set({ Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': type }).send(Buffer.from(file));
    await importCsv('?dryRun=true', 'sku,name,price\nIMP-1,Imported tea,100\nIMP-2,,1\n').expect(200);
    await importCsv('', 'sku,colour\nIMP-1,red\n').expect(400);
    await importCsv('', 'sku,name,price\n', 'text/plain').expect(415);

    // Exports (issue 13): CSV and XLSX files of the lists' views.
    await get('fay', '/api/orders/export?format=csv&kind=sale').expect(200);
    await get('ann', '/api/orders/export?format=xlsx').expect(200);
    await get('ann', '/api/orders/export?format=pdf').expect(400);
    await get('wang', '/api/orders/export').expect(403);
    await get('fay', '/api/stock/export?format=xlsx').expect(200);
    await get('aud', '/api/audit/export?type=CustomerRegistered').expect(200);

    // Store credit (issue 12): a grant, a payment drawn on it, its refusals, the ledger.
    await post('bob', '/api/customers/cust-1/credits', { amount: 800, reason: 'late delivery', expiresAt: '2099-01-01T00:00:00Z' }).expect(201);
    await post('fay', '/api/customers/cust-1/credits', { amount: 100, reason: 'goodwill', orderId: 'SO-1' }).expect(201);
    await post('alice', '/api/customers/cust-1/credits', { amount: 100, reason: 'x' }).expect(403);
    await post('fay', '/api/customers/cust-1/credits', { amount: 0, reason: 'x' }).expect(400);
    await post('fay', '/api/customers/no-such-customer/credits', { amount: 100, reason: 'x' }).expect(404);
    await sale('TEA-1', 3, 'SO-CREDIT');
    await post('alice', '/api/orders/SO-CREDIT/payments', { amount: 600, method: 'store_credit' }).expect(200);
    await post('alice', '/api/orders/SO-CREDIT/payments', { amount: 2400, method: 'store_credit' }).expect(409);
    await get('fay', '/api/customers/cust-1/credits').expect(200);
    await get('aud', '/api/customers/no-such-customer/credits').expect(404);
    await get('ann', '/api/customers/cust-1/credits').expect(403);
    // The journal (issue 12).
    await get('fay', '/api/journal?limit=5').expect(200);
    await get('aud', '/api/journal?account=6001&from=2026-01-01T00:00:00Z').expect(200);
    await get('fay', '/api/journal?account=9999').expect(400);
    await get('ann', '/api/journal').expect(403);
    await get('aud', '/api/journal/trial-balance').expect(200);
    await get('fay', '/api/journal/trial-balance?asOf=later').expect(400);
    await get('fay', '/api/journal/export?format=csv').expect(200);
    await get('aud', '/api/journal/export?format=xlsx').expect(200);
    await get('alice', '/api/journal/export').expect(403);
    // Reorder planning (issue 13).
    await get('ann', '/api/planning/reorder').expect(200);
    await get('fay', '/api/planning/reorder?warehouseId=main').expect(200);
    await get('ann', '/api/planning/reorder?warehouseId=no%20such').expect(400);
    await get('alice', '/api/planning/reorder').expect(403);
    // Analytics and customer history (issue 13).
    await get('ann', '/api/analytics/cancellations?groupBy=week').expect(200);
    await get('fay', '/api/analytics/cancellations?groupBy=sku&from=2026-01-01').expect(200);
    await get('aud', '/api/analytics/sales?groupBy=customer').expect(200);
    await get('ann', '/api/analytics/sales?groupBy=month').expect(400);
    await get('alice', '/api/analytics/sales').expect(403);
    await get('fay', '/api/customers/cust-1/history').expect(200);
    await get('ann', '/api/customers/cust-1/history?limit=1').expect(200);
    await get('fay', '/api/customers/nobody/history').expect(404);
    await get('wang', '/api/customers/cust-1/history').expect(403);

    // Operations.
    await jxc.http.get('/api/health').expect(200);
    await jxc.http.get('/api/health/live').expect(200);
    await jxc.http.get('/api/health/ready').expect(200);
    await get('ann', '/api/metrics').expect(200);
    await get('aud', '/api/processes/stalled').expect(200);
    await post('admin', '/api/processes/SO-2/retry').expect(200);

    // The errors of API.md, each at least once.
    await jxc.http.get('/api/orders').expect(401);
    await post('ann', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'TEA-1', quantity: 1 }] }).expect(403);
    await post('alice', '/api/orders', { kind: 'rental', partyId: 'cust-1', lines: [] }).expect(400);
    await get('ann', '/api/orders?colour=red').expect(400);
    await get('ann', '/api/orders/NO-SUCH').expect(404);
    await post('wang', '/api/orders/NO-SUCH/process').expect(404);
    await post('wang', '/api/orders/SO-1/ship').expect(409);
    await post('wang', '/api/orders/SO-1/deliver', {}, { 'If-Match': '0' }).expect(412);
    await post('admin', '/api/customers', { id: 'cust-9', name: 'A' }, { 'Idempotency-Key': 'k-1' }).expect(201);
    await post('admin', '/api/customers', { id: 'cust-9', name: 'B' }, { 'Idempotency-Key': 'k-1' }).expect(422);
    await post('admin', '/api/customers/cust-9/erase', { reason: 'asked by the customer' }).expect(200);
    await post('admin', '/api/customers/no-such/erase', { reason: 'asked by the customer' }).expect(404);
    await post('alice', '/api/orders', { note: 'x'.repeat(200_000) }).expect(413);
    await jxc.http.get('/api/no-such-route').set(jxc.as(ADMIN_KEY)).expect(404);
  });

  it('answered every documented operation with a documented success at least once', () => {
    const conformance = new OpenApiConformance(document);
    const succeeded = new Set(
      jxc.responses.filter((response) => response.status < 300 && !isDocumentationPath(response.path)).map((response) => conformance.operationOf(response.method, response.path)?.key),
    );
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((operation) => !succeeded.has(operation))).toEqual([]);
  });

  it('matched every response, success or error, against the schema of its operation and status', () => {
    expect(jxc.responses.length).toBeGreaterThan(70);
    expect(conformanceProblems(document, jxc.responses)).toEqual([]);
  });

  it('declares bearer security on every operation the guard asks a key for, and anonymous access on the public ones', () => {
    const handlers = controllerHandlers();
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const handler = handlers.get(operation.operationId ?? '');
        expect({ operation: `${method} ${path}`, found: handler !== undefined }).toEqual({ operation: `${method} ${path}`, found: true });
        const isPublic = Boolean(Reflect.getMetadata(PUBLIC_KEY, handler!.method) ?? Reflect.getMetadata(PUBLIC_KEY, handler!.controller));
        const declared = { operation: `${method} ${path}`, security: operation.security, documents401: '401' in operation.responses };
        expect(declared).toEqual(isPublic
          ? { operation: `${method} ${path}`, security: [{}], documents401: false }
          : { operation: `${method} ${path}`, security: expect.arrayContaining([{ bearer: [] }]), documents401: true });
      }
    }
  });

  it("documents every error status with API.md's error body", () => {
    const errorBody = { $ref: '#/components/schemas/ApiErrorView' };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        for (const [status, response] of errors) {
          // Health answers 503 with its own summary (which store is down), not with an error.
          if (path.startsWith('/api/health')) continue;
          expect({ operation: `${method} ${path} ${status}`, schema: response.content?.['application/json']?.schema }).toEqual({ operation: `${method} ${path} ${status}`, schema: errorBody });
        }
      }
    }
  });

  it('keeps the key across reloads of the Swagger UI (persistAuthorization)', async () => {
    const init = await jxc.http.get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
  });

  it('passes Redocly lint (redocly.yaml: the recommended rules) with no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxc-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const lint = await promisify(execFile)(join('node_modules', '.bin', 'redocly'), ['lint', file, '--config', 'redocly.yaml', '--format', 'json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((failed: { stdout?: string }) => ({ stdout: failed.stdout ?? '' }));
      const report = JSON.parse(lint.stdout) as { totals: { errors: number }; problems: { severity: string; ruleId: string; message: string; location: { pointer: string }[] }[] };
      const errors = report.problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`);
      expect(errors).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** Every route handler by its default operationId (`Controller_method`), with its controller class. */
function controllerHandlers(): Map<string, { controller: Type; method: object }> {
  const handlers = new Map<string, { controller: Type; method: object }>();
  for (const module of jxc.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const method = controller.prototype[name] as unknown;
        if (name !== 'constructor' && typeof method === 'function') handlers.set(`${controller.name}_${name}`, { controller, method });
      }
    }
  }
  return handlers;
}
