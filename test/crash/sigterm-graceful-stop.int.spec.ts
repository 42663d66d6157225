import { describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, START_TIMEOUT_MS, startService, stopService } from '../support/service-process.js';

// SIGTERM in the middle of a burst of placements: every request sent before the signal gets a complete
// answer (no reset): 201 when the service had taken it (those still running finish), 503 unavailable
// with Retry-After when its connection was still queued in the kernel; the process exits 0; every
// acknowledged placement is there after a restart and no refused one is.
const ADMIN = 'stop-admin-key-0123456789';
const BURST = 200;
const SKUS = Array.from({ length: 10 }, (_, i) => `STOP-${i}`);

interface Answer {
  readonly status?: number;
  readonly retryAfter?: string;
  readonly body?: Record<string, unknown>;
  readonly error?: string;
}

/** One POST on its own connection (no keep-alive), with a promise that resolves once the request is written out. */
function post(url: string, path: string, body: unknown): { sent: Promise<void>; answer: Promise<Answer> } {
  const target = new URL(`${url}${path}`);
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const answer = new Promise<Answer>((resolve) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], body: JSON.parse(text) as Record<string, unknown> }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      markSent();
      resolve({ error: error.code ?? error.message });
    });
    req.on('finish', markSent);
    req.end(JSON.stringify(body));
  });
  return { sent, answer };
}

async function get(url: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${ADMIN}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('graceful stop', () => {
  it(`answers each of ${BURST} placements sent before SIGTERM (201, or 503 if not yet taken), exits 0, and keeps each acknowledged order`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-sigterm-'));
    try {
      let service = await startService(dataDir, ADMIN);
      const admin = async (path: string, body: unknown) => expect((await post(service.url, path, body).answer).status).toBe(201);
      await admin('/customers', { id: 'stop-customer', name: 'Stop Customer' });
      for (const sku of SKUS) {
        await admin('/products', { sku, name: sku, price: 100 });
        await admin('/stock/receipts', { sku, quantity: 1_000_000 });
      }

      // Each placement reserves 10 stock positions (10 appends after its own): slow enough that a burst
      // of 200 is still running when the signal comes.
      const lines = SKUS.map((sku) => ({ sku, quantity: 1, unitPrice: 100 }));
      const calls = Array.from({ length: BURST }, (_, i) => post(service.url, '/orders', { orderId: `stop-${i}`, kind: 'sale', partyId: 'stop-customer', lines }));
      let answered = 0;
      const answeredAt: number[] = [];
      calls.forEach((call, i) => void call.answer.then(() => (answeredAt[i] = ++answered)));
      await Promise.all(calls.map((call) => call.sent));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const exited = exitOf(service.child);
      service.child.kill('SIGTERM');
      const answeredBeforeSignal = answered;
      const answers = await Promise.all(calls.map((call) => call.answer));
      const exit = await exited;

      expect(answers.filter((answer) => answer.error !== undefined)).toEqual([]);
      expect(exit).toEqual({ code: 0, signal: null });
      const acknowledged = answers.flatMap((answer, i) => (answer.status === 201 ? [i] : []));
      const refused = answers.flatMap((answer, i) => (answer.status === 503 ? [i] : []));
      expect(acknowledged.length + refused.length).toBe(BURST);
      for (const i of refused) expect(answers[i]).toMatchObject({ retryAfter: '1', body: { error: { code: 'unavailable' } } });
      // The signal came in the middle: placements the service had taken were still running, and finished.
      expect(answeredBeforeSignal).toBeLessThan(BURST);
      expect(acknowledged.filter((i) => answeredAt[i]! > answeredBeforeSignal).length).toBeGreaterThan(0);

      service = await startService(dataDir, ADMIN);
      try {
        for (const i of acknowledged) {
          const order = await get(service.url, `/orders/stop-${i}?minPosition=${String(answers[i]!.body?.position)}`);
          expect(order.status).toBe(200);
          expect(order.body).toMatchObject({ orderId: `stop-${i}`, status: 'placed', revision: answers[i]!.body?.revision });
        }
        const lastPosition = acknowledged.map((i) => BigInt(String(answers[i]!.body?.position))).reduce((a, b) => (a > b ? a : b), 0n);
        for (const i of refused) expect((await get(service.url, `/orders/stop-${i}?minPosition=${lastPosition}`)).status).toBe(404);
      } finally {
        await stopService(service, 'SIGTERM');
      }
      expect(service.child.exitCode).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('npm start forwards SIGTERM: the node process stops with it and npm exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-npm-start-'));
    const port = await freePort();
    const { MONGODB_URL: _mongo, EVENTSTORE_URL: _esdb, ...env } = process.env;
    // --ignore-scripts skips prestart (the build): the test runs on the dist/ that `npm run build` made.
    let nodePid: number | undefined;
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], { env: { ...env, PORT: String(port), JXC_DATA_DIR: dataDir, JXC_BOOTSTRAP_ADMIN_KEY: ADMIN }, stdio: 'ignore' });
    try {
      // By the clock, as startService waits: on a loaded machine (two jest workers, Node 24's second run in CI)
      // npm and the service took over the 10 s that 400 polls gave; npm exiting meanwhile fails at once.
      let up = false;
      for (const deadline = Date.now() + START_TIMEOUT_MS; !up && Date.now() < deadline && npm.exitCode === null && npm.signalCode === null; ) {
        up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
        if (!up) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect({ up, npmExit: npm.exitCode ?? npm.signalCode }).toEqual({ up: true, npmExit: null });
      // npm's descendants (npm -> node with `exec`; npm -> sh -> node without it).
      const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)!)
        .map(([, pid, ppid, command]) => ({ pid: Number(pid), ppid: Number(ppid), command: command! }));
      const descendants = new Set([npm.pid!]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const row of table) {
          if (descendants.has(row.ppid) && !descendants.has(row.pid)) {
            descendants.add(row.pid);
            grew = true;
          }
        }
      }
      const node = table.find((row) => descendants.has(row.pid) && row.command.includes('dist/src/main.js') && /^\S*node\s/.test(row.command));
      expect(node).toBeDefined();
      nodePid = node!.pid;
      expect(isAlive(nodePid)).toBe(true);

      const exited = exitOf(npm);
      npm.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      for (let i = 0; i < 200 && isAlive(nodePid); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(isAlive(nodePid)).toBe(false);
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      if (nodePid !== undefined && isAlive(nodePid)) process.kill(nodePid, 'SIGKILL'); // an orphan this test made
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
