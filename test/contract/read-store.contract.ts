import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { setImmediate as nextTurn } from 'node:timers/promises';

import {
  DuplicateKey,
  GenerationIsLive,
  InvalidCursor,
  InvalidViewDefinition,
  InvalidQuery,
  InvalidViewWrite,
  PromotionConflict,
  SortNotIndexed,
  UnknownGeneration,
  UnknownView,
} from '../../src/platform/read-store/errors.js';
import {
  type GenerationRef,
  type ReadStore,
  type SortKey,
  type ViewDefinition,
  type ViewDocument,
  type ViewFilter,
  type ViewTarget,
  type ViewWrite,
  generationCheckpointName,
} from '../../src/platform/read-store/read-store.port.js';

/** Where one test keeps its views: an empty SQLite file, an empty MongoDB database. */
export interface ReadStoreLocation {
  /** A store on this location; called again (after close, or while open) it is another connection to the same data. */
  open(): Promise<ReadStore>;
  /** Removes what the test stored; stores opened on it are closed by then. */
  destroy(): Promise<void>;
}

interface OrderDocument extends ViewDocument {
  readonly number: string;
  readonly kind: 'sale' | 'purchase';
  readonly status: string;
  readonly partyId: string;
  readonly placedAt: string;
  readonly total: number;
  readonly cancellation?: { readonly state: string; readonly reason?: string } | null;
  readonly lines?: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
}

const orders: ViewDefinition = {
  name: 'orders',
  indexes: [
    { fields: [{ field: 'status', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'kind', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'placedAt', direction: 'desc' }] },
    { fields: [{ field: 'total', direction: 'asc' }] },
    { fields: [{ field: 'cancellation.state', direction: 'asc' }] },
    { fields: [{ field: 'number', direction: 'asc' }], unique: true },
  ],
};

const STATUSES = ['placed', 'processing', 'shipped', 'delivered', 'cancelled'] as const;
const byPlacedAtDesc: SortKey[] = [{ field: 'placedAt', direction: 'desc' }];

/** A deterministic order: the same `n` always gives the same document. */
function order(n: number, overrides: Partial<OrderDocument> = {}): OrderDocument {
  return {
    id: `o-${String(n).padStart(5, '0')}`,
    position: String(n),
    number: `SO-${n}`,
    kind: n % 3 === 0 ? 'purchase' : 'sale',
    status: STATUSES[n % STATUSES.length],
    partyId: `c-${n % 7}`,
    // Many orders share a minute, so the id tie-breaker matters.
    placedAt: `2026-01-01T${String(Math.floor(n / 60) % 24).padStart(2, '0')}:${String(Math.floor(n / 4) % 60).padStart(2, '0')}:00.000Z`,
    total: (n * 7919) % 100_000,
    cancellation: null,
    ...overrides,
  };
}

const upsert = (document: ViewDocument): ViewWrite => ({ type: 'upsert', document });

/** The order `query` must return: by the sort keys, then by id in the last key's direction. */
function sortedLike(documents: readonly OrderDocument[], sort: readonly SortKey[]): string[] {
  const keys = [...sort, { field: 'id', direction: sort[sort.length - 1]?.direction ?? 'asc' } as SortKey];
  const valueOf = (document: OrderDocument, field: string): string | number | null => {
    const value = field.split('.').reduce<unknown>((current, segment) => (current as Record<string, unknown> | null | undefined)?.[segment], document);
    return (value ?? null) as string | number | null;
  };
  return [...documents]
    .sort((left, right) => {
      for (const { field, direction } of keys) {
        const a = valueOf(left, field);
        const b = valueOf(right, field);
        if (a === b) continue;
        // Null or missing sorts first ascending, last descending (MongoDB and SQLite agree).
        const ascending = a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
        return direction === 'asc' ? ascending : -ascending;
      }
      return 0;
    })
    .map(({ id }) => id);
}

