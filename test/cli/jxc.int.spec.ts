import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PROJECTION_GROUPS } from '../../projections/index.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { rebuildGroup } from '../../src/platform/projection-runner/rebuild.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../src/platform/read-store/read-store.port.js';
import { runJxc } from '../support/cli.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { until } from '../support/until.js';

// The CLI as a child process (dist/src/cli/main.js) on the embedded stores of a service running
// in this process: real SQLite files on disk in a temporary directory.
let app: RunningApp;
let events: EventStore;
let views: ReadStore;
let outDir: string;
const keys: Record<string, string> = {};
const TRICKY_NAME = 'Tea, "House" 茶馆';
const VIEWS = PROJECTION_GROUPS.flatMap((group) => group.views.map((view) => view.name));

function post(who: string, path: string, body: unknown = {}) {
  return app.http.post(path).set(app.as(keys[who])).send(body as object);
}

function get(path: string) {
  return app.http.get(path).set(app.as(ADMIN_KEY));
}

async function caughtUp(): Promise<Record<string, { generation: string; caughtUp: boolean }>> {
  return until('the projections to catch up', async () => {
    const projections = (await app.http.get('/api/health')).body.projections as Record<string, { generation: string; caughtUp: boolean; lag: number }>;
    return Object.values(projections).every((projection) => projection.caughtUp && projection.lag === 0) ? projections : undefined;
  });
}

const jxc = (...args: string[]) => runJxc(app.dataDir, args);

beforeAll(async () => {
  app = await startApp({ mongodbUrl: undefined });
  events = app.app.get(EVENT_STORE);
  views = app.app.get(READ_STORE);
  outDir = mkdtempSync(join(tmpdir(), 'jxc-cli-out-'));
  keys.admin = ADMIN_KEY;
  keys.clerk = await app.keyFor('clerk-1', 'clerk');
  keys.approver = await app.keyFor('approver-1', 'approver');
  keys.finance = await app.keyFor('finance-1', 'finance');
  await post('admin', '/api/customers', { id: 'cli-cust', name: TRICKY_NAME }).expect(201);
  await post('admin', '/api/suppliers', { id: 'cli-sup', name: 'West Lake Farm' }).expect(201);
  for (const sku of ['CLI-A', 'CLI-B']) {
    await post('admin', '/api/products', { sku, name: `Product ${sku}`, price: 1999, minStock: 5 }).expect(201);
    await post('admin', '/api/stock/receipts', { sku, quantity: 50 }).expect(201);
  }
  for (let i = 0; i < 12; i++) {
    const placed = await post('clerk', '/api/orders', { kind: 'sale', partyId: 'cli-cust', lines: [{ sku: i % 2 ? 'CLI-A' : 'CLI-B', quantity: 1 + (i % 3), unitPrice: 1999 }] }).expect(201);
    if (i % 4 === 0) await post('finance', `/api/orders/${placed.body.orderId}/payments`, { amount: 1999, method: 'card' }).expect(200);
    if (i % 5 === 1) {
      await post('clerk', `/api/orders/${placed.body.orderId}/cancellation`, { reason: 'changed, "mind"', initiatedBy: 'customer' }).expect(200);
      await post('approver', `/api/orders/${placed.body.orderId}/cancellation/approve`, {}).expect(200);
    }
  }
  await post('admin', '/api/orders', { kind: 'purchase', partyId: 'cli-sup', lines: [{ sku: 'CLI-A', quantity: 10, unitPrice: 900 }] }).expect(201);
  await caughtUp();
}, 60_000);

afterAll(async () => {
  await app?.close();
  rmSync(outDir, { recursive: true, force: true });
});

