import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type CustomerRegistered, type PartyRecord } from '../../domain/party/index.js';
import { type DataKeyStore } from '../../src/platform/personal-data/data-key-store.port.js';
import { MongoDataKeyStore } from '../../src/platform/personal-data/mongodb-data-key-store.js';
import { newMasterKeyText, parseMasterKey, type MasterKey } from '../../src/platform/personal-data/master-key.js';
import { type MasterKeys, PersonalDataVault } from '../../src/platform/personal-data/personal-data-vault.js';
import { KEY_STORE_FILE, SqliteDataKeyStore } from '../../src/platform/personal-data/sqlite-data-key-store.js';
import { runJxc } from '../support/cli.js';
import { dropDatabase } from '../support/mongodb.js';

// `jxc keys ...` as a child process (dist/) on a real keys.sqlite, whose keys the real vault made.
const PARTIES: PartyRecord[] = [
  { id: 'c-1', name: 'Wang Fang 王芳', phone: '+86 139 0000 0001', email: 'wang.fang@example.cn', address: '杭州市西湖区 1 号' },
  { id: 'c-2', name: 'Li Lei 李雷', phone: null, email: 'li.lei@example.cn', address: null },
  { id: 'c-3', name: 'Han Meimei 韩梅梅', phone: '+86 139 0000 0003', email: null, address: '北京市海淀区 3 号' },
  { id: 'c-4', name: 'Erased Person', phone: '+86 139 0000 0004', email: 'erased@example.cn', address: 'Gone Street 4' },
];

let dataDir: string;
let oldText: string;
let newText: string;
let oldKey: MasterKey;
let newKey: MasterKey;
/** What the log would hold: each party's registration as sealed by the vault under the old master key. */
let sealed: Map<string, PartyRecord>;

const registered = (record: PartyRecord): CustomerRegistered => ({ type: 'CustomerRegistered', data: record });
const stream = (record: PartyRecord) => `customer-${record.id}`;

async function withVault<T>(masters: MasterKeys, work: (vault: PersonalDataVault, store: SqliteDataKeyStore) => Promise<T>): Promise<T> {
  const store = SqliteDataKeyStore.open(dataDir);
  try {
    return await work(new PersonalDataVault(store, masters), store);
  } finally {
    await store.close();
  }
}

/** The parties' records opened with only these master keys, from the sealed records. */
function opened(masters: MasterKeys): Promise<PartyRecord[]> {
  return withVault(masters, (vault) => Promise.all(PARTIES.map(async (party) => (await vault.forStream(stream(party))).decode(registered(sealed.get(party.id)!)).data)));
}

function masterKeyIds(): { stream_id: string; master_key_id: string; destroyed_at: string | null }[] {
  const db = new Database(join(dataDir, KEY_STORE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT stream_id, master_key_id, destroyed_at FROM data_keys ORDER BY stream_id').all() as { stream_id: string; master_key_id: string; destroyed_at: string | null }[];
  } finally {
    db.close();
  }
}

const jxc = (args: string[], env: Record<string, string> = {}) => runJxc(dataDir, args, { env });
const rotating = () => ({ JXC_MASTER_KEY: newText, JXC_MASTER_KEY_PREVIOUS: oldText });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jxc-keys-cli-'));
  oldText = newMasterKeyText();
  newText = newMasterKeyText();
  oldKey = parseMasterKey(oldText, 'old');
  newKey = parseMasterKey(newText, 'new');
  sealed = new Map();
  await withVault({ current: oldKey }, async (vault) => {
    for (const party of PARTIES) sealed.set(party.id, (await vault.forStream(stream(party), [registered(party)])).encode(registered(party)).data);
    await vault.erase('customer-c-4');
  });
});

afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const ERASED = { id: 'c-4', name: null, phone: null, email: null, address: null };

