// Child process of test/crash/event-store-sigkill.int.spec.ts: appends without pause and prints
// one line per acknowledged append ("ack <streamId> <eventId> <revision>") until it is killed.
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { newId } from '../../src/platform/ids.js';

const [dataDir, durability = 'full', writersArg = '16'] = process.argv.slice(2);
const store = SqliteEventStore.open({ dataDir, durability: durability === 'normal' ? 'normal' : 'full' });
const streams = Array.from({ length: 40 }, (_, i) => `stock-main-SKU${i}`);
const revisions = new Map<string, bigint>();

async function writer(): Promise<void> {
  for (;;) {
    const streamId = streams[Math.floor(Math.random() * streams.length)];
    const current = revisions.get(streamId);
    const eventId = newId();
    try {
      const result = await store.append(streamId, [{ eventId, type: 'StockAdjusted', data: { delta: 1 }, metadata: {} }], current ?? 'no_stream');
      revisions.set(streamId, result.nextExpectedRevision);
      process.stdout.write(`ack ${streamId} ${eventId} ${result.nextExpectedRevision}\n`);
    } catch {
      const last = [];
      for await (const recorded of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) last.push(recorded.revision);
      if (last.length) revisions.set(streamId, last[0]);
    }
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: Number(writersArg) }, writer));
