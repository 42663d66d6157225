import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';

import { type RecordedEvent } from '../event-store.port.js';
import { StreamedSubscription } from './subscription.js';

interface Item {
  readonly n: number;
  readonly system?: boolean;
}

/** Stands in for the client's subscription: an object-mode stream that, like the real one, does not end on unsubscribe. */
class FakeSource extends PassThrough {
  unsubscribed = false;
  paused = 0;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
  override pause(): this {
    this.paused++;
    return super.pause();
  }
}

const convert = (item: Item): RecordedEvent | undefined =>
  item.system ? undefined : { streamId: 's', revision: BigInt(item.n), position: `${item.n}/${item.n}`, eventId: `e${item.n}`, type: 'T', data: {}, metadata: {} };

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamedSubscription', () => {
  it('opens the source on first iteration, delivers converted items in order, skips dropped ones', async () => {
    const source = new FakeSource();
    let opened = 0;
    const subscription = new StreamedSubscription<Item>(() => (opened++, source), convert);
    expect(opened).toBe(0);
    const received: number[] = [];
    const done = (async () => {
      for await (const event of subscription) {
        received.push(Number(event.revision));
        if (received.length === 3) await subscription.close();
      }
    })();
    source.write({ n: 1 });
    source.write({ n: 2, system: true });
    source.write({ n: 3 });
    await tick();
    source.write({ n: 4 });
    source.write({ n: 5 });
    await done;
    expect(opened).toBe(1);
    expect(received).toEqual([1, 3, 4]);
    expect(source.unsubscribed).toBe(true);
  });

  it('close() ends an iteration that is waiting for events, even though the source never ends', async () => {
    const source = new FakeSource();
    const subscription = new StreamedSubscription<Item>(() => source, convert);
    const iteration = (async () => {
      let count = 0;
      for await (const _ of subscription) count++;
      return count;
    })();
    await tick();
    await subscription.close();
    await expect(iteration).resolves.toBe(0);
    expect(source.unsubscribed).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it('close() before iterating opens nothing and iteration ends at once', async () => {
    let opened = 0;
    const subscription = new StreamedSubscription<Item>(() => (opened++, new FakeSource()), convert);
    await subscription.close();
    const items: RecordedEvent[] = [];
    for await (const event of subscription) items.push(event);
    expect(items).toEqual([]);
    expect(opened).toBe(0);
  });

  it('leaving the for-await early closes the subscription and calls onClosed once', async () => {
    const source = new FakeSource();
    let closed = 0;
    const subscription = new StreamedSubscription<Item>(() => source, convert, () => closed++);
    source.write({ n: 1 });
    source.write({ n: 2 });
    for await (const event of subscription) {
      expect(event.revision).toBe(1n);
      break;
    }
    await subscription.close();
    expect(source.unsubscribed).toBe(true);
    expect(closed).toBe(1);
  });

  it('surfaces a transport error after the events received before it', async () => {
    const source = new FakeSource();
    const subscription = new StreamedSubscription<Item>(() => source, convert);
    const received: number[] = [];
    const iteration = (async () => {
      for await (const event of subscription) received.push(Number(event.revision));
    })();
    source.write({ n: 1 });
    await tick();
    source.destroy(new Error('unavailable'));
    await expect(iteration).rejects.toThrow('unavailable');
    expect(received).toEqual([1]);
  });

  it('treats the server ending the subscription as an error, not as the end of the log', async () => {
    const source = new FakeSource();
    const subscription = new StreamedSubscription<Item>(() => source, convert);
    const iteration = (async () => {
      for await (const _ of subscription) {
        /* nothing */
      }
    })();
    await tick();
    source.end();
    await expect(iteration).rejects.toThrow(/ended the subscription/);
  });

  it('pauses the source when the consumer falls behind, so memory stays bounded', async () => {
    const source = new FakeSource();
    const subscription = new StreamedSubscription<Item>(() => source, convert);
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();
    for (let n = 0; n < 2000; n++) source.write({ n });
    expect((await first).value?.revision).toBe(0n);
    await tick();
    expect(source.paused).toBeGreaterThan(0);
    let last = 0n;
    for (let i = 1; i < 2000; i++) {
      const next = await iterator.next();
      last = next.value?.revision ?? -1n;
    }
    expect(last).toBe(1999n);
    await subscription.close();
  });

  it('can be iterated only once', async () => {
    const subscription = new StreamedSubscription<Item>(() => new FakeSource(), convert);
    const first = subscription[Symbol.asyncIterator]();
    const pending = first.next();
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(/once/);
    await subscription.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});
