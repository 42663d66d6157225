import { type Collection, type Db, MongoClient, type MongoClientOptions, MongoServerError } from 'mongodb';

import { cursorAfter } from '../cursor.js';
import { GenerationIsLive, PromotionConflict, ReadStoreClosed, UnknownGeneration, UnknownView, ViewBatchFailed } from '../errors.js';
import { parseFilter } from '../filter.js';
import { keysetBranches } from '../keyset.js';
import { planQuery } from '../query-plan.js';
import {
  type Checkpoint,
  type PromoteOptions,
  type ReadStore,
  type ScanOptions,
  type ViewBatch,
  type ViewDefinition,
  type ViewDocument,
  type ViewFilter,
  type ViewPage,
  type ViewQuery,
  type ViewTarget,
  type ViewWrite,
  type WriteBatchOptions,
  generationCheckpointName,
} from '../read-store.port.js';
import { scanByPages } from '../scan.js';
import { FIRST_GENERATION, assertGeneration, byGenerationNumber, generationOf, physicalName } from '../view-definition.js';
import { ViewRegistry } from '../view-registry.js';
import { validateWrites } from '../view-writes.js';
import { mongoFilter, mongoFilterAfter, mongoSort } from './mongo-filter.js';
import { ensureCollection } from './mongo-indexes.js';
import { type StoredDocument, bulkOperation, orderIrrelevant, translateWriteError } from './mongo-writes.js';
import { fromStored } from './bson-values.js';

export interface MongoReadStoreOptions {
  readonly url: string;
  /** Default: the database named in the URL's path, else `jxc`. */
  readonly databaseName?: string;
  /**
   * How each live view gets its stable name (the view's own name, for analysts): `view`, a MongoDB view on the
   * live generation; `rename`, the live generation's collection renamed to it. Default: `view` where the server
   * creates views (MongoDB), else `rename` (FerretDB 1.24). Tests set it to run either path.
   */
  readonly stableNames?: StableNames;
}

export type StableNames = 'view' | 'rename';

interface GenerationPointer {
  _id: string;
  live: string;
  sequence: number;
  /** `rename` only: the collection of the live generation once renamed to the stable name (else `<view>__g<live>`). */
  collection?: string;
  /** `rename` only: set while a promotion renames the live generation (when it started, for a takeover). */
  renaming?: Date;
}

/**
 * `_generation_numbers`: one per generation number ever taken (`<view>:<N>`), so that none is reused; `dropped` once its
 * collection is dropped or about to be (set before the drop).
 */
interface GenerationNumber {
  _id: string;
  dropped?: Date;
}

/** The collection a target resolves to; `unsettled`: a live generation that a promotion may rename at any moment. */
interface Located {
  readonly collection: Collection<StoredDocument>;
  readonly unsettled: boolean;
  /** The live generation it was resolved as; undefined for another generation named explicitly. */
  readonly live: string | undefined;
}

/** `_promotions`: live generation `<view>:<N>` is replaced by `generation` (claimed `at`). */
interface PromotionClaim {
  _id: string;
  generation: string;
  at: Date;
}

interface CheckpointRecord {
  _id: string;
  position: string;
  version?: number;
}

/**
 * Client timeouts, unless the URL sets them (`?serverSelectionTimeoutMS=…`): the driver's defaults wait 30 s for a
 * server that is down and forever for one that accepted a connection and stopped answering. Here a query of the
 * service gives up after 2 s anyway (ReadStoreModule); these bound what the projection worker and the CLI wait
 * before their retry: 5 s to find the server, 5 s to connect and handshake, 60 s for one reply on a connection
 * (long enough for a rebuild's largest bulk write), a heartbeat every 5 s to notice a server that went away.
 */
const CLIENT_TIMEOUTS = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
  socketTimeoutMS: 60_000,
  heartbeatFrequencyMS: 5_000,
} as const satisfies MongoClientOptions;

