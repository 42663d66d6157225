import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type CustomerRegistered } from '../../domain/party/index.js';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port.js';
import { newId } from '../../src/platform/ids.js';
import { customerAggregate } from '../../src/platform/write-model/aggregates.js';
import { prepareAppend } from '../../src/platform/write-model/command-events.js';
import { GENESIS_HASH } from '../../src/platform/write-model/hash-chain.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { caughtUp, NULLED } from '../support/personal-data.js';

// An upgraded installation: a customer registered by the version before personal data were sealed, its event
// in clear in the log (written here as that version wrote it: hash-chained, no codec). docs/personal-data.md
// says such events stay in clear at rest; what the service shows of them must still follow the roles.
const LEGACY = { id: 'pd-legacy', name: 'Legacy Liang 梁旧客', phone: '+86 135 1111 2222', email: 'liang@legacy.example', address: '广州市天河区旧路 1 号' };

let jxc: RunningApp;
let analyst: string;

beforeAll(async () => {
  jxc = await startApp({ mongodbUrl: undefined });
  analyst = await jxc.keyFor('analyst-legacy', 'analyst');
  const streamId = `customer-${LEGACY.id}`;
  const event: CustomerRegistered = { type: 'CustomerRegistered', data: LEGACY };
  const commandId = newId();
  const { toAppend } = prepareAppend(customerAggregate, { streamId, state: null, revision: undefined, lastHash: GENESIS_HASH, position: undefined }, [event], {
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: { id: 'admin', roles: ['admin'] },
    now: new Date().toISOString(),
  });
  await jxc.app.get<EventStore>(EVENT_STORE).append(streamId, toAppend, 'no_stream');
  await caughtUp(jxc);
});

afterAll(async () => {
  await jxc.close();
});

describe('a customer registered in clear before this version', () => {
  it('is read in clear by admin, as before', async () => {
    const customer = await jxc.http.get(`/api/customers/${LEGACY.id}`).set(jxc.as(ADMIN_KEY));
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject(LEGACY);
  });

  it('is masked for an analyst like any other: the customer, lists, the audit trail', async () => {
    const customer = await jxc.http.get(`/api/customers/${LEGACY.id}`).set(jxc.as(analyst));
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ id: LEGACY.id, ...NULLED });
    const list = await jxc.http.get('/api/customers').set(jxc.as(analyst));
    expect(list.body.items).toEqual([expect.objectContaining({ id: LEGACY.id, ...NULLED })]);
    const trail = await jxc.http.get('/api/audit').query({ streamId: `customer-${LEGACY.id}` }).set(jxc.as(analyst));
    expect(trail.body.items).toEqual([expect.objectContaining({ type: 'CustomerRegistered', data: expect.objectContaining({ id: LEGACY.id, ...NULLED }) })]);
  });

  it('is erased in every response, the audit trail included (its old event stays in clear in the log file, as documented), and the chains verify', async () => {
    const erased = await jxc.http.post(`/api/customers/${LEGACY.id}/erase`).set(jxc.as(ADMIN_KEY)).send({ reason: 'asked by the customer' });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id: LEGACY.id, ...NULLED, erased: true });
    await caughtUp(jxc);
    expect((await jxc.http.get(`/api/customers/${LEGACY.id}`).set(jxc.as(ADMIN_KEY))).body).toMatchObject({ ...NULLED, erased: true });
    expect((await jxc.http.get('/api/customers').query({ q: 'legacy' }).set(jxc.as(ADMIN_KEY))).body.items).toEqual([]);
    const trail = await jxc.http.get('/api/audit').query({ streamId: `customer-${LEGACY.id}` }).set(jxc.as(ADMIN_KEY));
    expect(trail.body.items.find((item: { type: string }) => item.type === 'CustomerRegistered').data).toMatchObject({ id: LEGACY.id, ...NULLED });
    expect(JSON.stringify(trail.body)).not.toContain(LEGACY.phone);
    expect((await jxc.http.get('/api/audit/verify').set(jxc.as(ADMIN_KEY))).body).toMatchObject({ ok: true });
  });
});
