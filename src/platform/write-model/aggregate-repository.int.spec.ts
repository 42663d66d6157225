import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DomainError } from '../../../domain/shared/domain-error.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { newId } from '../ids.js';
import { AggregateRepository, CommandIdReused, RevisionMismatch } from './aggregate-repository.js';
import { type AggregateType } from './aggregate-type.js';
import { type CommandMetadata } from './command-metadata.js';
import { StreamChainVerifier } from './hash-chain.js';

// A counter with a ceiling: enough rules to show conflicts, refusals and no-op commands.
type CounterEvent = { type: 'Incremented'; data: { by: number } };
type CounterCommand = { type: 'Increment'; by: number; ceiling: number } | { type: 'EnsureAtLeast'; value: number };
const counter: AggregateType<number, CounterCommand, CounterEvent> = {
  name: 'counter',
  initialState: 0,
  decide(command, state) {
    if (command.type === 'EnsureAtLeast') return state >= command.value ? [] : [{ type: 'Incremented', data: { by: command.value - state } }];
    if (state + command.by > command.ceiling) throw new DomainError('insufficient_stock', 'ceiling reached');
    return [{ type: 'Incremented', data: { by: command.by } }];
  },
  evolve: (state, event) => state + event.data.by,
  upcast: (type, _version, data) => ({ type: type as 'Incremented', data: data as { by: number } }),
  schemaVersion: () => 1,
};

const meta = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => {
  const commandId = newId();
  return { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'alice', roles: ['clerk'] }, now: '2026-11-29T00:00:00.000Z', ...overrides };
};

