import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { numberClaimStream, orderStream, sequenceStream } from '../../../domain/index.js';
import { type PlaceOrder } from '../../../domain/order/commands.js';
import { type EventStore } from '../../platform/event-store/event-store.port.js';
import { EventStoreDbEventStore } from '../../platform/event-store/eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store.js';
import { newId } from '../../platform/ids.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { orderAggregate } from '../../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { DocumentNumbers } from './document-numbers.js';
import { numberClaimAggregate } from './number-aggregates.js';

// Document numbers on a real store, through the port only: the embedded SQLite store always, EventStoreDB when
// EVENTSTORE_URL points at one. Each test numbers in a year of its own (random on a shared server), so the
// series and claims it sees are its own.
type Placement = Omit<PlaceOrder, 'orderId'>;
const sale: Placement = { type: 'PlaceOrder', number: null, kind: 'sale', partyId: 'cust-1', warehouseId: 'main', currency: 'CNY', lines: [{ sku: 'TEA-1', quantity: 1, unitPrice: 1000 }] };
const purchase: Placement = { ...sale, kind: 'purchase', partyId: 'sup-1' };

const at = (now: string): CommandMetadata => {
  const commandId = newId();
  return { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'alice', roles: ['clerk'] }, now };
};
const seq = (n: number) => String(n).padStart(6, '0');