/** RFC 4180 with quoted fields (commas, quotes and line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r') continue;
    else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function allOf(view: string, filter: Record<string, string | null> = {}): Promise<ViewDocument[]> {
  const docs: ViewDocument[] = [];
  for await (const doc of views.scan(view, { filter })) docs.push(doc);
  return docs;
}

/** Every projected view as the CLI exports it (ndjson), by id. */
async function snapshot(): Promise<Record<string, ViewDocument[]>> {
  const result: Record<string, ViewDocument[]> = {};
  for (const view of VIEWS) {
    const run = await jxc('export', view, '--format', 'ndjson');
    expect({ view, code: run.code }).toEqual({ view, code: 0 });
    result[view] = run.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ViewDocument)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  return result;
}

describe('jxc export', () => {
  it('csv: a header, then one row per order line newest first, filtered by --kind and --status; money in yuan; commas, quotes and Chinese survive', async () => {
    const run = await jxc('export', 'orders', '--format', 'csv', '--kind', 'sale', '--status', 'placed');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/exported \d+ orders rows as csv to stdout/);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header.slice(0, 5)).toEqual(['orderId', 'number', 'kind', 'status', 'partyId']);
    expect(header).toEqual(expect.arrayContaining(['orderTotal', 'paid', 'currency', 'cancellation', 'line', 'sku', 'quantity', 'unitPrice']));
    const expected = (await allOf('orders', { kind: 'sale', status: 'placed' })).sort((a, b) => String(b.placedAt).localeCompare(String(a.placedAt)));
    expect(expected.length).toBeGreaterThan(3);
    expect(rows.map((row) => row[0])).toEqual(expected.map((doc) => doc.orderId));
    const column = (name: string) => header.indexOf(name);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      expect(row[column('kind')]).toBe('sale');
      expect(row[column('status')]).toBe('placed');
      const doc = expected.find((candidate) => candidate.orderId === row[0])!;
      // Each of these orders has one line: one row each, money in major units (1999 fen: 19.99).
      const [line] = doc.lines as { sku: string; quantity: number; unitPrice: number }[];
      expect(row[column('orderTotal')]).toBe((Number(doc.total) / 100).toFixed(2));
      expect([row[column('line')], row[column('sku')], row[column('quantity')], row[column('unitPrice')]]).toEqual(['1', line.sku, String(line.quantity), '19.99']);
      expect(new Date(row[column('placedAt')]).toISOString()).toBe(doc.placedAt);
      // In the business time zone (JXC_BUSINESS_TZ, default Asia/Shanghai: UTC+8).
      expect(row[column('placedAt')]).toMatch(/\+08:00$/);
    }

    const customers = parseCsv((await jxc('export', 'customers')).stdout);
    expect(customers[1][customers[0].indexOf('name')]).toBe(TRICKY_NAME);
    const cancelled = parseCsv((await jxc('export', 'orders', '--cancellation', 'approved')).stdout);
    expect(cancelled.length).toBeGreaterThan(1);
    expect(cancelled.slice(1).every((row) => row[cancelled[0].indexOf('cancellationReason')] === 'changed, "mind"')).toBe(true);

    // A range with nothing in it: the header alone.
    const none = await jxc('export', 'orders', '--from', '2999-01-01');
    expect(none.code).toBe(0);
    expect(parseCsv(none.stdout)).toEqual([header]);
  });

  it('ndjson: one view document per line, exactly as the read store holds them; --out writes a file and leaves no partial file', async () => {
    const order = (await allOf('orders', { kind: 'purchase' }))[0];
    const run = await jxc('export', 'audit_trail', '--format', 'ndjson', '--order', String(order.orderId));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as ViewDocument);
    const expected = await allOf('audit_trail', { orderId: String(order.orderId) });
    expect(lines).toHaveLength(expected.length);
    expect(lines.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));

    const file = join(outDir, 'stock.ndjson');
    const toFile = await jxc('export', 'stock_levels', '--format', 'ndjson', '--out', file, '--warehouse', 'main');
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(readdirSync(outDir).filter((name) => name.includes('partial'))).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });

  it('xlsx: a workbook exceljs reads back, to a file or to stdout: the header row, one row per order line, money as numbers in yuan, times as dates', async () => {
    const file = join(outDir, 'orders.xlsx');
    const run = await jxc('export', 'orders', '--format', 'xlsx', '--out', file);
    expect(run.code).toBe(0);
    const expected = await allOf('orders');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('orders')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['orderId', 'number', 'kind']);
    expect(sheet.rowCount).toBe(expected.length + 1);
    const totalColumn = header.indexOf('orderTotal') + 1;
    const placedColumn = header.indexOf('placedAt') + 1;
    const ids: string[] = [];
    sheet.eachRow((row, index) => {
      if (index === 1) return;
      ids.push(String(row.getCell(1).value));
      const doc = expected.find((candidate) => candidate.orderId === row.getCell(1).value)!;
      expect(row.getCell(totalColumn).value).toBe(Number(doc.total) / 100);
      // A date cell shows the Asia/Shanghai wall clock (UTC+8).
      expect((row.getCell(placedColumn).value as Date).getTime()).toBe(Date.parse(String(doc.placedAt)) + 8 * 3_600_000);
    });
    expect(ids.sort()).toEqual(expected.map((doc) => String(doc.orderId)).sort());

    const piped = await jxc('export', 'stock_levels', '--format', 'xlsx');
    expect(piped.code).toBe(0);
    const fromStdout = new ExcelJS.Workbook();
    await fromStdout.xlsx.load(piped.bytes as unknown as ArrayBuffer);
    const levels = fromStdout.getWorksheet('stock_levels')!;
    expect(levels.rowCount).toBe(1 + (await allOf('stock_levels')).length);
    expect((levels.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['sku', 'warehouseId', 'onHand']);
    expect(typeof levels.getRow(2).getCell(3).value).toBe('number');
  });

  it.each([
    [['export', 'nope'], /^jxc: unknown view "nope"; views: orders, /],
    [['export', 'orders', '--format', 'pdf'], /argument 'pdf' is invalid\. Allowed choices are csv, xlsx, ndjson/],
    [['export', 'stock_levels', '--status', 'placed'], /^jxc: --status does not apply to view stock_levels/],
    [['export', 'orders', '--status', 'lost'], /^jxc: --status must be one of placed, /],
    [['export', 'orders', '--from', 'yesterday'], /^jxc: --from must be an ISO-8601 date or time/],
    [['export', 'orders', '--colour', 'red'], /unknown option '--colour'/],
    [['projections', 'rebuild', 'nope'], /^jxc: unknown projection "nope"; projections: orders, /],
    [['projections', 'verify', 'nope'], /^jxc: unknown projection "nope"/],
    [['reports'], /unknown command 'reports'/],
  ])('bad input %j: one line on stderr, no stack trace, exit 2', async (args, message) => {
    const run = await jxc(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });

  it('refuses a data directory without an event store, naming it, exit 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jxc-cli-empty-'));
    try {
      const run = await runJxc(empty, ['audit', 'verify']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`no event store at ${join(empty, 'events.sqlite')}`);
      expect(existsSync(join(empty, 'events.sqlite'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('jxc projections', () => {
  it('rebuild: every view is equal after the rebuild, each in a new generation, and the running service follows it', async () => {
    const before = await snapshot();
    const generations = await caughtUp();
    const run = await jxc('projections', 'rebuild');
    expect(run.code).toBe(0);
    for (const group of PROJECTION_GROUPS) expect(run.stdout).toMatch(new RegExp(`^${group.name}: \\d+ events in [\\d.]+ s \\([\\d,]+ events/s\\), up to position \\d+; promoted `, 'm'));
    expect(await snapshot()).toEqual(before);
    for (const view of VIEWS) {
      const generation = await views.liveGeneration(view);
      expect({ view, newer: Number(generation) > Number(generations[view].generation) }).toEqual({ view, newer: true });
      expect(await views.listGenerations(view)).toEqual([generation]);
    }

    // The service writes into the promoted generations from their checkpoints.
    const placed = await post('clerk', '/api/orders', { kind: 'sale', partyId: 'cli-cust', lines: [{ sku: 'CLI-A', quantity: 1, unitPrice: 1999 }] }).expect(201);
    const read = await get(`/api/orders/${placed.body.orderId}?minPosition=${placed.body.position}`).expect(200);
    expect(read.headers['x-jxc-stale']).toBeUndefined();
    expect((await caughtUp()).orders.generation).toBe(await views.liveGeneration('orders'));
  }, 120_000); // Exports every view twice through the CLI (one process each) around a rebuild: slow under load.

  it('rebuild of one view rebuilds its group; the old generation serves until the new one is promoted', async () => {
    const oldOrders = await views.liveGeneration('orders');
    const oldStats = await views.liveGeneration('cancellation_stats');
    const orders = await allOf('orders');
    const checks: Promise<{ live: string; served: number }>[] = [];
    const group = PROJECTION_GROUPS.find((candidate) => candidate.name === 'orders')!;
    let promotedAt: { live: string; served: number; fresh: number } | undefined;
    const result = await rebuildGroup(events, views, group, {
      maxBatch: 4,
      onProgress: () => checks.push((async () => ({ live: await views.liveGeneration('orders'), served: (await get('/api/orders?limit=500').expect(200)).body.items.length }))()),
      beforePromote: async (fresh) => {
        promotedAt = {
          live: await views.liveGeneration('orders'),
          served: (await get('/api/orders?limit=500').expect(200)).body.items.length,
          fresh: await views.count(fresh.get('orders')!),
        };
      },
    });
    expect(checks.length).toBeGreaterThan(3);
    for (const check of await Promise.all(checks)) expect(check).toEqual({ live: oldOrders, served: orders.length });
    expect(promotedAt).toEqual({ live: oldOrders, served: orders.length, fresh: orders.length });
    expect(result.views.map((view) => view.view)).toEqual(['orders', 'cancellation_stats']);
    expect(await views.liveGeneration('orders')).toBe(result.views[0].promoted);
    expect(await views.liveGeneration('cancellation_stats')).not.toBe(oldStats);
    expect(await allOf('orders')).toEqual(orders);

    // From the command line, a view name selects its group.
    const run = await jxc('projections', 'rebuild', 'stock_alerts');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rebuilding stock \(stock_levels, stock_alerts, stock_transfers\)/);
    expect(run.stdout).not.toMatch(/^orders:/m);
  });

  it('verify: exit 0 when every view equals a fresh replay; a changed or missing document is printed with view, id and field, exit 1', async () => {
    await caughtUp();
    const equal = await jxc('projections', 'verify');
    expect(equal.code).toBe(0);
    expect(equal.stdout).toContain('projections verify: every view equals a fresh replay of the log');
    expect(equal.stdout).toMatch(/^ {2}orders: \d+ documents, equal$/m);

    const order = (await allOf('orders', { kind: 'sale' }))[0];
    await views.writeBatch('orders', [{ type: 'patch', id: order.id, position: order.position, set: { paid: 987654 } }]);
    await views.writeBatch('customers', [{ type: 'delete', id: 'cli-cust' }]);
    const broken = await jxc('projections', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`orders ${order.id} paid: live 987654, replay ${order.paid}`);
    expect(broken.stdout).toContain('customers cli-cust: missing from the live view');
    expect(broken.stdout).toMatch(/^ {2}orders: \d+ documents, 1 difference$/m);
    expect(broken.stdout).toMatch(/^ {2}stock_levels: \d+ documents, equal$/m);
    expect(broken.stdout).toMatch(/^projections verify: 2 differences in orders, customers$/m);
    // The throw-away generations are gone.
    for (const view of VIEWS) expect(await views.listGenerations(view)).toEqual([await views.liveGeneration(view)]);

    // Only the named group is verified; a rebuild repairs the views.
    expect((await jxc('projections', 'verify', 'stock')).code).toBe(0);
    expect((await jxc('projections', 'rebuild', 'orders')).code).toBe(0);
    expect((await jxc('projections', 'rebuild', 'customers')).code).toBe(0);
    expect((await jxc('projections', 'verify')).code).toBe(0);
  }, 60_000);
});
