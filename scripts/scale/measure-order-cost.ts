// `npm run scale:measure [-- --orders N --concurrency C]`: what one order costs this machine, measured on a
// real service. Starts `npm start`'s build (dist/src/main.js) as a child process on a fresh temporary data
// directory under .bench/scale/ (embedded SQLite stores, durability full), drives a mix of sale orders through its HTTP API as a
// clerk, a warehouse user and an approver would, waits until every projection has caught up, and measures
// per order: events appended, bytes of the event log (page level), bytes of each view in the read store, and
// CPU time of the service (its main thread: HTTP and the command path; its other threads: the projection
// worker, GC helpers). Then, on a copy of nothing but the log, a catch-up of every projection group from
// position 0 in a fresh process: the projection side's CPU and rate, with nothing else running in it.
// Prints a table; writes .bench/scale/order-cost.json (read by `npm run scale:simulate`).
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { describeMachine, machineLine, roundedLoad } from '../bench/harness/machine.js';
import { runInChild } from '../bench/harness/child-process.js';
import { catchUpInChild } from '../bench/workloads/projections.js';
import { PROJECTION_GROUPS } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { rebuildGroup } from '../../src/platform/projection-runner/rebuild.js';
import { ensureViews } from '../../src/platform/projection-runner/view-catalog.js';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store.js';

// The order mix, by order number i (deterministic: two runs drive the same orders).
/** Every CANCEL_EVERY-th order is cancelled before shipping: requested by the clerk, approved by an approver, refunded to the original payment. */
const CANCEL_EVERY = 10;
/** Every RETURN_EVERY-th order (of those delivered) has one unit returned by the customer, received resellable and refunded. */
const RETURN_EVERY = 20;
/** Every PARTIAL_EVERY-th order (of those shipped) ships in two shipments. */
const PARTIAL_EVERY = 5;
/** Products in the catalogue (lines pick among them) and customers placing orders. */
const SKUS = 200;
const CUSTOMERS = 100;
/** Lines per order: 1 to MAX_LINES; quantity per line 1 to MAX_QUANTITY. */
const MAX_LINES = 3;
const MAX_QUANTITY = 4;
const UNIT_PRICE = 1999;
const ADMIN_KEY = 'scale-admin-key-0123456789';

const skuOf = (n: number) => `SCALE-${String(n % SKUS).padStart(4, '0')}`;

export interface OrderCost {
  readonly generatedBy: string;
  readonly date: string;
  readonly machine: ReturnType<typeof describeMachine>;
  readonly mix: Record<string, number | string>;
  readonly orders: number;
  readonly requests: number;
  /** Order lines per order in the mix (each line is a stock position the order touches). */
  readonly linesPerOrder: number;
  readonly perOrder: {
    readonly events: number;
    readonly eventsByCategory: Record<string, number>;
    readonly requests: number;
    readonly logBytes: number;
    readonly viewBytes: Record<string, number>;
    readonly viewBytesTotal: number;
    /** CPU ms of the service's main thread (HTTP, validation, command handlers, appends, inline processes). */
    readonly commandCpuMs: number;
    /** CPU ms of the service's other threads meanwhile (projection worker, GC and libuv helpers). */
    readonly serviceOtherThreadsCpuMs: number;
    /** CPU ms of a catch-up of every projection group in a fresh process, per order's events. */
    readonly projectionCpuMs: number;
  };
  readonly drive: { readonly seconds: number; readonly ordersPerSecond: number; readonly concurrency: number };
  readonly catchUp: { readonly events: number; readonly seconds: number; readonly eventsPerSecond: number; readonly cpuMs: number; readonly peakRssMb: number };
  /** Each group rebuilt alone over the same log: every group reads the whole log, so its rate is in log events/s. */
  readonly rebuilds: ReadonlyArray<GroupRebuild & { readonly eventsPerSecond: number; readonly eventsPerCpuSecond: number }>;
  readonly totals: { readonly events: number; readonly logBytes: number; readonly viewBytes: number };
}

