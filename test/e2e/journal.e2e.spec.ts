import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

/*
 * The journal over HTTP on a fresh data directory:
 *   PO-J (sup-j): TEA ×10 at 500, 2000 paid to the supplier before delivery, all received (valued at 500 each)
 *   SO-J (cust-j): TEA ×3 at 1200, paid 3600 by Alipay, 2 shipped and delivered, 1 returned resellable and refunded
 *   a stocktake finds one TEA missing
 */

let jxc: RunningApp;
const keys: Record<string, string> = { admin: ADMIN_KEY };
let position = '0';

const post = async (who: string, path: string, body: object = {}, status = 200) => {
  const response = await jxc.http.post(path).set(jxc.as(keys[who]!)).send(body);
  expect({ path, status: response.status, body: response.status === status ? null : response.body }).toEqual({ path, status, body: null });
  if (typeof response.body?.position === 'string') position = response.body.position;
  return response.body;
};
const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]!));
const fresh = (path: string) => `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`;

beforeAll(async () => {
  jxc = await startApp();
  for (const [user, role] of [['cleo', 'clerk'], ['wang', 'warehouse'], ['fay', 'finance'], ['aud', 'auditor'], ['ann', 'analyst'], ['bob', 'approver']] as const) {
    keys[user] = await jxc.keyFor(user, role);
  }
  await post('admin', '/api/customers', { id: 'cust-j', name: 'Journal Customer' }, 201);
  await post('admin', '/api/suppliers', { id: 'sup-j', name: 'Journal Supplier' }, 201);
  await post('admin', '/api/products', { sku: 'TEA', name: 'Tea', price: 1200 }, 201);
  await post('cleo', '/api/orders', { orderId: 'PO-J', kind: 'purchase', partyId: 'sup-j', lines: [{ sku: 'TEA', quantity: 10, unitPrice: 500 }] }, 201);
  await post('fay', '/api/orders/PO-J/payments', { amount: 2000, method: 'bank_transfer' });
  await post('wang', '/api/orders/PO-J/receive', { lines: [{ sku: 'TEA', quantity: 10 }] });
  await post('cleo', '/api/orders', { orderId: 'SO-J', kind: 'sale', partyId: 'cust-j', lines: [{ sku: 'TEA', quantity: 3, unitPrice: 1200 }] }, 201);
  await post('cleo', '/api/orders/SO-J/payments', { amount: 3600, method: 'alipay' });
  await post('wang', '/api/orders/SO-J/ship', { lines: [{ sku: 'TEA', quantity: 2 }] });
  await post('wang', '/api/orders/SO-J/deliver', {});
  await post('cleo', '/api/orders/SO-J/returns', { lines: [{ sku: 'TEA', quantity: 1 }], reason: 'too strong' });
  await post('wang', '/api/orders/SO-J/returns/receive', { lines: [{ sku: 'TEA', quantity: 1, condition: 'resellable' }] });
  await post('wang', '/api/stock/counts', { sku: 'TEA', countedQuantity: 8, reason: 'stocktake' }, 201);
}, 60_000);

afterAll(async () => {
  await jxc.close();
});

describe('GET /api/journal', () => {
  it('is for finance and auditor (admin too), not for clerk, warehouse, analyst or approver; no key is 401', async () => {
    for (const who of ['fay', 'aud', 'admin']) await get(who, fresh('/api/journal')).expect(200);
    for (const who of ['cleo', 'wang', 'ann', 'bob']) {
      for (const path of ['/api/journal', '/api/journal/trial-balance', '/api/journal/export?format=csv']) {
        expect((await get(who, path).expect(403)).body.error.code).toBe('forbidden');
      }
    }
    await jxc.http.get('/api/journal').expect(401);
  });

  it('posts revenue on shipment against the advance, the return, the payments and refunds by route', async () => {
    const lines = (await get('fay', fresh('/api/journal?orderId=SO-J&limit=500')).expect(200)).body.items as { account: string; debit: number; credit: number; eventType: string; orderId: string }[];
    expect(lines.every((line) => line.orderId === 'SO-J')).toBe(true);
    const on = (eventType: string) => lines.filter((line) => line.eventType === eventType).map(({ account, debit, credit }) => ({ account, debit, credit }));
    expect(on('PaymentReceived')).toEqual([{ account: '1012', debit: 3600, credit: 0 }, { account: '2203', debit: 0, credit: 3600 }]);
    expect(on('OrderShipped')).toEqual([{ account: '2203', debit: 2400, credit: 0 }, { account: '6001', debit: 0, credit: 2400 }]);
    expect(on('ReturnReceived')).toEqual([{ account: '6001', debit: 1200, credit: 0 }, { account: '2203', debit: 0, credit: 1200 }]);
    expect(on('RefundIssued')).toEqual([{ account: '2203', debit: 1200, credit: 0 }, { account: '1012', debit: 0, credit: 1200 }]);
    expect(on('StockShipped')).toEqual([{ account: '6401', debit: 1000, credit: 0 }, { account: '1405', debit: 0, credit: 1000 }]);
  });

  it('filters by account and time, pages with nextCursor, and refuses bad filters naming the field', async () => {
    const all = (await get('aud', fresh('/api/journal?limit=500')).expect(200)).body.items as { entryId: string; account: string; occurredAt: string }[];
    expect(all.length).toBeGreaterThan(10);
    const revenue = (await get('aud', '/api/journal?account=6001&limit=500').expect(200)).body.items as { account: string }[];
    expect(revenue.map((line) => line.account)).toEqual(['6001', '6001']);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { entryId: string }[]; nextCursor: string | null } = (await get('aud', `/api/journal?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`).expect(200)).body;
      paged.push(...page.items.map((line) => line.entryId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all.map((line) => line.entryId));
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await get('aud', `/api/journal?from=${later}`).expect(200)).body.items).toEqual([]);
    expect((await get('aud', `/api/journal?to=${later}&limit=500`).expect(200)).body.items).toHaveLength(all.length);
    for (const [query, field] of [['account=9999', 'account'], ['from=yesterday', 'from'], ['cursor=nope', 'cursor'], ['limit=0', 'limit']]) {
      const refused = (await get('fay', `/api/journal?${query}`).expect(400)).body.error;
      expect(refused.code).toBe('validation_failed');
      expect(JSON.stringify(refused.details)).toContain(field);
    }
  });
});

