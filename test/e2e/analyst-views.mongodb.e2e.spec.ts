import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Db, type Document, MongoClient, MongoServerError } from 'mongodb';

import { PROJECTION_GROUPS } from '../../projections/index.js';
import { openStores } from '../../src/cli/stores.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { rebuildGroup } from '../../src/platform/projection-runner/rebuild.js';
import { MongoReadStore, detectStableNames } from '../../src/platform/read-store/mongodb/mongodb-read-store.js';
import { ADMIN_KEY, type RunningApp, startApp } from '../support/e2e.js';
import { dropDatabase } from '../support/mongodb.js';

const url = process.env.MONGODB_URL;
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of the week of `time`. */
function weekStart(time: Date): Date {
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
}

/**
 * docs/read-side.md "Analysts on MongoDB": cancellation rate by reason for one week of placement, with only
 * $match, $group and $sort (what FerretDB 1.24 also runs); the rate is computed by the client (mongosh).
 */
async function cancellationRateByReason(db: Db, from: Date): Promise<Array<{ reason: string; cancelled: number; placed: number; rate: number }>> {
  const week = { $gte: from, $lt: new Date(from.getTime() + 7 * DAY_MS) };
  const placed = await db.collection('orders').countDocuments({ kind: 'sale', placedAt: week });
  const rows = await db
    .collection('orders')
    .aggregate<{ _id: string; cancelled: number }>([
      { $match: { kind: 'sale', placedAt: week, 'cancellation.state': 'approved' } },
      { $group: { _id: '$cancellation.reason', cancelled: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  return rows.map(({ _id, cancelled }) => ({ reason: _id, cancelled, placed, rate: Math.round((cancelled / placed) * 10_000) / 10_000 }));
}

/** docs/read-side.md: stock value by warehouse (minor units of the business currency). */
async function valueByWarehouse(db: Db): Promise<Document[]> {
  return db
    .collection('stock_levels')
    .aggregate([{ $group: { _id: '$warehouseId', value: { $sum: '$value' } } }, { $sort: { _id: 1 } }])
    .toArray();
}

if (url) {
  describe('analysts on MongoDB: stable view names, BSON dates, the documented aggregations', () => {
    const databaseName = `jxc_analyst_${randomUUID().slice(0, 8)}`;
    const withDatabase = new URL(url);
    withDatabase.pathname = `/${databaseName}`;
    let jxc: RunningApp;
    let client: MongoClient;
    let db: Db;
    const keys: Record<string, string> = {};
    const sales: string[] = [];
    let lastPosition = '';

    const post = (who: string, path: string, body: object = {}) => jxc.http.post(path).set(jxc.as(keys[who])).send(body);
    const get = (who: string, path: string) => jxc.http.get(path).set(jxc.as(keys[who]));

    beforeAll(async () => {
      jxc = await startApp({ mongodbUrl: withDatabase.toString() });
      keys.admin = ADMIN_KEY;
      keys.clerk = await jxc.keyFor('alice', 'clerk');
      keys.approver = await jxc.keyFor('bob', 'approver');
      keys.analyst = await jxc.keyFor('ann', 'analyst');
      client = await MongoClient.connect(url);
      db = client.db(databaseName);

      await post('admin', '/api/customers', { id: 'cust-1', name: 'Hangzhou Tea House' }).expect(201);
      await post('admin', '/api/products', { sku: 'TEA', name: 'Longjing tea', price: 1000 }).expect(201);
      await post('admin', '/api/stock/receipts', { sku: 'TEA', quantity: 40, unitCost: 150 }).expect(201);
      await post('admin', '/api/warehouses', { id: 'east', name: 'East' }).expect(201);
      await post('admin', '/api/stock/receipts', { sku: 'TEA', quantity: 7, warehouseId: 'east', unitCost: 200 }).expect(201);
      for (let i = 0; i < 5; i++) {
        const placed = await post('clerk', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'TEA', quantity: 2, unitPrice: 1250 }] }).expect(201);
        sales.push(placed.body.orderId as string);
      }
      // Approved: two "changed mind", one "found cheaper"; one request still open (not a cancellation yet).
      for (const [index, reason] of [
        [0, 'changed mind'],
        [1, 'changed mind'],
        [2, 'found cheaper'],
      ] as const) {
        await post('clerk', `/api/orders/${sales[index]}/cancellation`, { reason, initiatedBy: 'customer' }).expect(200);
        await post('approver', `/api/orders/${sales[index]}/cancellation/approve`, {}).expect(200);
      }
      lastPosition = (await post('clerk', `/api/orders/${sales[3]}/cancellation`, { reason: 'changed mind', initiatedBy: 'customer' }).expect(200)).body.position as string;
      // Every view has applied the last command before the analysts look.
      for (const path of ['/api/orders', '/api/stock']) {
        const answer = await get('analyst', `${path}?minPosition=${lastPosition}&limit=1`).expect(200);
        expect(answer.headers['x-jxc-stale']).toBeUndefined();
      }
    });

    afterAll(async () => {
      await jxc?.close();
      await client?.close();
      await dropDatabase(url, databaseName);
    });

    it('finds every live view under its own name, with times as BSON dates and money as integers beside the currency', async () => {
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name);
      for (const view of ['orders', 'stock_levels', 'products', 'customers', 'cancellation_stats', 'audit_trail']) expect(names).toContain(view);
      const order = await db.collection('orders').findOne({ _id: sales[0] as unknown as never });
      expect(order).not.toBeNull();
      expect(order!.placedAt).toBeInstanceOf(Date);
      expect(order!.cancellation.decidedAt).toBeInstanceOf(Date);
      expect(order!).toMatchObject({ kind: 'sale', status: 'cancelled', currency: 'CNY', total: 2500 });
      // Every order's times are dates and its money integers (int32 or int64), as the server types them.
      expect(await db.collection('orders').countDocuments({ placedAt: { $type: 'date' }, updatedAt: { $type: 'date' }, total: { $type: ['int', 'long'] } })).toBe(5);
      // The service reads the same order as ISO strings, as on the SQLite store.
      const served = (await get('analyst', `/api/orders/${sales[0]}`).expect(200)).body;
      expect(served.placedAt).toBe((order!.placedAt as Date).toISOString());
      expect(served.cancellation.decidedAt).toBe((order!.cancellation.decidedAt as Date).toISOString());
    });

    it('answers the documented "cancellation rate by reason per week" on the stable name', async () => {
      const order = await db.collection('orders').findOne({ _id: sales[4] as unknown as never });
      const rates = await cancellationRateByReason(db, weekStart(order!.placedAt as Date));
      expect(rates).toEqual([
        { reason: 'changed mind', cancelled: 2, placed: 5, rate: 0.4 },
        { reason: 'found cheaper', cancelled: 1, placed: 5, rate: 0.2 },
      ]);
      // The week before has nothing.
      expect(await cancellationRateByReason(db, new Date(weekStart(order!.placedAt as Date).getTime() - 7 * DAY_MS))).toEqual([]);
    });

    it('answers the documented stock aggregation by warehouse', async () => {
      // 40 received in main at 1.50, 10 ordered there (held, still on hand); 7 in east at 2.00.
      expect(await valueByWarehouse(db)).toEqual([
        { _id: 'east', value: 1400 },
        { _id: 'main', value: 6000 },
      ]);
    });

    it('keeps the stable names on the rebuilt generations; the service reads every order throughout', async () => {
      const stores = await openStores({ ...loadConfig({}), dataDir: jxc.dataDir, mongodbUrl: withDatabase.toString() }, { events: true, views: true });
      const before = (await get('analyst', '/api/orders?limit=100').expect(200)).body.items.length as number;
      expect(before).toBe(5);
      let rebuilding = true;
      const seen: number[] = [];
      const reader = (async () => {
        while (rebuilding) seen.push((await get('analyst', '/api/orders?limit=100').expect(200)).body.items.length as number);
      })();
      try {
        const group = PROJECTION_GROUPS.find(({ name }) => name === 'orders')!;
        const result = await rebuildGroup(stores.events, stores.views, group);
        expect(result.views.find(({ view }) => view === 'orders')).toMatchObject({ previous: '1', promoted: '2' });
      } finally {
        rebuilding = false;
        await reader;
        await stores.close();
      }
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen)).toEqual(new Set([5]));
      // The analysts' name shows generation 2 now; no generation collection of orders is left but the live one's.
      expect(await db.collection('orders').countDocuments({})).toBe(5);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name);
      expect(names.filter((name) => name.startsWith('orders__g'))).toEqual(names.includes('orders__g2') ? ['orders__g2'] : []);
      expect((await cancellationRateByReason(db, weekStart(new Date()))).map(({ reason }) => reason)).toEqual(['changed mind', 'found cheaper']);
      // The service goes on: a new order is in the view and under the stable name.
      const placed = await post('clerk', '/api/orders', { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'TEA', quantity: 1, unitPrice: 1250 }] }).expect(201);
      await get('analyst', `/api/orders/${placed.body.orderId}?minPosition=${placed.body.position}`).expect(200);
      expect(await db.collection('orders').countDocuments({ _id: placed.body.orderId })).toBe(1);
    });
  });

  describe('stable names on the MongoDB read store, either path', () => {
    const definition = { name: 'orders', indexes: [{ fields: [{ field: 'placedAt', direction: 'desc' as const }] }] };
    const opened: Array<{ store: MongoReadStore; databaseName: string }> = [];
    let client: MongoClient;

    beforeAll(async () => {
      client = await MongoClient.connect(url);
    });
    afterAll(async () => {
      for (const { store, databaseName } of opened) {
        await store.close();
        await dropDatabase(url, databaseName);
      }
      await client.close();
    });

    async function open(stableNames?: 'view' | 'rename') {
      const databaseName = `jxc_stable_${randomUUID().slice(0, 8)}`;
      const store = await MongoReadStore.connect({ url: url!, databaseName, ...(stableNames ? { stableNames } : {}) });
      opened.push({ store, databaseName });
      await store.ensureView(definition);
      return { store, db: client.db(databaseName) };
    }

    async function promoteAndCheck(store: MongoReadStore, db: Db): Promise<void> {
      await store.writeBatch('orders', [{ type: 'upsert', document: { id: 'o-1', position: '1', placedAt: '2026-03-02T08:00:00.000Z', total: 3_000_000_000 } }]);
      expect(await db.collection('orders').findOne({})).toEqual({ _id: 'o-1', position: '1', placedAt: new Date('2026-03-02T08:00:00.000Z'), total: 3_000_000_000 });
      expect(await db.collection('orders').countDocuments({ total: { $type: 'long' } })).toBe(1);
      const generation = await store.createGeneration('orders');
      await store.writeBatch({ view: 'orders', generation }, [{ type: 'upsert', document: { id: 'o-2', position: '2', placedAt: '2026-03-03T08:00:00.000Z', total: 5 } }]);
      // The analysts' name still shows the live generation while the next one is built.
      expect(await db.collection('orders').distinct('_id')).toEqual(['o-1']);
      await store.promoteGeneration('orders', generation);
      expect(await db.collection('orders').distinct('_id')).toEqual(['o-2']);
      expect(await store.get('orders', 'o-2')).toEqual({ id: 'o-2', position: '2', placedAt: '2026-03-03T08:00:00.000Z', total: 5 });
      expect(await store.listGenerations('orders')).toEqual([generation]);
      // Live writes go on under the stable name.
      await store.writeBatch('orders', [{ type: 'patch', id: 'o-2', position: '3', set: { status: 'paid' } }]);
      expect(await db.collection('orders').findOne({ _id: 'o-2' as unknown as never })).toMatchObject({ status: 'paid', placedAt: new Date('2026-03-03T08:00:00.000Z') });
      expect((await store.query('orders', { filter: { placedAt: { $gte: '2026-03-03T00:00:00.000Z' } }, sort: [{ field: 'placedAt', direction: 'desc' }] })).items.map(({ id }) => id)).toEqual(['o-2']);
    }

    it('renames the live generation to the view name (the path FerretDB takes)', async () => {
      const { store, db } = await open('rename');
      const [info] = await db.listCollections({ name: 'orders' }).toArray();
      expect(info).toMatchObject({ name: 'orders', type: 'collection' });
      await promoteAndCheck(store, db);
      // The promoted generation was renamed: no `orders__g<N>` collection remains.
      expect((await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).filter((name) => name.startsWith('orders__g'))).toEqual([]);
    });

    it('a promotion whose process died mid-rename: reads find the promoted documents, the next write finishes it', async () => {
      for (const diedAfterRename of [true, false]) {
        const { store, db } = await open('rename');
        await store.writeBatch('orders', [{ type: 'upsert', document: { id: 'old', position: '1' } }]);
        const generation = await store.createGeneration('orders');
        await store.writeBatch({ view: 'orders', generation }, [{ type: 'upsert', document: { id: 'new', position: '2' } }]);
        // What promoteGeneration had done when its process died: the pointer swapped (a minute ago), and the
        // old collection dropped and the new one renamed, or not yet.
        const aMinuteAgo = new Date(Date.now() - 60_000);
        await db.collection('_generations').updateOne({ _id: 'orders' as unknown as never }, { $set: { live: generation, renaming: aMinuteAgo }, $unset: { collection: '' } });
        if (diedAfterRename) {
          await db.collection('orders').drop();
          await db.renameCollection(`orders__g${generation}`, 'orders');
        }
        expect(await store.get('orders', 'new')).toMatchObject({ id: 'new' });
        expect(await store.get('orders', 'old')).toBeUndefined();
        await store.writeBatch('orders', [{ type: 'patch', id: 'new', position: '3', set: { status: 'paid' } }]);
        expect(await db.collection('orders').find({}).toArray()).toEqual([{ _id: 'new', position: '3', status: 'paid' }]);
        expect(await db.collection('_generations').findOne({ _id: 'orders' as unknown as never })).toMatchObject({ live: generation, collection: 'orders' });
        expect((await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).filter((name) => name.startsWith('orders'))).toEqual(['orders']);
      }
    });

    it('takes over a database from before stable names: its live `orders__g1` becomes `orders`, with its documents', async () => {
      const databaseName = `jxc_stable_${randomUUID().slice(0, 8)}`;
      const db = client.db(databaseName);
      await db.collection('_generations').insertOne({ _id: 'orders' as unknown as never, live: '1', sequence: 1 });
      await db.collection('orders__g1').insertOne({ _id: 'old' as unknown as never, position: '7', placedAt: '2026-01-01T00:00:00.000Z' });
      const store = await MongoReadStore.connect({ url: url!, databaseName, stableNames: 'rename' });
      opened.push({ store, databaseName });
      await store.ensureView(definition);
      expect(await db.collection('orders').countDocuments({ _id: 'old' as unknown as never })).toBe(1);
      expect(await store.get('orders', 'old')).toMatchObject({ id: 'old', position: '7' });
      expect(await store.listGenerations('orders')).toEqual(['1']);
    });

    it('uses a MongoDB view on the live generation where the server creates views, else renames', async () => {
      const probe = client.db(`jxc_stable_${randomUUID().slice(0, 8)}`);
      const detected = await detectStableNames(probe);
      await probe.dropDatabase();
      let serverHasViews = true;
      try {
        await probe.createCollection('v', { viewOn: 'c', pipeline: [] });
      } catch (error) {
        if (!(error instanceof MongoServerError)) throw error;
        serverHasViews = false;
      } finally {
        await probe.dropDatabase();
      }
      expect(detected).toBe(serverHasViews ? 'view' : 'rename');
      const { store, db } = await open();
      expect(store.stableNames).toBe(detected);
      if (detected === 'view') {
        const [info] = await db.listCollections({ name: 'orders' }).toArray();
        expect(info).toMatchObject({ type: 'view', options: { viewOn: 'orders__g1' } });
      }
      await promoteAndCheck(store, db);
    });
  });
} else {
  process.stdout.write('MongoDB analyst views suite skipped: MONGODB_URL is not set\n');
  describe('analysts on MongoDB', () => {
    it.todo('queries the views under their stable names in the MongoDB at MONGODB_URL (not set in this run)');
  });
}