interface Snapshot {
  readonly events: number;
  /** Events by stream category (`order-…`, `stock-…`: the stream id up to its first '-'). */
  readonly categories: Map<string, number>;
  readonly logBytes: number;
  readonly views: Map<string, number>;
  readonly mainCpuMs: number;
  readonly otherCpuMs: number;
}

/** utime + stime of each thread of a process, in ms (Linux /proc). */
function threadCpuMs(pid: number): { main: number; other: number } {
  const tick = 100; // USER_HZ: 100 on every Linux Node supports
  let main = 0;
  let other = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / tick;
    if (Number(tid) === pid) main += ms;
    else other += ms;
  }
  return { main, other };
}

/** Bytes of each table and index of a SQLite file as its pages hold them (dbstat), by owning table. */
function tableBytes(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const owners = new Map((db.prepare(`SELECT name, tbl_name FROM sqlite_master`).all() as Array<{ name: string; tbl_name: string }>).map((r) => [r.name, r.tbl_name]));
    const sizes = new Map<string, number>();
    for (const { name, bytes } of db.prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name`).all() as Array<{ name: string; bytes: number }>) {
      const table = owners.get(name) ?? name;
      sizes.set(table, (sizes.get(table) ?? 0) + bytes);
    }
    return sizes;
  } finally {
    db.close();
  }
}

const PLANNER_STATISTICS = '(SQLite planner statistics)';

/** The view a read-store table belongs to: `orders__g1` is generation 1 of `orders`. */
function viewOf(table: string): string {
  if (table.startsWith('sqlite_stat')) return PLANNER_STATISTICS;
  const match = /^(.*)__g\d+$/.exec(table);
  return match ? match[1] : table;
}

function snapshot(dataDir: string, pid: number): Snapshot {
  const logFile = join(dataDir, 'events.sqlite');
  const log = new Database(logFile, { readonly: true, fileMustExist: true });
  let events: number;
  let categories: Map<string, number>;
  let logBytes: number;
  try {
    events = (log.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const byCategory = log.prepare(`SELECT CASE WHEN instr(stream_id, '-') > 0 THEN substr(stream_id, 1, instr(stream_id, '-') - 1) ELSE stream_id END AS category, COUNT(*) AS n FROM events GROUP BY category`);
    categories = new Map((byCategory.all() as Array<{ category: string; n: number }>).map((r) => [r.category, r.n]));
    // The database as a reader sees it, WAL frames included: page count × page size.
    logBytes = Number(log.pragma('page_count', { simple: true })) * Number(log.pragma('page_size', { simple: true }));
  } finally {
    log.close();
  }
  const views = new Map<string, number>();
  for (const [table, bytes] of tableBytes(join(dataDir, 'views.sqlite'))) {
    const view = viewOf(table);
    views.set(view, (views.get(view) ?? 0) + bytes);
  }
  const cpu = threadCpuMs(pid);
  return { events, categories, logBytes, views, mainCpuMs: cpu.main, otherCpuMs: cpu.other };
}

class Service {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<Service> {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const main = fileURLToPath(new URL('../../src/main.js', import.meta.url));
    const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
    const child = spawn(process.execPath, [main], {
      env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_DURABILITY: 'full', JXC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, NODE_ENV: 'production' },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) break;
      } catch {
        if (i > 800) throw new Error('the service did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return new Service(child, url);
  }

  requests = 0;

  async call<T = Record<string, unknown>>(key: string, method: string, path: string, body?: unknown): Promise<T> {
    this.requests++;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Until every view has applied the head of the log (GET /api/health). */
  async caughtUp(): Promise<void> {
    for (let i = 0; ; i++) {
      const health = (await (await fetch(`${this.url}/api/health`)).json()) as { projections: Record<string, { caughtUp: boolean; lag: number | null }> };
      if (Object.values(health.projections).every((p) => p.caughtUp && (p.lag ?? 0) === 0)) return;
      if (i > 12_000) throw new Error('the projections did not catch up in 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => {
      this.child.once('exit', resolve);
      this.child.kill('SIGTERM');
    });
  }
}

interface Keys {
  readonly clerk: string;
  readonly warehouse: string;
  readonly approver: string;
}

async function setUp(service: Service): Promise<Keys> {
  const key = async (userId: string, role: string) => (await service.call<{ key: string }>(ADMIN_KEY, 'POST', '/api/keys', { userId, roles: [role] })).key;
  const keys = { clerk: await key('scale-clerk', 'clerk'), warehouse: await key('scale-warehouse', 'warehouse'), approver: await key('scale-approver', 'approver') };
  for (let c = 0; c < CUSTOMERS; c++) await service.call(ADMIN_KEY, 'POST', '/api/customers', { id: `scale-customer-${c}`, name: `Customer ${c}` });
  for (let s = 0; s < SKUS; s++) {
    await service.call(ADMIN_KEY, 'POST', '/api/products', { sku: skuOf(s), name: `Product ${s}`, price: UNIT_PRICE });
    await service.call(ADMIN_KEY, 'POST', '/api/stock/receipts', { sku: skuOf(s), quantity: 1_000_000_000 });
  }
  return keys;
}

/** The whole life of order i, through the HTTP API, each step by the role that takes it. */
async function driveOrder(service: Service, keys: Keys, i: number): Promise<void> {
  const lineCount = 1 + (i % MAX_LINES);
  const lines = Array.from({ length: lineCount }, (_, k) => ({ sku: skuOf(i * 7 + k * 13), quantity: 1 + ((i + k) % MAX_QUANTITY) }));
  const order = await service.call<{ orderId: string; total: number }>(keys.clerk, 'POST', '/api/orders', { kind: 'sale', partyId: `scale-customer-${i % CUSTOMERS}`, lines });
  const path = `/api/orders/${order.orderId}`;
  await service.call(keys.clerk, 'POST', `${path}/payments`, { amount: order.total, method: 'cash' });
  if (i % CANCEL_EVERY === CANCEL_EVERY - 1) {
    await service.call(keys.clerk, 'POST', `${path}/cancellation`, { reason: 'customer changed their mind', initiatedBy: 'customer' });
    await service.call(keys.approver, 'POST', `${path}/cancellation/approve`, { refundMethod: 'original' });
    return;
  }
  await service.call(keys.warehouse, 'POST', `${path}/process`);
  const first = lines[0];
  if (i % PARTIAL_EVERY === 1 && first.quantity >= 2) {
    await service.call(keys.warehouse, 'POST', `${path}/ship`, { lines: [{ sku: first.sku, quantity: 1 }], carrier: 'SF', trackingNumber: `SF${i}a` });
    await service.call(keys.warehouse, 'POST', `${path}/ship`, { carrier: 'SF', trackingNumber: `SF${i}b` });
  } else {
    await service.call(keys.warehouse, 'POST', `${path}/ship`, { carrier: 'SF', trackingNumber: `SF${i}` });
  }
  await service.call(keys.warehouse, 'POST', `${path}/deliver`);
  if (i % RETURN_EVERY === 3) {
    const requested = await service.call<{ returnId?: string; returns?: Array<{ returnId: string }> }>(keys.clerk, 'POST', `${path}/returns`, { lines: [{ sku: first.sku, quantity: 1 }], reason: 'damaged in transit' });
    const returnId = requested.returnId ?? requested.returns?.at(-1)?.returnId;
    await service.call(keys.warehouse, 'POST', `${path}/returns/receive`, { ...(returnId ? { returnId } : {}), lines: [{ sku: first.sku, quantity: 1, condition: 'resellable' }] });
  }
}

export interface ProjectionCostArgs {
  readonly logDir: string;
  readonly viewsDir: string;
}

export interface GroupRebuild {
  readonly group: string;
  readonly events: number;
  readonly seconds: number;
  readonly cpuMs: number;
}

export interface ProjectionCost {
  readonly events: number;
  readonly seconds: number;
  readonly cpuMs: number;
  readonly rebuilds: readonly GroupRebuild[];
}

/**
 * Every projection group from position 0 to the head, as the service does on an empty views file,
 * with the CPU this process spent on it; then each group rebuilt alone (`jxc projections rebuild`'s
 * rebuildGroup, into fresh generations), timed one by one. In a child process (runInChild calls it by name).
 * @public
 */
export async function projectionCostInChild(args: ProjectionCostArgs): Promise<ProjectionCost> {
  const before = process.cpuUsage();
  const { events, seconds } = await catchUpInChild(args);
  const used = process.cpuUsage(before);
  const store = SqliteEventStore.open({ dataDir: args.logDir, durability: 'normal' });
  const views = SqliteReadStore.open({ dataDir: args.viewsDir });
  const rebuilds: GroupRebuild[] = [];
  try {
    await ensureViews(views);
    for (const group of PROJECTION_GROUPS) {
      const cpu = process.cpuUsage();
      const rebuilt = await rebuildGroup(store, views, group);
      const spent = process.cpuUsage(cpu);
      rebuilds.push({ group: group.name, events: rebuilt.events, seconds: rebuilt.seconds, cpuMs: (spent.user + spent.system) / 1000 });
    }
  } finally {
    await views.close();
    await store.close();
  }
  return { events, seconds, cpuMs: (used.user + used.system) / 1000, rebuilds };
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' }, out: { type: 'string', default: '.bench/scale' } } });
  const orders = Number(values.orders);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(orders) || orders < 10 || !Number.isInteger(concurrency) || concurrency < 1) throw new Error('--orders (≥ 10) and --concurrency (≥ 1) take integers');
  const machine = describeMachine();
  // Under the output directory, not the system's temporary one: nothing else sweeps it while the run lasts.
  mkdirSync(values.out, { recursive: true });
  const work = mkdtempSync(join(values.out, 'run-'));
  const dataDir = join(work, 'service');
  mkdirSync(dataDir);
  try {
    console.log(`machine: ${machineLine(machine)}`);
    const service = await Service.start(dataDir);
    const pid = service.child.pid as number;
    const keys = await setUp(service);
    await service.caughtUp();
    const requestsBefore = service.requests;
    const before = snapshot(dataDir, pid);
    console.log(`driving ${orders} orders, ${concurrency} at a time, through HTTP`);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < orders; i = next++) await driveOrder(service, keys, i);
      }),
    );
    const driveSeconds = (performance.now() - started) / 1000;
    await service.caughtUp();
    const after = snapshot(dataDir, pid);
    const requests = service.requests - requestsBefore;
    await service.stop();

    // The projection side alone: the log copied once the service has stopped, every group from 0.
    const logDir = join(work, 'log');
    mkdirSync(logDir);
    for (const file of ['events.sqlite', 'events.sqlite-wal']) {
      if (existsSync(join(dataDir, file))) copyFileSync(join(dataDir, file), join(logDir, file));
    }
    const { result: catchUp, peakRssMb } = await runInChild<ProjectionCost>(new URL(import.meta.url), 'projectionCostInChild', {
      logDir,
      viewsDir: join(work, 'views'),
    });
    machine.loadAtEnd = roundedLoad();

    const events = after.events - before.events;
    const viewBytes: Record<string, number> = {};
    for (const [view, bytes] of after.views) {
      // SQLite's planner statistics (ANALYZE's samples) are bounded, not a cost per order.
      if (view === PLANNER_STATISTICS) continue;
      const grown = bytes - (before.views.get(view) ?? 0);
      if (grown !== 0) viewBytes[view] = round(grown / orders);
    }
    const viewBytesTotal = Object.values(viewBytes).reduce((a, b) => a + b, 0);
    const cpuPerEvent = catchUp.cpuMs / catchUp.events;
    const result: OrderCost = {
      generatedBy: 'npm run scale:measure',
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine,
      mix: {
        lines: `1 to ${MAX_LINES} (order i: 1 + i mod ${MAX_LINES}), 1 to ${MAX_QUANTITY} units each, ${SKUS} SKUs, ${CUSTOMERS} customers`,
        paid: 'every order, in full, once (cash)',
        cancelledWithRefund: round(1 / CANCEL_EVERY, 3),
        shippedInTwoParts: `every ${PARTIAL_EVERY}th shipped order whose first line has 2 units or more`,
        returnedOneUnit: `every ${RETURN_EVERY}th order (of those delivered)`,
        durability: 'full',
      },
      orders,
      requests,
      linesPerOrder: round(Array.from({ length: orders }, (_, i) => 1 + (i % MAX_LINES)).reduce((a, b) => a + b, 0) / orders, 3),
      perOrder: {
        events: round(events / orders, 2),
        eventsByCategory: Object.fromEntries(
          [...after.categories].map(([category, n]) => [category, round((n - (before.categories.get(category) ?? 0)) / orders, 2)] as const).filter(([, n]) => n > 0),
        ),
        requests: round(requests / orders, 2),
        logBytes: round((after.logBytes - before.logBytes) / orders),
        viewBytes,
        viewBytesTotal: round(viewBytesTotal),
        commandCpuMs: round((after.mainCpuMs - before.mainCpuMs) / orders, 3),
        serviceOtherThreadsCpuMs: round((after.otherCpuMs - before.otherCpuMs) / orders, 3),
        projectionCpuMs: round((cpuPerEvent * events) / orders, 3),
      },
      drive: { seconds: round(driveSeconds, 1), ordersPerSecond: round(orders / driveSeconds, 1), concurrency },
      // Per log event (every group reads the whole log, whatever share of it it applies).
      rebuilds: catchUp.rebuilds.map((r) => ({ group: r.group, events: after.events, seconds: round(r.seconds, 2), cpuMs: round(r.cpuMs), eventsPerSecond: round(after.events / r.seconds), eventsPerCpuSecond: round((after.events * 1000) / r.cpuMs) })),
      catchUp: { events: catchUp.events, seconds: round(catchUp.seconds, 2), eventsPerSecond: round(catchUp.events / catchUp.seconds), cpuMs: round(catchUp.cpuMs), peakRssMb: round(peakRssMb) },
      totals: { events: after.events, logBytes: after.logBytes, viewBytes: [...after.views.values()].reduce((a, b) => a + b, 0) },
    };
    print(result);
    mkdirSync(values.out, { recursive: true });
    const file = join(values.out, 'order-cost.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwritten: ${file}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function print(cost: OrderCost): void {
  const p = cost.perOrder;
  const rows: Array<[string, string]> = [
    ['events appended', String(p.events)],
    ...Object.entries(p.eventsByCategory).map(([category, n]): [string, string] => [`  of them on ${category} streams`, String(n)]),
    ['HTTP requests', String(p.requests)],
    ['event log bytes (SQLite pages)', p.logBytes.toLocaleString('en-US')],
    ...Object.entries(p.viewBytes)
      .sort((a, b) => b[1] - a[1])
      .map(([view, bytes]): [string, string] => [`view ${view} bytes`, bytes.toLocaleString('en-US')]),
    ['all views bytes', p.viewBytesTotal.toLocaleString('en-US')],
    ['CPU ms, service main thread (HTTP + commands)', String(p.commandCpuMs)],
    ['CPU ms, service other threads (projection worker, GC)', String(p.serviceOtherThreadsCpuMs)],
    ['CPU ms, projections alone (catch-up from 0)', String(p.projectionCpuMs)],
  ];
  console.log(`\n${cost.orders} orders, ${cost.drive.ordersPerSecond} orders/s driven (${cost.drive.concurrency} at a time); catch-up ${cost.catchUp.eventsPerSecond} events/s; peak RSS of the process of the catch-up and the rebuilds ${cost.catchUp.peakRssMb} MB`);
  console.log('| per order | measured |\n|---|---|');
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  for (const r of cost.rebuilds) console.log(`rebuild of group ${r.group} alone: ${r.events} events in ${r.seconds} s (${r.eventsPerSecond} events/s; CPU ${r.cpuMs} ms: ${r.eventsPerCpuSecond} events per CPU second)`);
  console.log(`load at start ${cost.machine.loadAtStart.join(' / ')}, at end ${cost.machine.loadAtEnd?.join(' / ')}; commit ${cost.machine.commit}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