describe('GET /api/journal/trial-balance', () => {
  it('balances, and its inventory account is the sum of the stock values', async () => {
    const tb = (await get('fay', fresh('/api/journal/trial-balance')).expect(200)).body;
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(tb.totals.debit).toBe(tb.accounts.reduce((sum: number, row: { debit: number }) => sum + row.debit, 0));
    const balance = Object.fromEntries(tb.accounts.map((row: { account: string; balance: number }) => [row.account, row.balance]));
    const level = (await get('admin', '/api/stock/TEA').expect(200)).body;
    expect(level.value).toBe(4000); // 10 × 500 − 2 shipped + 1 back − 1 lost, each at 500
    expect(balance).toEqual({
      '1002': -2000, '1012': 2400, '1123': 0, '1402': 0, '1405': level.value, '2202': -3000, '2203': -1200, '6001': -1200, '6401': 500, '6711': 500,
    });
    expect(tb.accounts.find((row: { account: string }) => row.account === '1405')).toMatchObject({ name: 'Inventory', nameZh: '库存商品' });
  });

  it('as of a time before anything happened is empty, and a bad asOf is 400 naming it', async () => {
    expect((await get('aud', '/api/journal/trial-balance?asOf=2020-01-01T00:00:00Z').expect(200)).body).toEqual({ asOf: '2020-01-01T00:00:00.000Z', accounts: [], totals: { debit: 0, credit: 0 } });
    expect(JSON.stringify((await get('aud', '/api/journal/trial-balance?asOf=soon').expect(400)).body.error.details)).toContain('asOf');
  });
});

describe('GET /api/journal/export', () => {
  it('writes one voucher per event in the 金蝶/用友 voucher layout, money in major units, each voucher balanced', async () => {
    const response = await get('fay', fresh('/api/journal/export?format=csv')).buffer(true).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const rows = response.text.replace(/^\uFEFF/, '').trim().split('\r\n').map((row) => row.split(','));
    expect(rows[0]).toEqual(['日期 date', '凭证字 word', '凭证号 number', '摘要 summary', '科目代码 account code', '科目名称 account name', '借方 debit', '贷方 credit', '币别 currency', 'entryId', 'orderId', 'sku', 'eventType']);
    const body = rows.slice(1);
    const byVoucher = new Map<string, number>();
    for (const row of body) {
      expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row[1]).toBe('记');
      byVoucher.set(row[2]!, (byVoucher.get(row[2]!) ?? 0) + Math.round(Number(row[6]) * 100) - Math.round(Number(row[7]) * 100));
    }
    expect([...byVoucher.values()].every((net) => net === 0)).toBe(true);
    expect([...byVoucher.keys()].map(Number)).toEqual(Array.from({ length: byVoucher.size }, (_, index) => index + 1));
    const shipped = body.find((row) => row[12] === 'OrderShipped' && row[4] === '6001')!;
    expect(shipped.slice(4, 9)).toEqual(['6001', '主营业务收入', '0.00', '24.00', 'CNY']);
  });

  it('as XLSX, and refuses an unknown format naming it', async () => {
    const xlsx = await get('aud', '/api/journal/export?format=xlsx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { default: excel } = await import('exceljs');
    const book = new excel.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('journal')!;
    expect(sheet.getRow(1).getCell(7).value).toBe('借方 debit');
    expect(sheet.rowCount).toBeGreaterThan(10);
    expect(JSON.stringify((await get('fay', '/api/journal/export?format=pdf').expect(400)).body.error.details)).toContain('format');
  });
});
