/**
 * The read store port (DESIGN.md "Read store port and projections"): views are JSON documents keyed
 * by `id`, each recording the `position` of the last event applied to it. Positions are opaque
 * strings of the event store; this port stores them and never compares them.
 *
 * A view has a logical name (`orders`) and physical generations (`1`, `2`, ...). Exactly one
 * generation is live; a rebuild writes into a fresh one while the live one serves, then promotes it.
 * Every data method takes a `ViewTarget`: the logical name means "the live generation at the moment
 * of the call", `{ view, generation }` names one generation explicitly.
 */
export const READ_STORE = Symbol('ReadStore');

export interface ViewDocument {
  readonly id: string;
  /** Position of the last event applied to this document (opaque, from the event store). */
  readonly position: string;
  readonly [field: string]: unknown;
}

export type SortDirection = 'asc' | 'desc';

/** A field path: top-level name or dotted path into nested objects (`cancellation.state`). */
export interface IndexField {
  readonly field: string;
  readonly direction: SortDirection;
}

export interface ViewIndex {
  readonly fields: readonly IndexField[];
  /** A unique index rejects a second document with the same values (`DuplicateKey`). Fields should always be present. */
  readonly unique?: boolean;
}

export interface ViewDefinition {
  /** Lower-case letters, digits and single underscores, starting with a letter: `orders`, `stock_levels`. */
  readonly name: string;
  readonly indexes: readonly ViewIndex[];
}

export interface GenerationRef {
  readonly view: string;
  readonly generation: string;
}

export type ViewTarget = string | GenerationRef;

/**
 * The checkpoint name of one generation. A runner that checkpoints under this name keeps its
 * checkpoint with the documents it describes: promoting a rebuilt generation brings its checkpoint
 * along with no second write, and dropping a generation deletes its checkpoint.
 */
export function generationCheckpointName(ref: GenerationRef): string {
  return `${ref.view}@${ref.generation}`;
}

/** A scalar a filter compares with. A field is expected to hold one JSON type (plus null or missing). */
export type FilterValue = string | number | boolean | null;
export type RangeValue = string | number;

export interface FieldOperators {
  readonly $eq?: FilterValue;
  readonly $in?: readonly FilterValue[];
  readonly $gt?: RangeValue;
  readonly $gte?: RangeValue;
  readonly $lt?: RangeValue;
  readonly $lte?: RangeValue;
}

/**
 * A MongoDB filter document restricted to: equality (`null` also matches a missing field), `$in`,
 * `$gt/$gte/$lt/$lte` on strings or numbers, on top-level fields or dotted paths into nested objects
 * (not into arrays), all conditions combined with AND.
 */
export type ViewFilter = Readonly<Record<string, FilterValue | FieldOperators>>;

export interface SortKey {
  /** `id` or a field of one of the view's declared indexes. */
  readonly field: string;
  readonly direction: SortDirection;
}

