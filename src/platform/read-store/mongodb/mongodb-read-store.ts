import { type Collection, type Db, MongoClient, type MongoClientOptions, MongoServerError } from 'mongodb';

import { cursorAfter } from '../cursor.js';
import { GenerationIsLive, PromotionConflict, ReadStoreClosed, UnknownGeneration, UnknownView } from '../errors.js';
import { parseFilter } from '../filter.js';
import { keysetBranches } from '../keyset.js';
import { planQuery } from '../query-plan.js';
import {
  type Checkpoint,
  type ReadStore,
  type ScanOptions,
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
import { type StoredDocument, bulkOperation, translateWriteError } from './mongo-writes.js';

export interface MongoReadStoreOptions {
  readonly url: string;
  /** Default: the database named in the URL's path, else `jxc`. */
  readonly databaseName?: string;
}

interface GenerationPointer {
  _id: string;
  live: string;
  sequence: number;
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
const GET_MANY_CHUNK = 1000;
const PROMOTION_ATTEMPTS = 3;

/**
 * The read store on MongoDB, written to what FerretDB 1.24 also serves: no transactions (a batch is
 * one ordered `bulkWrite`, its checkpoint is written after it), no change streams, no pipeline
 * updates, no renameCollection. A collection per view generation; `_generations` maps each view to
 * its live generation (swapping it is one single-document update); `_checkpoints` holds positions.
 */
export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  readonly capabilities = { atomicBatches: false } as const;

  private readonly views = new ViewRegistry();
  private readonly generations: Collection<GenerationPointer>;
  private readonly checkpoints: Collection<CheckpointRecord>;
  private closed = false;

  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = new MongoClient(options.url, mongoClientOptions(options.url));
    await client.connect();
    return new MongoReadStore(client, client.db(options.databaseName ?? databaseNameIn(options.url) ?? 'jxc'));
  }

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {
    this.generations = db.collection<GenerationPointer>('_generations');
    this.checkpoints = db.collection<CheckpointRecord>('_checkpoints');
  }

  async ensureView(definition: ViewDefinition): Promise<void> {
    this.assertOpen();
    this.views.register(definition);
    const pointer = { $setOnInsert: { live: FIRST_GENERATION, sequence: Number(FIRST_GENERATION) } };
    try {
      await this.generations.updateOne({ _id: definition.name }, pointer, { upsert: true });
    } catch (error) {
      // Two processes starting together: the other one's upsert won, which is just as good.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
    await ensureCollection(this.db, definition, physicalName(definition.name, await this.liveGenerationOf(definition.name)));
  }

  async get<T extends ViewDocument = ViewDocument>(target: ViewTarget, id: string): Promise<T | undefined> {
    const collection = await this.resolve(target);
    const stored = await collection.findOne({ _id: id });
    return stored === null ? undefined : toDocument<T>(stored);
  }

  async getMany<T extends ViewDocument = ViewDocument>(target: ViewTarget, ids: readonly string[]): Promise<ReadonlyMap<string, T>> {
    const collection = await this.resolve(target);
    const found = new Map<string, T>();
    for (let start = 0; start < ids.length; start += GET_MANY_CHUNK) {
      const chunk = ids.slice(start, start + GET_MANY_CHUNK);
      for (const stored of await collection.find({ _id: { $in: chunk } }).toArray()) found.set(stored._id, toDocument<T>(stored));
    }
    return found;
  }

  async writeBatch(target: ViewTarget, writes: readonly ViewWrite[], options: WriteBatchOptions = {}): Promise<void> {
    this.assertOpen();
    validateWrites(writes);
    const collection = await this.resolve(target);
    if (writes.length > 0) {
      try {
        await collection.bulkWrite(writes.map(bulkOperation), { ordered: true });
      } catch (error) {
        throw translateWriteError(error, this.viewOf(target), writes);
      }
    }
    if (options.checkpoint) await this.setCheckpoint(options.checkpoint.name, options.checkpoint.position, options.checkpoint.version);
  }

  async query<T extends ViewDocument = ViewDocument>(target: ViewTarget, query: ViewQuery = {}): Promise<ViewPage<T>> {
    this.assertOpen();
    const plan = planQuery(this.views.target(target).definition, query);
    const collection = await this.resolve(target);
    const filter = mongoFilter(plan.predicates);
    const effective = plan.after === undefined ? filter : mongoFilterAfter(filter, keysetBranches(plan.sort, plan.after));
    // One document more than asked tells whether there is a next page.
    const stored = await collection.find(effective).sort(mongoSort(plan.sort)).limit(plan.limit + 1).toArray();
    const items = stored.slice(0, plan.limit).map((document) => toDocument<T>(document));
    return stored.length > plan.limit ? { items, nextCursor: cursorAfter(items[items.length - 1], plan.sort) } : { items };
  }

  async count(target: ViewTarget, filter?: ViewFilter): Promise<number> {
    this.assertOpen();
    const predicates = parseFilter(filter);
    const collection = await this.resolve(target);
    return collection.countDocuments(mongoFilter(predicates));
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
    await this.checkpoints.updateOne({ _id: name }, { $set: version === undefined ? { position } : { position, version } }, { upsert: true });
  }

  async liveGeneration(view: string): Promise<string> {
    this.assertOpen();
    this.views.definition(view);
    return this.liveGenerationOf(view);
  }

  async listGenerations(view: string): Promise<readonly string[]> {
    this.assertOpen();
    this.views.definition(view);
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return collections
      .map(({ name }) => generationOf(view, name))
      .filter((generation): generation is string => generation !== undefined)
      .sort(byGenerationNumber);
  }

  async createGeneration(view: string): Promise<string> {
    this.assertOpen();
    const definition = this.views.definition(view);
    const pointer = await this.generations.findOneAndUpdate({ _id: view }, { $inc: { sequence: 1 } }, { returnDocument: 'after' });
    if (pointer === null) throw new UnknownView(view);
    const generation = String(pointer.sequence);
    await ensureCollection(this.db, definition, physicalName(view, generation));
    return generation;
  }

  async promoteGeneration(view: string, generation: string): Promise<void> {
    this.assertOpen();
    this.views.definition(view);
    assertGeneration(view, generation);
    if (!(await this.collectionExists(physicalName(view, generation)))) throw new UnknownGeneration(view, generation);
    for (let attempt = 0; attempt < PROMOTION_ATTEMPTS; attempt += 1) {
      const previous = await this.liveGenerationOf(view);
      if (previous === generation) return;
      // Compare-and-set on one document: readers see the old generation or the new one, never neither.
      const swapped = await this.generations.updateOne({ _id: view, live: previous }, { $set: { live: generation } });
      if (swapped.matchedCount === 1) {
        await this.dropCollection(view, previous);
        return;
      }
    }
    throw new PromotionConflict(view, generation);
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
  private async resolve(target: ViewTarget): Promise<Collection<StoredDocument>> {
    this.assertOpen();
    const { definition, generation } = this.views.target(target);
    if (generation === undefined) {
      return this.db.collection<StoredDocument>(physicalName(definition.name, await this.liveGenerationOf(definition.name)));
    }
    const name = physicalName(definition.name, generation);
    if (!(await this.collectionExists(name))) throw new UnknownGeneration(definition.name, generation);
    return this.db.collection<StoredDocument>(name);
  }

  private viewOf(target: ViewTarget): string {
    return typeof target === 'string' ? target : target.view;
  }

  private async liveGenerationOf(view: string): Promise<string> {
    const pointer = await this.generations.findOne({ _id: view });
    if (pointer === null) throw new UnknownView(view);
    return pointer.live;
  }

  private async collectionExists(name: string): Promise<boolean> {
    return (await this.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  private async dropCollection(view: string, generation: string): Promise<void> {
    await this.db.collection(physicalName(view, generation)).drop();
    await this.checkpoints.deleteOne({ _id: generationCheckpointName({ view, generation }) });
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadStoreClosed();
  }
}

function toDocument<T extends ViewDocument>(stored: StoredDocument): T {
  const { _id, position, ...fields } = stored;
  return { id: _id, position, ...fields } as unknown as T;
}

/** The database in a connection string's path (`mongodb://host/jxc?...`), if any. */
export function databaseNameIn(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
}
