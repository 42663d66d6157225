import { type LRUCache } from 'lru-cache';

import {
  type AggregatedView,
  alreadyApplied,
  type ComparePositions,
  type FoldedView,
  type MappedView,
  type ProjectedEvent,
  type ProjectionGroup,
  type ViewDoc,
} from '../../../projections/index.js';
import { type Cached, DEFAULT_CACHE_BYTES, documentCache, MISSING } from './document-cache.js';
import { UNREADABLE } from './projected-events.js';
import { ReadStoreError, ReadStoreClosed, UnknownGeneration, ViewBatchFailed } from '../read-store/errors.js';
import {
  type GenerationRef,
  generationCheckpointName,
  type ReadStore,
  type ViewBatch,
  type ViewDocument,
  type ViewFilter,
  type ViewWrite,
} from '../read-store/read-store.port.js';

/** A folded view's part of a batch, between reading its documents and applying the events. */
interface FoldedBatch {
  readonly view: FoldedView;
  readonly pending: readonly { readonly event: ProjectedEvent; readonly ids: readonly string[] }[];
  readonly working: Map<string, ViewDoc | null>;
}

/** A projection function threw: on `event` (undefined when the failure is not tied to one event of the batch). */
export class ProjectionFailure extends Error {
  constructor(
    readonly view: string,
    readonly event: ProjectedEvent | undefined,
    override readonly cause: unknown,
  ) {
    super(`${view}: ${event ? `event ${event.type} at ${event.position}: ` : ''}${messageOf(cause)}`);
    this.name = 'ProjectionFailure';
  }
}

/** The read store refused or failed a batch of one view. */
export class WriteFailure extends Error {
  constructor(
    readonly view: string,
    override readonly cause: unknown,
  ) {
    super(`${view}: writing failed: ${messageOf(cause)}`);
    this.name = 'WriteFailure';
  }

  /** The same batch would fail again (a document the store refuses), unlike a lost connection. */
  get deterministic(): boolean {
    return isDeterministicStoreError(this.cause);
  }
}

function isDeterministicStoreError(error: unknown): boolean {
  if (error instanceof ReadStoreClosed || error instanceof UnknownGeneration) return false;
  if (error instanceof ReadStoreError) return error.code !== 'promotion_conflict';
  // A realm-crossing error still carries its code.
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['invalid_view_write', 'duplicate_key', 'invalid_query', 'sort_not_indexed', 'invalid_cursor', 'unknown_view'].includes(code);
}