export interface ViewQuery {
  readonly filter?: ViewFilter;
  /** `id` is always appended as the tie-breaker, in the direction of the last key. Default: `id` ascending. */
  readonly sort?: readonly SortKey[];
  /** 1..MAX_PAGE_SIZE; default DEFAULT_PAGE_SIZE. */
  readonly limit?: number;
  /** `nextCursor` of the previous page, with the same sort. */
  readonly cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface ViewPage<T extends ViewDocument = ViewDocument> {
  readonly items: readonly T[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export interface ScanOptions {
  readonly filter?: ViewFilter;
  readonly sort?: readonly SortKey[];
  /** Documents fetched per round trip; memory stays bounded by it. Default 500. */
  readonly pageSize?: number;
}

/** JSON fields of a document or a `$set`: values are JSON (no Date, bigint, NaN, or array directly inside an array). */
export type ViewFields = Readonly<Record<string, unknown>>;

/** Replaces the whole document (or creates it). */
export interface UpsertWrite {
  readonly type: 'upsert';
  readonly document: ViewDocument;
}

/**
 * Changes some fields, like MongoDB's `$set`/`$inc`/`$setOnInsert`: keys are field paths, dotted
 * paths create missing parent objects (a parent that is null, an array or a scalar is an
 * `InvalidViewWrite`). `position` is always set. A missing document is left missing unless `upsert`.
 */
export interface PatchWrite {
  readonly type: 'patch';
  readonly id: string;
  readonly position: string;
  readonly set?: ViewFields;
  /** Integer amounts; a missing field counts from 0. */
  readonly inc?: Readonly<Record<string, number>>;
  readonly upsert?: boolean;
  /** Only with `upsert`: fields written when the document is created by this patch. */
  readonly setOnInsert?: ViewFields;
}

export interface DeleteWrite {
  readonly type: 'delete';
  readonly id: string;
}

export type ViewWrite = UpsertWrite | PatchWrite | DeleteWrite;

export interface Checkpoint {
  readonly name: string;
  readonly position: string;
  /**
   * The version of the projections that wrote it (`ProjectionGroup.version`): what the documents of
   * its generation were built with. A checkpoint written without one keeps the version it had.
   */
  readonly version?: number;
}

export interface PromoteOptions {
  /** The generation the promotion replaces: the one a rebuild started from. */
  readonly replacing?: string;
}

export interface WriteBatchOptions {
  /** Stored with the batch: in the same transaction when `capabilities.atomicBatches`, otherwise right after it. */
  readonly checkpoint?: Checkpoint;
}

/** One view's part of `writeBatches`. */
export interface ViewBatch {
  readonly target: ViewTarget;
  readonly writes: readonly ViewWrite[];
  readonly options?: WriteBatchOptions;
}

export interface ReadStoreCapabilities {
  /**
   * true: a batch (with its checkpoint) commits entirely or not at all.
   * false: writes are applied in order and a failing write stops the batch, leaving the earlier ones
   * applied and the checkpoint unwritten; re-delivering the batch is safe because documents record positions.
   */
  readonly atomicBatches: boolean;
}

export interface ReadStore {
  readonly kind: 'sqlite' | 'mongodb';
  readonly capabilities: ReadStoreCapabilities;

  /**
   * Registers the definition for this process and creates the view (first generation) and the
   * declared indexes of its live generation if missing; indexes no longer declared are dropped.
   * Idempotent; call it for every view at start-up, before any other method names the view.
   */
  ensureView(definition: ViewDefinition): Promise<void>;

  get<T extends ViewDocument = ViewDocument>(target: ViewTarget, id: string): Promise<T | undefined>;
  /** Missing ids are absent from the map. */
  getMany<T extends ViewDocument = ViewDocument>(target: ViewTarget, ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
  /** Applies the writes in order, in one transaction or one round trip (see `capabilities`). */
  writeBatch(target: ViewTarget, writes: readonly ViewWrite[], options?: WriteBatchOptions): Promise<void>;
  /**
   * `writeBatch` for several targets (the views of one projection group), in order: all in one transaction when
   * `capabilities.atomicBatches`, else one after the other, stopping at the first that fails. A failure is
   * `ViewBatchFailed`, naming the batch (its index) with the store's error as `cause`.
   */
  writeBatches(batches: readonly ViewBatch[]): Promise<void>;

  /**
   * Keyset pagination: the cursor holds the last sort key and id, so a page never repeats or skips
   * a document whose sort key did not change since the previous page, whatever else is written meanwhile.
   */
  query<T extends ViewDocument = ViewDocument>(target: ViewTarget, query?: ViewQuery): Promise<ViewPage<T>>;
  count(target: ViewTarget, filter?: ViewFilter): Promise<number>;
  /** Every matching document, fetched page by page (not a snapshot: same guarantees as `query` pages). */
  scan<T extends ViewDocument = ViewDocument>(target: ViewTarget, options?: ScanOptions): AsyncIterable<T>;

  getCheckpoint(name: string): Promise<string | undefined>;
  /** The checkpoint with the version stored with it (absent when none was ever stored). */
  getCheckpointRecord(name: string): Promise<Checkpoint | undefined>;
  /** `version`: see `Checkpoint.version`; without one, the stored version is kept. */
  setCheckpoint(name: string, position: string, version?: number): Promise<void>;

  liveGeneration(view: string): Promise<string>;
  /** Every physical generation of the view, live one included, oldest first. */
  listGenerations(view: string): Promise<readonly string[]>;
  /** A fresh, empty generation with the view's indexes; not visible to readers of the logical name. */
  createGeneration(view: string): Promise<string>;
  /**
   * Makes the generation live in one atomic step for readers of the logical name, then drops the
   * previous one and its `generationCheckpointName`. Writers still holding the old ref get `UnknownGeneration`.
   * With `replacing`, only if that generation is the live one at the swap (compare-and-set): else
   * `PromotionConflict` and nothing changes. Promoting the live generation again is a no-op.
   */
  promoteGeneration(view: string, generation: string, options?: PromoteOptions): Promise<void>;
  /** Drops a generation that is not live, and its `generationCheckpointName`; one that does not exist is a no-op. */
  dropGeneration(view: string, generation: string): Promise<void>;

  close(): Promise<void>;
}
