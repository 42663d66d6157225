/** Every failure of the read store port is one of these; `code` is stable and snake_case. */
export abstract class ReadStoreError extends Error {
  abstract readonly code: string;
}

/** The view was not registered with `ensureView` in this process, or does not exist. */
export class UnknownView extends ReadStoreError {
  readonly code = 'unknown_view';
  constructor(readonly view: string) {
    super(`view ${view} is not ensured: call ensureView first`);
    this.name = 'UnknownView';
  }
}

export class UnknownGeneration extends ReadStoreError {
  readonly code = 'unknown_generation';
  constructor(
    readonly view: string,
    readonly generation: string,
  ) {
    super(`view ${view} has no generation ${generation}`);
    this.name = 'UnknownGeneration';
  }
}

export class GenerationIsLive extends ReadStoreError {
  readonly code = 'generation_is_live';
  constructor(
    readonly view: string,
    readonly generation: string,
  ) {
    super(`generation ${generation} of view ${view} is live and cannot be dropped`);
    this.name = 'GenerationIsLive';
  }
}

export class InvalidViewDefinition extends ReadStoreError {
  readonly code = 'invalid_view_definition';
  constructor(
    readonly view: string,
    reason: string,
  ) {
    super(`view ${view}: ${reason}`);
    this.name = 'InvalidViewDefinition';
  }
}

/** A filter outside the supported subset, or a bad limit. */
export class InvalidQuery extends ReadStoreError {
  readonly code = 'invalid_query';
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidQuery';
  }
}

export class SortNotIndexed extends ReadStoreError {
  readonly code = 'sort_not_indexed';
  constructor(
    readonly view: string,
    readonly field: string,
  ) {
    super(`view ${view} cannot be sorted by ${field}: it is in none of its declared indexes`);
    this.name = 'SortNotIndexed';
  }
}

/** Not a cursor this store produced, or produced for another sort. */
export class InvalidCursor extends ReadStoreError {
  readonly code = 'invalid_cursor';
  constructor(reason: string) {
    super(`invalid cursor: ${reason}`);
    this.name = 'InvalidCursor';
  }
}

/** A document or patch that cannot be stored the same way on every backend, or a patch that does not apply. */
export class InvalidViewWrite extends ReadStoreError {
  readonly code = 'invalid_view_write';
  constructor(
    readonly id: string | undefined,
    reason: string,
  ) {
    super(id === undefined ? reason : `document ${id}: ${reason}`);
    this.name = 'InvalidViewWrite';
  }
}

/** A write would give two documents the same values in a unique index. */
export class DuplicateKey extends ReadStoreError {
  readonly code = 'duplicate_key';
  constructor(
    readonly view: string,
    detail: string,
  ) {
    super(`view ${view}: duplicate key (${detail})`);
    this.name = 'DuplicateKey';
  }
}

export class ReadStoreClosed extends ReadStoreError {
  readonly code = 'read_store_closed';
  constructor() {
    super('read store is closed');
    this.name = 'ReadStoreClosed';
  }
}

/**
 * Another process changed the live generation while this one was promoting, or another promotion replaced (or is
 * replacing) the generation this one was to replace (`replacing.live`: that promotion's); nothing was changed by this call.
 */
export class PromotionConflict extends ReadStoreError {
  readonly code = 'promotion_conflict';
  constructor(
    readonly view: string,
    readonly generation: string,
    readonly replacing?: { readonly expected: string; readonly live: string },
  ) {
    super(
      replacing === undefined
        ? `promoting generation ${generation} of view ${view} raced with another promotion`
        : `generation ${generation} of view ${view} was not promoted: it was to replace generation ${replacing.expected}, but another promotion came first (generation ${replacing.live})`,
    );
    this.name = 'PromotionConflict';
  }
}

/**
 * The read store did not answer in time, or its driver reports it unreachable (no server selected, a broken
 * connection, a file that cannot be read). Transient: the same query may succeed later. The driver's error
 * is the `cause`, for the logs only.
 */
export class ReadStoreUnavailable extends ReadStoreError {
  readonly code = 'read_store_unavailable';
  constructor(reason: string, options: { readonly cause?: unknown } = {}) {
    super(`read store unavailable: ${reason}`, { cause: options.cause });
    this.name = 'ReadStoreUnavailable';
  }
}

/** `writeBatches`: the batch at `index` failed (`cause`: the store's error); in an atomic store nothing was written. */
export class ViewBatchFailed extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`batch ${index} of the write failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ViewBatchFailed';
  }
}