/** The client options: `ignoreUndefined`, and each of CLIENT_TIMEOUTS the URL does not set itself. */
export function mongoClientOptions(url: string): MongoClientOptions {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const inUrl = new Set([...new URLSearchParams(query).keys()].map((key) => key.toLowerCase()));
  const timeouts = Object.entries(CLIENT_TIMEOUTS).filter(([option]) => !inUrl.has(option.toLowerCase()));
  // ignoreUndefined: an undefined field is left out, as JSON.stringify (and the SQLite adapter) does.
  return { ignoreUndefined: true, ...Object.fromEntries(timeouts) };
}

const DUPLICATE_KEY = 11000;
/** How many times a read of the live generation runs again when a promotion moved it while the read ran. */
const READ_AGAIN = 3;
const GET_MANY_CHUNK = 1000;
const PROMOTION_ATTEMPTS = 3;
const NAMESPACE_EXISTS = 48;
const NAMESPACE_NOT_FOUND = 26;
/** A write waits this long for a promotion's rename to finish, polling every RENAME_POLL_MS. */
const RENAME_WAIT_MS = 5_000;
const RENAME_POLL_MS = 20;
/**
 * How many times a promotion renames again after finding the stable name taken by a write racing the drop. Each writer
 * that read the pointer before the swap can do that once (its next write is refused), so this bounds writers, not time.
 */
const RENAME_ATTEMPTS = 10;
/** A rename started longer ago than this was abandoned (its process died): another process finishes it. */
const RENAME_TAKEOVER_MS = 30_000;
const VIEW_PROBE = '_jxc_view_probe';

/**
 * The read store on MongoDB, written to what FerretDB 1.24 also serves: no transactions (a batch is
 * one `bulkWrite`, unordered when each document is written once and no unique index is declared, its checkpoint
 * written after it), no change streams, no pipeline
 * updates, no views, no renameCollection with dropTarget. A collection per view generation
 * (`<view>__g<N>`); `_generations` maps each view to its live generation (swapping it is one
 * single-document update, by the one promotion that claimed the live generation in `_promotions`);
 * `_generation_numbers` hands out generation numbers; `_checkpoints` holds positions.
 *
 * Every live view is also reachable under its own name (`orders`, `stock_levels`, …) for analysts:
 * - `view` (MongoDB): a read-only MongoDB view `<view>` on the live generation; a promotion points it at
 *   the new one (`collMod`) right after the pointer swap.
 * - `rename` (FerretDB 1.24, which has no views): the live generation's collection is renamed to `<view>`.
 *   A promotion swaps the pointer to `<view>__g<N>` (marked `renaming`), drops the old live collection,
 *   renames the new one to `<view>` and records that in the pointer. In between, a read that finds its
 *   collection renamed under it runs again, and a write waits for the rename to finish (never writing into
 *   a collection that is gone, which MongoDB would silently create again).
 */
