import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store.js';

const RUNS = Number(process.env.JXC_CRASH_RUNS_EVENT_STORE ?? 5);
const writerScript = join(process.cwd(), 'dist/scripts/crash/append-writer.js');

interface Ack {
  streamId: string;
  eventId: string;
  revision: bigint;
}

/** Starts the writer, lets it append for a random while, kills it with SIGKILL, returns what it acknowledged. */
function appendUntilKilled(dataDir: string, durability: 'full' | 'normal', killAfterMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, dataDir, durability, '16'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acks: Ack[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const [word, streamId, eventId, revision] = line.split(' ');
        if (word === 'ack') acks.push({ streamId, eventId, revision: BigInt(revision) });
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer ended without being killed (${signal})`))));
  });
}

describe('embedded event store under SIGKILL', () => {
  it.each(['full', 'normal'] as const)(`loses no acknowledged append when the process is killed mid-stream (%s durability, ${RUNS} kills)`, async (durability) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jxc-crash-'));
    try {
      const acknowledged: Ack[] = [];
      for (let run = 0; run < RUNS; run++) {
        acknowledged.push(...(await appendUntilKilled(dataDir, durability, 100 + Math.floor(Math.random() * 400))));
      }
      expect(acknowledged.length).toBeGreaterThan(RUNS * 50);

      const store = SqliteEventStore.open({ dataDir, durability });
      try {
        const stored = new Map<string, { streamId: string; revision: bigint }>();
        for await (const recorded of store.readAll()) stored.set(recorded.eventId, { streamId: recorded.streamId, revision: recorded.revision });
        const lost = acknowledged.filter((ack) => {
          const found = stored.get(ack.eventId);
          return !found || found.streamId !== ack.streamId || found.revision !== ack.revision;
        });
        expect(lost).toEqual([]);
        // Every stream is gapless after the crashes: revisions 0..n in log order.
        const revisionsByStream = new Map<string, bigint[]>();
        for (const { streamId, revision } of stored.values()) revisionsByStream.set(streamId, [...(revisionsByStream.get(streamId) ?? []), revision]);
        for (const revisions of revisionsByStream.values()) expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
