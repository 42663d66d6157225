import Database from 'better-sqlite3';
import { join } from 'node:path';

import { privateDir, privateFile } from '../../files/permissions.js';
import { WriteLock } from '../../sqlite-write-lock.js';
import { cursorAfter } from '../cursor.js';
import { DuplicateKey, GenerationIsLive, PromotionConflict, ReadStoreClosed, UnknownGeneration, UnknownView, ViewBatchFailed } from '../errors.js';
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
import { ViewRegistry } from '../view-registry.js';
import { validateWrites } from '../view-writes.js';
import {
  FIRST_GENERATION,
  assertGeneration,
  byGenerationNumber,
  generationOf,
  physicalName,
} from '../view-definition.js';
import { applyPatch } from './apply-patch.js';
import { PlannerStatistics } from './planner-statistics.js';
import { openReadStoreSchema, READ_STORE_BUSY_TIMEOUT_MS } from './schema.js';
import { type SqlCondition, filterCondition, keysetCondition, orderBy } from './sql-filter.js';
import { StatementCache } from './statement-cache.js';
import { ensureViewTable, indexColumnNames, indexColumnsOf, indexValue, listTables, quoteIdentifier, tableExists } from './view-table.js';

export interface SqliteReadStoreOptions {
  /** The data directory; the file sits beside the event store's `events.sqlite`. */
  readonly dataDir: string;
  readonly fileName?: string;
}

interface DocumentRow {
  id: string;
  position: string;
  doc: string;
}

interface ResolvedTarget {
  readonly definition: ViewDefinition;
  readonly table: string;
}

/**
 * The embedded read store: one SQLite file, one table per view generation (see view-table.ts).
 * better-sqlite3 is synchronous; every method still returns a Promise so callers are written once
 * for both adapters. Each call runs in one transaction, so it sees one generation and one snapshot.
 */
export class SqliteReadStore implements ReadStore {
  readonly kind = 'sqlite' as const;
  readonly capabilities = { atomicBatches: true } as const;