export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  readonly capabilities = { atomicBatches: false } as const;

  private readonly views = new ViewRegistry();
  private readonly generations: Collection<GenerationPointer>;
  private readonly checkpoints: Collection<CheckpointRecord>;
  private readonly generationNumbers: Collection<GenerationNumber>;
  private readonly promotions: Collection<PromotionClaim>;
  private closed = false;

  static connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    return connectMongo(options, async (client, db) => new MongoReadStore(client, db, options.stableNames ?? (await detectStableNames(db))));
  }

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    /** How live views get their stable names here (see the class comment). */
    readonly stableNames: StableNames,
  ) {
    this.generations = db.collection<GenerationPointer>('_generations');
    this.checkpoints = db.collection<CheckpointRecord>('_checkpoints');
    this.generationNumbers = db.collection<GenerationNumber>('_generation_numbers');
    this.promotions = db.collection<PromotionClaim>('_promotions');
  }

  async ensureView(definition: ViewDefinition): Promise<void> {
    this.assertOpen();
    this.views.register(definition);
    const initial = { $setOnInsert: { live: FIRST_GENERATION, sequence: Number(FIRST_GENERATION) } };
    try {
      await this.generations.updateOne({ _id: definition.name }, initial, { upsert: true });
    } catch (error) {
      // Two processes starting together: the other one's upsert won, which is just as good.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    const pointer = await this.pointer(definition.name);
    if (this.stableNames === 'rename') {
      await this.settleRename(definition.name, { takeover: true });
      await ensureCollection(this.db, definition, liveCollectionName(await this.pointer(definition.name)));
    } else if (pointer.collection !== undefined) {
      // A database written by `rename` (FerretDB) now served by MongoDB: its live generation keeps the stable name.
      await ensureCollection(this.db, definition, pointer.collection);
    } else {
      const live = physicalName(definition.name, pointer.live);
      await ensureCollection(this.db, definition, live);
      await this.pointStableView(definition.name, live);
    }
  }

  async get<T extends ViewDocument = ViewDocument>(target: ViewTarget, id: string): Promise<T | undefined> {
    return this.read(target, async (collection) => {
      const stored = await collection.findOne({ _id: id });
      return stored === null ? undefined : toDocument<T>(stored);
    });
  }

  async getMany<T extends ViewDocument = ViewDocument>(target: ViewTarget, ids: readonly string[]): Promise<ReadonlyMap<string, T>> {
    return this.read(target, async (collection) => {
      const found = new Map<string, T>();
      for (let start = 0; start < ids.length; start += GET_MANY_CHUNK) {
        const chunk = ids.slice(start, start + GET_MANY_CHUNK);
        for (const stored of await collection.find({ _id: { $in: chunk } }).toArray()) found.set(stored._id, toDocument<T>(stored));
      }
      return found;
    });
  }

  async writeBatch(target: ViewTarget, writes: readonly ViewWrite[], options: WriteBatchOptions = {}): Promise<void> {
    this.assertOpen();
    validateWrites(writes);
    const collection = await this.resolveForWrite(target);
    const generation = typeof target === 'string' ? undefined : target.generation;
    try {
      if (writes.length > 0) {
        try {
          const ordered = !orderIrrelevant(this.views.target(target).definition, writes);
          await collection.bulkWrite(writes.map(bulkOperation), { ordered });
        } catch (error) {
          throw translateWriteError(error, this.viewOf(target), writes);
        }
      }
      if (options.checkpoint) await this.setCheckpoint(options.checkpoint.name, options.checkpoint.position, options.checkpoint.version);
    } finally {
      // Also after a failed write: one the drop of its generation cut short (FerretDB: "no such table") is refused as that.
      if (generation !== undefined) await this.refuseIfDropped(this.viewOf(target), generation, collection.collectionName);
    }
  }

  /**
   * After a write to a named generation: when that generation was dropped meanwhile (a promotion replaced it, or its
   * rebuild was dropped), the write may have created its collection again (MongoDB creates collections on write) and
   * its checkpoint with it, and the writer would follow it on, never told. So the stray collection and checkpoint go,
   * and the writer gets UnknownGeneration, as from SQLite. Sound because the drop is recorded before the collection
   * goes: a write that landed after the drop finds the record here. Under the stable name (`rename`), a write that
   * raced the promotion may have landed in the promoted generation's collection: nothing is dropped then.
   */
  private async refuseIfDropped(view: string, generation: string, written: string): Promise<void> {
    const record = await this.generationNumbers.findOne({ _id: generationNumberId(view, generation) });
    if (record?.dropped === undefined) return;
    if (written === physicalName(view, generation)) await this.db.collection(written).drop();
    await this.checkpoints.deleteOne({ _id: generationCheckpointName({ view, generation }) });
    throw new UnknownGeneration(view, generation);
  }

  async writeBatches(batches: readonly ViewBatch[]): Promise<void> {
    for (const [index, { target, writes, options }] of batches.entries()) {
      try {
        await this.writeBatch(target, writes, options);
      } catch (error) {
        throw new ViewBatchFailed(index, error);
      }
    }
  }

  async query<T extends ViewDocument = ViewDocument>(target: ViewTarget, query: ViewQuery = {}): Promise<ViewPage<T>> {
    this.assertOpen();
    const plan = planQuery(this.views.target(target).definition, query);
    const filter = mongoFilter(plan.predicates);
    const effective = plan.after === undefined ? filter : mongoFilterAfter(filter, keysetBranches(plan.sort, plan.after));
    // One document more than asked tells whether there is a next page.
    const stored = await this.read(target, (collection) => collection.find(effective).sort(mongoSort(plan.sort)).limit(plan.limit + 1).toArray());
    const items = stored.slice(0, plan.limit).map((document) => toDocument<T>(document));
    return stored.length > plan.limit ? { items, nextCursor: cursorAfter(items[items.length - 1], plan.sort) } : { items };
  }

  async count(target: ViewTarget, filter?: ViewFilter): Promise<number> {
    this.assertOpen();
    const predicates = parseFilter(filter);
    return this.read(target, (collection) => collection.countDocuments(mongoFilter(predicates)));
  }

  scan<T extends ViewDocument = ViewDocument>(target: ViewTarget, options?: ScanOptions): AsyncIterable<T> {
    return scanByPages<T>(this, target, options);
  }

  async getCheckpoint(name: string): Promise<string | undefined> {
    this.assertOpen();
    return (await this.checkpoints.findOne({ _id: name }))?.position;
  }

  async getCheckpointRecord(name: string): Promise<Checkpoint | undefined> {
    this.assertOpen();
    const stored = await this.checkpoints.findOne({ _id: name });
    if (stored === null) return undefined;
    return typeof stored.version === 'number' ? { name, position: stored.position, version: stored.version } : { name, position: stored.position };
  }

  async setCheckpoint(name: string, position: string, version?: number): Promise<void> {
    this.assertOpen();
    await upsertRetried(() => this.checkpoints.updateOne({ _id: name }, { $set: version === undefined ? { position } : { position, version } }, { upsert: true }));
  }

  async liveGeneration(view: string): Promise<string> {
    this.assertOpen();
    this.views.definition(view);
    return this.liveGenerationOf(view);
  }

  async listGenerations(view: string): Promise<readonly string[]> {
    this.assertOpen();
    this.views.definition(view);
    const pointer = await this.pointer(view);
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    const generations = new Set(collections.map(({ name }) => generationOf(view, name)).filter((generation): generation is string => generation !== undefined));
    // `rename`: the live generation's collection carries the view's own name.
    if (pointer.collection !== undefined && collections.some(({ name }) => name === pointer.collection)) generations.add(pointer.live);
    return [...generations].sort(byGenerationNumber);
  }

  /**
   * A generation number is taken by inserting `<view>:<N>` into `_generation_numbers`: an insert's unique `_id` is the
   * one atomic step every server speaking the protocol has. FerretDB 1.x runs `findOneAndUpdate` with `$inc` as a
   * read, then a write: measured, four clients incrementing at once got the same number in 100 of 100 rounds, and
   * two services rebuilding one group at once then rebuilt into the same generation. `sequence` in the pointer is
   * where the search starts (numbers taken before the claims existed are below it); it may lag, never lead.
   */
  async createGeneration(view: string): Promise<string> {
    this.assertOpen();
    const definition = this.views.definition(view);
    let number = (await this.pointer(view)).sequence;
    for (;;) {
      number += 1;
      try {
        await this.generationNumbers.insertOne({ _id: generationNumberId(view, String(number)) });
        break;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    }
    await this.generations.updateOne({ _id: view, sequence: { $lt: number } }, { $set: { sequence: number } });
    const generation = String(number);
    await ensureCollection(this.db, definition, physicalName(view, generation));
    return generation;
  }

  async promoteGeneration(view: string, generation: string, options: PromoteOptions = {}): Promise<void> {
    this.assertOpen();
    this.views.definition(view);
    assertGeneration(view, generation);
    if ((await this.liveGenerationOf(view)) === generation) return;
    if (!(await this.collectionExists(physicalName(view, generation)))) throw new UnknownGeneration(view, generation);
    for (let attempt = 0; attempt < PROMOTION_ATTEMPTS; attempt += 1) {
      if (this.stableNames === 'rename') await this.settleRename(view, { takeover: true, waitMs: RENAME_WAIT_MS });
      const before = await this.pointer(view);
      const previous = before.live;
      if (previous === generation) return;
      if (options.replacing !== undefined && options.replacing !== previous) throw new PromotionConflict(view, generation, { expected: options.replacing, live: previous });
      const rival = await this.claimReplacement(view, previous, generation);
      if (rival !== undefined) {
        if (options.replacing !== undefined) throw new PromotionConflict(view, generation, { expected: options.replacing, live: rival });
        await this.leaves(view, previous);
        continue;
      }
      // Only the claim's holder swaps the pointer from `previous`; the condition guards against a pointer moved by hand.
      const swap =
        this.stableNames === 'rename'
          ? { $set: { live: generation, renaming: new Date() }, $unset: { collection: '' as const } }
          : { $set: { live: generation }, $unset: { collection: '' as const } };
      const swapped = await this.generations.updateOne({ _id: view, live: previous, renaming: { $exists: false } }, swap);
      if (swapped.matchedCount !== 1) {
        await this.promotions.deleteOne({ _id: claimId(view, previous), generation });
        continue;
      }
      const old = liveCollectionName(before);
      if (this.stableNames === 'rename') {
        await this.dropCollectionNamed(old, { view, generation: previous });
        await this.finishRename(view, generation);
      } else if (old === view) {
        // The old live generation had the stable name (a `rename` database): it makes way for the view.
        await this.dropCollectionNamed(old, { view, generation: previous });
        await this.pointStableView(view, physicalName(view, generation));
      } else {
        await this.pointStableView(view, physicalName(view, generation));
        await this.dropCollectionNamed(old, { view, generation: previous });
      }
      return;
    }
    throw new PromotionConflict(view, generation);
  }

  /**
   * Claims the replacement of the view's live generation `previous` for `generation`: undefined when this promotion
   * holds the claim, else the generation another promotion holds it for. One promotion only replaces a given live
   * generation: the claim is an insert's unique `_id` in `_promotions`, the one atomic step every server speaking
   * the protocol has (FerretDB 1.x runs a conditional update as a read, then a write: measured, two of four clients
   * swapping one pointer at once both matched it in 97 of 100 rounds). Generation numbers are never reused, so a
   * claim is never in the way of a later promotion. A claim older than RENAME_TAKEOVER_MS while the pointer still
   * shows `previous` was abandoned (its process died before the swap): it is removed and claimed again.
   */
  private async claimReplacement(view: string, previous: string, generation: string): Promise<string | undefined> {
    const _id = claimId(view, previous);
    for (;;) {
      try {
        await this.promotions.insertOne({ _id, generation, at: new Date() });
        return undefined;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const claim = await this.promotions.findOne({ _id });
      if (claim === null) continue;
      if (claim.generation === generation) return undefined;
      if (Date.now() - claim.at.getTime() <= RENAME_TAKEOVER_MS) return claim.generation;
      await this.promotions.deleteOne({ _id, generation: claim.generation, at: claim.at });
    }
  }

  /** Waits (up to RENAME_WAIT_MS) for another promotion to move the view's pointer off `generation`. */
  private async leaves(view: string, generation: string): Promise<void> {
    for (const deadline = Date.now() + RENAME_WAIT_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, RENAME_POLL_MS))) {
      if ((await this.liveGenerationOf(view)) !== generation) return;
    }
  }

  async dropGeneration(view: string, generation: string): Promise<void> {
    this.assertOpen();
    this.views.definition(view);
    assertGeneration(view, generation);
    if ((await this.liveGenerationOf(view)) === generation) throw new GenerationIsLive(view, generation);
    await this.dropCollection(view, generation);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /**
   * The collection a target names. An explicit generation is checked to exist, because MongoDB
   * would silently create a dropped one again (without indexes) on the next write.
   */
  private async resolve(target: ViewTarget): Promise<Located> {
    this.assertOpen();
    const { definition, generation } = this.views.target(target);
    const pointer = await this.pointer(definition.name);
    if (generation === undefined || generation === pointer.live) {
      const name = liveCollectionName(pointer);
      if (generation !== undefined && !(await this.collectionExists(name)) && !isUnsettled(this.stableNames, pointer)) {
        throw new UnknownGeneration(definition.name, generation);
      }
      return { collection: this.db.collection<StoredDocument>(name), unsettled: isUnsettled(this.stableNames, pointer), live: pointer.live };
    }
    const name = physicalName(definition.name, generation);
    if (!(await this.collectionExists(name))) throw new UnknownGeneration(definition.name, generation);
    return { collection: this.db.collection<StoredDocument>(name), unsettled: false, live: undefined };
  }

  /**
   * Runs a read of the live generation, then makes sure a promotion did not pull the collection from under it:
   * - a promotion swaps the pointer, then drops the old live generation's collection (and with `rename`, renames the
   *   new one to the stable name). A read resolved before the swap that runs after the drop finds nothing (a list of
   *   orders, empty for a moment during a rebuild). So when the live generation changed while the read ran, it runs
   *   again on the new one (at most READ_AGAIN times: promotions are minutes apart);
   * - `rename`: when the unsettled live generation's collection is gone after the read, it was renamed to the stable
   *   name meanwhile: the read runs again there. Nothing else can move it then (the next promotion waits until this
   *   one has recorded the rename).
   */
  private async read<R>(target: ViewTarget, run: (collection: Collection<StoredDocument>) => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt += 1) {
      const { collection, unsettled, live } = await this.resolve(target);
      const result = await run(collection);
      if (unsettled && !(await this.collectionExists(collection.collectionName))) return run(this.db.collection<StoredDocument>(this.viewOf(target)));
      if (live === undefined || attempt >= READ_AGAIN || (await this.pointer(this.viewOf(target))).live === live) return result;
    }
  }

  /** The collection to write to; `rename`: only once a promotion's rename of it is over. */
  private async resolveForWrite(target: ViewTarget): Promise<Collection<StoredDocument>> {
    const located = await this.resolve(target);
    if (!located.unsettled) return located.collection;
    await this.settleRename(this.viewOf(target), { takeover: true, waitMs: RENAME_WAIT_MS });
    const settled = await this.resolve(target);
    if (settled.unsettled) throw new PromotionConflict(this.viewOf(target), (await this.pointer(this.viewOf(target))).live);
    return settled.collection;
  }

  /**
   * `rename`: waits (up to `waitMs`) for a promotion's rename to finish. With `takeover`, one started longer ago
   * than RENAME_TAKEOVER_MS (its process died), or a live generation not yet under the stable name (a database
   * from before stable names), is claimed by this process (compare-and-set) and finished here.
   */
  private async settleRename(view: string, options: { readonly takeover: boolean; readonly waitMs?: number }): Promise<void> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const pointer = await this.pointer(view);
      if (pointer.collection !== undefined) return;
      const abandoned = pointer.renaming === undefined || Date.now() - pointer.renaming.getTime() > RENAME_TAKEOVER_MS;
      if (options.takeover && abandoned) {
        const claim = pointer.renaming === undefined ? { renaming: { $exists: false } } : { renaming: pointer.renaming };
        const claimed = await this.generations.updateOne({ _id: view, live: pointer.live, collection: { $exists: false }, ...claim }, { $set: { renaming: new Date() } });
        if (claimed.matchedCount === 1) {
          // While the generation's own collection exists, whatever has the stable name is an older live generation
          // (the claim makes this process the only renamer). Without it, the rename happened before a crash.
          if ((await this.collectionExists(physicalName(view, pointer.live))) && (await this.collectionExists(view))) await this.db.collection(view).drop();
          await this.finishRename(view, pointer.live);
          return;
        }
        continue;
      }
      if (Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, RENAME_POLL_MS));
    }
  }

  /**
   * `rename`, by the one process that swapped or claimed the pointer: `<view>__g<N>` becomes `<view>`. Not found:
   * renamed before a crash of the process that claimed it (or a fresh view: ensureView creates `<view>` next).
   */
  private async finishRename(view: string, generation: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.db.renameCollection(physicalName(view, generation), view);
        break;
      } catch (error) {
        if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) break;
        // The old live collection under the stable name was dropped first; one there now was created by a write into
        // that dropped generation racing the drop (refused since: refuseIfDropped). It goes, and the rename runs again.
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS) || attempt >= RENAME_ATTEMPTS) throw error;
        await this.db.collection(view).drop();
      }
    }
    await this.generations.updateOne({ _id: view, live: generation }, { $set: { collection: view }, $unset: { renaming: '' } });
  }

  /** `view`: the MongoDB view `<view>` shows `collection` (created, or pointed there with collMod). */
  private async pointStableView(view: string, collection: string): Promise<void> {
    const [existing] = await this.db.listCollections({ name: view }).toArray();
    if (existing === undefined) {
      try {
        await this.db.createCollection(view, { viewOn: collection, pipeline: [] });
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
    } else if (existing.type !== 'view') {
      throw new Error(`MongoDB read store: "${view}" is a collection, not the view of the live generation (drop it: it is not jxc's)`);
    } else if ((existing as { options?: { viewOn?: string } }).options?.viewOn === collection) {
      return;
    }
    await this.db.command({ collMod: view, viewOn: collection, pipeline: [] });
  }

  private viewOf(target: ViewTarget): string {
    return typeof target === 'string' ? target : target.view;
  }

  private async liveGenerationOf(view: string): Promise<string> {
    return (await this.pointer(view)).live;
  }

  private async pointer(view: string): Promise<GenerationPointer> {
    const pointer = await this.generations.findOne({ _id: view });
    if (pointer === null) throw new UnknownView(view);
    return pointer;
  }

  private async collectionExists(name: string): Promise<boolean> {
    return (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  private async dropCollection(view: string, generation: string): Promise<void> {
    await this.dropCollectionNamed(physicalName(view, generation), { view, generation });
  }

  private async dropCollectionNamed(name: string, ref: { readonly view: string; readonly generation: string }): Promise<void> {
    // Recorded first: a write racing the drop creates the collection again, and finds this afterwards (refuseIfDropped).
    await upsertRetried(() => this.generationNumbers.updateOne({ _id: generationNumberId(ref.view, ref.generation) }, { $set: { dropped: new Date() } }, { upsert: true }));
    await this.db.collection(name).drop();
    await this.checkpoints.deleteOne({ _id: generationCheckpointName(ref) });
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadStoreClosed();
  }
}

function toDocument<T extends ViewDocument>(stored: StoredDocument): T {
  const { _id, position, ...fields } = stored;
  return { id: _id, position, ...(fromStored(fields) as Record<string, unknown>) } as unknown as T;
}

function generationNumberId(view: string, generation: string): string {
  return `${view}:${generation}`;
}

/**
 * An upsert, run again when it failed on a duplicate key: two upserts of one new `_id` at once may both find nothing
 * and both insert (MongoDB retries that itself only in some cases; FerretDB not at all). The second, run again, updates.
 */
async function upsertRetried<R>(upsert: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await upsert();
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY) || attempt >= 3) throw error;
    }
  }
}

