import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { caughtUp, NULLED, type Person, plaintextIn, plaintextOnDisk } from '../support/personal-data.js';
import { type Received, WebhookReceiver } from '../support/webhook-receiver.js';
import { until } from '../support/until.js';

// Personal data leave the service through the feed and webhooks too: in clear to integrations, null once erased,
// a webhook delivery still pending at the erasure included (its body is made when it is sent).
const EARLY: Person = { id: 'pdi-cust-early', name: 'Qian Duoduo 钱多多', phone: '+86-150-1111-0000', email: 'Duoduo.Qian@Example.net', address: '南京市鼓楼区中山路 5 号 Floor Two' };
const LATE: Person = { id: 'pdi-cust-late', name: 'Sun Wukong 孙悟空', phone: '+86-151-2222-0000', email: 'Wukong.Sun@Example.net', address: '花果山水帘洞 1 号 Cave One' };
const SUPPLIER: Person = { id: 'pdi-sup-silk', name: 'Suzhou Silk Works 苏州丝绸厂', phone: '0512-6666-7777', email: 'Trade@SuzhouSilk.example', address: '江苏省苏州市丝绸路 8 号 Hall Four' };
const IMPORTED: Person = { id: 'pdi-cust-imported', name: 'Zhou Jielun 周杰伦', phone: '+86-152-3333-0000', email: 'Jielun.Zhou@Example.net', address: '台北市信义区松仁路 7 号 Block Six' };
const IMPORTED_WITHOUT_ID = { name: 'Wu Zetian 武则天', phone: '+86-153-4444-0000', email: 'Zetian.Wu@Example.net', address: '西安市雁塔区大雁塔路 2 号 Gate Nine' };
const PARTY_TYPES = 'CustomerRegistered,SupplierRegistered,CustomerErased';
const SECRET = 'pdi-webhook-secret-0123456789';

const saved = { scale: process.env.JXC_WEBHOOK_BACKOFF_SCALE, timeout: process.env.JXC_WEBHOOK_TIMEOUT_MS };
let jxc: RunningApp;
let receiver: WebhookReceiver;
let integration: string;
let auditor: string;
let lateErased = false;

interface FeedItem {
  readonly type: string;
  readonly streamId: string;
  readonly data: Record<string, unknown>;
}

const bodyOf = (request: Received) => JSON.parse(request.body) as FeedItem;

async function feed(key: string): Promise<FeedItem[]> {
  const response = await jxc.http.get('/api/feed').query({ types: PARTY_TYPES, limit: 500 }).set(jxc.as(key));
  expect(response.status).toBe(200);
  return response.body.items as FeedItem[];
}

const registrationOf = (items: readonly FeedItem[], party: Person) => items.find((item) => item.type.endsWith('Registered') && item.data.id === party.id);

beforeAll(async () => {
  process.env.JXC_WEBHOOK_BACKOFF_SCALE = '0.0002';
  process.env.JXC_WEBHOOK_TIMEOUT_MS = '300';
  receiver = new WebhookReceiver();
  // The integrator's endpoint refuses LATE's registration until LATE has been erased: that delivery is pending meanwhile.
  receiver.behaviour = (request) => (!lateErased && bodyOf(request).data.id === LATE.id ? 500 : 200);
  const base = await receiver.start();
  jxc = await startApp({ mongodbUrl: undefined });
  integration = await jxc.keyFor('integration-pdi', 'integration');
  auditor = await jxc.keyFor('auditor-pdi', 'auditor');
  await jxc.http.post('/api/webhooks').set(jxc.as(ADMIN_KEY)).send({ url: `${base}/parties`, types: PARTY_TYPES.split(','), secret: SECRET }).expect(201);
  await jxc.http.post('/api/customers').set(jxc.as(ADMIN_KEY)).send(EARLY).expect(201);
  await jxc.http.post('/api/customers').set(jxc.as(ADMIN_KEY)).send(LATE).expect(201);
  await jxc.http.post('/api/suppliers').set(jxc.as(ADMIN_KEY)).send(SUPPLIER).expect(201);
});

