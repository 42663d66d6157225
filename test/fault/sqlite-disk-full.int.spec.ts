import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { v4 as uuidv4 } from 'uuid';

import { StorageUnavailable } from '../../src/platform/event-store/errors.js';
import { type EventToAppend, type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { mountSmallDisk, printSkip, type SmallDisk } from '../support/tmpfs.js';

const SUITE = 'SQLite event store disk-full suite';
const disk = mountSmallDisk(4);

/** An event of about `kb` KB, so that a few of them need new pages of the WAL. */
function event(kb = 16): EventToAppend {
  return { eventId: uuidv4(), type: 'Filled', data: { padding: 'x'.repeat(kb * 1024) }, metadata: {} };
}

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const recorded of iterable) events.push(recorded);
  return events;
}

if ('skip' in disk) {
  printSkip(SUITE, disk.skip);
  describe(SUITE, () => {
    it.todo('runs on a 4 MB tmpfs where mount is permitted (root)');
  });
} else {
  describe(`${SUITE} (4 MB tmpfs, group commit, durability full)`, () => {
    const small: SmallDisk = disk;
    let store: SqliteEventStore;

    beforeAll(() => {
      store = SqliteEventStore.open({ dataDir: small.dir, durability: 'full' });
    });
    afterAll(async () => {
      await store?.close();
      small.unmount();
    });

    it('refuses appends with StorageUnavailable while the disk is full, keeps reading, and appends again once space is back, on the same connection', async () => {
      // Before: a stream with a few events, acknowledged and durable.
      let revision = -1n;
      for (let i = 0; i < 4; i++) revision = (await store.append('s-before', [event(1)], i === 0 ? 'no_stream' : revision)).nextExpectedRevision;
      const before = await collect(store.readStream('s-before'));
      expect(before).toHaveLength(4);

      small.fill();

      // Appends (alone and as groups of concurrent appends) fail with the port's error, never a driver error.
      // The WAL may still have room for a few pages: append until the disk refuses, at most 12 MB worth.
      const refusals: unknown[] = [];
      const acknowledgedWhileFull: string[] = [];
      for (let round = 0; round < 60 && refusals.length === 0; round++) {
        const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.append(`s-full-${round}-${i}`, [event()], 'no_stream')));
        outcomes.forEach((outcome, i) => {
          if (outcome.status === 'rejected') refusals.push(outcome.reason);
          else acknowledgedWhileFull.push(`s-full-${round}-${i}`);
        });
      }
      expect(refusals.length).toBeGreaterThan(0);
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(StorageUnavailable);
        expect((refusal as StorageUnavailable).cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_(FULL|IOERR)/) });
      }

      // More appends while full: each refused, and the queue answers every one of them (none left hanging).
      const whileFull = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.append(`s-refused-${i}`, [event()], 'no_stream')));
      expect(whileFull.every((outcome) => outcome.status === 'rejected' && outcome.reason instanceof StorageUnavailable)).toBe(true);
      const nextOnBefore = await store.append('s-before', [event(1)], revision).catch((error: unknown) => error);
      expect(nextOnBefore).toBeInstanceOf(StorageUnavailable);

      // Reads keep working while the disk is full.
      expect((await collect(store.readStream('s-before'))).map((e) => e.eventId)).toEqual(before.map((e) => e.eventId));
      const head = await store.headPosition();
      expect(head).toBeDefined();
      const all = await collect(store.readAll());
      expect(all.some((e) => e.streamId.startsWith('s-refused-'))).toBe(false);

      small.free();

      // Space is back: the same store object appends again (no reopen by the test), alone and in a group.
      const after = await store.append('s-before', [event(1)], revision);
      expect(after.nextExpectedRevision).toBe(revision + 1n);
      const group = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`s-refused-${i}`, [event()], 'no_stream')));
      expect(group.every((result) => result.nextExpectedRevision === 0n)).toBe(true);

      // Nothing refused was written; everything acknowledged is there, once.
      const log = await collect(store.readAll());
      expect(log.filter((e) => e.streamId === 's-before')).toHaveLength(5);
      for (let i = 0; i < 20; i++) expect(log.filter((e) => e.streamId === `s-refused-${i}`)).toHaveLength(1);
      for (const streamId of acknowledgedWhileFull) expect(log.filter((e) => e.streamId === streamId)).toHaveLength(1);
      expect(new Set(log.map((e) => e.eventId)).size).toBe(log.length);
    });

    it('survives a second disk-full episode the same way', async () => {
      small.fill();
      let refused: unknown;
      for (let i = 0; i < 400 && refused === undefined; i++) {
        refused = await store.append(`s-second-${i}`, [event()], 'no_stream').then(
          () => undefined,
          (error: unknown) => error,
        );
      }
      expect(refused).toBeInstanceOf(StorageUnavailable);
      small.free();
      await expect(store.append('s-second-after', [event()], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
    });
  });
}