function claimId(view: string, replaced: string): string {
  return `${view}:${replaced}`;
}

/** The collection holding the live generation. */
function liveCollectionName(pointer: GenerationPointer): string {
  return pointer.collection ?? physicalName(pointer._id, pointer.live);
}

/** `rename`: the live generation is not under its stable name yet, so a promotion may rename it any moment. */
function isUnsettled(stableNames: StableNames, pointer: GenerationPointer): boolean {
  return stableNames === 'rename' && pointer.collection === undefined;
}

/** `view` where the server creates MongoDB views (MongoDB), else `rename` (FerretDB 1.24 answers NotImplemented). */
export async function detectStableNames(db: Db): Promise<StableNames> {
  try {
    await db.createCollection(VIEW_PROBE, { viewOn: '_generations', pipeline: [] });
  } catch (error) {
    // FerretDB 1.24: NotImplemented. Any other refusal (a user without the right) also leaves renaming.
    if (!(error instanceof MongoServerError)) throw error;
    if (error.code !== NAMESPACE_EXISTS) return 'rename';
  }
  try {
    await db.collection(VIEW_PROBE).drop();
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
  }
  return 'view';
}

/**
 * Connects a client to `options.url` and hands it to `make` with jxc's database there (`options.databaseName`, else
 * the one in the URL's path, else `jxc`); closes the client if `make` fails. The read store, the data key store and
 * the leader lease each connect so.
 */
export async function connectMongo<T>(options: { readonly url: string; readonly databaseName?: string }, make: (client: MongoClient, db: Db) => Promise<T> | T): Promise<T> {
  const client = new MongoClient(options.url, mongoClientOptions(options.url));
  await client.connect();
  try {
    return await make(client, client.db(options.databaseName ?? databaseNameIn(options.url) ?? 'jxc'));
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** The database in a connection string's path (`mongodb://host/jxc?...`), if any. */
function databaseNameIn(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}