async function allPages(store: ReadStore, target: ViewTarget, filter: ViewFilter | undefined, sort: SortKey[], limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query<OrderDocument>(target, { filter, sort, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map(({ id }) => id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

/**
 * The behaviour every read store adapter must have (DESIGN.md "Read store port and projections").
 * Each test gets a fresh location, so tests never see each other's views.
 */
export function readStoreContract(adapterName: string, newLocation: () => Promise<ReadStoreLocation>): void {
  describe(`read store contract: ${adapterName}`, () => {
    let location: ReadStoreLocation;
    let store: ReadStore;
    const opened: ReadStore[] = [];

    async function open(): Promise<ReadStore> {
      const another = await location.open();
      opened.push(another);
      await another.ensureView(orders);
      return another;
    }

    beforeEach(async () => {
      location = await newLocation();
      store = await open();
    });
    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
      await location.destroy();
    });

    describe('documents', () => {
      it('gives back exactly the document upserted, nested objects and arrays included', async () => {
        const document = order(1, {
          cancellation: { state: 'requested', reason: '客户取消 · changed mind' },
          lines: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'CUP-9', quantity: 1 }],
          total: 9_007_199_254_740_991,
        });
        await store.writeBatch('orders', [upsert(document)]);

        expect(await store.get('orders', document.id)).toEqual(document);
        expect(await store.get('orders', 'o-missing')).toBeUndefined();
      });

      it('getMany returns the documents that exist, by id', async () => {
        await store.writeBatch('orders', [upsert(order(1)), upsert(order(2)), upsert(order(3))]);

        const found = await store.getMany<OrderDocument>('orders', [order(3).id, 'o-missing', order(1).id]);

        expect([...found.keys()].sort()).toEqual([order(1).id, order(3).id]);
        expect(found.get(order(3).id)).toEqual(order(3));
      });

      it('an upsert replaces the whole document: fields it does not carry are gone', async () => {
        await store.writeBatch('orders', [upsert(order(1, { cancellation: { state: 'requested' } }))]);
        const { cancellation: _dropped, ...withoutCancellation } = order(1, { status: 'shipped', position: '9' });
        await store.writeBatch('orders', [upsert(withoutCancellation as OrderDocument)]);

        const stored = await store.get<OrderDocument>('orders', order(1).id);
        expect(stored).toEqual(withoutCancellation);
        expect(stored).not.toHaveProperty('cancellation');
      });

      it('a patch sets fields and dotted paths, increments, records the position and keeps the rest', async () => {
        await store.writeBatch('orders', [upsert(order(1, { cancellation: { state: 'requested', reason: 'late' } }))]);

        await store.writeBatch('orders', [
          { type: 'patch', id: order(1).id, position: '42', set: { 'cancellation.state': 'approved', status: 'cancelled', 'refund.method': 'original' }, inc: { total: -100, refunded: 250 } },
        ]);

        expect(await store.get('orders', order(1).id)).toEqual({
          ...order(1),
          position: '42',
          status: 'cancelled',
          total: order(1).total - 100,
          refunded: 250,
          refund: { method: 'original' },
          cancellation: { state: 'approved', reason: 'late' },
        });
      });

      it('a patch of a missing document changes nothing unless it upserts, and setOnInsert only applies on creation', async () => {
        await store.writeBatch('orders', [{ type: 'patch', id: 'day-1', position: '1', set: { orders: 1 } }]);
        expect(await store.get('orders', 'day-1')).toBeUndefined();

        const countDay = (position: string): ViewWrite => ({
          type: 'patch',
          id: 'day-1',
          position,
          upsert: true,
          set: { lastOrder: `o-${position}` },
          inc: { orders: 1, 'value.total': 500 },
          setOnInsert: { day: '2026-01-01', firstOrder: `o-${position}` },
        });
        await store.writeBatch('orders', [countDay('5')]);
        await store.writeBatch('orders', [countDay('6')]);

        expect(await store.get('orders', 'day-1')).toEqual({
          id: 'day-1',
          position: '6',
          day: '2026-01-01',
          firstOrder: 'o-5',
          lastOrder: 'o-6',
          orders: 2,
          value: { total: 1000 },
        });
      });

      it('a patch that cannot apply is an InvalidViewWrite: a path through null, an increment of a string', async () => {
        await store.writeBatch('orders', [upsert(order(1))]);

        const throughNull = await rejection(store.writeBatch('orders', [{ type: 'patch', id: order(1).id, position: '2', set: { 'cancellation.state': 'x' } }]));
        const incrementString = await rejection(store.writeBatch('orders', [{ type: 'patch', id: order(1).id, position: '2', inc: { status: 1 } }]));

        expect(throughNull).toBeInstanceOf(InvalidViewWrite);
        expect(incrementString).toBeInstanceOf(InvalidViewWrite);
        expect(await store.get('orders', order(1).id)).toEqual(order(1));
      });

      it('deletes, and deleting a missing document is a no-op', async () => {
        await store.writeBatch('orders', [upsert(order(1)), upsert(order(2))]);

        await store.writeBatch('orders', [{ type: 'delete', id: order(1).id }, { type: 'delete', id: 'o-missing' }]);

        expect(await store.get('orders', order(1).id)).toBeUndefined();
        expect(await store.get('orders', order(2).id)).toEqual(order(2));
      });

      it('applies the writes of a batch in order', async () => {
        const id = order(1).id;
        await store.writeBatch('orders', [
          upsert(order(1)),
          { type: 'patch', id, position: '2', set: { status: 'processing' } },
          { type: 'delete', id },
          upsert(order(1, { position: '4', status: 'shipped' })),
          { type: 'patch', id, position: '5', inc: { total: 1 } },
        ]);

        expect(await store.get('orders', id)).toEqual(order(1, { position: '5', status: 'shipped', total: order(1).total + 1 }));
      });

      it.each([
        ['a key containing a dot', { 'a.b': 1 }],
        ['a key starting with $', { $set: 1 }],
        ['an array directly inside an array', { matrix: [[1, 2]] }],
        ['a Date', { at: new Date(0) }],
        ['a bigint', { amount: 1n }],
        ['NaN', { ratio: Number.NaN }],
        ['_id', { _id: 'x' }],
      ])('refuses a document with %s, before writing any of the batch', async (_what, fields) => {
        const error = await rejection(store.writeBatch('orders', [upsert(order(1)), upsert({ ...order(2), ...fields })]));

        expect(error).toBeInstanceOf(InvalidViewWrite);
        expect(await store.count('orders')).toBe(0);
      });

      it('refuses a patch whose paths overlap, or that sets id or position', async () => {
        for (const patch of [
          { set: { cancellation: null }, inc: { 'cancellation.count': 1 } },
          { set: { id: 'other' } },
          { set: { position: '9' } },
        ]) {
          const error = await rejection(store.writeBatch('orders', [{ type: 'patch', id: 'o-1', position: '1', upsert: true, ...patch }]));
          expect(error).toBeInstanceOf(InvalidViewWrite);
        }
        expect(await store.count('orders')).toBe(0);
      });

      it('a unique index refuses a second document with the same value', async () => {
        await store.writeBatch('orders', [upsert(order(1))]);

        const error = await rejection(store.writeBatch('orders', [upsert(order(2, { number: order(1).number }))]));

        expect(error).toBeInstanceOf(DuplicateKey);
        expect(await store.get('orders', order(2).id)).toBeUndefined();
      });

      it('a failing batch leaves the checkpoint alone, and changes nothing when batches are atomic', async () => {
        await store.writeBatch('orders', [upsert(order(1))], { checkpoint: { name: 'orders', position: '1' } });

        const error = await rejection(
          store.writeBatch('orders', [upsert(order(2)), upsert(order(3, { number: order(1).number })), upsert(order(4))], {
            checkpoint: { name: 'orders', position: '4' },
          }),
        );

        expect(error).toBeInstanceOf(DuplicateKey);
        expect(await store.getCheckpoint('orders')).toBe('1');
        expect(await store.get('orders', order(4).id)).toBeUndefined();
        const earlier = await store.get('orders', order(2).id);
        if (store.capabilities.atomicBatches) expect(earlier).toBeUndefined();
        else expect(earlier).toEqual(order(2));
      });

      it('commits a batch and its checkpoint together', async () => {
        await store.writeBatch('orders', [upsert(order(1)), upsert(order(2))], { checkpoint: { name: 'orders', position: '2' } });

        expect(await store.getCheckpoint('orders')).toBe('2');
        expect(await store.count('orders')).toBe(2);
      });

      it('names a view that was not ensured as an UnknownView', async () => {
        expect(await rejection(store.get('stock_levels', 'x'))).toBeInstanceOf(UnknownView);
        expect(await rejection(store.writeBatch('stock_levels', []))).toBeInstanceOf(UnknownView);
      });
    });

    describe('queries', () => {
      const documents = Array.from({ length: 60 }, (_, index) =>
        order(index + 1, {
          // Three shapes of "no cancellation": null, missing, and a state.
          cancellation: index % 4 === 0 ? { state: index % 8 === 0 ? 'requested' : 'approved' } : index % 4 === 1 ? null : undefined,
        }),
      );
      const matching = (predicate: (document: OrderDocument) => boolean): string[] => documents.filter(predicate).map(({ id }) => id).sort();
      const ids = async (filter: ViewFilter): Promise<string[]> => (await allPages(store, 'orders', filter, [], 1000)).sort();

      beforeEach(async () => {
        await store.writeBatch('orders', documents.map(upsert));
      });

      it('filters by equality, implicitly ANDed', async () => {
        expect(await ids({ status: 'shipped', kind: 'sale' })).toEqual(matching((d) => d.status === 'shipped' && d.kind === 'sale'));
        expect(await ids({ partyId: { $eq: 'c-3' } })).toEqual(matching((d) => d.partyId === 'c-3'));
        expect(await ids({ id: order(7).id })).toEqual([order(7).id]);
      });

      it('filters with $in, null in the list matching null and missing', async () => {
        expect(await ids({ status: { $in: ['placed', 'cancelled'] } })).toEqual(matching((d) => d.status === 'placed' || d.status === 'cancelled'));
        expect(await ids({ 'cancellation.state': { $in: ['approved', null] } })).toEqual(matching((d) => d.cancellation?.state !== 'requested'));
        expect(await ids({ status: { $in: [] } })).toEqual([]);
      });

      it('filters on dotted paths into nested objects, null matching null and missing', async () => {
        expect(await ids({ 'cancellation.state': 'requested' })).toEqual(matching((d) => d.cancellation?.state === 'requested'));
        expect(await ids({ 'cancellation.state': null })).toEqual(matching((d) => !d.cancellation));
        expect(await ids({ cancellation: null })).toEqual(matching((d) => !d.cancellation));
        // "Set" on a nested string (GET /api/orders?onHold=true on `onHold.at`): every string is ≥ '', null and missing never are.
        expect(await ids({ 'cancellation.state': { $gte: '' } })).toEqual(matching((d) => typeof d.cancellation?.state === 'string'));
      });

      it('filters by ranges on strings and numbers, bounds combined', async () => {
        const from = order(20).placedAt;
        const to = order(40).placedAt;
        expect(await ids({ placedAt: { $gte: from, $lt: to } })).toEqual(matching((d) => d.placedAt >= from && d.placedAt < to));
        expect(await ids({ total: { $gt: 20_000, $lte: 60_000 }, kind: 'sale' })).toEqual(matching((d) => d.total > 20_000 && d.total <= 60_000 && d.kind === 'sale'));
        // Ranges compare within one type, as in MongoDB: a number bound never matches strings and vice versa.
        expect(await ids({ placedAt: { $gt: 0 } })).toEqual([]);
        expect(await ids({ total: { $lt: 'z' } })).toEqual([]);
      });

      it('filters on fields that are not indexed', async () => {
        await store.writeBatch('orders', [{ type: 'patch', id: order(5).id, position: '100', set: { 'note.flagged': true } }]);
        expect(await ids({ 'note.flagged': true })).toEqual([order(5).id]);
        expect(await ids({ number: 'SO-9' })).toEqual([order(9).id]);
      });

      it('refuses anything outside the supported filter subset', async () => {
        const unsupported: unknown[] = [
          { $or: [{ status: 'placed' }] },
          { status: { $regex: '^p' } },
          { status: { $ne: 'placed' } },
          { cancellation: { state: 'approved' } },
          { 'lines.0.sku': 'TEA-1' },
          { total: { $gt: Number.NaN } },
        ];
        for (const filter of unsupported) {
          expect(await rejection(store.query('orders', { filter: filter as ViewFilter }))).toBeInstanceOf(InvalidQuery);
        }
        expect(await rejection(store.query('orders', { limit: 0 }))).toBeInstanceOf(InvalidQuery);
        expect(await rejection(store.query('orders', { limit: 1001 }))).toBeInstanceOf(InvalidQuery);
      });

      it.each([
        ['placedAt descending', [{ field: 'placedAt', direction: 'desc' }]],
        ['placedAt ascending', [{ field: 'placedAt', direction: 'asc' }]],
        ['status then placedAt', [{ field: 'status', direction: 'asc' }, { field: 'placedAt', direction: 'desc' }]],
        ['total descending', [{ field: 'total', direction: 'desc' }]],
        ['id descending', [{ field: 'id', direction: 'desc' }]],
      ] as Array<[string, SortKey[]]>)('sorts by %s with id as the tie-breaker, page after page', async (_name, sort) => {
        expect(await allPages(store, 'orders', undefined, sort, 7)).toEqual(sortedLike(documents, sort));
        expect(await allPages(store, 'orders', { kind: 'sale' }, sort, 5)).toEqual(sortedLike(documents.filter((d) => d.kind === 'sale'), sort));
      });

      it.each(['asc', 'desc'] as const)('sorts and pages %s on a field that is null or missing in some documents', async (direction) => {
        const sort: SortKey[] = [{ field: 'cancellation.state', direction }];
        expect(await allPages(store, 'orders', undefined, sort, 4)).toEqual(sortedLike(documents, sort));
      });

      it('refuses a sort on a field no index declares', async () => {
        const error = await rejection(store.query('orders', { sort: [{ field: 'partyId', direction: 'asc' }] }));
        expect(error).toBeInstanceOf(SortNotIndexed);
        expect(error).toMatchObject({ view: 'orders', field: 'partyId' });
      });

      it('refuses a cursor it did not make, or made for another sort', async () => {
        const { nextCursor } = await store.query('orders', { sort: byPlacedAtDesc, limit: 5 });
        expect(nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);

        expect(await rejection(store.query('orders', { sort: [{ field: 'total', direction: 'asc' }], cursor: nextCursor }))).toBeInstanceOf(InvalidCursor);
        expect(await rejection(store.query('orders', { sort: byPlacedAtDesc, cursor: 'bm90IGEgY3Vyc29y' }))).toBeInstanceOf(InvalidCursor);
        expect(await rejection(store.query('orders', { sort: byPlacedAtDesc, cursor: '!!' }))).toBeInstanceOf(InvalidCursor);
      });

      it('counts the matching documents', async () => {
        expect(await store.count('orders')).toBe(documents.length);
        expect(await store.count('orders', { kind: 'purchase', total: { $gte: 50_000 } })).toBe(matching((d) => d.kind === 'purchase' && d.total >= 50_000).length);
      });

      it('the last page has no next cursor', async () => {
        const page = await store.query('orders', { filter: { partyId: 'c-1' }, limit: 100 });
        expect(page.items).toHaveLength(matching((d) => d.partyId === 'c-1').length);
        expect(page.nextCursor).toBeUndefined();
      });
    });

    describe('pagination at scale', () => {
      it('visits each of 1,000 documents exactly once, in order, in pages of 37', async () => {
        const documents = Array.from({ length: 1000 }, (_, index) => order(index + 1));
        await store.writeBatch('orders', documents.map(upsert));

        const visited = await allPages(store, 'orders', undefined, byPlacedAtDesc, 37);

        expect(visited).toHaveLength(1000);
        expect(new Set(visited).size).toBe(1000);
        expect(visited).toEqual(sortedLike(documents, byPlacedAtDesc));
      }, 120_000);

      it('never repeats or skips a document while others are inserted and updated between pages', async () => {
        const initial = Array.from({ length: 400 }, (_, index) => order(index * 2 + 1));
        await store.writeBatch('orders', initial.map(upsert));
        let done = false;
        let next = 0;

        // Inserts land before and after the reader's position; updates touch fields the sort does not use.
        const writer = async (): Promise<void> => {
          while (!done) {
            next += 1;
            const inserted = [order(next * 2), order(2000 + next * 2)].map(upsert);
            const updated: ViewWrite[] = [initial[(next * 37) % initial.length], initial[(next * 101) % initial.length]].map(({ id }) => ({
              type: 'patch',
              id,
              position: String(10_000 + next),
              set: { status: STATUSES[next % STATUSES.length] },
              inc: { total: 1 },
            }));
            await store.writeBatch('orders', [...inserted, ...updated]);
            await nextTurn();
          }
        };
        const reader = async (): Promise<OrderDocument[]> => {
          const seen: OrderDocument[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.query<OrderDocument>('orders', { sort: byPlacedAtDesc, limit: 23, cursor });
            seen.push(...page.items);
            cursor = page.nextCursor;
            await nextTurn();
          } while (cursor !== undefined);
          done = true;
          return seen;
        };

        const [seen] = await Promise.all([reader(), writer()]);
        const seenIds = seen.map(({ id }) => id);

        expect(next).toBeGreaterThan(5);
        expect(new Set(seenIds).size).toBe(seenIds.length);
        for (const { id } of initial) expect(seenIds).toContain(id);
        // Whatever was inserted meanwhile, the reader never moved backwards in the sort order.
        expect(seenIds).toEqual(sortedLike(seen, byPlacedAtDesc));
      }, 120_000);
    });

    describe('scan', () => {
      it('streams every matching document, in the requested order, page by page', async () => {
        const documents = Array.from({ length: 300 }, (_, index) => order(index + 1));
        await store.writeBatch('orders', documents.map(upsert));

        const streamed: string[] = [];
        for await (const document of store.scan<OrderDocument>('orders', { filter: { kind: 'sale' }, sort: byPlacedAtDesc, pageSize: 16 })) {
          expect(document.kind).toBe('sale');
          streamed.push(document.id);
        }

        expect(streamed).toEqual(sortedLike(documents.filter((d) => d.kind === 'sale'), byPlacedAtDesc));
      });

      it('streams nothing from an empty view', async () => {
        const streamed: ViewDocument[] = [];
        for await (const document of store.scan('orders')) streamed.push(document);
        expect(streamed).toEqual([]);
      });
    });

    describe('checkpoints', () => {
      it('stores a position per name, overwriting, and survives closing and reopening the store', async () => {
        expect(await store.getCheckpoint('orders')).toBeUndefined();
        await store.setCheckpoint('orders', '17');
        await store.setCheckpoint('audit_trail', '3');
        await store.setCheckpoint('orders', '42');

        await store.close();
        const reopened = await open();

        expect(await reopened.getCheckpoint('orders')).toBe('42');
        expect(await reopened.getCheckpoint('audit_trail')).toBe('3');
      });

      it('stores the version of the projections with a checkpoint, keeps it when a later one has none, and across reopening', async () => {
        expect(await store.getCheckpointRecord('orders')).toBeUndefined();
        await store.setCheckpoint('audit_trail', '3');
        await store.writeBatch('orders', [upsert(order(1))], { checkpoint: { name: 'orders', position: '1', version: 2 } });
        await store.setCheckpoint('orders', '5');

        expect(await store.getCheckpointRecord('orders')).toEqual({ name: 'orders', position: '5', version: 2 });
        expect(await store.getCheckpointRecord('audit_trail')).toEqual({ name: 'audit_trail', position: '3' });
        await store.setCheckpoint('orders', '6', 3);
        await store.close();
        const reopened = await open();

        expect(await reopened.getCheckpointRecord('orders')).toEqual({ name: 'orders', position: '6', version: 3 });
        expect(await reopened.getCheckpoint('orders')).toBe('6');
      });

      it('keeps the views across closing and reopening too', async () => {
        await store.writeBatch('orders', [upsert(order(1))]);
        await store.close();

        const reopened = await open();

        expect(await reopened.get('orders', order(1).id)).toEqual(order(1));
      });
    });

    describe('generations', () => {
      it('starts with generation 1 live, and ensureView again keeps the data', async () => {
        await store.writeBatch('orders', [upsert(order(1))]);
        await store.ensureView(orders);

        expect(await store.liveGeneration('orders')).toBe('1');
        expect(await store.listGenerations('orders')).toEqual(['1']);
        expect(await store.get('orders', order(1).id)).toEqual(order(1));
      });

      it('builds a new generation while the live one serves, then swaps it in for every reader', async () => {
        await store.writeBatch('orders', [upsert(order(1)), upsert(order(2))]);
        const otherReader = await open();

        const generation = await store.createGeneration('orders');
        const rebuilding = { view: 'orders', generation };
        await store.writeBatch(rebuilding, [upsert(order(1, { status: 'rebuilt' })), upsert(order(3))], {
          checkpoint: { name: generationCheckpointName(rebuilding), position: '3' },
        });

        expect(await store.listGenerations('orders')).toEqual(['1', generation]);
        expect(await otherReader.get('orders', order(1).id)).toEqual(order(1));
        expect(await otherReader.count('orders')).toBe(2);
        expect(await store.count(rebuilding)).toBe(2);

        await store.promoteGeneration('orders', generation);

        for (const reader of [store, otherReader]) {
          expect(await reader.liveGeneration('orders')).toBe(generation);
          expect(await reader.get<OrderDocument>('orders', order(1).id)).toMatchObject({ status: 'rebuilt' });
          expect(await allPages(reader, 'orders', undefined, byPlacedAtDesc, 10)).toEqual(sortedLike([order(1), order(3)], byPlacedAtDesc));
        }
        expect(await store.listGenerations('orders')).toEqual([generation]);
        expect(await store.getCheckpoint(generationCheckpointName(rebuilding))).toBe('3');
        expect(await rejection(store.get({ view: 'orders', generation: '1' }, order(2).id))).toBeInstanceOf(UnknownGeneration);
      });

      it('a reader never finds the live view empty while generations are promoted under it', async () => {
        const all = Array.from({ length: 20 }, (_, i) => order(i + 1));
        await store.writeBatch('orders', all.map(upsert));
        const reader = await open();
        let promoting = true;
        const seen: number[] = [];
        const reads = (async () => {
          while (promoting) {
            seen.push(await reader.count('orders'));
            seen.push((await reader.query('orders', { sort: byPlacedAtDesc, limit: 50 })).items.length);
          }
        })();
        try {
          for (let cycle = 0; cycle < 8; cycle++) {
            const generation = await store.createGeneration('orders');
            await store.writeBatch({ view: 'orders', generation }, all.map(upsert));
            await store.promoteGeneration('orders', generation);
          }
        } finally {
          promoting = false;
          await reads;
        }
        expect(seen.length).toBeGreaterThan(0);
        expect(new Set(seen)).toEqual(new Set([20]));
      });

      /**
       * Writers writing into `target` one batch a turn, each until a write is refused, while `replace` runs: each one's
       * error, and how many of its writes that started after `replace` finished went through.
       */
      async function writeWhile(target: GenerationRef, replace: () => Promise<void>): Promise<Array<{ error: unknown; writesAfter: number }>> {
        const writers = [await open(), await open(), await open()];
        let replaced = false;
        let stop = false;
        const outcomes = writers.map(async (writer, w) => {
          let writesAfter = 0;
          for (let n = 1; !stop && writesAfter <= 20; n++) {
            const startedAfter = replaced;
            try {
              await writer.writeBatch(target, [upsert(order(10_000 * (w + 1) + n))], {
                checkpoint: { name: generationCheckpointName(target), position: String(n) },
              });
            } catch (error) {
              return { error, writesAfter };
            }
            if (startedAfter) writesAfter += 1;
            // A runner writes a batch a turn of the event loop (an embedded store's write may settle without one).
            await nextTurn();
          }
          return { error: undefined, writesAfter };
        });
        try {
          await replace();
          replaced = true;
        } finally {
          // The writers stop by themselves once refused; this stops them if `replace` failed.
          if (!replaced) stop = true;
        }
        return Promise.all(outcomes);
      }

      it('writers following the live generation while another connection replaces it: refused from their first write after the promotion, nothing of it left', async () => {
        // A projection runner follows the live generation until a write fails with UnknownGeneration. On MongoDB a write
        // racing the promotion's drop creates the collection again: without care the runner would write on into it,
        // never told, and the promoted generation would stop being updated.
        for (let round = 0; round < 4; round++) {
          const following = { view: 'orders', generation: await store.liveGeneration('orders') };
          const next = await store.createGeneration('orders');
          await store.writeBatch({ view: 'orders', generation: next }, [upsert(order(1))]);

          const outcomes = await writeWhile(following, async () => {
            await new Promise((resolve) => setTimeout(resolve, 10 * round));
            await store.promoteGeneration('orders', next);
          });

          for (const { error, writesAfter } of outcomes) {
            expect(error).toBeInstanceOf(UnknownGeneration);
            expect(writesAfter).toBe(0);
          }
          expect(await store.liveGeneration('orders')).toBe(next);
          expect(await store.listGenerations('orders')).toEqual([next]);
          expect(await store.getCheckpoint(generationCheckpointName(following))).toBeUndefined();
          expect(await store.get<OrderDocument>('orders', order(1).id)).toMatchObject({ id: order(1).id });
        }
      });

      it('writers into a generation being built while another connection drops it: refused from their first write after the drop, nothing of it left', async () => {
        for (let round = 0; round < 4; round++) {
          const rebuilding = { view: 'orders', generation: await store.createGeneration('orders') };

          const outcomes = await writeWhile(rebuilding, async () => {
            await new Promise((resolve) => setTimeout(resolve, 10 * round));
            await store.dropGeneration('orders', rebuilding.generation);
          });

          for (const { error, writesAfter } of outcomes) {
            expect(error).toBeInstanceOf(UnknownGeneration);
            expect(writesAfter).toBe(0);
          }
          expect(await store.listGenerations('orders')).toEqual(['1']);
          expect(await store.getCheckpoint(generationCheckpointName(rebuilding))).toBeUndefined();
        }
      });

      it('a new generation has the declared indexes', async () => {
        const generation = await store.createGeneration('orders');
        const rebuilding = { view: 'orders', generation };
        await store.writeBatch(rebuilding, [upsert(order(1))]);

        expect(await rejection(store.writeBatch(rebuilding, [upsert(order(2, { number: order(1).number }))]))).toBeInstanceOf(DuplicateKey);
      });

      it('drops a generation that is not live, with its checkpoint, and refuses to drop the live one', async () => {
        const generation = await store.createGeneration('orders');
        const abandoned = { view: 'orders', generation };
        await store.writeBatch(abandoned, [upsert(order(1))], { checkpoint: { name: generationCheckpointName(abandoned), position: '1' } });

        expect(await rejection(store.dropGeneration('orders', '1'))).toBeInstanceOf(GenerationIsLive);
        await store.dropGeneration('orders', generation);
        await store.dropGeneration('orders', generation);

        expect(await store.listGenerations('orders')).toEqual(['1']);
        expect(await store.getCheckpoint(generationCheckpointName(abandoned))).toBeUndefined();
        expect(await rejection(store.writeBatch(abandoned, [upsert(order(2))]))).toBeInstanceOf(UnknownGeneration);
        expect(await rejection(store.promoteGeneration('orders', generation))).toBeInstanceOf(UnknownGeneration);
      });

      it('numbers generations afresh: a dropped generation number is never reused', async () => {
        const first = await store.createGeneration('orders');
        await store.dropGeneration('orders', first);
        const second = await store.createGeneration('orders');

        expect(Number(second)).toBeGreaterThan(Number(first));
        expect(await store.count({ view: 'orders', generation: second })).toBe(0);
      });

      it('four connections creating generations at once each get a number of their own', async () => {
        const others = [store, await open(), await open(), await open()];
        for (let round = 0; round < 5; round++) {
          const numbers = await Promise.all(others.map((each) => each.createGeneration('orders')));
          expect(new Set(numbers).size).toBe(numbers.length);
        }
      });

      it('a promotion that names the generation it replaces is refused once another replaced it, and changes nothing', async () => {
        const first = await store.createGeneration('orders');
        const second = await store.createGeneration('orders');
        await store.writeBatch({ view: 'orders', generation: first }, [upsert(order(1, { status: 'first' }))]);
        await store.writeBatch({ view: 'orders', generation: second }, [upsert(order(1, { status: 'second' }))]);
        await store.promoteGeneration('orders', first, { replacing: '1' });

        const refused = await rejection(store.promoteGeneration('orders', second, { replacing: '1' }));

        expect(refused).toBeInstanceOf(PromotionConflict);
        expect((refused as PromotionConflict).replacing).toEqual({ expected: '1', live: first });
        expect(await store.liveGeneration('orders')).toBe(first);
        expect(await store.get<OrderDocument>('orders', order(1).id)).toMatchObject({ status: 'first' });
        expect(await store.listGenerations('orders')).toEqual([first, second]);
        await store.promoteGeneration('orders', first, { replacing: '1' });
        await store.promoteGeneration('orders', second, { replacing: first });
        expect(await store.get<OrderDocument>('orders', order(1).id)).toMatchObject({ status: 'second' });
      });

      it('two connections promoting over the same live generation at once: one is promoted, the other refused', async () => {
        const other = await open();
        for (let round = 0; round < 4; round++) {
          const live = await store.liveGeneration('orders');
          const [mine, theirs] = [await store.createGeneration('orders'), await other.createGeneration('orders')];
          await store.writeBatch({ view: 'orders', generation: mine }, [upsert(order(1, { status: `mine ${round}` }))]);
          await other.writeBatch({ view: 'orders', generation: theirs }, [upsert(order(1, { status: `theirs ${round}` }))]);

          const outcomes = await Promise.allSettled([store.promoteGeneration('orders', mine, { replacing: live }), other.promoteGeneration('orders', theirs, { replacing: live })]);

          const winner = outcomes[0].status === 'fulfilled' ? mine : theirs;
          expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
          expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).name : 'promoted')).sort()).toEqual(['PromotionConflict', 'promoted']);
          for (const reader of [store, other]) {
            expect(await reader.liveGeneration('orders')).toBe(winner);
            expect(await reader.get<OrderDocument>('orders', order(1).id)).toMatchObject({ status: `${winner === mine ? 'mine' : 'theirs'} ${round}` });
          }
          await store.dropGeneration('orders', winner === mine ? theirs : mine);
          expect(await store.listGenerations('orders')).toEqual([winner]);
        }
      });

      it('ensureView with a newly indexed field makes existing documents sortable by it', async () => {
        const documents = Array.from({ length: 40 }, (_, index) => order(index + 1));
        await store.writeBatch('orders', documents.map(upsert));
        const byParty: ViewDefinition = { ...orders, indexes: [...orders.indexes, { fields: [{ field: 'partyId', direction: 'asc' }] }] };
        await store.ensureView(byParty);

        const sort: SortKey[] = [{ field: 'partyId', direction: 'asc' }];
        expect(await allPages(store, 'orders', { partyId: { $gte: 'c-2' } }, sort, 6)).toEqual(sortedLike(documents.filter((d) => d.partyId >= 'c-2'), sort));
      });

      it('a connection opened before a field was indexed still writes documents that a query on that field finds', async () => {
        const byParty: ViewDefinition = { ...orders, indexes: [...orders.indexes, { fields: [{ field: 'partyId', direction: 'asc' }] }] };
        const documents = Array.from({ length: 21 }, (_, index) => order(index + 1));
        await store.writeBatch('orders', documents.slice(0, 10).map(upsert));
        const upgraded = await location.open();
        opened.push(upgraded);
        await upgraded.ensureView(byParty);

        // `store` knows only the previous definition: its upserts and patches after the index was added.
        await store.writeBatch('orders', documents.slice(10).map(upsert));
        await store.writeBatch('orders', [{ type: 'patch', id: order(3).id, position: '30', set: { partyId: 'c-9' } }]);

        const expected = documents.map((document) => (document.id === order(3).id ? { ...document, partyId: 'c-9' } : document));
        const sort: SortKey[] = [{ field: 'partyId', direction: 'asc' }];
        expect(await allPages(upgraded, 'orders', { partyId: { $gte: 'c-5' } }, sort, 4)).toEqual(sortedLike(expected.filter((d) => d.partyId >= 'c-5'), sort));
        expect(await upgraded.count('orders', { partyId: 'c-9' })).toBe(1);
        expect(await upgraded.count('orders', { partyId: order(3).partyId })).toBe(expected.filter((d) => d.partyId === order(3).partyId).length);
      });

      it('refuses a definition it could not store the same way everywhere', async () => {
        const index = (field: string) => ({ fields: [{ field, direction: 'asc' as const }] });
        for (const definition of [
          { name: 'Orders', indexes: [] },
          { name: 'orders__g2', indexes: [] },
          { name: '_generations', indexes: [] },
          { name: 'orders', indexes: [index('id')] },
          { name: 'orders', indexes: [index('lines.0.sku')] },
          { name: 'orders', indexes: [index('status'), index('status')] },
          { name: 'orders', indexes: [{ fields: [] }] },
        ]) {
          expect(await rejection(store.ensureView(definition))).toBeInstanceOf(InvalidViewDefinition);
        }
      });

      it('ensureView with a changed definition drops the indexes no longer declared', async () => {
        await store.writeBatch('orders', [upsert(order(1))]);
        const relaxed: ViewDefinition = { ...orders, indexes: orders.indexes.filter((index) => !index.unique) };
        await store.ensureView(relaxed);

        await store.writeBatch('orders', [upsert(order(2, { number: order(1).number }))]);

        expect(await store.count('orders', { number: order(1).number })).toBe(2);
      });
    });
  });
}
