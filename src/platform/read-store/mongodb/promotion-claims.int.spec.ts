import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';

import { dropDatabase } from '../../../../test/support/mongodb.js';
import { PromotionConflict } from '../errors.js';
import { MongoReadStore } from './mongodb-read-store.js';

const url = process.env.MONGODB_URL;
const view = { name: 'tallies', indexes: [] };

if (url) {
  // A promotion claims the live generation it replaces (`_promotions`, an insert's unique _id) before it swaps the pointer.
  describe('MongoDB read store: promotion claims', () => {
    const databaseName = `jxc_claims_${randomUUID().slice(0, 8)}`;
    let store: MongoReadStore;

    beforeEach(async () => {
      store = await MongoReadStore.connect({ url, databaseName });
      await store.ensureView(view);
    });
    afterEach(async () => {
      await store.close();
      await dropDatabase(url, databaseName);
    });

    const claim = (generation: string, secondsAgo: number) =>
      store.db.collection<{ _id: string; generation: string; at: Date }>('_promotions').insertOne({ _id: 'tallies:1', generation, at: new Date(Date.now() - secondsAgo * 1000) });

    it("a promotion whose process is still promoting holds the live generation: a rebuild's promotion over it is refused", async () => {
      const other = await store.createGeneration('tallies');
      const mine = await store.createGeneration('tallies');
      await claim(other, 1);

      const refused = await store.promoteGeneration('tallies', mine, { replacing: '1' }).catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(PromotionConflict);
      expect((refused as PromotionConflict).replacing).toEqual({ expected: '1', live: other });
      expect(await store.liveGeneration('tallies')).toBe('1');
    });

    it('a claim left 31 s ago by a process that died before its swap is taken over', async () => {
      const abandoned = await store.createGeneration('tallies');
      const mine = await store.createGeneration('tallies');
      await store.writeBatch({ view: 'tallies', generation: mine }, [{ type: 'upsert', document: { id: 'acct-1', position: '1', total: 5 } }]);
      await claim(abandoned, 31);

      await store.promoteGeneration('tallies', mine, { replacing: '1' });

      expect(await store.liveGeneration('tallies')).toBe(mine);
      expect(await store.get('tallies', 'acct-1')).toMatchObject({ total: 5 });
    });
  });
} else {
  process.stdout.write('MongoDB promotion-claim tests skipped: MONGODB_URL is not set\n');
  describe('MongoDB read store: promotion claims', () => {
    it.todo('runs against the server at MONGODB_URL (not set in this run)');
  });
}