function documentNumbersSuite(name: string, open: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>): void {
  describe(`document numbers on ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let repository: AggregateRepository;
    let numbers: DocumentNumbers;
    let nextYear = randomInt(2100, 9000);
    /** A year no other test of the run numbers in (and the `span - 1` after it). */
    const year = (span = 1) => {
      nextYear += span;
      return nextYear - span;
    };
    const inYear = (y: number) => at(`${y}-06-01T09:00:00.000Z`);
    const numberFor = (orderId: string, placement: Placement, metadata: CommandMetadata) => numbers.numberFor(orderId, placement, metadata);
    const eventsOf = async (streamId: string) => {
      const events = [];
      for await (const event of store.readStream(streamId)) events.push(event);
      return events;
    };

    beforeAll(async () => {
      ({ store, dispose } = await open());
      repository = new AggregateRepository(store);
      numbers = new DocumentNumbers(repository);
    });
    afterAll(async () => {
      await dispose();
    });

    it('numbers sales SO-<year>-000001, 000002 … and purchases PO-<year>-… apart; the UTC year of the placement picks the series', async () => {
      const y = year(2);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000001`);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000002`);
      expect(await numberFor(newId(), purchase, inYear(y))).toBe(`PO-${y}-000001`);
      // 08:00 on 1 January in Shanghai is still the old year in UTC; one millisecond after midnight UTC is the new one.
      expect(await numberFor(newId(), sale, at(`${y + 1}-01-01T07:59:59.999+08:00`))).toBe(`SO-${y}-000003`);
      expect(await numberFor(newId(), sale, at(`${y + 1}-01-01T00:00:00.001Z`))).toBe(`SO-${y + 1}-000001`);
      expect((await eventsOf(sequenceStream(`SO-${y}`))).map((event) => event.type)).toEqual(['NumberTaken', 'NumberTaken', 'NumberTaken']);
    });

    it('a placement retried after it took its number (same order id: a keyed retry) gets the same number; the series took it once', async () => {
      const y = year();
      const orderId = newId();
      const first = await numberFor(orderId, sale, inYear(y));
      expect(await numberFor(orderId, sale, inYear(y))).toBe(first);
      expect(await eventsOf(sequenceStream(`SO-${y}`))).toHaveLength(1);
      // A generated number is the series' alone: no claim stream.
      expect(await eventsOf(numberClaimStream(first))).toHaveLength(0);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000002`);
    });

    it('a placed order keeps its number: the placement sent again takes none', async () => {
      const y = year(2);
      const orderId = newId();
      const number = await numberFor(orderId, sale, inYear(y));
      await repository.execute(orderAggregate, orderStream(orderId), { ...sale, orderId, number }, inYear(y));
      expect(await numberFor(orderId, sale, inYear(y + 1))).toBe(number);
      expect(await eventsOf(sequenceStream(`SO-${y + 1}`))).toHaveLength(0);
    });

    it('keeps a given number, claimed for its order; another order giving it is 409 already_exists naming number', async () => {
      const given = `INV-${newId()}`;
      const [first, second] = [newId(), newId()];
      expect(await numberFor(first, { ...sale, number: ` ${given} ` }, inYear(year()))).toBe(given);
      expect(await numberFor(first, { ...sale, number: given }, inYear(year()))).toBe(given);
      await expect(numberFor(second, { ...purchase, number: given }, inYear(year()))).rejects.toMatchObject({ code: 'already_exists', details: { field: 'number', number: given } });
      expect((await repository.load(numberClaimAggregate, numberClaimStream(given))).state).toEqual({ number: given, orderId: first, origin: 'given' });
    });

    it('skips a number of its own form a client took first, for good: the order that skipped it keeps its own on a retry', async () => {
      const y = year();
      const client = newId();
      expect(await numberFor(client, { ...sale, number: `SO-${y}-000002` }, inYear(y))).toBe(`SO-${y}-000002`);
      expect(await numberFor(client, { ...sale, number: `SO-${y}-000002` }, inYear(y))).toBe(`SO-${y}-000002`);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000001`);
      const skipping = newId();
      expect(await numberFor(skipping, sale, inYear(y))).toBe(`SO-${y}-000003`);
      expect(await numberFor(skipping, sale, inYear(y))).toBe(`SO-${y}-000003`);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000004`);
      const series = (await eventsOf(sequenceStream(`SO-${y}`))).map((event) => [event.type, (event.data as { number: string; orderId: string }).number]);
      expect(series).toEqual([['NumberReserved', `SO-${y}-000002`], ['NumberTaken', `SO-${y}-000001`], ['NumberTaken', `SO-${y}-000003`], ['NumberTaken', `SO-${y}-000004`]]);
      // Handed out, reserved or behind the series: another order giving it is refused.
      for (const taken of [`SO-${y}-000002`, `SO-${y}-000001`]) {
        await expect(numberFor(newId(), { ...sale, number: taken }, inYear(y))).rejects.toMatchObject({ code: 'already_exists', details: { field: 'number', number: taken } });
      }
      // Another spelling of a series number is just a client number: claimed on its own stream.
      expect(await numberFor(newId(), { ...sale, number: `SO-${y}-0000009` }, inYear(y))).toBe(`SO-${y}-0000009`);
      expect(await eventsOf(numberClaimStream(`SO-${y}-0000009`))).toHaveLength(1);
    });

    it('20 placements at once on two instances (their own caches and locks) get 20 distinct numbers, 000001 to 000020, each taken by its order', async () => {
      const y = year();
      const instances = [numbers, new DocumentNumbers(new AggregateRepository(store))];
      const orderIds = Array.from({ length: 20 }, () => newId());
      const assigned = await Promise.all(orderIds.map((orderId, i) => instances[i % 2].numberFor(orderId, sale, inYear(y))));
      expect([...assigned].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `SO-${y}-${seq(i + 1)}`));
      const takenBy = new Map((await eventsOf(sequenceStream(`SO-${y}`))).map((event) => [(event.data as { number: string }).number, (event.data as { orderId: string }).orderId]));
      expect(assigned.map((number) => takenBy.get(number))).toEqual(orderIds);
    });

    it('a placement the order decider refuses takes no number', async () => {
      const y = year();
      await expect(numberFor(newId(), { ...sale, lines: [] }, inYear(y))).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(numberFor(newId(), { ...sale, number: 'REFUSED-1', lines: [] }, inYear(y))).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await eventsOf(sequenceStream(`SO-${y}`))).toHaveLength(0);
      expect(await eventsOf(numberClaimStream('REFUSED-1'))).toHaveLength(0);
      expect(await numberFor(newId(), sale, inYear(y))).toBe(`SO-${y}-000001`);
    });
  });
}

documentNumbersSuite('the embedded SQLite store', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-numbers-'));
  const store = SqliteEventStore.open({ dataDir, durability: 'normal' });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const url = process.env.EVENTSTORE_URL;
if (url) {
  documentNumbersSuite('EventStoreDB', async () => {
    const store = await EventStoreDbEventStore.connect(url);
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('document numbers on EventStoreDB skipped: EVENTSTORE_URL is not set');
}
