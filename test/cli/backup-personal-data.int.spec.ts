import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { customerStream } from '../../domain/shared/streams.js';
import { parseMasterKey } from '../../src/platform/personal-data/master-key.js';
import { SqliteDataKeyStore } from '../../src/platform/personal-data/sqlite-data-key-store.js';
import { runJxc } from '../support/cli.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';
import { until } from '../support/until.js';

// The real service (dist/, no master key configured: it makes <dataDir>/master.key) seals the personal data of
// its parties; `jxc backup` copies the data keys with the stores, and never the master key.
const ADMIN_KEY = 'backup-pii-spec-admin-key-0123456789';
const PARTIES = [
  { id: 'bk-anna', name: 'Anna Kowalczyk 安娜', phone: '+48 600 100 200', email: 'anna.k@example.pl', address: 'ul. Długa 5, Gdańsk' },
  { id: 'bk-zhou', name: '周杰 Zhou Jie', phone: '+86 135 1111 2222', email: 'zhou.jie@example.cn', address: '广州市天河区体育西路 8 号' },
  { id: 'bk-gone', name: 'Gone Before Backup', phone: '+1 555 0100', email: 'gone@example.com', address: '1 Erased Road' },
];
let service: ServiceProcess;
let scratch: string;
let dataDir: string;
let backupDir: string;
let masterKeyFile: string;
let erasedWrapped: string;
let backupRun: { stdout: string };

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${service.url}${path.replace(/^\/api/, '')}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

async function caughtUp(): Promise<void> {
  await until('the projections to catch up', async () => {
    const projections = ((await (await fetch(`${service.url}/health`)).json()) as { projections: Record<string, { caughtUp: boolean; lag: number }> }).projections;
    return Object.values(projections).every((projection) => projection.caughtUp && projection.lag === 0) || undefined;
  });
}

function manifestOf(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

/** Every file of the directory as bytes, read as latin1 text (what is on disk, whatever its encoding). */
function filesOf(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('latin1')]));
}

const utf8AsLatin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jxc-backup-pii-'));
  dataDir = join(scratch, 'data');
  backupDir = join(scratch, 'backup');
  masterKeyFile = join(dataDir, 'master.key');
  service = await startService(dataDir, ADMIN_KEY);
  for (const party of PARTIES) await post('/api/customers', party);
  await caughtUp();
  // The third party's key destroyed as an erasure does it (the key store beside the running service).
  const keys = SqliteDataKeyStore.open(dataDir);
  erasedWrapped = (await keys.getMany([customerStream('bk-gone')])).get(customerStream('bk-gone'))!.wrapped;
  expect(erasedWrapped.length).toBeGreaterThan(40);
  expect(await keys.destroy(customerStream('bk-gone'), new Date().toISOString())).toBe(true);
  await keys.close();
  const run = await runJxc(dataDir, ['backup', backupDir]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  backupRun = run;
}, 120_000);

