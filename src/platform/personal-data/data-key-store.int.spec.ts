import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dropDatabase } from '../../../test/support/mongodb.js';
import { type DataKeyStore, type StoredDataKey } from './data-key-store.port.js';
import { MongoDataKeyStore } from './mongodb-data-key-store.js';
import { KEY_STORE_FILE, SqliteDataKeyStore } from './sqlite-data-key-store.js';

/** Where one test keeps its keys: a fresh data directory, a fresh MongoDB database. */
interface KeyStoreLocation {
  /** A store on this location; called again it is another connection to the same keys. */
  open(): Promise<DataKeyStore>;
  destroy(): Promise<void>;
}

const mongoUrl = process.env.MONGODB_URL;
const run = `jxc_keys_${randomUUID().slice(0, 8)}`;
let databases = 0;

const locations: [string, () => KeyStoreLocation][] = [
  [
    'SQLite (keys.sqlite)',
    () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'jxc-keys-'));
      return { open: async () => SqliteDataKeyStore.open(dataDir), destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  ],
];
if (mongoUrl) {
  locations.push([
    `MongoDB (${mongoUrl})`,
    () => {
      const databaseName = `${run}_${++databases}`;
      return { open: () => MongoDataKeyStore.connect({ url: mongoUrl, databaseName }), destroy: () => dropDatabase(mongoUrl, databaseName) };
    },
  ]);
} else {
  process.stdout.write('MongoDB data key store contract skipped: MONGODB_URL is not set\n');
  describe('data key store contract: MongoDB', () => {
    it.todo('runs against the server at MONGODB_URL (not set in this run)');
  });
}

const key = (streamId: string, masterKeyId = 'master-a', wrapped = randomBytes(60).toString('base64')): StoredDataKey => ({
  streamId,
  wrapped,
  masterKeyId,
  createdAt: '2026-03-01T10:00:00.000Z',
  destroyedAt: null,
});

