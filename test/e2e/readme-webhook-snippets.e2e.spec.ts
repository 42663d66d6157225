import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { freePort } from '../support/service-process.js';
import { until } from '../support/until.js';

// The two webhook receivers of the README ("Verifying a delivery", Node and Python), run as the README prints
// them (only the port is set from the environment): jxc's own deliveries are accepted and handled, a duplicate
// is acknowledged without being handled twice, and a wrong secret, an old timestamp or a tampered body get 401.

const SECRET = 'whsec-readme-0123456789';

interface Snippet {
  readonly name: 'node' | 'python';
  readonly file: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** The fenced block that follows `label` in the README; the port line replaced, failing if it is not there. */
function snippet(readme: string, label: string, fence: string, port: [from: string, to: string]): string {
  const match = new RegExp(`${label}\\n\`\`\`${fence}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match === null) throw new Error(`the README has no ${label} ${fence} block`);
  if (!match[1].includes(port[0])) throw new Error(`the README's ${label} block has no ${port[0]}`);
  return match[1].replace(port[0], port[1]);
}

function listening(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => (socket.destroy(), resolve(undefined)));
    socket.connect(port, '127.0.0.1');
  });
}

class Receiver {
  output = '';
  private child: ChildProcess | undefined;
  port = 0;

  constructor(readonly snippet: Snippet) {}

  async start(): Promise<void> {
    this.port = await freePort();
    const child = spawn(this.snippet.command, [...this.snippet.args, this.snippet.file], {
      env: { ...process.env, JXC_WEBHOOK_SECRET: SECRET, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    await until(`the ${this.snippet.name} receiver listening`, async () => {
      if (child.exitCode !== null) throw new Error(`the ${this.snippet.name} receiver exited: ${this.output}`);
      return listening(this.port);
    });
  }

  /** Lines it printed for events (handled), e.g. `17 ProductRegistered product-TEA-1`. */
  handled(): string[] {
    return this.output.split('\n').filter((line) => /^\S+ [A-Z]\w+ \S+$/.test(line.trim()));
  }

  async post(body: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}/`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
    return response.status;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

/** Headers as jxc signs a delivery: HMAC-SHA256 over `<timestamp>.<body>`. */
function signed(body: string, eventId: string, options: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.secret ?? SECRET).update(`${timestamp}.${body}`).digest('hex');
  return { 'X-Jxc-Timestamp': timestamp, 'X-Jxc-Signature': `sha256=${signature}`, 'X-Jxc-Event-Id': eventId };
}

describe('the README webhook receivers (Node and Python) against jxc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-readme-snippets-'));
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  const node: Snippet = { name: 'node', file: join(dir, 'receiver.mjs'), command: process.execPath, args: [] };
  const python: Snippet = { name: 'python', file: join(dir, 'receiver.py'), command: 'python3', args: ['-u'] };
  const receivers = [new Receiver(node), new Receiver(python)];
  let jxc: RunningApp;

  beforeAll(async () => {
    writeFileSync(node.file, snippet(readme, 'Node:', 'js', ['.listen(4000)', '.listen(Number(process.env.PORT))']));
    writeFileSync(python.file, snippet(readme, 'Python:', 'python', ['("127.0.0.1", 4001)', '("127.0.0.1", int(os.environ["PORT"]))']));
    await Promise.all(receivers.map((receiver) => receiver.start()));
    jxc = await startApp();
  }, 60_000);

  afterAll(async () => {
    await jxc?.close();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts and handles jxc's own deliveries, signed with the webhook's secret", async () => {
    const webhooks: string[] = [];
    for (const receiver of receivers) {
      const created = await jxc.http.post('/api/webhooks').set(jxc.as(ADMIN_KEY)).send({ url: `http://127.0.0.1:${receiver.port}/`, types: ['ProductRegistered'], secret: SECRET }).expect(201);
      webhooks.push(created.body.webhookId as string);
    }
    await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).send({ sku: 'README-1', name: 'Longjing 250 g', price: 1999 }).expect(201);
    for (const [i, receiver] of receivers.entries()) {
      const [line] = await until(`${receiver.snippet.name} handled the delivery`, () => (receiver.handled().length > 0 ? receiver.handled() : undefined));
      expect(line.trim()).toMatch(/^\S+ ProductRegistered product-README-1$/);
      const delivered = await until(`${receiver.snippet.name}'s delivery listed as delivered`, async () => {
        const items = (await jxc.http.get(`/api/webhooks/${webhooks[i]}/deliveries?status=delivered`).set(jxc.as(ADMIN_KEY)).expect(200)).body.items as { lastStatus: number }[];
        return items.length > 0 ? items : undefined;
      });
      expect(delivered).toEqual([expect.objectContaining({ lastStatus: 204 })]);
    }
  });

  it.each(receivers.map((receiver) => [receiver.snippet.name, receiver] as const))(
    '%s: a duplicate is acknowledged but handled once; a wrong secret, an old timestamp or a tampered body get 401',
    async (_name, receiver) => {
      const before = receiver.handled().length;
      const body = JSON.stringify({ eventId: 'evt-dup', position: '999', type: 'OrderPlaced', streamId: 'order-dup', data: {} });
      const headers = signed(body, 'evt-dup');
      expect(await receiver.post(body, headers)).toBe(204);
      expect(await receiver.post(body, headers)).toBe(204);
      expect(await receiver.post(body, signed(body, 'evt-wrong-secret', { secret: 'not-the-secret' }))).toBe(401);
      expect(await receiver.post(body, signed(body, 'evt-old', { timestamp: Math.floor(Date.now() / 1000) - 301 }))).toBe(401);
      expect(await receiver.post(body.replace('order-dup', 'order-forged'), signed(body, 'evt-tampered'))).toBe(401);
      expect(receiver.handled().slice(before).map((line) => line.trim())).toEqual(['999 OrderPlaced order-dup']);
    },
  );
});
