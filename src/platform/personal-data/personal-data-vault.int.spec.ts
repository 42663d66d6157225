import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type CustomerRegistered, type PartyRecord } from '../../../domain/party/index.js';
import { isEnvelope } from './envelope.js';
import { newMasterKeyText, parseMasterKey, unwrapDataKey } from './master-key.js';
import { type MasterKeys, MasterKeyMismatch, PartyErased, PersonalDataVault } from './personal-data-vault.js';
import { KEY_STORE_FILE, SqliteDataKeyStore } from './sqlite-data-key-store.js';

// The vault over the real key store: keys.sqlite on disk in a temporary directory.
const master = parseMasterKey(newMasterKeyText(), 'JXC_MASTER_KEY');
const ALICE: PartyRecord = { id: 'c-alice', name: 'Alice Zhang 张爱丽', phone: '+86 138 0013 8000', email: 'alice.zhang@example.cn', address: '上海市浦东新区世纪大道 100 号' };
const BOB: PartyRecord = { id: 'c-bob', name: 'Bob Li', phone: null, email: 'bob@example.com', address: null };

const registered = (record: PartyRecord): CustomerRegistered => ({ type: 'CustomerRegistered', data: record });
const PLAINTEXT = (record: PartyRecord) => [record.name, record.phone, record.email, record.address].filter((value): value is string => value !== null);

let dir: string;
let store: SqliteDataKeyStore;
let vault: PersonalDataVault;
const others: SqliteDataKeyStore[] = [];

/** A second process on the same data directory: its own connection and its own (empty) key cache. */
function anotherVault(masters: MasterKeys = { current: master }): PersonalDataVault {
  const own = SqliteDataKeyStore.open(dir);
  others.push(own);
  return new PersonalDataVault(own, masters);
}

async function sealed(streamId: string, record: PartyRecord): Promise<PartyRecord> {
  const codec = await vault.forStream(streamId, [registered(record)]);
  return codec.encode(registered(record)).data;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jxc-vault-'));
  store = SqliteDataKeyStore.open(dir);
  vault = new PersonalDataVault(store, { current: master });
});