afterAll(async () => {
  if (service) await stopService(service, 'SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('jxc backup of sealed personal data', () => {
  it('copies keys.sqlite after the log and names in the manifest the master key a restore needs, never the key itself', () => {
    expect(existsSync(masterKeyFile)).toBe(true);
    const master = parseMasterKey(readFileSync(masterKeyFile, 'utf8'), 'master.key');
    const manifest = manifestOf(backupDir);
    expect(manifest.files.map((file: { name: string }) => file.name)).toEqual(['views.sqlite', 'events.sqlite', 'keys.sqlite']);
    expect(manifest.personalData).toEqual({ liveKeys: 2, destroyedKeys: 1, masterKeyIds: [master.id], masterKeyIncluded: false });
    expect(statSync(join(backupDir, 'keys.sqlite')).mode & 0o777).toBe(0o600);
    expect(readdirSync(backupDir).sort()).toEqual(['events.sqlite', 'keys.sqlite', 'manifest.json', 'views.sqlite']);
    expect(backupRun.stdout).toContain(`personal data: 2 data keys, 1 erased, wrapped by master key id ${master.id}; the master key is NOT in the backup`);
    const text = readFileSync(masterKeyFile, 'utf8').trim();
    for (const [name, bytes] of filesOf(backupDir)) {
      expect([name, bytes.includes(text)]).toEqual([name, false]);
      expect([name, bytes.includes(master.key.toString('latin1'))]).toEqual([name, false]);
      expect([name, bytes.includes(master.key.toString('hex'))]).toEqual([name, false]);
    }
  });

  it('holds no personal data in clear, and no trace of the erased party\'s key', () => {
    for (const [name, bytes] of filesOf(backupDir)) {
      for (const party of PARTIES) {
        for (const value of [party.name, party.phone, party.email, party.address]) {
          expect([name, bytes.includes(utf8AsLatin1(value)), bytes.toLowerCase().includes(utf8AsLatin1(value.toLowerCase()))]).toEqual([name, false, false]);
        }
      }
      expect([name, bytes.includes(erasedWrapped)]).toEqual([name, false]);
    }
  });

  it('backup verify opens keys.sqlite: its integrity, its keys against the manifest, a key for every sealed party', async () => {
    const master = parseMasterKey(readFileSync(masterKeyFile, 'utf8'), 'master.key');
    const run = await runJxc(dataDir, ['backup', 'verify', backupDir]);
    expect(run.stdout).toMatch(/^ok keys\.sqlite: sha256 /m);
    expect(run.stdout).toContain(`ok keys.sqlite: integrity ok; 2 data keys, 1 erased, master key id ${master.id} (manifest: 2, 1, ${master.id}); the master key is not in the backup`);
    expect(run.stdout).toContain('ok data keys: every one of the 3 parties whose personal data the log seals has its key (or its erasure) in keys.sqlite');
    expect(run.stdout).toContain('backup verify: ok');
    expect(run.code).toBe(0);
  }, 60_000);

  it('backup verify: a keys.sqlite that lacks a sealed party\'s key is exit 1 naming the party, even when the manifest matches the file', async () => {
    const broken = join(scratch, 'without-a-key');
    cpSync(backupDir, broken, { recursive: true });
    const file = join(broken, 'keys.sqlite');
    const db = new Database(file);
    db.prepare('DELETE FROM data_keys WHERE stream_id = ?').run(customerStream('bk-zhou'));
    db.close();
    const manifest = manifestOf(broken);
    const bytes = readFileSync(file);
    manifest.files = manifest.files.map((entry: { name: string }) => (entry.name === 'keys.sqlite' ? { ...entry, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } : entry));
    manifest.personalData.liveKeys = 1;
    writeFileSync(join(broken, 'manifest.json'), JSON.stringify(manifest));
    const run = await runJxc(dataDir, ['backup', 'verify', broken]);
    expect(run.stdout).toMatch(/^ok keys\.sqlite: integrity ok; 1 data keys/m);
    expect(run.stdout).toContain(`MISSING data keys for 1 of the 3 parties whose personal data the log seals (${customerStream('bk-zhou')})`);
    expect(run.stdout).toContain('backup verify: NOT OK');
    expect(run.code).toBe(1);
  }, 60_000);

  it('restore puts keys.sqlite back and no master key; with the service\'s master key the personal data read again, the erased party as null', async () => {
    const restored = join(scratch, 'restored');
    const master = parseMasterKey(readFileSync(masterKeyFile, 'utf8'), 'master.key');
    const run = await runJxc(restored, ['restore', backupDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrapped by master key id ${master.id}; the master key is NOT in the backup`);
    expect(readdirSync(restored).sort()).toEqual(['events.sqlite', 'keys.sqlite', 'views.sqlite']);
    expect(readFileSync(join(restored, 'keys.sqlite'))).toEqual(readFileSync(join(backupDir, 'keys.sqlite')));
    expect(statSync(join(restored, 'keys.sqlite')).mode & 0o777).toBe(0o600);

    const exported = await runJxc(restored, ['export', 'customers', '--format', 'ndjson'], { env: { JXC_MASTER_KEY_FILE: masterKeyFile } });
    expect(exported.stderr).toContain('exported 3 customers documents');
    expect(exported.code).toBe(0);
    const docs = exported.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(docs.map(({ id, name, phone, email, address }) => ({ id, name, phone, email, address }))).toEqual([
      PARTIES[0],
      { id: 'bk-gone', name: null, phone: null, email: null, address: null },
      PARTIES[1],
    ]);

    // Without the master key nothing is opened: one line naming the setting, and no key is made.
    const without = await runJxc(restored, ['export', 'customers', '--format', 'ndjson']);
    expect(without.code).toBe(2);
    expect(without.stdout).toBe('');
    expect(without.stderr.trim().split('\n')).toHaveLength(1);
    expect(without.stderr).toContain('JXC_MASTER_KEY');
    expect(existsSync(join(restored, 'master.key'))).toBe(false);
    // A view without personal data needs no master key.
    expect((await runJxc(restored, ['export', 'stock_levels'])).code).toBe(0);
  }, 60_000);
});