describe('jxc keys new-master-key', () => {
  it('prints a new 32-byte key each time, which the service accepts; --out writes it to a new 0600 file and never overwrites one', async () => {
    const [a, b] = await Promise.all([jxc(['keys', 'new-master-key']), jxc(['keys', 'new-master-key'])]);
    expect(a.code).toBe(0);
    const key = a.stdout.trim();
    expect(parseMasterKey(key, 'printed').key).toHaveLength(32);
    expect(b.stdout.trim()).not.toBe(key);
    expect(a.stdout.split('\n').filter(Boolean)).toHaveLength(1);

    const file = join(dataDir, 'new.key');
    const written = await jxc(['keys', 'new-master-key', '--out', file]);
    expect(written.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const content = readFileSync(file, 'utf8');
    expect(parseMasterKey(content, 'file').key).toHaveLength(32);
    expect(written.stdout).not.toContain(content.trim());
    const again = await jxc(['keys', 'new-master-key', '--out', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`jxc: ${file} exists: a master key file is never overwritten\n`);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });
});

describe('jxc keys rotate-master-key', () => {
  it('re-wraps every live data key from the previous master key to the new one: afterwards the new key alone opens the personal data', async () => {
    await expect(opened({ current: newKey })).rejects.toThrow(oldKey.id);
    const run = await jxc(['keys', 'rotate-master-key'], rotating());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`re-wrapped 3 data keys from master key id ${oldKey.id} to master key id ${newKey.id}; 0 were under it already;`);
    expect(run.stdout).toContain(`every live data key (3) is wrapped by master key id ${newKey.id}`);
    expect(masterKeyIds().filter((row) => row.destroyed_at === null).map((row) => row.master_key_id)).toEqual([newKey.id, newKey.id, newKey.id]);
    expect(await opened({ current: newKey })).toEqual([...PARTIES.slice(0, 3), ERASED]);
    // The old key alone no longer opens anything.
    await expect(opened({ current: oldKey })).rejects.toThrow(newKey.id);
  });

  it('is resumable and idempotent: keys already re-wrapped are skipped, a second run changes nothing', async () => {
    // A first run stopped after one key.
    await withVault({ current: newKey, previous: oldKey }, async (_vault, store) => {
      const [first] = await store.page(undefined, 1);
      const { unwrapDataKey, wrapDataKey } = await import('../../src/platform/personal-data/master-key.js');
      expect(await store.rewrap(first!.streamId, oldKey.id, wrapDataKey(newKey, first!.streamId, unwrapDataKey(oldKey, first!.streamId, first!.wrapped)), newKey.id)).toBe(true);
    });
    const resumed = await jxc(['keys', 'rotate-master-key'], rotating());
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('re-wrapped 2 data keys');
    expect(resumed.stdout).toContain('1 were under it already');
    const before = masterKeyIds();
    const again = await jxc(['keys', 'rotate-master-key'], rotating());
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('re-wrapped 0 data keys');
    expect(again.stdout).toContain('3 were under it already');
    expect(masterKeyIds()).toEqual(before);
    expect(await opened({ current: newKey })).toEqual([...PARTIES.slice(0, 3), ERASED]);
  });

  it('goes through every page of keys (520 more parties, a page is 500)', async () => {
    const { wrapDataKey } = await import('../../src/platform/personal-data/master-key.js');
    const { newDataKey } = await import('../../src/platform/personal-data/envelope.js');
    const db = new Database(join(dataDir, KEY_STORE_FILE));
    const insert = db.prepare('INSERT INTO data_keys (stream_id, wrapped, master_key_id, created_at, destroyed_at) VALUES (?, ?, ?, ?, NULL)');
    db.transaction(() => {
      for (let i = 0; i < 520; i++) {
        const streamId = `supplier-s-${String(i).padStart(4, '0')}`;
        insert.run(streamId, wrapDataKey(oldKey, streamId, newDataKey()), oldKey.id, '2026-03-01T10:00:00.000Z');
      }
    })();
    db.close();
    const run = await jxc(['keys', 'rotate-master-key'], rotating());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('re-wrapped 523 data keys');
    expect(run.stdout).toContain('every live data key (523) is wrapped by master key id');
    expect(new Set(masterKeyIds().filter((row) => row.destroyed_at === null).map((row) => row.master_key_id))).toEqual(new Set([newKey.id]));
  });

  it('never brings an erased party\'s key back: its tombstone stays empty', async () => {
    expect((await jxc(['keys', 'rotate-master-key'], rotating())).code).toBe(0);
    expect(masterKeyIds().find((row) => row.stream_id === 'customer-c-4')).toMatchObject({ destroyed_at: expect.any(String) });
    const db = new Database(join(dataDir, KEY_STORE_FILE), { readonly: true });
    expect(db.prepare("SELECT wrapped FROM data_keys WHERE stream_id = 'customer-c-4'").get()).toEqual({ wrapped: '' });
    db.close();
  });

  it('without the previous key the keys cannot be re-wrapped: exit 2 with one line naming JXC_MASTER_KEY_PREVIOUS, nothing changed', async () => {
    const before = masterKeyIds();
    const run = await jxc(['keys', 'rotate-master-key'], { JXC_MASTER_KEY: newText });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('JXC_MASTER_KEY_PREVIOUS');
    expect(masterKeyIds()).toEqual(before);
  });

  it('without a new key configured: exit 2 naming JXC_MASTER_KEY, nothing changed', async () => {
    const before = masterKeyIds();
    const run = await jxc(['keys', 'rotate-master-key'], { JXC_MASTER_KEY_PREVIOUS: oldText });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^jxc: set the new master key in JXC_MASTER_KEY or JXC_MASTER_KEY_FILE/);
    expect(masterKeyIds()).toEqual(before);
  });

  it('keys status counts the live and erased keys by master key, before and after a rotation', async () => {
    const before = await jxc(['keys', 'status'], rotating());
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`data keys: 3 live, 1 erased; 3 under master key id ${oldKey.id} (JXC_MASTER_KEY_PREVIOUS)`);
    expect(before.stdout).toContain('3 live data keys are not under JXC_MASTER_KEY');
    await jxc(['keys', 'rotate-master-key'], rotating());
    const after = await jxc(['keys', 'status'], { JXC_MASTER_KEY: newText });
    expect(after.stdout).toContain(`data keys: 3 live, 1 erased; 3 under master key id ${newKey.id} (JXC_MASTER_KEY)`);
    expect(after.stdout).not.toContain('not under');
  });
});

