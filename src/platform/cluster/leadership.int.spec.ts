import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../config/config.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { Leadership } from './leadership.js';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-lease-'));
  dirs.push(dir);
  // The lease lives in the event store's file: made by the store, as in the service.
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the leader lease in the embedded store (SQLite on disk, two connections as two processes)', () => {
  it('one holder at a time; renewed by its holder; taken over only once expired, with a new generation; released on a clean stop', async () => {
    const dir = dataDir();
    await SqliteEventStore.open({ dataDir: dir, durability: 'full' }).close();
    const a = new SqliteLeaseStore(dir);
    const b = new SqliteLeaseStore(dir);
    try {
      const t = 1_000_000;
      expect(a.acquire('leader', 'A', 5000, t)).toEqual({ held: true, holder: 'A', expiresAt: t + 5000, generation: 1 });
      // B cannot take it while it is A's.
      expect(b.acquire('leader', 'B', 5000, t + 1000)).toEqual({ held: false, holder: 'A', expiresAt: t + 5000, generation: 1 });
      // A renews: same generation, later expiry.
      expect(a.acquire('leader', 'A', 5000, t + 4000)).toEqual({ held: true, holder: 'A', expiresAt: t + 9000, generation: 1 });
      expect(b.acquire('leader', 'B', 5000, t + 8999)).toMatchObject({ held: false, holder: 'A' });
      // A stopped renewing (SIGKILL): B takes it at the expiry, generation 2; A cannot renew it back.
      expect(b.acquire('leader', 'B', 5000, t + 9000)).toEqual({ held: true, holder: 'B', expiresAt: t + 14_000, generation: 2 });
      expect(a.acquire('leader', 'A', 5000, t + 9500)).toEqual({ held: false, holder: 'B', expiresAt: t + 14_000, generation: 2 });
      // A clean stop gives it up: the next holder need not wait for the expiry.
      a.release('leader', 'B-is-not-me');
      expect(a.acquire('leader', 'A', 5000, t + 10_000)).toMatchObject({ held: false, holder: 'B' });
      b.release('leader', 'B');
      expect(a.acquire('leader', 'A', 5000, t + 10_000)).toEqual({ held: true, holder: 'A', expiresAt: t + 15_000, generation: 3 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('JXC_WORKERS=1: leads at once and touches no lease; JXC_WORKERS=2: the first process leads, the second waits, and a leader whose lease was taken is told so', async () => {
    const single = new Leadership({ ...loadConfig({}), dataDir: '/nonexistent-dir-never-opened' });
    const started: string[] = [];
    single.whenLeading(() => started.push('single'));
    single.onApplicationBootstrap();
    expect(single.isLeader()).toBe(true);
    expect(single.status()).toMatchObject({ workers: 1, leader: true, lease: null });

    const dir = dataDir();
    await SqliteEventStore.open({ dataDir: dir, durability: 'full' }).close();
    const config = { ...loadConfig({ JXC_WORKERS: '2' }), dataDir: dir };
    const first = new Leadership(config);
    const second = new Leadership(config);
    let lost = false;
    first.onLost(() => {
      lost = true;
    });
    try {
      first.whenLeading(() => started.push('first'));
      second.whenLeading(() => started.push('second'));
      first.onApplicationBootstrap();
      second.onApplicationBootstrap();
      expect(first.isLeader()).toBe(true);
      expect(second.isLeader()).toBe(false);
      expect(started).toEqual(['single', 'first']);
      expect(second.status().lease).toMatchObject({ holder: first.status().holderId, generation: 1 });

      // Another process took the lease (as if `first` had stalled past its expiry): `first` learns it at its next renewal.
      const other = new SqliteLeaseStore(dir);
      try {
        expect(other.acquire('leader', 'elsewhere', 60_000, Date.now() + 10_000)).toMatchObject({ held: true, generation: 2 });
      } finally {
        other.close();
      }
      for (const deadline = Date.now() + 20_000; !lost && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lost).toBe(true);
      expect(first.isLeader()).toBe(false);
      expect(second.isLeader()).toBe(false);
    } finally {
      first.beforeApplicationShutdown();
      first.onApplicationShutdown();
      second.beforeApplicationShutdown();
      second.onApplicationShutdown();
    }
  }, 30_000);
});
