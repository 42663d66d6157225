import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';

interface Listed {
  keyId: string;
  userId: string;
  roles: string[];
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revoked: boolean;
}

interface TrailEntry {
  type: string;
  actor: { id: string } | null;
  summary: string;
  data: Record<string, unknown>;
  restricted?: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('API keys: list, revoke, expiry, last use, and the audit trail', () => {
  let jxc: RunningApp;
  let clerkKey: string;
  let auditorKey: string;
  let analystKey: string;
  const admin = () => jxc.as(ADMIN_KEY);

  beforeAll(async () => {
    jxc = await startApp();
    clerkKey = await jxc.keyFor('clara', 'clerk');
    auditorKey = await jxc.keyFor('audrey', 'auditor');
    analystKey = await jxc.keyFor('ana', 'analyst');
  });
  afterAll(async () => {
    await jxc.close();
  });

  const issue = (body: object) => jxc.http.post('/api/keys').set(admin()).send(body);
  const list = async (): Promise<Listed[]> => (await jxc.http.get('/api/keys').set(admin()).expect(200)).body.items;

  /** The audit trail as `who` reads it, once it shows an entry `until` accepts (the view is filled asynchronously). */
  async function trailUntil(who: string, query: string, until: (items: TrailEntry[]) => boolean): Promise<TrailEntry[]> {
    for (let attempt = 0; ; attempt++) {
      const items = (await jxc.http.get(`/api/audit?${query}`).set(jxc.as(who)).expect(200)).body.items as TrailEntry[];
      if (until(items) || attempt === 100) return items;
      await pause(50);
    }
  }

  it('lists every issued key with its user, roles and times, never the key or its hash', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const first = (await issue({ userId: 'erin', roles: ['warehouse'] }).expect(201)).body;
    const second = (await issue({ userId: 'frank', roles: ['finance', 'auditor'], expiresAt }).expect(201)).body;
    expect(second.expiresAt).toBe(expiresAt);
    await jxc.http.get('/api/stock?alert=low').set(jxc.as(first.key)).expect(200);

    const items = await list();
    expect(items.find((item) => item.keyId === first.keyId)).toEqual({
      keyId: first.keyId,
      userId: 'erin',
      roles: ['warehouse'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      expiresAt: null,
      revokedAt: null,
      revoked: false,
    });
    expect(items.find((item) => item.keyId === second.keyId)).toMatchObject({ userId: 'frank', roles: ['finance', 'auditor'], expiresAt, lastUsedAt: null, revokedAt: null });
    const text = JSON.stringify(items);
    expect(text).not.toContain(first.key);
    expect(text).not.toContain(second.key);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    // The bootstrap admin key is configuration, not an issued key.
    expect(items.some((item) => item.userId === 'admin')).toBe(false);
  });

  it('revokes a key at once: its next request answers 401; revoking again changes nothing; an unknown key is 404', async () => {
    const issued = (await issue({ userId: 'gina', roles: ['clerk'] }).expect(201)).body;
    await jxc.http.get('/api/orders').set(jxc.as(issued.key)).expect(200);
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(admin()).expect(204);
    const refused = await jxc.http.get('/api/orders').set(jxc.as(issued.key));
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');

    const revokedAt = (await list()).find((item) => item.keyId === issued.keyId)?.revokedAt;
    expect(revokedAt).toEqual(expect.stringMatching(/^\d{4}-/));
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(admin()).expect(204);
    expect((await list()).find((item) => item.keyId === issued.keyId)).toMatchObject({ revoked: true, revokedAt });

    const unknown = await jxc.http.delete('/api/keys/no-such-key').set(admin());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('an expired key answers 401 without a restart', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const issued = (await issue({ userId: 'hugo', roles: ['clerk'], expiresAt }).expect(201)).body;
    await jxc.http.get('/api/orders').set(jxc.as(issued.key)).expect(200);
    while (Date.now() <= Date.parse(expiresAt)) await pause(100);
    const refused = await jxc.http.get('/api/orders').set(jxc.as(issued.key));
    expect(refused.status).toBe(401);
    expect((await list()).find((item) => item.keyId === issued.keyId)).toMatchObject({ expiresAt, revoked: false });
  });

  it('refuses an expiry that is not a time in the future, naming expiresAt', async () => {
    for (const expiresAt of ['tomorrow', new Date(Date.now() - 60_000).toISOString(), 42]) {
      const refused = await issue({ userId: 'ivan', roles: ['clerk'], expiresAt });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.fields.map((field: { field: string }) => field.field)).toEqual(['expiresAt']);
    }
    expect((await list()).some((item) => item.userId === 'ivan')).toBe(false);
  });

  it('only admin lists and revokes keys', async () => {
    const target = (await issue({ userId: 'jan', roles: ['clerk'] }).expect(201)).body;
    for (const key of [clerkKey, auditorKey, analystKey]) {
      expect((await jxc.http.get('/api/keys').set(jxc.as(key))).status).toBe(403);
      expect((await jxc.http.delete(`/api/keys/${target.keyId}`).set(jxc.as(key))).status).toBe(403);
    }
    await jxc.http.get('/api/orders').set(jxc.as(target.key)).expect(200);
  });

  it('the audit trail shows who issued and who revoked a key to admin and auditor, not to an analyst', async () => {
    const issued = (await issue({ userId: 'kim', roles: ['approver'] }).expect(201)).body;
    await jxc.http.delete(`/api/keys/${issued.keyId}`).set(admin()).expect(204);
    const query = 'streamId=apikeys&limit=500';
    const concerning = (items: TrailEntry[]) => items.filter((item) => item.data.keyId === issued.keyId);
    const seen = concerning(await trailUntil(auditorKey, query, (items) => concerning(items).length === 2));
    expect(seen.map((item) => [item.type, item.actor?.id])).toEqual([
      ['ApiKeyRevoked', 'admin'],
      ['ApiKeyIssued', 'admin'],
    ]);
    expect(seen[1].summary).toBe(`API key ${issued.keyId} issued by admin for kim as approver, never expires`);
    expect(seen[0].summary).toBe(`API key ${issued.keyId} revoked by admin`);
    expect(seen.every((item) => item.restricted === true)).toBe(true);
    expect(JSON.stringify(seen)).not.toMatch(/keyHash|[0-9a-f]{64}/);
    expect(concerning((await jxc.http.get(`/api/audit?${query}`).set(admin()).expect(200)).body.items)).toHaveLength(2);

    await jxc.http.post('/api/products').set(admin()).send({ sku: 'TEA-1', name: 'Longjing 250 g', price: 1000 }).expect(201);
    const asAnalyst = await trailUntil(analystKey, 'limit=500', (items) => items.some((item) => item.type === 'ProductRegistered'));
    // The analyst still reads the business entries, without the access records.
    expect(asAnalyst.map((item) => item.type)).toEqual(['ProductRegistered']);
    expect((await jxc.http.get(`/api/audit?${query}`).set(jxc.as(analystKey)).expect(200)).body.items).toEqual([]);
  });
});