describe('AggregateRepository on the embedded store', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let repository: AggregateRepository;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jxc-repo-'));
    store = SqliteEventStore.open({ dataDir, durability: 'full' });
    repository = new AggregateRepository(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('200 concurrent commands on one stream all land, in few group commits, without oversell past the ceiling', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => repository.execute(counter, 'counter-hot', { type: 'Increment', by: 1, ceiling: 150 }, meta())));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(150);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(50).fill('insufficient_stock'));
    expect(store.stats().commits).toBeLessThan(20);

    const fresh = new AggregateRepository(store);
    const reloaded = await fresh.load(counter, 'counter-hot');
    expect(reloaded.state).toBe(150);
    expect(reloaded.revision).toBe(149n);
  });

  it('a cache dropped while an append is in flight never lets a command decide on the store without it (no step applied twice)', async () => {
    // EnsureAtLeast is idempotent like a process step: decided on the right state, a repeat appends nothing.
    await repository.execute(counter, 'counter-pipe', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    const ticks = async (count: number) => {
      for (let tick = 0; tick < count; tick++) await null;
    };
    const first = repository.execute(counter, 'counter-pipe', { type: 'EnsureAtLeast', value: 5 }, meta());
    await ticks(30); // decided and enqueued, not yet committed
    repository.forget('counter-pipe'); // as the process runner does after a refusal on the stream
    const other = repository.execute(counter, 'counter-pipe', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    await ticks(30);
    const repeat = repository.execute(counter, 'counter-pipe', { type: 'EnsureAtLeast', value: 5 }, meta());
    await Promise.all([first, other, repeat]);
    const reloaded = await new AggregateRepository(store).load(counter, 'counter-pipe');
    // 1, then up to 5, then one more: 6. Deciding on the store without the in-flight append made it 10.
    expect(reloaded.state).toBe(6);
  });

  it('a reader gets the last committed state while a decided append is still in flight', async () => {
    await repository.execute(counter, 'counter-read', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    const appending = repository.execute(counter, 'counter-read', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    await new Promise((resolve) => setImmediate(resolve));
    const during = await repository.load(counter, 'counter-read');
    await appending;
    expect([during.state, (await repository.load(counter, 'counter-read')).state]).toEqual([1, 2]);
  });

  it('chains every event to the previous one with SHA-256 hashes that verify', async () => {
    for (let i = 0; i < 5; i++) await repository.execute(counter, 'counter-chain', { type: 'Increment', by: i, ceiling: 100 }, meta());
    const verifier = new StreamChainVerifier('counter-chain');
    for await (const recorded of store.readStream('counter-chain')) {
      expect(verifier.check({ ...recorded, revision: Number(recorded.revision) })).toBeUndefined();
    }
  });

  it('stamps the command metadata on every event', async () => {
    const command = meta({ correlationId: 'corr-1', causationId: 'cause-1' });
    await repository.execute(counter, 'counter-meta', { type: 'Increment', by: 2, ceiling: 100 }, command);
    const [recorded] = await collect(store.readStream('counter-meta'));
    expect(recorded.metadata).toMatchObject({ commandId: command.commandId, correlationId: 'corr-1', causationId: 'cause-1', actor: { id: 'alice', roles: ['clerk'] }, occurredAt: command.now, schemaVersion: 1 });
  });

  it('appends nothing when the decider finds the command already done', async () => {
    await repository.execute(counter, 'counter-noop', { type: 'EnsureAtLeast', value: 3 }, meta());
    const again = await repository.execute(counter, 'counter-noop', { type: 'EnsureAtLeast', value: 3 }, meta());
    expect(again.events).toEqual([]);
    expect(again.position).toBeUndefined();
    expect(await collect(store.readStream('counter-noop'))).toHaveLength(1);
  });

  it('refuses a command whose If-Match revision is stale', async () => {
    await repository.execute(counter, 'counter-ifmatch', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    await repository.execute(counter, 'counter-ifmatch', { type: 'Increment', by: 1, ceiling: 100 }, meta(), { expectedRevision: 0n });
    await expect(repository.execute(counter, 'counter-ifmatch', { type: 'Increment', by: 1, ceiling: 100 }, meta(), { expectedRevision: 0n })).rejects.toBeInstanceOf(RevisionMismatch);
  });

  it('retries on fresh state when something else appended to the stream behind its cache', async () => {
    await repository.execute(counter, 'counter-stale', { type: 'Increment', by: 1, ceiling: 3 }, meta());
    const other = new AggregateRepository(store);
    await other.execute(counter, 'counter-stale', { type: 'Increment', by: 2, ceiling: 3 }, meta());
    await expect(repository.execute(counter, 'counter-stale', { type: 'Increment', by: 1, ceiling: 3 }, meta())).rejects.toMatchObject({ code: 'insufficient_stock' });
    expect(repository.stats().conflicts).toBe(1);
  });

  it('a retried command with deterministic event ids is a no-op even after the state moved on', async () => {
    const retried = meta({ deterministicEventIds: true });
    const first = await repository.execute(counter, 'counter-retry', { type: 'Increment', by: 5, ceiling: 100 }, retried);
    await repository.execute(counter, 'counter-retry', { type: 'Increment', by: 1, ceiling: 100 }, meta());
    const second = await new AggregateRepository(store).execute(counter, 'counter-retry', { type: 'Increment', by: 5, ceiling: 100 }, retried);
    expect(second.events).toEqual([]);
    expect(second.position).toBe(first.position);
    expect((await repository.load(counter, 'counter-retry')).state).toBe(6);
  });

  describe('a keyed command found in its stream (applied before, its answer lost)', () => {
    const keyed = (fingerprint = 'f-1') => meta({ commandId: 'keyed-command-1', deterministicEventIds: true, requestFingerprint: fingerprint });

    it('is not decided again on the state it changed: answered with the current state and where its events are', async () => {
      const first = await repository.execute(counter, 'counter-keyed', { type: 'Increment', by: 5, ceiling: 5 }, keyed());
      // A new process (nothing cached): decided again, the ceiling it reached itself would refuse it.
      const restarted = new AggregateRepository(store);
      const again = await restarted.execute(counter, 'counter-keyed', { type: 'Increment', by: 5, ceiling: 5 }, keyed());
      expect(again.events).toEqual([]);
      expect(again.alreadyApplied).toEqual({ events: [{ type: 'Incremented', data: { by: 5 } }], revision: 0n, position: first.position });
      expect(again.position).toBe(first.position);
      expect(again.aggregate.state).toBe(5);
      expect(await collect(store.readStream('counter-keyed'))).toHaveLength(1);
    });

    it('is answered after the stream moved on, whatever If-Match or precondition says now', async () => {
      const first = await repository.execute(counter, 'counter-moved', { type: 'Increment', by: 2, ceiling: 3 }, keyed());
      await repository.execute(counter, 'counter-moved', { type: 'Increment', by: 1, ceiling: 3 }, meta());
      let checked = 0;
      const again = await new AggregateRepository(store).execute(counter, 'counter-moved', { type: 'Increment', by: 2, ceiling: 3 }, keyed(), {
        expectedRevision: 0n,
        precondition: async () => {
          checked++;
        },
      });
      expect(again.alreadyApplied?.position).toBe(first.position);
      expect(again.aggregate).toMatchObject({ state: 3, revision: 1n });
      expect(checked).toBe(0);
      // a command not applied before runs its precondition, which may refuse it
      await expect(
        repository.execute(counter, 'counter-moved', { type: 'EnsureAtLeast', value: 9 }, meta(), {
          precondition: async () => {
            throw new RevisionMismatch('order-x', 0n, 1n);
          },
        }),
      ).rejects.toBeInstanceOf(RevisionMismatch);
    });

    it('stamps the request fingerprint on its events, inside the hash chain', async () => {
      await repository.execute(counter, 'counter-fingerprint', { type: 'Increment', by: 1, ceiling: 3 }, keyed('f-9'));
      const [recorded] = await collect(store.readStream('counter-fingerprint'));
      expect(recorded.metadata).toMatchObject({ commandId: 'keyed-command-1', requestFingerprint: 'f-9' });
      expect(new StreamChainVerifier('counter-fingerprint').check({ ...recorded, revision: Number(recorded.revision) })).toBeUndefined();
      const unkeyed = await repository.execute(counter, 'counter-fingerprint', { type: 'Increment', by: 1, ceiling: 3 }, meta());
      expect(unkeyed.events).toHaveLength(1);
      expect((await collect(store.readStream('counter-fingerprint')))[1].metadata).not.toHaveProperty('requestFingerprint');
    });

    it('sent for another request (another fingerprint) is refused with CommandIdReused, appending nothing', async () => {
      await repository.execute(counter, 'counter-reused', { type: 'Increment', by: 1, ceiling: 10 }, keyed('f-1'));
      await expect(new AggregateRepository(store).execute(counter, 'counter-reused', { type: 'Increment', by: 4, ceiling: 10 }, keyed('f-2'))).rejects.toBeInstanceOf(CommandIdReused);
      expect(await collect(store.readStream('counter-reused'))).toHaveLength(1);
    });
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
