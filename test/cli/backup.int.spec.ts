import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type EventRow } from '../../src/platform/event-store/sqlite/statements.js';
import { runJxc } from '../support/cli.js';
import { type ServiceProcess, startService, stopService } from '../support/service-process.js';

// The real service (dist/, a child process, SQLite on disk) takes 200 placements while `jxc backup`
// (another process) copies its stores; the copy is restored into a fresh directory and checked event by event.
const ADMIN_KEY = 'backup-spec-admin-key-0123456789';
let service: ServiceProcess;
let dataDir: string;
let scratch: string;
let backupDir: string;
let placed = 0;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${service.url}${path.replace(/^\/api/, '')}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

type Row = EventRow;

function rows(file: string, upTo?: number): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events WHERE position <= ? ORDER BY position').all(upTo ?? Number.MAX_SAFE_INTEGER) as Row[];
  } finally {
    db.close();
  }
}

async function placeOrders(count: number, callers: number): Promise<void> {
  const caller = async () => {
    while (placed < count) {
      placed++;
      await post('/api/orders', { kind: 'sale', partyId: 'backup-customer', lines: [{ sku: 'BACKUP-1', quantity: 1, unitPrice: 300 }] });
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'jxc-backup-spec-'));
  backupDir = join(scratch, 'backup');
  dataDir = join(scratch, 'data');
  service = await startService(dataDir, ADMIN_KEY, { JXC_BACKUP_DIR: join(scratch, 'scheduled'), JXC_BACKUP_EVERY: '2s', JXC_BACKUP_KEEP: '2' });
  await post('/api/customers', { id: 'backup-customer', name: 'Backup Customer' });
  await post('/api/products', { sku: 'BACKUP-1', name: 'Backup tea', price: 300 });
  await post('/api/stock/receipts', { sku: 'BACKUP-1', quantity: 1000 });
  // The backup starts while the placements are in flight.
  const orders = placeOrders(200, 16);
  while (placed < 20) await new Promise((done) => setTimeout(done, 5));
  const [run] = await Promise.all([runJxc(dataDir, ['backup', backupDir]), orders]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (service) await stopService(service, 'SIGTERM');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('jxc backup while the service takes orders', () => {
  it('writes the stores and the data keys and a manifest (sizes, sha256, event count, last position), files 0600 in a 0700 directory', () => {
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, jxcVersion: expect.stringMatching(/^\d+\.\d+\.\d+/), lastPosition: expect.stringMatching(/^\d+$/) });
    expect(manifest.events).toBeGreaterThan(20);
    expect(manifest.files.map((file: { name: string }) => file.name)).toEqual(['views.sqlite', 'events.sqlite', 'keys.sqlite']);
    for (const file of manifest.files) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(join(backupDir, file.name)).size).toBe(file.bytes);
      expect(statSync(join(backupDir, file.name)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(backupDir, 'manifest.json')).mode & 0o777).toBe(0o600);
    expect(statSync(backupDir).mode & 0o777).toBe(0o700);
  });

  it('no copied view is ahead of the copied log', () => {
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const db = new Database(join(backupDir, 'views.sqlite'), { readonly: true });
    const checkpoints = db.prepare('SELECT name, position FROM _checkpoints').all() as { name: string; position: string }[];
    db.close();
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of checkpoints) expect(BigInt(checkpoint.position)).toBeLessThanOrEqual(BigInt(manifest.lastPosition));
  });

  it('backup verify: exit 0, hashes, hash chains and projections ok', async () => {
    const run = await runJxc(dataDir, ['backup', 'verify', backupDir]);
    expect(run.stdout).toMatch(/^ok views\.sqlite: sha256 /m);
    expect(run.stdout).toMatch(/^ok events\.sqlite: sha256 /m);
    expect(run.stdout).toMatch(/^ok: every hash chain holds;/m);
    expect(run.stdout).toContain('projections verify: every view equals a fresh replay of the log');
    expect(run.code).toBe(0);
  }, 60_000);

  it('restore into a fresh directory: the same log event by event up to the copy\'s end; audit and projections verify ok', async () => {
    const restored = join(scratch, 'restored');
    const run = await runJxc(restored, ['restore', backupDir]);
    expect(run.code).toBe(0);
    expect(statSync(restored).mode & 0o777).toBe(0o700);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const copy = rows(join(restored, 'events.sqlite'));
    expect(copy).toHaveLength(manifest.events);
    expect(String(copy.at(-1)?.position)).toBe(manifest.lastPosition);
    expect(copy).toEqual(rows(join(dataDir, 'events.sqlite'), Number(manifest.lastPosition)));
    expect((await runJxc(restored, ['audit', 'verify'])).code).toBe(0);
    const projections = await runJxc(restored, ['projections', 'verify']);
    expect(projections.stdout).toContain('every view equals a fresh replay of the log');
    expect(projections.code).toBe(0);
  }, 60_000);

  it('restore refuses a directory that has data (exit 2) unless --force, and one a running service holds even with --force', async () => {
    const target = join(scratch, 'taken');
    expect((await runJxc(target, ['restore', backupDir])).code).toBe(0);
    const again = await runJxc(target, ['restore', backupDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has data');
    expect((await runJxc(target, ['restore', backupDir, '--force'])).code).toBe(0);
    const running = await runJxc(dataDir, ['restore', backupDir, '--force']);
    expect(running.code).toBe(2);
    expect(running.stderr).toMatch(/views\.sqlite is open in another process \(pid \d+: is the service running\?\): stop it before restoring/);
  }, 60_000);

  it('a backup into a directory that is not empty is refused (exit 2)', async () => {
    const run = await runJxc(dataDir, ['backup', backupDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not empty');
  });

  it('backup verify: one flipped byte in the copy of the log is exit 1, and restore refuses that copy', async () => {
    const damaged = join(scratch, 'damaged');
    cpSync(backupDir, damaged, { recursive: true });
    const file = join(damaged, 'events.sqlite');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    const run = await runJxc(dataDir, ['backup', 'verify', damaged]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DAMAGED events\.sqlite: sha256 [0-9a-f]{64} differs from the manifest's/m);
    expect(run.stdout).toMatch(/^ok views\.sqlite/m);
    expect(run.stdout).toContain('backup verify: NOT OK');
    const restore = await runJxc(join(scratch, 'from-damaged'), ['restore', damaged]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('is damaged');
  }, 60_000);

  it('the service makes scheduled backups (JXC_BACKUP_DIR, every 2 s here) and keeps JXC_BACKUP_KEEP of them', async () => {
    const scheduled = join(scratch, 'scheduled');
    const finished = () => (existsSync(scheduled) ? readdirSync(scheduled).filter((name) => existsSync(join(scheduled, name, 'manifest.json'))) : []);
    for (let i = 0; i < 300 && finished().length === 0; i++) await new Promise((done) => setTimeout(done, 50));
    const first = finished().sort()[0];
    expect(first).toMatch(/^jxc-backup-\d{4}-\d\d-\d\dT/);
    // With KEEP 2, the first one is deleted once the third is made.
    for (let i = 0; i < 400 && existsSync(join(scheduled, first)); i++) await new Promise((done) => setTimeout(done, 50));
    expect(existsSync(join(scheduled, first))).toBe(false);
    expect(finished().length).toBeGreaterThanOrEqual(2);
    const latest = join(scheduled, finished().sort().at(-1) as string);
    const run = await runJxc(dataDir, ['backup', 'verify', latest]);
    expect(run.code).toBe(0);
  }, 60_000);
});
