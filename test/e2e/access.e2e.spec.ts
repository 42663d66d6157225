import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

describe('access: API keys, roles and the error format', () => {
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('serves /api/health without a key', async () => {
    const response = await jxc.http.get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', store: { kind: 'sqlite', status: 'ok' } });
  });

  it('serves the OpenAPI document without a key', async () => {
    const response = await jxc.http.get('/api/docs-json');
    expect(response.status).toBe(200);
    expect(response.body.paths['/api/keys']).toBeDefined();
  });

  it('answers 401 without a key and with an unknown key', async () => {
    expect((await jxc.http.post('/api/keys').send({ userId: 'x', roles: ['clerk'] })).body.error.code).toBe('unauthenticated');
    const unknown = await jxc.http.post('/api/keys').set(jxc.as('jxc_not-a-key')).send({ userId: 'x', roles: ['clerk'] });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), details: {} } });
  });

  it('issues a key once, stores only its hash, and the key authenticates its user', async () => {
    const issued = await jxc.http.post('/api/keys').set(jxc.as(ADMIN_KEY)).send({ userId: 'carol', roles: ['approver'] });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ keyId: expect.any(String), userId: 'carol', roles: ['approver'], key: expect.stringMatching(/^jxc_/), expiresAt: null });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(`${jxc.dataDir}/events.sqlite`).includes(Buffer.from(issued.body.key))).toBe(false);
    // carol is not an admin: she may not issue keys.
    const forbidden = await jxc.http.post('/api/keys').set(jxc.as(issued.body.key)).send({ userId: 'mallory', roles: ['admin'] });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });

  it('a revoked key no longer authenticates', async () => {
    const issued = await jxc.http.post('/api/keys').set(jxc.as(ADMIN_KEY)).send({ userId: 'dave', roles: ['clerk'] });
    expect((await jxc.http.delete(`/api/keys/${issued.body.keyId}`).set(jxc.as(ADMIN_KEY))).status).toBe(204);
    expect((await jxc.http.post('/api/keys').set(jxc.as(issued.body.key)).send({ userId: 'x', roles: ['clerk'] })).status).toBe(401);
  });

  it('names each bad field, refuses unknown fields and never answers 5xx to malformed bodies', async () => {
    const bad = await jxc.http.post('/api/keys').set(jxc.as(ADMIN_KEY)).send({ userId: '', roles: ['wizard'], extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'roles', 'userId']);

    for (const body of ['{"userId":', '[1,2]', '"text"', '42', 'null', '{"userId":"\\ud800","roles":["clerk"]}']) {
      const response = await jxc.http.post('/api/keys').set(jxc.as(ADMIN_KEY)).send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('answers unknown routes with the error format', async () => {
    const response = await jxc.http.get('/api/does-not-exist').set(jxc.as(ADMIN_KEY));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('Idempotency-Key', () => {
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('replays the first response for the same request and refuses the key for another', async () => {
    const send = (userId: string) => jxc.http.post('/api/keys').set({ ...jxc.as(ADMIN_KEY), 'Idempotency-Key': 'issue-erin' }).send({ userId, roles: ['finance'] });
    const first = await send('erin');
    const again = await send('erin');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.keyId).toBe(first.body.keyId);
    expect(again.body.key).toBeNull();
    const reused = await send('frank');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });

  it('a body that cannot be fingerprinted (a lone surrogate) is a 400, not a 5xx', async () => {
    const response = await jxc.http.post('/api/keys').set({ ...jxc.as(ADMIN_KEY), 'Idempotency-Key': 'surrogate' }).send('{"userId":"\\ud800","roles":["clerk"]}');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });

  it('keys survive a restart', async () => {
    const dataDir = jxc.dataDir;
    const before = await jxc.http.post('/api/keys').set({ ...jxc.as(ADMIN_KEY), 'Idempotency-Key': 'survivor' }).send({ userId: 'gina', roles: ['auditor'] });
    await jxc.app.close();
    const restarted = await startApp({ dataDir });
    try {
      const after = await restarted.http.post('/api/keys').set({ ...restarted.as(ADMIN_KEY), 'Idempotency-Key': 'survivor' }).send({ userId: 'gina', roles: ['auditor'] });
      expect(after.status).toBe(201);
      expect(after.body.keyId).toBe(before.body.keyId);
    } finally {
      await restarted.app.close();
      jxc = await startApp();
    }
  });

  it('is scoped to the caller: another user may use the same key string', async () => {
    const other = await jxc.keyFor('hank', 'admin');
    const mine = await jxc.http.post('/api/keys').set({ ...jxc.as(ADMIN_KEY), 'Idempotency-Key': 'shared' }).send({ userId: 'ivy', roles: ['clerk'] });
    const theirs = await jxc.http.post('/api/keys').set({ ...jxc.as(other), 'Idempotency-Key': 'shared' }).send({ userId: 'jack', roles: ['clerk'] });
    expect(theirs.status).toBe(201);
    expect(theirs.body.keyId).not.toBe(mine.body.keyId);
  });
});
