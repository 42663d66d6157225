import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

describe('GET /api/me: who the key in the request is', () => {
  let jxc: RunningApp;
  beforeAll(async () => {
    jxc = await startApp();
  });
  afterAll(async () => {
    await jxc.close();
  });

  it('answers the user and the roles of any valid key, whatever its roles', async () => {
    const clerk = await jxc.keyFor('alice', 'clerk');
    const approverClerk = await jxc.keyFor('bob', 'approver', 'clerk');
    expect((await jxc.http.get('/api/me').set(jxc.as(clerk)).expect(200)).body).toEqual({ userId: 'alice', roles: ['clerk'] });
    expect((await jxc.http.get('/api/me').set(jxc.as(approverClerk)).expect(200)).body).toEqual({ userId: 'bob', roles: ['approver', 'clerk'] });
    expect((await jxc.http.get('/api/me').set(jxc.as(ADMIN_KEY)).expect(200)).body).toEqual({ userId: 'admin', roles: ['admin'] });
  });

  it('answers 401 without a key, with an unknown key and with a revoked one', async () => {
    expect((await jxc.http.get('/api/me').expect(401)).body.error.code).toBe('unauthenticated');
    await jxc.http.get('/api/me').set(jxc.as('no-such-key-0123456789')).expect(401);
    const issued = (await jxc.http.post('/api/keys').set(jxc.as(ADMIN_KEY)).send({ userId: 'temp', roles: ['analyst'] }).expect(201)).body as { keyId: string; key: string };
    await jxc.http.get('/api/me').set(jxc.as(issued.key)).expect(200);
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(jxc.as(ADMIN_KEY)).expect(204);
    await jxc.http.get('/api/me').set(jxc.as(issued.key)).expect(401);
  });
});