const mongoUrl = process.env.MONGODB_URL;
if (mongoUrl) {
  describe('jxc keys rotate-master-key on MongoDB (MONGODB_URL: the collection jxc_data_keys)', () => {
    it('re-wraps the keys kept in MongoDB, and the new key alone opens them', async () => {
      const databaseName = `jxc_keys_cli_${process.pid}_${Date.now()}`;
      const parsed = new URL(mongoUrl);
      parsed.pathname = `/${databaseName}`;
      const url = parsed.toString();
      const open = (): Promise<DataKeyStore> => MongoDataKeyStore.connect({ url });
      try {
        const store = await open();
        const vault = new PersonalDataVault(store, { current: oldKey });
        const sealedHere = new Map<string, PartyRecord>();
        for (const party of PARTIES) sealedHere.set(party.id, (await vault.forStream(stream(party), [registered(party)])).encode(registered(party)).data);
        await vault.erase('customer-c-4');
        await store.close();
        const run = await runJxc(dataDir, ['keys', 'rotate-master-key'], { env: { ...rotating(), MONGODB_URL: url } });
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain(`re-wrapped 3 data keys from master key id ${oldKey.id} to master key id ${newKey.id}`);
        expect(run.code).toBe(0);
        const after = await open();
        const reader = new PersonalDataVault(after, { current: newKey });
        const read = await Promise.all(PARTIES.map(async (party) => (await reader.forStream(stream(party))).decode(registered(sealedHere.get(party.id)!)).data));
        await after.close();
        expect(read).toEqual([...PARTIES.slice(0, 3), ERASED]);
      } finally {
        await dropDatabase(mongoUrl, databaseName);
      }
    }, 60_000);
  });
} else {
  process.stdout.write('jxc keys on MongoDB skipped: MONGODB_URL is not set\n');
  describe('jxc keys rotate-master-key on MongoDB', () => {
    it.todo('runs against the server at MONGODB_URL (not set in this run)');
  });
}
