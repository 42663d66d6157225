import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

/** Every JSON line the application logged (pino's destination, given to the app instead of stdout). */
class CapturedLog {
  readonly text: string[] = [];
  write(chunk: string): void {
    this.text.push(chunk);
  }
  get lines(): Record<string, unknown>[] {
    return this.text.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  /** The request line of a response (written when the response finishes, so possibly just after the client has it). */
  async requestLine(correlationId: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const line = this.lines.find((entry) => entry.correlationId === correlationId && 'route' in entry);
      if (line || Date.now() > deadline) return line ?? {};
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('logs and metrics', () => {
  const log = new CapturedLog();
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp({}, { logging: { logLevel: 'info', logDestination: log } });
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('one JSON line per request: method, route pattern, status, duration, correlation id, user id; never the key, a header or the body', async () => {
    const key = await jxc.keyFor('clerk-7', 'clerk');
    const customerName = 'Wang Xiaoming Tea House';
    const created = await jxc.http.post('/api/customers').set(jxc.as(key)).set('X-Correlation-Id', 'log-test-1').send({ id: 'cust-log-1', name: customerName, phone: '+86 138 0000 1111' });
    expect(created.status).toBe(201);

    const line = await log.requestLine('log-test-1');
    expect(line).toMatchObject({ level: 30, method: 'POST', route: '/api/customers', status: 201, correlationId: 'log-test-1', userId: 'clerk-7' });
    expect(typeof line.durationMs).toBe('number');
    expect(typeof line.time).toBe('number');

    // The route is the pattern, not the path the client sent.
    const read = await jxc.http.get('/api/customers/no-such-customer').set(jxc.as(key));
    expect(read.status).toBe(404);
    const readLine = await log.requestLine(read.headers['x-correlation-id'] as string);
    expect(readLine).toMatchObject({ method: 'GET', route: '/api/customers/:id', status: 404, userId: 'clerk-7' });
    expect(JSON.stringify(readLine)).not.toContain('no-such-customer');

    const everything = log.text.join('');
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(ADMIN_KEY);
    expect(everything).not.toContain(customerName);
    expect(everything).not.toContain('138 0000 1111');
    expect(everything.toLowerCase()).not.toContain('bearer');
  });

  it('a refused request is logged with its status and no user when no key was valid', async () => {
    const refused = await jxc.http.get('/api/customers/cust-log-1').set('Authorization', 'Bearer not-a-real-key-0123456789').set('X-Correlation-Id', 'log-test-401');
    expect(refused.status).toBe(401);
    const line = await log.requestLine('log-test-401');
    expect(line).toMatchObject({ method: 'GET', route: '/api/customers/:id', status: 401, correlationId: 'log-test-401' });
    expect(line.userId).toBeUndefined();
    expect(log.text.join('')).not.toContain('not-a-real-key-0123456789');
  });

  it('/api/metrics: request duration histogram by method, route pattern and status class; command outcomes ok and refused', async () => {
    const key = await jxc.keyFor('wh-7', 'warehouse');
    await jxc.http.post('/api/products').set(jxc.as(key)).send({ sku: 'METRIC-1', name: 'Metric tea', price: 100 }).expect(201);
    const again = await jxc.http.post('/api/products').set(jxc.as(key)).send({ sku: 'METRIC-1', name: 'Another tea', price: 200 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_exists');

    const metrics = await jxc.http.get('/api/metrics').set(jxc.as(ADMIN_KEY));
    expect(metrics.status).toBe(200);
    const text = metrics.text;
    expect(text).toContain('# TYPE jxc_http_request_duration_seconds histogram');
    const buckets = text.split('\n').filter((line) => line.startsWith('jxc_http_request_duration_seconds_bucket{') && line.includes('route="/api/products"') && line.includes('method="POST"'));
    const byClass = (statusClass: string) => buckets.filter((line) => line.includes(`status_class="${statusClass}"`));
    expect(byClass('2xx').length).toBeGreaterThan(5);
    expect(byClass('2xx').find((line) => line.includes('le="+Inf"'))).toMatch(/ 1$/);
    expect(byClass('4xx').find((line) => line.includes('le="+Inf"'))).toMatch(/ 1$/);
    expect(text).toMatch(/^jxc_http_request_duration_seconds_count\{method="GET",route="\/api\/customers\/:id",status_class="4xx"\} 2$/m);

    expect(text).toContain('# TYPE jxc_commands_total counter');
    expect(text).toMatch(/^jxc_commands_total\{family="product",command="RegisterProduct",outcome="ok",code=""\} 1$/m);
    expect(text).toMatch(/^jxc_commands_total\{family="product",command="RegisterProduct",outcome="refused",code="already_exists"\} 1$/m);
  });
});

describe('logs: a 5xx', () => {
  it('is logged with method, path, correlation id and the stack; the client sees no stack', async () => {
    const log = new CapturedLog();
    // An event store whose appends fail with an error nobody expects (a bug, not an outage): 500 internal_error.
    const failingAppends = (real: EventStore): EventStore =>
      new Proxy(real, {
        get(target, property) {
          if (property === 'append') return () => Promise.reject(new Error('unexpected failure in append'));
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    const jxc = await startApp({}, { logging: { logLevel: 'info', logDestination: log }, wrapEventStore: failingAppends, openapi: false });
    try {
      const failed = await jxc.http.post('/api/products').set(jxc.as(ADMIN_KEY)).set('X-Correlation-Id', 'log-test-500').send({ sku: 'FAIL-1', name: 'Never stored', price: 100 });
      expect(failed.status).toBe(500);
      expect(JSON.stringify(failed.body)).not.toContain('unexpected failure in append');
      expect(JSON.stringify(failed.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);

      expect(await log.requestLine('log-test-500')).toMatchObject({ level: 50, method: 'POST', route: '/api/products', status: 500, userId: 'admin' });
      const error = log.lines.find((entry) => entry.correlationId === 'log-test-500' && !('route' in entry));
      expect(error).toMatchObject({ level: 50, method: 'POST', path: '/api/products', correlationId: 'log-test-500' });
      expect(error?.stack).toEqual(expect.stringContaining('unexpected failure in append'));
      expect(error?.stack).toMatch(/\n\s+at /);
      expect(log.text.join('')).not.toContain(ADMIN_KEY);
    } finally {
      await jxc.close();
    }
  });
});
