import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { request, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

// Bulk import over HTTP (API.md "Integrations": POST /api/import/products|customers|suppliers|opening-stock),
// on the real application and the embedded store.
let jxc: RunningApp;
const keys: Record<string, string> = {};
const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MARKER = 'IMP-MARKER';

beforeAll(async () => {
  jxc = await startApp();
  keys.admin = ADMIN_KEY;
  keys.bot = await jxc.keyFor('import-bot', 'integration');
  keys.clerk = await jxc.keyFor('alice', 'clerk');
  await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).send({ sku: MARKER, name: 'marker', price: 1 }).expect(201);
});

/** GET once the views have applied everything appended so far (a receipt's position is the head of the log). */
async function read(path: string, status = 200) {
  const head = await jxc.http.post('/api/stock/receipts').set(jxc.as(ADMIN_KEY)).send({ sku: MARKER, quantity: 1 }).expect(201);
  return jxc.http.get(`${path}?minPosition=${head.body.position}`).set(jxc.as(ADMIN_KEY)).expect(status);
}
afterAll(async () => {
  await jxc.close();
});

function upload(kind: string, body: string | Buffer, type = CSV, query = '', who = 'bot') {
  return jxc.http
    .post(`/api/import/${kind}${query}`)
    .set({ Authorization: `Bearer ${keys[who]}`, 'Content-Type': type })
    .send(typeof body === 'string' ? Buffer.from(body) : body);
}

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('customers');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('POST /api/import/:kind', () => {
  const products = [
    'sku,name,price,unit,spec',
    'IMP-TEA-1,Longjing 250 g,12800,tin,',
    '"IMP-TEA-2","Biluochun, spring ""first flush""",9900,,"tin,',
    '250 g"',
    'IMP-TEA-3,,500,,',
    '',
    'IMP-TEA-4,Pu-erh cake,12.50,,',
    'IMP-TEA-5,Tieguanyin,3000,,,extra',
    'IMP-TEA-1,Longjing again,100,,',
    'IMP-TEA-6,Dahongpao,4500,,',
  ].join('\r\n');

  it('applies the valid rows through the normal registration and reports each invalid one by spreadsheet row, field and problem', async () => {
    const answer = await upload('products', products).expect(200);
    expect(answer.body).toEqual({
      rows: 7,
      applied: 3,
      unchanged: 0,
      errorsNotListed: 0,
      position: expect.any(String),
      errors: [
        // Row 3 spans two lines of the file (a quoted line break): a spreadsheet shows it as one row.
        { row: 4, field: 'name', problem: 'must be a string' },
        { row: 6, field: 'price', problem: 'must be an integer number of minor units' },
        { row: 7, field: 'row', problem: 'has 6 cells, the header 5' },
        { row: 8, field: 'sku', problem: 'IMP-TEA-1 is on row 2 already' },
      ],
    });
    // The answer's position reads the rows back.
    const quoted = await jxc.http.get(`/api/products/IMP-TEA-2?minPosition=${answer.body.position}`).set(jxc.as(ADMIN_KEY)).expect(200);
    expect(quoted.body).toMatchObject({ sku: 'IMP-TEA-2', name: 'Biluochun, spring "first flush"', spec: 'tin,\r\n250 g', price: 9900 });
    await read('/api/products/IMP-TEA-4', 404);
  });

  it('the same file again changes nothing: every valid row unchanged, the same errors', async () => {
    const again = await upload('products', products).expect(200);
    expect(again.body).toMatchObject({ rows: 7, applied: 0, unchanged: 3 });
    expect(again.body.errors).toHaveLength(4);
  });

  it('a row registering another product under a sku that exists is that row\'s error (already exists), the others apply', async () => {
    const answer = await upload('products', 'sku,name,price\nIMP-TEA-6,Another name,4500\nIMP-TEA-7,Jasmine,2000\n').expect(200);
    expect(answer.body).toMatchObject({ rows: 2, applied: 1, unchanged: 0, errors: [{ row: 2, field: 'sku', problem: expect.stringContaining('already exists') }] });
  });

  it('dryRun=true reports what would apply and applies nothing', async () => {
    const file = 'sku,name,price\nIMP-DRY-1,Dry run tea,100\nIMP-TEA-1,Longjing 250 g,12800\nIMP-DRY-2,,1\n';
    const dry = await upload('products', file, CSV, '?dryRun=true').expect(200);
    // IMP-TEA-1 was registered with unit tin: this row (no unit) would be another registration.
    expect(dry.body).toMatchObject({ rows: 3, applied: 1, unchanged: 0, errors: [{ row: 3, field: 'sku', problem: 'product IMP-TEA-1 already exists' }, { row: 4, field: 'name' }] });
    await read('/api/products/IMP-DRY-1', 404);
    expect((await upload('products', 'sku,name,price,unit\nIMP-TEA-1,Longjing 250 g,12800,tin\n', CSV, '?dryRun=true').expect(200)).body).toMatchObject({ applied: 0, unchanged: 1 });
  });

  it('imports customers from an XLSX file (first worksheet), sealed like any registration; a row without id is the same customer again', async () => {
    const file = await xlsx([
      ['id', 'name', 'phone', 'email'],
      ['imp-c-1', 'Wang Fang', '+86 571 8888 0000', 'wang@example.com'],
      [null, 'Li Lei', null, null],
      ['imp-c-3', 'Bad mail', null, 'not-an-email'],
    ]);
    const first = await upload('customers', file, XLSX).expect(200);
    expect(first.body).toEqual({ rows: 3, applied: 2, unchanged: 0, errorsNotListed: 0, position: expect.any(String), errors: [{ row: 4, field: 'email', problem: 'must be an email address' }] });
    const customer = await read('/api/customers/imp-c-1', 200);
    expect(customer.body).toMatchObject({ id: 'imp-c-1', name: 'Wang Fang', phone: '+86 571 8888 0000' });
    const again = await upload('customers', file, XLSX).expect(200);
    expect(again.body).toMatchObject({ rows: 3, applied: 0, unchanged: 2 });
  });

  it('imports suppliers from CSV with a UTF-8 BOM and Chinese text', async () => {
    const file = '\uFEFFid,name,address\nimp-s-1,西湖茶园,杭州市西湖区龙井路1号\n';
    expect((await upload('suppliers', file).expect(200)).body).toMatchObject({ rows: 1, applied: 1, errors: [] });
    const supplier = await read('/api/suppliers/imp-s-1', 200);
    expect(supplier.body).toMatchObject({ name: '西湖茶园', address: '杭州市西湖区龙井路1号' });
    expect((await upload('suppliers', file).expect(200)).body).toMatchObject({ applied: 0, unchanged: 1 });
  });

  it('imports opening stock once per sku and warehouse: again unchanged, another quantity refused, an unknown sku named', async () => {
    const file = 'sku,quantity,warehouseId\nIMP-TEA-1,40,\nIMP-TEA-2,15,main\nIMP-NOPE,3,\n';
    const first = await upload('opening-stock', file).expect(200);
    expect(first.body).toMatchObject({ rows: 3, applied: 2, unchanged: 0, errors: [{ row: 4, field: 'sku', problem: 'no product IMP-NOPE' }] });
    expect((await upload('opening-stock', file).expect(200)).body).toMatchObject({ applied: 0, unchanged: 2 });
    const changed = await upload('opening-stock', 'sku,quantity\nIMP-TEA-1,41\n').expect(200);
    expect(changed.body).toMatchObject({ applied: 0, unchanged: 0, errors: [{ row: 2, field: 'quantity' }] });
    const level = await read('/api/stock/IMP-TEA-1');
    expect(level.body).toMatchObject({ onHand: 40 });
  });

  it('refuses before reading any row: an unknown or missing column (400 naming it), a body that is not CSV or XLSX (415), an unknown kind (400)', async () => {
    const unknown = await upload('products', 'sku,name,price,colour\nX-1,x,1,red\n').expect(400);
    expect(unknown.body.error.details.fields).toEqual([{ field: 'header.colour', problems: [expect.stringContaining('is not a column of products')] }]);
    const missing = await upload('products', 'sku,name\nX-1,x\n').expect(400);
    expect(missing.body.error.details.fields).toEqual([{ field: 'header.price', problems: ['is a required column'] }]);
    await upload('products', '', CSV).expect(400);
    const text = await upload('products', 'sku,name,price\nX-1,x,1\n', 'text/plain').expect(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    // A JSON body is parsed as JSON before the route: 400, this route takes no JSON body.
    expect((await upload('products', '{"sku":"X-1"}', 'application/json').expect(400)).body.error.code).toBe('validation_failed');
    const kind = await upload('warehouses', 'id\nw1\n').expect(400);
    expect(kind.body.error.details.fields[0].field).toBe('kind');
    await upload('products', 'sku,name,price\nX-1,x,1\n', CSV, '?dryRun=yes').expect(400);
    await read('/api/products/X-1', 404);
  });

  it('takes an Idempotency-Key like every POST: a retry under it applies nothing twice and reports the rows unchanged', async () => {
    const file = 'sku,name,price\nKEYED-1,keyed,100\nKEYED-2,keyed,200\n';
    const first = await upload('products', file).set('Idempotency-Key', 'import-keyed').expect(200);
    expect(first.body).toMatchObject({ rows: 2, applied: 2, unchanged: 0, errors: [] });
    const retry = await upload('products', file).set('Idempotency-Key', 'import-keyed').expect(200);
    expect(retry.body).toMatchObject({ rows: 2, applied: 0, unchanged: 2, errors: [] });
    await upload('products', file).set('Idempotency-Key', ' bad key ').expect(400);
  });

  it('is for integration keys (and admin): a clerk gets 403', async () => {
    await upload('products', 'sku,name,price\nX-2,x,1\n', CSV, '', 'clerk').expect(403);
    await upload('products', 'sku,name,price\nX-2,x,1\n', CSV, '', 'admin').expect(200);
  });

  it('a body that is not an XLSX workbook, or an empty one, is reported, never a failure of the service', async () => {
    const garbage = await upload('customers', Buffer.from('PK\u0003\u0004 this is not a zip at all'), XLSX).expect(400);
    expect(garbage.body.error.details.fields[0].field).toBe('file');
    const empty = await upload('customers', Buffer.alloc(0), XLSX);
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.fields[0].field).toBe('file');
    const noRows = await upload('customers', await xlsx([['id', 'name']]), XLSX).expect(200);
    expect(noRows.body).toMatchObject({ rows: 0, applied: 0, errors: [] });
  });

  it('applies rows as they arrive: the first batch is registered while the rest of the file is still being sent', async () => {
    const server = jxc.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sending = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/import/products', headers: { Authorization: `Bearer ${keys.bot}`, 'Content-Type': CSV } });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      sending.once('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).once('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      sending.once('error', reject);
    });
    const rows = Array.from({ length: 70 }, (_, i) => `STREAM-${i + 1},Streamed ${i + 1},100`);
    sending.write(`sku,name,price\n${rows.join('\n')}\n`);
    let seen = false;
    for (let i = 0; i < 200 && !seen; i++) {
      seen = (await jxc.http.get('/api/products/STREAM-1').set(jxc.as(ADMIN_KEY))).status === 200;
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toBe(true);
    sending.end('STREAM-LAST,The last one,100\n');
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ rows: 71, applied: 71, errors: [] });
  });

  it('an unreadable CSV stops at the row it breaks on; the rows before it stand', async () => {
    const answer = await upload('products', 'sku,name,price\nIMP-BRK-1,ok,1\nIMP-BRK-2,"unclosed,2\n').expect(200);
    expect(answer.body.applied).toBe(1);
    expect(answer.body.errors).toEqual([{ row: 3, field: 'file', problem: expect.stringContaining('not readable as CSV') }]);
  });
});