export function isUnknownGeneration(error: unknown): boolean {
  const cause = error instanceof WriteFailure ? error.cause : error;
  return cause instanceof UnknownGeneration || (cause as { code?: unknown } | null)?.code === 'unknown_generation';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface GroupProjectorOptions {
  /**
   * Bytes of documents (as JSON) kept in memory per view between batches (hot orders, stock positions); default
   * DEFAULT_CACHE_BYTES.
   */
  readonly cacheBytes?: number;
}

/**
 * Applies batches of events to the views of one group and writes them, each view with its own
 * checkpoint (in the same transaction where the store allows). Folded views are written first,
 * then the views computed from them: a mapped or aggregated document is recomputed whole from the
 * current source documents it depends on, so it is right whether or not its source was already
 * up to date when a batch is replayed after a crash or a promote.
 *
 * Holds the documents it wrote last in a bounded cache; its caller drops it after any failure.
 */
export class GroupProjector {
  private readonly caches = new Map<string, LRUCache<string, Cached>>();
  private readonly checkpoints: Map<string, string | undefined>;
  private readonly skipped = new Set<string>();
  /**
   * The batch's writes not yet sent to the store, sent together (one transaction where the store allows) before
   * the batch reads the store and at its end; with each, the documents it changes, which enter the cache only
   * once written (a failed batch is projected again from what the store holds).
   */
  private pending: { readonly view: string; readonly batch: ViewBatch; readonly last: string; readonly changed?: ReadonlyMap<string, ViewDoc | null> }[] = [];
  /** Per folded view, the documents changed by the batch and not yet written: what the batch's later views read. */
  private readonly unwritten = new Map<string, ReadonlyMap<string, ViewDoc | null>>();

  constructor(
    readonly group: ProjectionGroup,
    private readonly store: ReadStore,
    private readonly compare: ComparePositions,
    private readonly targets: ReadonlyMap<string, GenerationRef>,
    checkpoints: ReadonlyMap<string, string | undefined>,
    options: GroupProjectorOptions = {},
  ) {
    this.checkpoints = new Map(checkpoints);
    for (const view of group.views) {
      if (view.kind === 'folded' && !view.oneEventPerDocument) this.caches.set(view.name, documentCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES));
    }
  }

  /** The position up to which a view holds every event, or undefined before its first. */
  checkpoint(view: string): string | undefined {
    return this.checkpoints.get(view);
  }

  /** Where the group's subscription resumes: the earliest of its views' checkpoints. */
  resumePosition(): string | undefined {
    let earliest: string | undefined;
    for (const view of this.group.views) {
      const checkpoint = this.checkpoints.get(view.name);
      if (checkpoint === undefined) return undefined;
      if (earliest === undefined || this.compare(checkpoint, earliest) < 0) earliest = checkpoint;
    }
    return earliest;
  }

  /** From now on the view passes over this event (it was dead-lettered). */
  skip(view: string, position: string): void {
    this.skipped.add(`${view}@${position}`);
  }

  /** Applies and writes the batch (in log order); throws ProjectionFailure or WriteFailure, leaving each view at its last committed batch. */
  async project(events: readonly ProjectedEvent[]): Promise<void> {
    if (events.length === 0) return;
    // What a failed attempt at a batch queued is dropped: the batch is projected again from the store's documents.
    this.pending = [];
    this.unwritten.clear();
    const last = events[events.length - 1].position;
    // Every folded view reads the documents it needs first, then applies: the writes of all of them go out together.
    const folded: FoldedBatch[] = [];
    for (const view of this.group.views) {
      if (view.kind === 'folded') folded.push(await this.readFolded(view, events));
    }
    for (const batch of folded) this.applyFolded(batch, last);
    for (const view of this.group.views) {
      if (view.kind === 'mapped') await this.projectMapped(view, events, last);
      else if (view.kind === 'aggregated') await this.projectAggregated(view, events, last);
    }
    await this.flush();
  }

  private after(view: string, event: ProjectedEvent): boolean {
    const checkpoint = this.checkpoints.get(view);
    return checkpoint === undefined || this.compare(event.position, checkpoint) > 0;
  }

  /** The events the folded view has not seen, with the documents they concern (read from the cache or the store). */
  private async readFolded(view: FoldedView, events: readonly ProjectedEvent[]): Promise<FoldedBatch> {
    const pending: { event: ProjectedEvent; ids: readonly string[] }[] = [];
    const wanted = new Set<string>();
    for (const event of events) {
      if (!this.after(view.name, event) || this.skipped.has(`${view.name}@${event.position}`)) continue;
      const ids = this.idsOf(view, event);
      if (ids.length === 0) continue;
      pending.push({ event, ids });
      for (const id of ids) wanted.add(id);
    }
    return { view, pending, working: await this.documents(view, wanted) };
  }

  /** Folds the events onto the documents and queues the changed ones. */
  private applyFolded({ view, pending, working }: FoldedBatch, last: string): void {
    const changed = new Set<string>();
    for (const { event, ids } of pending) {
      for (const id of ids) {
        const before = working.get(id) ?? null;
        if (alreadyApplied(before, event, this.compare)) continue;
        const after = this.attempt(view.name, event, () => view.apply(before, event, id));
        if (after === before) continue;
        working.set(id, after);
        changed.add(id);
      }
    }
    const writes: ViewWrite[] = [];
    const unwritten = new Map<string, ViewDoc | null>();
    for (const id of changed) {
      const doc = working.get(id) ?? null;
      unwritten.set(id, doc);
      writes.push(doc === null ? { type: 'delete', id } : { type: 'upsert', document: doc as ViewDocument });
    }
    this.write(view.name, writes, last, unwritten);
    this.unwritten.set(view.name, unwritten);
    const cache = this.caches.get(view.name);
    // What was read as stored (the changed ones enter once written); a document found in the cache is already at
    // the front (sizing it again costs a walk).
    if (cache) for (const [id, doc] of working) if (!changed.has(id) && !cache.has(id)) cache.set(id, doc ?? MISSING);
  }

  /** The documents by id: from the cache, the rest in one read (all missing for a view whose documents never change). */
  private async documents(view: FoldedView, ids: ReadonlySet<string>): Promise<Map<string, ViewDoc | null>> {
    const found = new Map<string, ViewDoc | null>();
    if (ids.size === 0) return found;
    if (view.oneEventPerDocument) {
      for (const id of ids) found.set(id, null);
      return found;
    }
    const cache = this.caches.get(view.name)!;
    const unwritten = this.unwritten.get(view.name);
    const missing: string[] = [];
    for (const id of ids) {
      if (unwritten?.has(id)) {
        found.set(id, unwritten.get(id)!);
        continue;
      }
      const cached = cache.get(id);
      if (cached === undefined) missing.push(id);
      else found.set(id, cached === MISSING ? null : cached);
    }
    if (missing.length > 0) {
      // The store answers with what the batch wrote so far (the views written before this read).
      await this.flush();
      const loaded = await this.store.getMany(this.targetOf(view.name), missing);
      for (const id of missing) found.set(id, (loaded.get(id) as ViewDoc | undefined) ?? null);
    }
    return found;
  }

  /** The source documents named by the events this view has not seen, as they are now (after the source's writes). */
  private async sourcesTouched(source: string, view: string, events: readonly ProjectedEvent[]): Promise<Map<string, ViewDoc | null>> {
    const sourceView = this.group.views.find((candidate) => candidate.name === source);
    if (sourceView?.kind !== 'folded') throw new Error(`${view}: source ${source} is not a folded view of group ${this.group.name}`);
    const ids = new Set<string>();
    for (const event of events) {
      if (!this.after(view, event)) continue;
      for (const id of this.idsOf(sourceView, event)) ids.add(id);
    }
    return this.documents(sourceView, ids);
  }

  private async projectMapped(view: MappedView, events: readonly ProjectedEvent[], last: string): Promise<void> {
    const sources = await this.sourcesTouched(view.source, view.name, events);
    const writes: ViewWrite[] = [];
    for (const [id, source] of sources) {
      const doc = source === null ? null : this.attempt(view.name, undefined, () => view.map(source));
      writes.push(doc === null ? { type: 'delete', id } : { type: 'upsert', document: doc as ViewDocument });
    }
    this.write(view.name, writes, last);
  }

  private async projectAggregated(view: AggregatedView, events: readonly ProjectedEvent[], last: string): Promise<void> {
    const sources = await this.sourcesTouched(view.source, view.name, events);
    const keys = new Map<string, unknown>();
    for (const source of sources.values()) {
      if (source === null) continue;
      const key = this.attempt(view.name, undefined, () => view.keyOf(source));
      if (key !== null) keys.set(view.idOf(key), key);
    }
    const writes: ViewWrite[] = [];
    // The members are read from the store: the source's writes of this batch first.
    if (keys.size > 0) await this.flush();
    for (const [id, key] of keys) {
      const members: ViewDoc[] = [];
      let latest: string | undefined;
      try {
        for await (const member of this.store.scan(this.targetOf(view.source), { filter: view.filterOf(key) as ViewFilter })) {
          members.push(member);
          if (latest === undefined || this.compare(member.position, latest) > 0) latest = member.position;
        }
      } catch (error) {
        throw new WriteFailure(view.source, error);
      }
      const doc = latest === undefined ? null : this.attempt(view.name, undefined, () => view.summarise(key, members, latest));
      writes.push(doc === null ? { type: 'delete', id } : { type: 'upsert', document: doc as ViewDocument });
    }
    this.write(view.name, writes, last);
  }

  /** Queues the view's writes and checkpoint (`changed`: a folded view's changed documents); `flush` sends them. */
  private write(view: string, writes: readonly ViewWrite[], last: string, changed?: ReadonlyMap<string, ViewDoc | null>): void {
    const target = this.targetOf(view);
    // The group's version goes with every checkpoint: what the generation's documents were built with (group-version.ts).
    const checkpoint = { name: generationCheckpointName(target), position: last, version: this.group.version };
    // Even with nothing to write: the batch checks that the generation is still there (a promote drops it).
    this.pending.push({ view, batch: { target, writes, options: { checkpoint } }, last, changed });
  }

  /** Sends the queued writes of the group's views in one `writeBatches`; a failure names its view. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    try {
      await this.store.writeBatches(pending.map(({ batch }) => batch));
    } catch (error) {
      if (error instanceof ViewBatchFailed) throw new WriteFailure(pending[error.index].view, error.cause);
      throw new WriteFailure(pending[0].view, error);
    }
    for (const { view, last, changed } of pending) {
      this.checkpoints.set(view, last);
      if (changed === undefined) continue;
      this.unwritten.delete(view);
      const cache = this.caches.get(view);
      if (cache) for (const [id, doc] of changed) cache.set(id, doc ?? MISSING);
    }
  }

  /** The documents an event concerns; an unreadable event fails only the views it concerns (as far as its raw data tells). */
  private idsOf(view: FoldedView, event: ProjectedEvent): readonly string[] {
    let ids: readonly string[];
    try {
      ids = view.documentIds(event);
    } catch (error) {
      throw new ProjectionFailure(view.name, event, UNREADABLE.get(event) ?? error);
    }
    const unreadable = UNREADABLE.get(event);
    if (unreadable !== undefined && ids.length > 0) throw new ProjectionFailure(view.name, event, unreadable);
    return ids;
  }

  private attempt<T>(view: string, event: ProjectedEvent | undefined, work: () => T): T {
    const unreadable = event === undefined ? undefined : UNREADABLE.get(event);
    if (unreadable !== undefined) throw new ProjectionFailure(view, event, unreadable);
    try {
      return work();
    } catch (error) {
      throw new ProjectionFailure(view, event, error);
    }
  }

  private targetOf(view: string): GenerationRef {
    const target = this.targets.get(view);
    if (!target) throw new Error(`no generation resolved for view ${view}`);
    return target;
  }
}