  private readonly db: Database.Database;
  private readonly statements: StatementCache;
  private readonly views = new ViewRegistry();
  private readonly statistics: PlannerStatistics;
  private readonly writeLock: WriteLock;
  private closed = false;
  /** indexFieldsOf's answers, valid while the schema version stays `schemaVersion`. */
  private readonly indexFieldsByTable = new Map<string, readonly string[]>();
  private schemaVersion = -1;

  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    privateDir(options.dataDir);
    return new SqliteReadStore(join(options.dataDir, options.fileName ?? 'views.sqlite'));
  }

  private constructor(readonly fileName: string) {
    privateFile(fileName);
    this.db = new Database(fileName);
    openReadStoreSchema(this.db);
    this.statements = new StatementCache(this.db);
    this.statistics = new PlannerStatistics(this.db);
    this.writeLock = new WriteLock(this.db, READ_STORE_BUSY_TIMEOUT_MS);
  }

  async ensureView(definition: ViewDefinition): Promise<void> {
    this.assertOpen();
    this.views.register(definition);
    await this.immediate(() => {
      this.statements
        .get(`INSERT INTO _generations (view, live, sequence) VALUES (?, ?, ?) ON CONFLICT (view) DO NOTHING`)
        .run(definition.name, FIRST_GENERATION, Number(FIRST_GENERATION));
      const table = physicalName(definition.name, this.liveGenerationOf(definition.name));
      if (ensureViewTable(this.db, definition, table).converted) this.statistics.forget(table);
      this.statistics.refreshIfStale(table);
    });
  }

  async get<T extends ViewDocument = ViewDocument>(target: ViewTarget, id: string): Promise<T | undefined> {
    return (await this.getMany<T>(target, [id])).get(id);
  }

  async getMany<T extends ViewDocument = ViewDocument>(target: ViewTarget, ids: readonly string[]): Promise<ReadonlyMap<string, T>> {
    this.assertOpen();
    return this.deferred(() => {
      const { table } = this.resolve(target);
      const rows = this.statements
        .get(`SELECT id, position, doc FROM ${quoteIdentifier(table)} WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as DocumentRow[];
      return new Map(rows.map((row) => [row.id, toDocument<T>(row)]));
    });
  }

  async writeBatch(target: ViewTarget, writes: readonly ViewWrite[], options: WriteBatchOptions = {}): Promise<void> {
    // One batch: its errors as they are (DuplicateKey, InvalidViewWrite), not wrapped in ViewBatchFailed.
    await this.writeInOneTransaction([{ target, writes, options }], (_index, work) => work());
  }

  async writeBatches(batches: readonly ViewBatch[]): Promise<void> {
    // One transaction: a projection group's views and their checkpoints move together.
    await this.writeInOneTransaction(batches, failingAs);
  }

  private async writeInOneTransaction(batches: readonly ViewBatch[], each: <R>(index: number, work: () => R) => R): Promise<void> {
    this.assertOpen();
    batches.forEach(({ writes }, index) => each(index, () => validateWrites(writes)));
    const tables = await this.immediate(() => batches.map(({ target, writes, options }, index) => each(index, () => this.writeRows(target, writes, options ?? {}))));
    // A write that waited for the lock may finish while the store closes: no statistics then.
    if (!this.closed) tables.forEach((table, index) => this.statistics.recordWrites(table, batches[index].writes.length));
  }

  /** The writes and the checkpoint of one batch, inside the caller's transaction; answers the table written. */
  private writeRows(target: ViewTarget, writes: readonly ViewWrite[], options: WriteBatchOptions): string {
    const { definition, table } = this.resolve(target);
    const quoted = quoteIdentifier(table);
    const indexFields = this.indexFieldsOf(table, definition);
    const columns = indexColumnNames(indexFields);
    const upsert = this.statements.get(
      `INSERT INTO ${quoted} (id, position, doc${columns.map((column) => `, ${column}`).join('')}) VALUES (?, ?, ?${', ?'.repeat(columns.length)}) ` +
        `ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc${columns.map((column) => `, ${column} = excluded.${column}`).join('')}`,
    );
    const store = (id: string, position: string, fields: Record<string, unknown>): void => {
      upsert.run(id, position, JSON.stringify(fields), ...indexFields.map((field) => indexValue(fields, field)));
    };
    try {
      for (const write of writes) {
        switch (write.type) {
          case 'upsert': {
            const { id, position, ...fields } = write.document;
            store(id, position, fields);
            break;
          }
          case 'patch': {
            const row = this.statements.get(`SELECT doc FROM ${quoted} WHERE id = ?`).get(write.id) as { doc: string } | undefined;
            const fields = applyPatch(row === undefined ? undefined : (JSON.parse(row.doc) as Record<string, unknown>), write);
            if (fields !== undefined) store(write.id, write.position, fields);
            break;
          }
          case 'delete':
            this.statements.get(`DELETE FROM ${quoted} WHERE id = ?`).run(write.id);
            break;
          default: {
            const unknown: never = write;
            throw new Error(`unhandled write ${JSON.stringify(unknown)}`);
          }
        }
      }
    } catch (error) {
      // By shape, not instanceof: better-sqlite3's native module keeps the Error class of the realm that
      // loaded it first (under jest, another test file's), so even `instanceof Error` can be false.
      const sqliteError = error as { code?: unknown; message?: unknown } | null;
      if (sqliteError?.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DuplicateKey(definition.name, String(sqliteError.message));
      }
      throw error;
    }
    if (options.checkpoint) this.storeCheckpoint(options.checkpoint.name, options.checkpoint.position, options.checkpoint.version);
    return table;
  }

  /**
   * The index fields `table` has columns for, which its writes fill: read once, and again after any schema change
   * (another process may have added a column). A table still of the older layout is converted first.
   */
  private indexFieldsOf(table: string, definition: ViewDefinition): readonly string[] {
    const version = this.statements.get('PRAGMA schema_version').pluck().get() as number;
    if (version !== this.schemaVersion) {
      this.indexFieldsByTable.clear();
      this.schemaVersion = version;
    }
    let fields = this.indexFieldsByTable.get(table);
    if (fields === undefined) {
      let columns = indexColumnsOf(this.db, table);
      if (columns.generated) {
        // A generation this process has not ensured (a rebuild resumed after an upgrade).
        ensureViewTable(this.db, definition, table);
        this.statistics.forget(table);
        columns = indexColumnsOf(this.db, table);
      }
      fields = columns.fields;
      this.indexFieldsByTable.set(table, fields);
    }
    return fields;
  }

  async query<T extends ViewDocument = ViewDocument>(target: ViewTarget, query: ViewQuery = {}): Promise<ViewPage<T>> {
    this.assertOpen();
    return this.deferred(() => {
      const { definition, table } = this.resolve(target);
      const plan = planQuery(definition, query);
      const filter = filterCondition(definition, plan.predicates);
      const select = (extra: SqlCondition | undefined, limit: number): DocumentRow[] => {
        const where = extra === undefined ? filter.sql : `${filter.sql} AND ${extra.sql}`;
        const sql = `SELECT id, position, doc FROM ${quoteIdentifier(table)} WHERE ${where} ORDER BY ${orderBy(definition, plan.sort)} LIMIT ?`;
        return this.statements.get(sql).all(...filter.params, ...(extra?.params ?? []), limit) as DocumentRow[];
      };
      // One row more than asked tells whether there is a next page.
      const wanted = plan.limit + 1;
      let rows: DocumentRow[];
      if (plan.after === undefined) {
        rows = select(undefined, wanted);
      } else {
        // The branches are in sort order and each is one index range: run them until the page is full.
        rows = [];
        for (const branch of keysetBranches(plan.sort, plan.after)) {
          rows.push(...select(keysetCondition(definition, branch), wanted - rows.length));
          if (rows.length === wanted) break;
        }
      }
      const items = rows.slice(0, plan.limit).map((row) => toDocument<T>(row));
      return rows.length > plan.limit ? { items, nextCursor: cursorAfter(items[items.length - 1], plan.sort) } : { items };
    });
  }

  async count(target: ViewTarget, filter?: ViewFilter): Promise<number> {
    this.assertOpen();
    return this.deferred(() => {
      const { definition, table } = this.resolve(target);
      const condition = filterCondition(definition, parseFilter(filter));
      const row = this.statements.get(`SELECT count(*) AS n FROM ${quoteIdentifier(table)} WHERE ${condition.sql}`).get(...condition.params) as {
        n: number;
      };
      return row.n;
    });
  }

  scan<T extends ViewDocument = ViewDocument>(target: ViewTarget, options?: ScanOptions): AsyncIterable<T> {
    return scanByPages<T>(this, target, options);
  }

  async getCheckpoint(name: string): Promise<string | undefined> {
    this.assertOpen();
    const row = this.statements.get(`SELECT position FROM _checkpoints WHERE name = ?`).get(name) as { position: string } | undefined;
    return row?.position;
  }

  async getCheckpointRecord(name: string): Promise<Checkpoint | undefined> {
    this.assertOpen();
    const row = this.statements.get(`SELECT position, version FROM _checkpoints WHERE name = ?`).get(name) as
      | { position: string; version: number | null }
      | undefined;
    if (row === undefined) return undefined;
    return row.version === null ? { name, position: row.position } : { name, position: row.position, version: row.version };
  }

  async setCheckpoint(name: string, position: string, version?: number): Promise<void> {
    this.assertOpen();
    await this.immediate(() => this.storeCheckpoint(name, position, version));
  }

  async liveGeneration(view: string): Promise<string> {
    this.assertOpen();
    this.views.definition(view);
    return this.liveGenerationOf(view);
  }

  async listGenerations(view: string): Promise<readonly string[]> {
    this.assertOpen();
    this.views.definition(view);
    return this.generationsOf(view);
  }

  async createGeneration(view: string): Promise<string> {
    this.assertOpen();
    const definition = this.views.definition(view);
    return await this.immediate(() => {
      const row = this.statements.get(`UPDATE _generations SET sequence = sequence + 1 WHERE view = ? RETURNING sequence`).get(view) as
        | { sequence: number }
        | undefined;
      if (row === undefined) throw new UnknownView(view);
      const generation = String(row.sequence);
      ensureViewTable(this.db, definition, physicalName(view, generation));
      return generation;
    });
  }

  async promoteGeneration(view: string, generation: string, options: PromoteOptions = {}): Promise<void> {
    this.assertOpen();
    this.views.definition(view);
    assertGeneration(view, generation);
    await this.immediate(() => {
      if (!tableExists(this.db, physicalName(view, generation))) throw new UnknownGeneration(view, generation);
      const previous = this.liveGenerationOf(view);
      if (previous === generation) return;
      if (options.replacing !== undefined && options.replacing !== previous) throw new PromotionConflict(view, generation, { expected: options.replacing, live: previous });
      this.statements.get(`UPDATE _generations SET live = ? WHERE view = ?`).run(generation, view);
      this.dropTable(view, previous);
    });
  }

  async dropGeneration(view: string, generation: string): Promise<void> {
    this.assertOpen();
    this.views.definition(view);
    assertGeneration(view, generation);
    await this.immediate(() => {
      if (this.liveGenerationOf(view) === generation) throw new GenerationIsLive(view, generation);
      this.dropTable(view, generation);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Writes asked for before close and still waiting for the other connection's lock are done first.
    await this.writeLock.idle();
    // No PRAGMA optimize: its sampled statistics mislead the planner on low-cardinality fields (see PlannerStatistics).
    this.statistics.stop();
    this.db.close();
  }

  private resolve(target: ViewTarget): ResolvedTarget {
    const { definition, generation } = this.views.target(target);
    if (generation === undefined) return { definition, table: physicalName(definition.name, this.liveGenerationOf(definition.name)) };
    const table = physicalName(definition.name, generation);
    if (!tableExists(this.db, table)) throw new UnknownGeneration(definition.name, generation);
    return { definition, table };
  }

  private liveGenerationOf(view: string): string {
    const row = this.statements.get(`SELECT live FROM _generations WHERE view = ?`).get(view) as { live: string } | undefined;
    if (row === undefined) throw new UnknownView(view);
    return row.live;
  }

  private generationsOf(view: string): string[] {
    return listTables(this.db)
      .map((table) => generationOf(view, table))
      .filter((generation): generation is string => generation !== undefined)
      .sort(byGenerationNumber);
  }

  private dropTable(view: string, generation: string): void {
    const table = physicalName(view, generation);
    const quoted = quoteIdentifier(table);
    this.statements.forgetTable(quoted);
    this.statistics.forget(table);
    this.db.exec(`DROP TABLE IF EXISTS ${quoted}`);
    this.statements.get(`DELETE FROM _checkpoints WHERE name = ?`).run(generationCheckpointName({ view, generation }));
  }

  private storeCheckpoint(name: string, position: string, version: number | undefined): void {
    this.statements
      .get(
        `INSERT INTO _checkpoints (name, position, version) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = coalesce(excluded.version, _checkpoints.version)`,
      )
      .run(name, position, version ?? null);
  }

  /** A read transaction: the generation lookup and the read see the same snapshot. */
  private deferred<R>(work: () => R): R {
    return this.db.transaction(work).deferred();
  }

  /**
   * A write transaction that takes the write lock up front, so it never fails upgrading a read lock, and waits for
   * it with the event loop free while the other thread's connection holds it (sqlite-write-lock.ts).
   */
  private immediate<R>(work: () => R): Promise<R> {
    return this.writeLock.transaction(work);
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadStoreClosed();
  }
}

function toDocument<T extends ViewDocument>(row: DocumentRow): T {
  return { id: row.id, position: row.position, ...(JSON.parse(row.doc) as Record<string, unknown>) } as T;
}

/** Runs one batch's part of `writeBatches`; its failure names the batch. */
function failingAs<R>(index: number, work: () => R): R {
  try {
    return work();
  } catch (error) {
    throw new ViewBatchFailed(index, error);
  }
}