afterEach(async () => {
  for (const other of others.splice(0)) await other.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PersonalDataVault as the codec of party events', () => {
  it('seals exactly the personal fields (name, phone, email, address) of an event, and opens them again on load', async () => {
    const stored = await sealed('customer-c-alice', ALICE);
    expect(stored.id).toBe('c-alice');
    for (const field of ['name', 'phone', 'email', 'address'] as const) expect(isEnvelope(stored[field])).toBe(true);
    const json = JSON.stringify(stored);
    for (const plain of PLAINTEXT(ALICE)) {
      expect(json.includes(plain)).toBe(false);
      expect(json.toLowerCase().includes(plain.toLowerCase())).toBe(false);
    }
    const loaded = (await vault.forStream('customer-c-alice')).decode(registered(stored));
    expect(loaded.data).toEqual(ALICE);
    // A second process opens them too: the key is in keys.sqlite, wrapped by the master key.
    expect((await anotherVault().forStream('customer-c-alice')).decode(registered(stored)).data).toEqual(ALICE);
  });

  it('leaves absent fields null and other events alone', async () => {
    const stored = await sealed('customer-c-bob', BOB);
    expect(stored.phone).toBeNull();
    expect(stored.address).toBeNull();
    expect(isEnvelope(stored.name)).toBe(true);
    const codec = await vault.forStream('customer-c-bob');
    const erasedEvent = { type: 'CustomerErased', data: { id: 'c-bob', reason: 'GDPR request 42' } };
    expect(codec.encode(erasedEvent)).toEqual(erasedEvent);
  });

  it('reads events written in clear before personal data were sealed as they are', async () => {
    const codec = await vault.forStream('customer-legacy');
    expect(codec.decode(registered(BOB)).data).toEqual(BOB);
  });

  it('never lets any personal text through sealed (property)', async () => {
    const personal = fc.string({ unit: 'binary', minLength: 6, maxLength: 80 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(personal, fc.option(personal), fc.option(personal), fc.option(personal), async (name, phone, email, address) => {
        const record: PartyRecord = { id: `p${n}`, name, phone, email, address };
        const streamId = `supplier-p${n++}`;
        const stored = await sealed(streamId, record);
        const json = JSON.stringify(stored);
        for (const plain of PLAINTEXT(record)) {
          expect(json.includes(JSON.stringify(plain).slice(1, -1))).toBe(false);
        }
        expect((await vault.forStream(streamId)).decode(registered(stored)).data).toEqual(record);
      }),
      { numRuns: 60 },
    );
  });

  it("does not open one party's sealed value in another party's stream: it reads as null", async () => {
    const alice = await sealed('customer-c-alice', ALICE);
    await sealed('customer-c-bob', BOB);
    const smuggled = { ...BOB, name: alice.name };
    const loaded = (await vault.forStream('customer-c-bob')).decode(registered(smuggled)).data;
    expect(loaded.name).toBeNull();
  });
});

describe('PersonalDataVault.sealRecord', () => {
  it('seals the personal fields of a response record with the party key, so that a stored copy of the response holds no plaintext', async () => {
    await sealed('customer-c-alice', ALICE);
    const record = { ...ALICE, revision: 0, position: '12' };
    const kept = await vault.sealRecord('customer-c-alice', record);
    expect(kept.id).toBe('c-alice');
    expect(kept.revision).toBe(0);
    for (const plain of PLAINTEXT(ALICE)) expect(JSON.stringify(kept).includes(plain)).toBe(false);
    expect(await vault.disclose(kept, 'reveal')).toEqual(record);
    // Already sealed values are kept as they are.
    expect(await vault.sealRecord('customer-c-alice', kept)).toEqual(kept);
    await vault.erase('customer-c-alice');
    expect(await vault.disclose(kept, 'reveal')).toEqual({ ...record, name: null, phone: null, email: null, address: null });
  });

  it('never answers plaintext, even when the key was destroyed meanwhile (an erasure between a registration and the record of its response)', async () => {
    await sealed('customer-c-alice', ALICE);
    await vault.erase('customer-c-alice');
    const kept = await vault.sealRecord('customer-c-alice', { ...ALICE, revision: 0 });
    for (const plain of PLAINTEXT(ALICE)) expect(JSON.stringify(kept).includes(plain)).toBe(false);
  });
});

describe('PersonalDataVault.disclose', () => {
  it('opens every sealed value anywhere in a response (lists, nested data) and leaves the rest and the original alone', async () => {
    const alice = await sealed('customer-c-alice', ALICE);
    const bob = await sealed('customer-c-bob', BOB);
    const response = {
      items: [
        { type: 'CustomerRegistered', streamId: 'customer-c-alice', data: alice, summary: 'customer c-alice registered' },
        { type: 'CustomerRegistered', streamId: 'customer-c-bob', data: bob, quantity: 3, at: null },
      ],
      nextCursor: null,
    };
    const copy = structuredClone(response);
    const shown = await vault.disclose(response, 'reveal');
    expect(shown).toEqual({
      items: [
        { type: 'CustomerRegistered', streamId: 'customer-c-alice', data: ALICE, summary: 'customer c-alice registered' },
        { type: 'CustomerRegistered', streamId: 'customer-c-bob', data: BOB, quantity: 3, at: null },
      ],
      nextCursor: null,
    });
    expect(response).toEqual(copy);
    const plain = { sku: 'TEA-1', lines: [{ quantity: 2 }] };
    expect(await vault.disclose(plain, 'reveal')).toBe(plain);
  });

  it('masks every sealed value as null, and only those', async () => {
    const alice = await sealed('customer-c-alice', ALICE);
    const masked = await vault.disclose({ customer: alice, note: 'call before delivery' }, 'mask');
    expect(masked).toEqual({ customer: { id: 'c-alice', name: null, phone: null, email: null, address: null }, note: 'call before delivery' });
    expect(JSON.stringify(masked)).not.toContain('jxc:pii');
  });

  it('answers null, never an error or the envelope, for a value that does not open (altered, foreign, unknown stream)', async () => {
    const alice = await sealed('customer-c-alice', ALICE);
    const altered = `${alice.name!.slice(0, -3)}${alice.name!.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const unknown = (await sealed('customer-c-bob', BOB)).name!.replace(Buffer.from('customer-c-bob').toString('base64url'), Buffer.from('customer-nobody').toString('base64url'));
    expect(await vault.disclose({ a: altered, b: unknown }, 'reveal')).toEqual({ a: null, b: null });
  });
});

describe('erasure: the data key destroyed', () => {
  it('makes every sealed copy read as null, in this process and in another one, in events and in responses', async () => {
    const stored = await sealed('customer-c-alice', ALICE);
    const stillThere = await sealed('customer-c-bob', BOB);
    await vault.erase('customer-c-alice');

    expect(await vault.disclose(stored, 'reveal')).toEqual({ id: 'c-alice', name: null, phone: null, email: null, address: null });
    expect((await vault.forStream('customer-c-alice')).decode(registered(stored)).data).toEqual({ id: 'c-alice', name: null, phone: null, email: null, address: null });
    const fresh = anotherVault();
    expect(await fresh.disclose(stored, 'reveal')).toEqual({ id: 'c-alice', name: null, phone: null, email: null, address: null });
    // Another party is untouched.
    expect(await fresh.disclose(stillThere, 'reveal')).toEqual(BOB);
  });

  it('is for good: nothing can be sealed for the party again, in any process, and erasing again changes nothing', async () => {
    await sealed('customer-c-alice', ALICE);
    await vault.erase('customer-c-alice');
    await vault.erase('customer-c-alice');
    await expect(sealed('customer-c-alice', ALICE)).rejects.toBeInstanceOf(PartyErased);
    await expect(anotherVault().forStream('customer-c-alice', [registered(ALICE)])).rejects.toBeInstanceOf(PartyErased);
    expect(await store.count()).toBe(1);
    expect(await store.page(undefined, 10)).toEqual([]);
  });

  it('leaves a tombstone for a party that had no key yet, so that it never gets one', async () => {
    await vault.erase('customer-never-sealed');
    await expect(anotherVault().forStream('customer-never-sealed', [registered(ALICE)])).rejects.toBeInstanceOf(PartyErased);
  });

  it('leaves neither the wrapped nor the raw data key anywhere in the key store files', async () => {
    await sealed('customer-c-alice', ALICE);
    const [row] = await store.page(undefined, 1);
    const wrapped = row!.wrapped;
    const raw = unwrapDataKey(master, 'customer-c-alice', wrapped);
    const files = () => readdirSync(dir).map((name) => readFileSync(join(dir, name)));
    // Before: the wrapped key is in the file, the raw key never is.
    expect(files().some((bytes) => bytes.includes(Buffer.from(wrapped)))).toBe(true);
    expect(files().some((bytes) => bytes.includes(raw))).toBe(false);

    await vault.erase('customer-c-alice');
    expect(existsSync(join(dir, `${KEY_STORE_FILE}-journal`))).toBe(false);
    expect(existsSync(join(dir, `${KEY_STORE_FILE}-wal`))).toBe(false);
    for (const bytes of files()) {
      expect(bytes.includes(Buffer.from(wrapped))).toBe(false);
      expect(bytes.includes(Buffer.from(wrapped, 'base64'))).toBe(false);
      expect(bytes.includes(raw)).toBe(false);
    }
  });
});

describe('master keys', () => {
  it('refuses to open data keys wrapped by a master key it was not given', async () => {
    const stored = await sealed('customer-c-alice', ALICE);
    const stranger = anotherVault({ current: parseMasterKey(newMasterKeyText(), 'JXC_MASTER_KEY') });
    await expect(stranger.disclose(stored, 'reveal')).rejects.toBeInstanceOf(MasterKeyMismatch);
  });

  it('during a rotation opens keys wrapped by the previous master key and wraps new ones with the current one', async () => {
    const stored = await sealed('customer-c-alice', ALICE);
    const next = parseMasterKey(newMasterKeyText(), 'JXC_MASTER_KEY');
    const rotating = anotherVault({ current: next, previous: master });
    expect(await rotating.disclose(stored, 'reveal')).toEqual(ALICE);
    const codec = await rotating.forStream('customer-c-bob', [registered(BOB)]);
    const bob = codec.encode(registered(BOB)).data;
    expect(await rotating.disclose(bob, 'reveal')).toEqual(BOB);
    const keys = await store.getMany(['customer-c-alice', 'customer-c-bob']);
    expect(keys.get('customer-c-alice')!.masterKeyId).toBe(master.id);
    expect(keys.get('customer-c-bob')!.masterKeyId).toBe(next.id);
  });
});

describe('PersonalDataVault.pseudonym', () => {
  it('is the same for the same text in every process on the store, and is not a plain hash anyone could recompute', async () => {
    const text = 'customers:{"name":"Wang Fang","phone":"13800000000"}';
    const digest = await vault.pseudonym(text);
    expect(await anotherVault().pseudonym(text)).toBe(digest);
    expect(await vault.pseudonym(`${text} `)).not.toBe(digest);
    expect(digest).not.toBe(createHash('sha256').update(text).digest('hex'));
    // Another installation (another key store) derives another one from the same personal data.
    const elsewhere = mkdtempSync(join(tmpdir(), 'jxc-vault-'));
    const otherStore = SqliteDataKeyStore.open(elsewhere);
    try {
      expect(await new PersonalDataVault(otherStore, { current: master }).pseudonym(text)).not.toBe(digest);
    } finally {
      await otherStore.close();
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
