import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// Spreadsheet exports over HTTP (API.md "Integrations, imports, exports, analytics"): GET /api/orders/export,
// /api/stock/export, /api/audit/export, on the real application and the embedded store.
let jxc: RunningApp;
const keys: Record<string, string> = { admin: ADMIN_KEY };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CUSTOMER_NAME = '王芳 Wang Fang';
// Times are written in the business time zone (JXC_BUSINESS_TZ, default Asia/Shanghai: UTC+8 all year).
const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000);
const shanghaiText = (iso: string) => `${shanghai(iso).toISOString().slice(0, -1)}+08:00`;
let head = '';
const placedAt: Record<string, string> = {};

beforeAll(async () => {
  jxc = await startApp();
  for (const [user, role] of [['alice', 'clerk'], ['carl', 'clerk'], ['fay', 'finance'], ['ann', 'analyst'], ['aud', 'auditor'], ['wang', 'warehouse']] as const) {
    keys[user] = await jxc.keyFor(user, role);
  }
  const post = async (who: string, path: string, body: object) => (await jxc.http.post(path).set(jxc.as(keys[who])).send(body).expect(201)).body;
  await post('admin', '/api/customers', { id: 'c-1', name: CUSTOMER_NAME, phone: '+86 138 0000 0000' });
  await post('admin', '/api/suppliers', { id: 's-1', name: 'West Lake Tea Farm' });
  await post('admin', '/api/products', { sku: 'TEA-1', name: 'Longjing 250 g', price: 12800, minStock: 10 });
  await post('admin', '/api/products', { sku: 'TEA-2', name: 'Biluochun', price: 1999 });
  await post('wang', '/api/stock/receipts', { sku: 'TEA-1', quantity: 50, unitCost: 1234 });
  await post('wang', '/api/stock/receipts', { sku: 'TEA-2', quantity: 5 });
  const a = await post('alice', '/api/orders', { orderId: 'SO-A', kind: 'sale', partyId: 'c-1', lines: [{ sku: 'TEA-1', quantity: 2, unitPrice: 12800 }, { sku: 'TEA-2', quantity: 1, unitPrice: 1999 }] });
  placedAt['SO-A'] = a.placedAt;
  const c = await post('carl', '/api/orders', { orderId: 'SO-C', kind: 'sale', partyId: 'c-1', lines: [{ sku: 'TEA-2', quantity: 3, unitPrice: 2000 }] });
  placedAt['SO-C'] = c.placedAt;
  const p = await post('admin', '/api/orders', { orderId: 'PO-1', kind: 'purchase', partyId: 's-1', currency: 'JPY', lines: [{ sku: 'TEA-1', quantity: 10, unitPrice: 1500 }] });
  placedAt['PO-1'] = p.placedAt;
  head = (await post('wang', '/api/stock/receipts', { sku: 'TEA-2', quantity: 1 })).position;
}, 60_000);
afterAll(async () => {
  await jxc.close();
});

