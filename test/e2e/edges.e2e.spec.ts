import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('edges: security headers and CORS', () => {
  let jxc: RunningApp;
  let withCors: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
    withCors = await startApp({ corsOrigins: ['https://app.example.com'] });
  });
  afterAll(async () => {
    await jxc.close();
    await withCors.close();
  });

  it('sends helmet security headers on every response, errors included', async () => {
    for (const response of [await jxc.http.get('/api/health'), await jxc.http.get('/api/orders')]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('still serves the OpenAPI UI: its page loads only scripts from the same origin, which the policy allows', async () => {
    const page = await jxc.http.get('/api/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      expect(src).not.toMatch(/^https?:/);
      expect((await jxc.http.get(new URL(src!, 'http://x/api/docs/').pathname)).status).toBe(200);
    }
  });

  it('answers no CORS preflight by default', async () => {
    const preflight = await jxc.http.options('/api/orders').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await jxc.http.get('/api/health').set('Origin', 'https://app.example.com');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a CORS preflight only for a configured origin', async () => {
    const allowed = await withCors.http
      .options('/api/orders')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);

    const other = await withCors.http.options('/api/orders').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await withCors.http.get('/api/health').set('Origin', 'https://app.example.com');
    expect(simple.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });
});

describe('edges: throttling failed authentications (API.md "Operations")', () => {
  it('answers 429 with Retry-After from the 11th failed authentication in 60 s; a valid key from the same address still works', async () => {
    const jxc = await startApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const request = jxc.http.get('/api/orders');
        const response = await (i % 2 === 0 ? request.set('Authorization', `Bearer wrong-key-${i}`) : request);
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.body).toEqual({ error: { code: 'too_many_requests', message: expect.stringContaining('failed authentications'), details: { retryAfterSeconds: expect.any(Number) } } });
          const retryAfter = Number(response.headers['retry-after']);
          expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
        } else {
          expect(response.body.error.code).toBe('unauthenticated');
        }
      }
      expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(20).fill(429)]);
      const valid = await jxc.http.get('/api/orders').set(jxc.as(ADMIN_KEY));
      expect(valid.status).toBe(200);
      // Still blocked without a valid key.
      expect((await jxc.http.get('/api/orders').set(jxc.as('jxc_still-wrong'))).status).toBe(429);
    } finally {
      await jxc.close();
    }
  });

  it('lets the address fail again once its failures leave the window (here 2 s instead of 60 s)', async () => {
    const jxc = await startApp({ failedAuthentications: { limit: 10, windowMs: 2_000 } });
    try {
      for (let i = 0; i < 10; i++) expect((await jxc.http.get('/api/orders').set(jxc.as('jxc_wrong'))).status).toBe(401);
      const blocked = await jxc.http.get('/api/orders').set(jxc.as('jxc_wrong'));
      expect(blocked.status).toBe(429);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter >= 1 && retryAfter <= 2).toBe(true);
      await sleep(retryAfter * 1000 + 100);
      const again = await jxc.http.get('/api/orders').set(jxc.as('jxc_wrong'));
      expect(again.status).toBe(401);
      expect(again.body.error.code).toBe('unauthenticated');
    } finally {
      await jxc.close();
    }
  });

  it('limits the requests of one key per minute when JXC_RATE_LIMIT_PER_MINUTE is set; other keys are not affected', async () => {
    const jxc = await startApp({ rateLimitPerMinute: 5 });
    try {
      const clerk = await jxc.keyFor('clara', 'clerk');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await jxc.http.get('/api/orders').set(jxc.as(clerk))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await jxc.http.get('/api/orders').set(jxc.as(clerk));
      expect(limited.body.error).toMatchObject({ code: 'too_many_requests', details: { limitPerMinute: 5 } });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await jxc.http.get('/api/orders').set(jxc.as(ADMIN_KEY))).status).toBe(200);
    } finally {
      await jxc.close();
    }
  });
});