afterAll(async () => {
  await jxc?.close();
  await receiver?.stop();
  for (const [name, value] of [['JXC_WEBHOOK_BACKOFF_SCALE', saved.scale], ['JXC_WEBHOOK_TIMEOUT_MS', saved.timeout]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('personal data in the feed and in webhooks', () => {
  it('an integration reads them in clear in the feed, and a webhook receives them in clear; an analyst may not read the feed', async () => {
    const items = await feed(integration);
    for (const party of [EARLY, LATE, SUPPLIER]) expect(registrationOf(items, party)?.data).toMatchObject(party);
    const delivered = await until('the delivery of EARLY', () => receiver.delivered('/parties').find((request) => bodyOf(request).data.id === EARLY.id));
    expect(bodyOf(delivered).data).toMatchObject(EARLY);
    expect(delivered.body).not.toContain('jxc:pii:');
    const analyst = await jxc.keyFor('analyst-pdi', 'analyst');
    expect((await jxc.http.get('/api/feed').set(jxc.as(analyst))).status).toBe(403);
  });

  it('after an erasure the feed shows the customer null to everyone; the others stay readable', async () => {
    await until('a refused attempt to deliver LATE', () => receiver.received.find((request) => request.answered === 500));
    const erased = await jxc.http.post(`/api/customers/${LATE.id}/erase`).set(jxc.as(ADMIN_KEY)).send({ reason: 'asked by the customer' });
    expect(erased.status).toBe(200);
    lateErased = true;
    for (const key of [integration, auditor]) {
      const items = await feed(key);
      expect(registrationOf(items, LATE)?.data).toMatchObject({ id: LATE.id, ...NULLED });
      expect(items.find((item) => item.type === 'CustomerErased')?.data).toMatchObject({ id: LATE.id });
      expect(plaintextIn(items, [LATE])).toEqual([]);
      expect(registrationOf(items, EARLY)?.data).toMatchObject(EARLY);
      expect(registrationOf(items, SUPPLIER)?.data).toMatchObject(SUPPLIER);
      expect(JSON.stringify(items)).not.toContain('jxc:pii:');
    }
  });

  it('a webhook delivery of the customer still pending at the erasure is sent with the fields null', async () => {
    const delivered = await until('the delivery of LATE after its erasure', () => receiver.delivered('/parties').find((request) => bodyOf(request).type === 'CustomerRegistered' && bodyOf(request).data.id === LATE.id), 20_000);
    expect(bodyOf(delivered).data).toMatchObject({ id: LATE.id, ...NULLED });
    expect(plaintextIn(bodyOf(delivered), [LATE])).toEqual([]);
    expect(delivered.body).not.toContain('jxc:pii:');
    const erasure = await until('the delivery of the erasure', () => receiver.delivered('/parties').find((request) => bodyOf(request).type === 'CustomerErased'));
    expect(plaintextIn(bodyOf(erasure), [LATE])).toEqual([]);
  });
});

describe('personal data imported from a file', () => {
  it('are sealed like those registered one by one: nowhere in clear in the data directory, null for an analyst', async () => {
    const csv = ['id,name,phone,email,address', [IMPORTED.id, IMPORTED.name, IMPORTED.phone, IMPORTED.email, IMPORTED.address].join(','), ['', IMPORTED_WITHOUT_ID.name, IMPORTED_WITHOUT_ID.phone, IMPORTED_WITHOUT_ID.email, IMPORTED_WITHOUT_ID.address].join(',')].join('\n');
    const imported = await jxc.http.post('/api/import/customers').set({ Authorization: `Bearer ${integration}`, 'Content-Type': 'text/csv' }).send(Buffer.from(csv));
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ rows: 2, applied: 2, errors: [] });
    await caughtUp(jxc);
    expect((await jxc.http.get(`/api/customers/${IMPORTED.id}`).set(jxc.as(ADMIN_KEY))).body).toMatchObject(IMPORTED);
    const found = await jxc.http.get('/api/customers').query({ q: 'wu zetian' }).set(jxc.as(ADMIN_KEY));
    expect(found.body.items).toEqual([expect.objectContaining(IMPORTED_WITHOUT_ID)]);
    const analyst = await jxc.keyFor('analyst-pdi-import', 'analyst');
    expect((await jxc.http.get(`/api/customers/${IMPORTED.id}`).set(jxc.as(analyst))).body).toMatchObject({ id: IMPORTED.id, ...NULLED });
    expect(plaintextOnDisk(jxc.dataDir, [IMPORTED, { id: 'none', ...IMPORTED_WITHOUT_ID }, EARLY, LATE, SUPPLIER])).toEqual([]);
  });
});