const get = (who: string, path: string) => jxc.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`).set({ Authorization: `Bearer ${keys[who]}` });
const xlsxOf = (who: string, path: string) => get(who, path).buffer(true).parse((response, done) => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => done(null, Buffer.concat(chunks)));
});

/** The CSV's rows as objects by header; the byte order mark must come first. */
function csvRows(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse(text.slice(1), { columns: true }) as Record<string, string>[];
}

async function workbook(body: Buffer): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book.worksheets[0];
}

function sheetRows(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) rows.push(Object.fromEntries(headers.map((header, index) => [header, row.getCell(index + 1).value])));
  });
  return rows;
}

describe('GET /api/orders/export', () => {
  it('CSV: one row per order line, money in major units with the currency, times ISO 8601 with the business zone offset, UTF-8 with a BOM', async () => {
    const response = await get('fay', '/api/orders/export?format=csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="orders-\d{8}T\d{6}Z\.csv"$/);
    const rows = csvRows(response.text);
    expect(rows.map((row) => `${row.orderId}#${row.line}`).sort()).toEqual(['PO-1#1', 'SO-A#1', 'SO-A#2', 'SO-C#1']);
    const [first, second] = rows.filter((row) => row.orderId === 'SO-A').sort((x, y) => Number(x.line) - Number(y.line));
    expect(first).toMatchObject({ kind: 'sale', partyId: 'c-1', ownerId: 'alice', currency: 'CNY', orderTotal: '275.99', sku: 'TEA-1', quantity: '2', unitPrice: '128.00', lineValue: '256.00' });
    expect(second).toMatchObject({ orderTotal: '275.99', sku: 'TEA-2', quantity: '1', unitPrice: '19.99', lineValue: '19.99' });
    expect(first.placedAt).toBe(shanghaiText(placedAt['SO-A']));
    expect(new Date(first.placedAt).toISOString()).toBe(placedAt['SO-A']);
    // A currency without minor units (yen) has no decimals.
    expect(rows.find((row) => row.orderId === 'PO-1')).toMatchObject({ currency: 'JPY', unitPrice: '1500', orderTotal: '15000', kind: 'purchase' });
  });

  it('XLSX: frozen header, autofilter, money as number cells, times as date cells on the business zone wall clock', async () => {
    const response = await xlsxOf('ann', '/api/orders/export?format=xlsx&kind=sale').expect(200);
    expect(response.headers['content-type']).toBe(XLSX);
    const sheet = await workbook(response.body as Buffer);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const rows = sheetRows(sheet);
    expect(rows.map((row) => `${String(row.orderId)}#${String(row.line)}`).sort()).toEqual(['SO-A#1', 'SO-A#2', 'SO-C#1']);
    const line = rows.find((row) => row.orderId === 'SO-A' && row.line === 1)!;
    expect(line).toMatchObject({ unitPrice: 128, lineValue: 256, orderTotal: 275.99, quantity: 2, currency: 'CNY' });
    expect(line.placedAt).toBeInstanceOf(Date);
    expect((line.placedAt as Date).toISOString()).toBe(shanghai(placedAt['SO-A']).toISOString());
    const cells = sheet.getRow(2);
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
    expect(cells.getCell(headers.indexOf('unitPrice') + 1).numFmt).toBe('#,##0.00');
  });

  it("takes the list's filters, and a clerk exports only the orders it placed", async () => {
    expect(csvRows((await get('fay', '/api/orders/export?kind=purchase').expect(200)).text).map((row) => row.orderId)).toEqual(['PO-1']);
    expect(csvRows((await get('fay', '/api/orders/export?number=SO-C').expect(200)).text)).toEqual([]);
    const own = csvRows((await get('alice', '/api/orders/export').expect(200)).text);
    expect([...new Set(own.map((row) => row.orderId))]).toEqual(['SO-A']);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const none = (await get('fay', `/api/orders/export?from=${future}`).expect(200)).text;
    expect(none).toBe(`\uFEFF${none.slice(1).split('\r\n')[0]}\r\n`);
  });

  it('refuses other roles, an unknown format, and paging parameters, naming the field', async () => {
    await get('wang', '/api/orders/export').expect(403);
    expect(JSON.stringify((await get('fay', '/api/orders/export?format=pdf').expect(400)).body)).toContain('"field":"format"');
    expect(JSON.stringify((await get('fay', '/api/orders/export?limit=5').expect(400)).body)).toContain('limit');
    expect(JSON.stringify((await get('fay', '/api/orders/export?status=lost').expect(400)).body)).toContain('status');
  });
});

describe('GET /api/stock/export', () => {
  it('one row per sku and warehouse, filtered like GET /api/stock', async () => {
    const rows = csvRows((await get('aud', '/api/stock/export').expect(200)).text);
    expect(rows.map((row) => [row.sku, row.warehouseId, row.onHand, row.reserved, row.available])).toEqual([
      ['TEA-1', 'main', '50', '2', '48'],
      ['TEA-2', 'main', '6', '4', '2'],
    ]);
    // Cost and value in major units beside the business currency (received at 12.34 each; nothing shipped yet).
    expect([rows[0].currency, rows[0].unitCost, rows[0].value, rows[0].inTransit]).toEqual(['CNY', '12.34', '617.00', '0']);
    await get('alice', '/api/stock/export').expect(403);
    const sheet = await workbook((await xlsxOf('fay', '/api/stock/export?format=xlsx&warehouseId=main').expect(200)).body as Buffer);
    expect(sheetRows(sheet).map((row) => [row.sku, row.onHand, row.value])).toEqual([['TEA-1', 50, 617], ['TEA-2', 6, 0]]);
  });
});

describe('GET /api/audit/export', () => {
  it('personal data in the events disclosed per caller: in clear to an auditor, null to an analyst; never sealed text', async () => {
    const auditor = (await get('aud', '/api/audit/export?type=CustomerRegistered').expect(200)).text;
    const rows = csvRows(auditor);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].data)).toMatchObject({ id: 'c-1', name: CUSTOMER_NAME });
    expect(rows[0].occurredAt).toMatch(/\+08:00$/);
    const analyst = (await get('ann', '/api/audit/export?type=CustomerRegistered').expect(200)).text;
    expect(JSON.parse(csvRows(analyst)[0].data)).toMatchObject({ name: null, phone: null });
    for (const text of [auditor, analyst]) expect(text).not.toContain('jxc:pii:');
    expect(analyst).not.toContain('Wang Fang');
  });

  it('access records (keys issued) for the auditor only; the exporters of API.md may export the trail, other roles are refused', async () => {
    expect(csvRows((await get('aud', '/api/audit/export?type=ApiKeyIssued').expect(200)).text).length).toBeGreaterThan(0);
    expect(csvRows((await get('ann', '/api/audit/export?type=ApiKeyIssued').expect(200)).text)).toEqual([]);
    expect(csvRows((await get('fay', '/api/audit/export?type=ApiKeyIssued').expect(200)).text)).toEqual([]);
    await get('alice', '/api/audit/export').expect(403);
    await get('wang', '/api/audit/export').expect(403);
    const sheet = await workbook((await xlsxOf('aud', '/api/audit/export?format=xlsx&orderId=SO-A').expect(200)).body as Buffer);
    const rows = sheetRows(sheet);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.occurredAt).toBeInstanceOf(Date);
  });
});
