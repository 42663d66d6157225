import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type BenchCase, type Measure, type Workload } from '../harness/workload.js';

const CONNECTIONS = 64;
const DISTINCT_SKUS = 200;
const ADMIN_KEY = 'bench-admin-key-0123456789';
const skuOf = (i: number) => `W-SKU-${String(i % DISTINCT_SKUS).padStart(4, '0')}`;
/** The oversell check after each timed run: this many 1-unit orders at once on a fresh SKU holding `OVERSELL_STOCK`. */
const OVERSELL_ORDERS = 200;
const OVERSELL_STOCK = 120;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A request on a connection of its own (so that JXC_WORKERS' primary hands consecutive ones to different processes). */
function call(method: 'GET' | 'POST', url: string, path: string, body?: unknown): Promise<{ status: number; worker: string | undefined }> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = { Authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }) };
  return new Promise((resolve, reject) => {
    const req = request(new URL(`${url}${path}`), { method, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: res.headers['x-jxc-worker'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const post = (url: string, path: string, body: unknown) => call('POST', url, path, body);

/** `npm start`'s build (dist/src/main.js) with JXC_WORKERS=`workers`, on a fresh data dir, seeded with products and ample stock. */
class Service {
  private oversellRuns = 0;
  private timedRuns = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dataDir: string,
  ) {}

  static async start(workers: number): Promise<Service> {
    const dataDir = mkdtempSync(join(tmpdir(), `jxc-bench-workers-${workers}-`));
    const port = await freePort();
    const main = fileURLToPath(new URL('../../../src/main.js', import.meta.url));
    const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
    const child = spawn(process.execPath, [main], {
      env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_DURABILITY: 'full', JXC_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, JXC_WORKERS: String(workers) },
      stdio: 'ignore',
    });
    const service = new Service(child, `http://127.0.0.1:${port}`, dataDir);
    // Every process answers (several health checks at once, each on its own connection).
    for (const deadline = Date.now() + 60_000; ; ) {
      if (child.exitCode !== null) throw new Error(`the service (JXC_WORKERS=${workers}) exited during start-up`);
      try {
        const answers = await Promise.all(Array.from({ length: 2 * workers }, () => call('GET', service.url, '/api/health/live')));
        if (answers.every((answer) => answer.status === 200) && (workers === 1 || new Set(answers.map((answer) => answer.worker)).size === workers)) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`the service (JXC_WORKERS=${workers}) did not start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seeded = async (path: string, body: unknown) => {
      const { status } = await post(service.url, path, body);
      if (status !== 201) throw new Error(`seeding ${path}: ${status}`);
    };
    await seeded('/api/customers', { id: 'bench-customer', name: 'Bench Customer' });
    for (let i = 0; i < DISTINCT_SKUS; i++) {
      await seeded('/api/products', { sku: skuOf(i), name: skuOf(i), price: 1999 });
      await seeded('/api/stock/receipts', { sku: skuOf(i), quantity: 1_000_000_000 });
    }
    return service;
  }

  /**
   * 64 connections placing 1-unit orders on distinct SKUs for `seconds`; then the oversell check. `clientNumbers`: each
   * order gives its own number (claimed on a stream of its own) instead of taking the next of the series, whose one
   * stream every generated number is appended to.
   */
  async placeOrders(seconds: number, clientNumbers = false): Promise<Record<string, number>> {
    let i = 0;
    const run = ++this.timedRuns;
    const result = await autocannon({
      url: `${this.url}/api/orders`,
      connections: CONNECTIONS,
      duration: Math.max(1, seconds),
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => {
            const number = clientNumbers ? { number: `W-${run}-${i}` } : {};
            return { ...req, body: JSON.stringify({ kind: 'sale', partyId: 'bench-customer', ...number, lines: [{ sku: skuOf(i++), quantity: 1, unitPrice: 1999 }] }) };
          },
        },
      ],
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
    const oversold = await this.oversellCheck();
    return { requestsPerSecond: result.requests.average, p99: result.latency.p99, oversold };
  }

  /** 200 orders of 1 unit at once on 120 units: how many more than 120 were placed (must be 0; the run fails otherwise). */
  private async oversellCheck(): Promise<number> {
    const sku = `W-HOT-${++this.oversellRuns}`;
    await post(this.url, '/api/products', { sku, name: sku, price: 1999 });
    await post(this.url, '/api/stock/receipts', { sku, quantity: OVERSELL_STOCK });
    const answers = await Promise.all(Array.from({ length: OVERSELL_ORDERS }, () => post(this.url, '/api/orders', { kind: 'sale', partyId: 'bench-customer', lines: [{ sku, quantity: 1, unitPrice: 1999 }] })));
    const placed = answers.filter((answer) => answer.status === 201).length;
    const refused = answers.filter((answer) => answer.status === 409).length;
    if (placed !== OVERSELL_STOCK || refused !== OVERSELL_ORDERS - OVERSELL_STOCK) throw new Error(`oversell check: ${placed} placed and ${refused} refused of ${OVERSELL_ORDERS} on ${OVERSELL_STOCK} units`);
    return placed - OVERSELL_STOCK;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(undefined);
      this.child.once('exit', resolve);
      this.child.kill('SIGTERM');
    });
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export const workersWorkload: Workload = {
  name: 'workers',
  title: 'workers: HTTP place-order with JXC_WORKERS=2 (two service processes on one embedded store) vs one process, full durability',
  limits:
    'Both processes commit to one SQLite file, one write transaction at a time (BEGIN IMMEDIATE, busy_timeout): each process still ' +
    'group-commits, but the groups of the two processes take turns for the write lock and each waits for the other\'s fsync. With ' +
    'several processes a command still pipelines behind its own process\'s appends in flight, naming the event it expects at the ' +
    'revision (expectedLastEventId, checked in the write transaction), and checks a cached state against the stream\'s last revision ' +
    '(one indexed read); when the other process took the revision first, the pipelined appends fail together and are decided again. ' +
    'What two processes gain is the second core for HTTP, validation and hashing; on a 2-core machine one process already uses most ' +
    'of both (its command thread and its projection worker thread), and autocannon takes a share too. A generated order number is an ' +
    'append to the one stream of its series (sequence-SO-<year>): both processes append to it and conflict there; the client-numbers ' +
    'case leaves that stream out.',
  async prepare() {
    const one = await Service.start(1);
    const two = await Service.start(2);
    const single: Measure = { key: 'workers-1', label: `1 process, HTTP, ${CONNECTIONS} connections (autocannon)`, run: ({ seconds }) => one.placeOrders(seconds) };
    const double: Measure = { key: 'workers-2', label: `JXC_WORKERS=2, HTTP, ${CONNECTIONS} connections (autocannon)`, run: ({ seconds }) => two.placeOrders(seconds) };
    const singleGiven: Measure = { key: 'workers-1-given', label: `1 process, client numbers, HTTP, ${CONNECTIONS} connections`, run: ({ seconds }) => one.placeOrders(seconds, true) };
    const doubleGiven: Measure = { key: 'workers-2-given', label: `JXC_WORKERS=2, client numbers, HTTP, ${CONNECTIONS} connections`, run: ({ seconds }) => two.placeOrders(seconds, true) };
    const cases: BenchCase[] = [
      {
        name: 'workers-2-vs-1',
        title: 'HTTP POST /api/orders with 2 service processes on one store, 64 connections',
        unit: 'req/s',
        durability: 'full',
        higherIsBetter: true,
        subject: double,
        metric: 'requestsPerSecond',
        baseline: single,
        baselineMetric: 'requestsPerSecond',
        targets: [{ op: '>=', value: 1.5, on: 'ratio' }],
      },
      {
        name: 'workers-2-vs-1-client-numbers',
        title: 'HTTP POST /api/orders giving their own numbers (no shared series stream) with 2 service processes on one store, 64 connections',
        unit: 'req/s',
        durability: 'full',
        higherIsBetter: true,
        subject: doubleGiven,
        metric: 'requestsPerSecond',
        baseline: singleGiven,
        baselineMetric: 'requestsPerSecond',
      },
      { name: 'workers-2-p99', title: 'HTTP POST /api/orders with 2 service processes, latency p99', unit: 'ms', durability: 'full', higherIsBetter: false, subject: double, metric: 'p99' },
      { name: 'workers-2-oversold', title: `oversold in ${OVERSELL_ORDERS} concurrent 1-unit orders on ${OVERSELL_STOCK} units after each run, 2 processes`, unit: 'orders', durability: 'full', higherIsBetter: false, subject: double, metric: 'oversold', targets: [{ op: '<=', value: 0, on: 'figure' }] },
    ];
    return {
      cases,
      notes: () => [
        `each order: one line, 1 unit, on ${DISTINCT_SKUS} SKUs in turn with stock 1e9; both services are dist/src/main.js in child processes, fresh data dirs, seeded alike`,
        `after each timed run, ${OVERSELL_ORDERS} orders of 1 unit at once on a fresh SKU holding ${OVERSELL_STOCK} units, each on a connection of its own (both processes take them): ` +
          `the run fails unless exactly ${OVERSELL_STOCK} are placed and ${OVERSELL_ORDERS - OVERSELL_STOCK} refused`,
      ],
      close: async () => {
        await one.close();
        await two.close();
      },
    };
  },
};