describe.each(locations)('data key store contract: %s', (_name, makeLocation) => {
  let location: KeyStoreLocation;
  let store: DataKeyStore;
  const opened: DataKeyStore[] = [];
  const open = async () => {
    const another = await location.open();
    opened.push(another);
    return another;
  };

  beforeEach(async () => {
    location = makeLocation();
    store = await open();
  });

  afterEach(async () => {
    for (const one of opened.splice(0)) await one.close();
    await location.destroy();
  });

  it('answers nothing for a stream without a key, and the stored key for one that has it', async () => {
    const stored = key('customer-C-1');
    expect(await store.insertIfAbsent(stored)).toEqual(stored);
    const found = await store.getMany(['customer-C-1', 'customer-C-2', 'customer-C-1']);
    expect([...found.keys()]).toEqual(['customer-C-1']);
    expect(found.get('customer-C-1')).toEqual(stored);
    expect(await store.count()).toBe(1);
  });

  it('keeps the first key stored for a stream: a second one is not stored, the first is answered', async () => {
    const first = key('supplier-S-1');
    await store.insertIfAbsent(first);
    expect(await store.insertIfAbsent(key('supplier-S-1', 'master-b'))).toEqual(first);
    expect((await store.getMany(['supplier-S-1'])).get('supplier-S-1')).toEqual(first);
  });

  it('two connections storing a key for the same stream at once both get the same one', async () => {
    const other = await open();
    const [a, b] = await Promise.all([store.insertIfAbsent(key('customer-C-9')), other.insertIfAbsent(key('customer-C-9'))]);
    expect(a).toEqual(b);
    expect(await store.count()).toBe(1);
  });

  it('destroys a key for good: the wrapped key is gone, a tombstone stays, and no new key can be stored for the stream', async () => {
    await store.insertIfAbsent(key('customer-C-1'));
    expect(await store.destroy('customer-C-1', '2026-03-02T09:00:00.000Z')).toBe(true);
    const tombstone = (await store.getMany(['customer-C-1'])).get('customer-C-1');
    expect(tombstone).toMatchObject({ streamId: 'customer-C-1', wrapped: '', destroyedAt: '2026-03-02T09:00:00.000Z' });
    expect(await store.insertIfAbsent(key('customer-C-1'))).toEqual(tombstone);
    expect(await store.destroy('customer-C-1', '2026-03-03T09:00:00.000Z')).toBe(false);
    expect((await store.getMany(['customer-C-1'])).get('customer-C-1')).toEqual(tombstone);
    expect(await store.count()).toBe(1);
  });

  it('erasing a party that has no key yet leaves a tombstone, so none is ever made for it', async () => {
    expect(await store.destroy('customer-C-5', '2026-03-02T09:00:00.000Z')).toBe(false);
    expect((await store.getMany(['customer-C-5'])).get('customer-C-5')).toMatchObject({ wrapped: '', destroyedAt: '2026-03-02T09:00:00.000Z' });
    const answered = await store.insertIfAbsent(key('customer-C-5'));
    expect(answered.wrapped).toBe('');
    expect(answered.destroyedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(await store.count()).toBe(1);
  });

  it('pages through the live keys in stream id order, after a given stream, skipping destroyed ones', async () => {
    for (const streamId of ['customer-C-3', 'customer-C-1', 'supplier-S-1', 'customer-C-2', 'customer-C-4']) await store.insertIfAbsent(key(streamId));
    await store.destroy('customer-C-2', '2026-03-02T09:00:00.000Z');
    const ids = (keys: StoredDataKey[]) => keys.map((stored) => stored.streamId);
    expect(ids(await store.page(undefined, 2))).toEqual(['customer-C-1', 'customer-C-3']);
    expect(ids(await store.page('customer-C-3', 2))).toEqual(['customer-C-4', 'supplier-S-1']);
    expect(ids(await store.page('supplier-S-1', 2))).toEqual([]);
    expect(await store.count()).toBe(5);
  });

  it('re-wraps a live key only from the master key that wraps it, and never a destroyed one', async () => {
    await store.insertIfAbsent(key('customer-C-1', 'master-a'));
    await store.insertIfAbsent(key('customer-C-2', 'master-a'));
    expect(await store.rewrap('customer-C-1', 'master-a', 'd3JhcHBlZCBieSBi', 'master-b')).toBe(true);
    expect((await store.getMany(['customer-C-1'])).get('customer-C-1')).toMatchObject({ wrapped: 'd3JhcHBlZCBieSBi', masterKeyId: 'master-b', destroyedAt: null });
    // Done already (a resumed rotation): nothing changes.
    expect(await store.rewrap('customer-C-1', 'master-a', 'b3RoZXI=', 'master-b')).toBe(false);
    expect((await store.getMany(['customer-C-1'])).get('customer-C-1')?.wrapped).toBe('d3JhcHBlZCBieSBi');
    await store.destroy('customer-C-2', '2026-03-02T09:00:00.000Z');
    expect(await store.rewrap('customer-C-2', 'master-a', 'd3JhcHBlZCBieSBi', 'master-b')).toBe(false);
    expect((await store.getMany(['customer-C-2'])).get('customer-C-2')).toMatchObject({ wrapped: '', destroyedAt: '2026-03-02T09:00:00.000Z' });
    expect(await store.rewrap('customer-C-3', 'master-a', 'd3JhcHBlZCBieSBi', 'master-b')).toBe(false);
  });

  it('re-wraps a page of keys in one write, counting only those still under the master key named', async () => {
    for (const id of ['customer-C-1', 'customer-C-2', 'customer-C-3']) await store.insertIfAbsent(key(id, 'master-a'));
    await store.insertIfAbsent(key('customer-C-4', 'master-b'));
    await store.destroy('customer-C-2', '2026-03-02T09:00:00.000Z');
    const page = ['customer-C-1', 'customer-C-2', 'customer-C-3', 'customer-C-4', 'customer-C-9'].map((streamId) => ({ streamId, wrapped: 'bmV3bHkgd3JhcHBlZA==' }));
    expect(await store.rewrapMany('master-a', 'master-b', page)).toBe(2);
    const after = await store.getMany(page.map((item) => item.streamId));
    expect(after.get('customer-C-1')).toMatchObject({ wrapped: 'bmV3bHkgd3JhcHBlZA==', masterKeyId: 'master-b' });
    expect(after.get('customer-C-3')).toMatchObject({ wrapped: 'bmV3bHkgd3JhcHBlZA==', masterKeyId: 'master-b' });
    expect(after.get('customer-C-2')).toMatchObject({ wrapped: '', destroyedAt: '2026-03-02T09:00:00.000Z' });
    expect(after.get('customer-C-4')?.wrapped).not.toBe('bmV3bHkgd3JhcHBlZA==');
    expect(after.has('customer-C-9')).toBe(false);
    expect(await store.rewrapMany('master-a', 'master-b', page)).toBe(0);
    expect(await store.rewrapMany('master-a', 'master-b', [])).toBe(0);
  });

  it('an erasure racing a key rotation on another connection leaves the key destroyed, whichever write lands last', async () => {
    const rotator = await open();
    const at = '2026-03-02T09:00:00.000Z';
    for (let round = 0; round < 40; round++) {
      const [one, many] = [`customer-R-${round}`, `customer-M-${round}`];
      await store.insertIfAbsent(key(one, 'master-a'));
      await store.insertIfAbsent(key(many, 'master-a'));

      await Promise.all([
        store.destroy(one, at),
        rotator.rewrap(one, 'master-a', 'cm90YXRlZA==', 'master-b'),
        store.destroy(many, at),
        rotator.rewrapMany('master-a', 'master-b', [{ streamId: many, wrapped: 'cm90YXRlZA==' }]),
      ]);

      const after = await rotator.getMany([one, many]);
      expect(after.get(one)).toMatchObject({ wrapped: '', destroyedAt: at });
      expect(after.get(many)).toMatchObject({ wrapped: '', destroyedAt: at });
    }
  });

  it('keeps the keys across connections: another connection sees what one stored and destroyed', async () => {
    const kept = key('customer-C-1');
    await store.insertIfAbsent(kept);
    await store.insertIfAbsent(key('customer-C-2'));
    await store.destroy('customer-C-2', '2026-03-02T09:00:00.000Z');
    await store.close();
    const reopened = await open();
    const found = await reopened.getMany(['customer-C-1', 'customer-C-2']);
    expect(found.get('customer-C-1')).toEqual(kept);
    expect(found.get('customer-C-2')?.destroyedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(await reopened.count()).toBe(2);
  });

  it('finds many keys at once (more than one query\'s worth)', async () => {
    const streamIds = Array.from({ length: 2500 }, (_, index) => `customer-C-${String(index).padStart(5, '0')}`);
    const stored = streamIds.filter((_, index) => index % 100 === 0 || index === 2499);
    for (const streamId of stored) await store.insertIfAbsent(key(streamId));
    const found = await store.getMany(streamIds);
    expect([...found.keys()].sort()).toEqual(stored);
  });
});

describe('keys.sqlite on disk', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-keys-file-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('no longer holds a destroyed key anywhere in the data directory once destroy has answered', async () => {
    const store = SqliteDataKeyStore.open(dataDir);
    const destroyed = key('customer-C-1');
    const kept = key('customer-C-2');
    await store.insertIfAbsent(destroyed);
    await store.insertIfAbsent(kept);
    await store.destroy('customer-C-1', '2026-03-02T09:00:00.000Z');
    const files = readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name)).toString('latin1'));
    expect(files.some((bytes) => bytes.includes(kept.wrapped))).toBe(true);
    expect(files.some((bytes) => bytes.includes(destroyed.wrapped))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([KEY_STORE_FILE]);
    await store.close();
  });
});
