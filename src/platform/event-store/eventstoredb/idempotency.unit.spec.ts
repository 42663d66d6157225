import { describe, expect, it } from '@jest/globals';

import { type RecordedEvent } from '../event-store.port.js';
import { classify, findExistingBatch } from './idempotency.js';

const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000003'];

function recorded(revision: bigint, eventId: string): RecordedEvent {
  return { streamId: 's', revision, position: `${100n + revision * 10n}/${100n + revision * 10n}`, eventId, type: 'T', data: {}, metadata: {} };
}

/** The stream newest first, counting how many events the scan pulled. */
function newestFirst(events: RecordedEvent[]): { iterable: AsyncIterable<RecordedEvent>; pulled: () => number } {
  let pulled = 0;
  return {
    pulled: () => pulled,
    iterable: (async function* () {
      for (const event of [...events].reverse()) {
        pulled++;
        yield event;
      }
    })(),
  };
}

describe('idempotent re-append over EventStoreDB: what the stream already holds of a batch', () => {
  it('none: a missing stream, head undefined', async () => {
    expect(await findExistingBatch(ids, newestFirst([]).iterable)).toEqual({ kind: 'none', head: undefined });
  });

  it('none: a stream without the ids, head = last revision', async () => {
    const stream = [recorded(0n, 'x-0'), recorded(1n, 'x-1')];
    expect(await findExistingBatch(ids, newestFirst(stream).iterable)).toEqual({ kind: 'none', head: 1n });
  });

  it('all: the whole batch in order returns the original result (last revision and its position)', async () => {
    const stream = [recorded(0n, 'x-0'), recorded(1n, ids[0]), recorded(2n, ids[1]), recorded(3n, ids[2]), recorded(4n, 'x-4')];
    const scan = newestFirst(stream);
    expect(await findExistingBatch(ids, scan.iterable)).toEqual({
      kind: 'all',
      head: 4n,
      result: { nextExpectedRevision: 3n, position: '130/130' },
    });
    // stops at the batch's first id: the older event is never read
    expect(scan.pulled()).toBe(4);
  });

  it('matches ids whatever their letter case', async () => {
    const stream = [recorded(0n, ids[0].toUpperCase())];
    expect(await findExistingBatch([ids[0]], newestFirst(stream).iterable)).toMatchObject({ kind: 'all' });
  });

  it('partial: only some of the ids are stored', async () => {
    const stream = [recorded(0n, ids[1])];
    expect(await findExistingBatch([ids[0], ids[1]], newestFirst(stream).iterable)).toEqual({ kind: 'partial', head: 0n });
  });

  it('partial: all ids stored but not as one batch in order', async () => {
    const outOfOrder = [recorded(0n, ids[1]), recorded(1n, ids[0])];
    expect(await findExistingBatch([ids[0], ids[1]], newestFirst(outOfOrder).iterable)).toMatchObject({ kind: 'partial' });
    const withGap = [recorded(0n, ids[0]), recorded(1n, 'x'), recorded(2n, ids[1])];
    expect(await findExistingBatch([ids[0], ids[1]], newestFirst(withGap).iterable)).toMatchObject({ kind: 'partial' });
  });

  it('classifies found revisions directly', () => {
    expect(classify([undefined, undefined], 5n)).toEqual({ kind: 'none', head: 5n });
    expect(classify([{ revision: 2n, position: '1/1' }, undefined], 5n)).toEqual({ kind: 'partial', head: 5n });
    expect(
      classify(
        [
          { revision: 2n, position: '1/1' },
          { revision: 3n, position: '2/2' },
        ],
        5n,
      ),
    ).toEqual({ kind: 'all', head: 5n, result: { nextExpectedRevision: 3n, position: '2/2' } });
  });
});
