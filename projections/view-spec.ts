import { type ProjectedEvent, type ViewDoc } from './projected-event.js';

/** An index a view declares (the read store creates it at start-up). Same shape as the read store port's. */
export interface IndexSpec {
  readonly fields: readonly { readonly field: string; readonly direction: 'asc' | 'desc' }[];
  readonly unique?: boolean;
}

/**
 * A view folded from events: each event names the documents it changes and each is folded on
 * its own, `(doc | null, event) => doc | null` (null: no document, or remove it).
 */
export interface FoldedView<Doc extends ViewDoc = ViewDoc> {
  readonly kind: 'folded';
  readonly name: string;
  readonly indexes: readonly IndexSpec[];
  /** Each document is made by one event and never changes (an audit entry): the runner need not read it before writing. */
  readonly oneEventPerDocument?: boolean;
  /** Ids of the documents this event changes; empty when the view ignores it. */
  documentIds(event: ProjectedEvent): readonly string[];
  apply(doc: Doc | null, event: ProjectedEvent, id: string): Doc | null;
}

/** A view that is a function of one document of another view of its group: recomputed whole, so replaying is harmless. */
export interface MappedView<Source extends ViewDoc = ViewDoc, Doc extends ViewDoc = ViewDoc> {
  readonly kind: 'mapped';
  readonly name: string;
  readonly indexes: readonly IndexSpec[];
  readonly source: string;
  /** The document for this source document, with the same id; null: none (remove it). */
  map(source: Source): Doc | null;
}

/** Equality and ranges on fields of the source view (the subset of MongoDB filters the read store serves). */
export type SourceFilter = Readonly<Record<string, string | number | boolean | null | { readonly $gte?: string | number; readonly $lte?: string | number }>>;

/**
 * A view of aggregates over documents of another view of its group (per day, reason...): each
 * aggregate is recomputed from the source documents it covers whenever one of them changes, so
 * it never depends on having seen a change exactly once.
 */
export interface AggregatedView<Source extends ViewDoc = ViewDoc, Doc extends ViewDoc = ViewDoc, Key = unknown> {
  readonly kind: 'aggregated';
  readonly name: string;
  readonly indexes: readonly IndexSpec[];
  readonly source: string;
  /** The aggregate a source document belongs to, or null. */
  keyOf(source: Source): Key | null;
  idOf(key: Key): string;
  /** The source documents of one aggregate. */
  filterOf(key: Key): SourceFilter;
  /** The aggregate over its source documents (all of them), stamped with `position` (the latest of theirs); null when there are none. */
  summarise(key: Key, members: readonly Source[], position: string): Doc | null;
}

export type ViewProjection = FoldedView<any> | MappedView<any, any> | AggregatedView<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Views fed by one subscription: folded views first, then the views computed from them.
 * A rebuild replays a whole group, since computed views need their sources.
 */
export interface ProjectionGroup {
  readonly name: string;
  /**
   * The version of the group's document shapes and folds, starting at 1. Raise it whenever a view's
   * document shape or fold changes so that documents stored by the previous code are no longer right
   * (a field they lack, a value computed another way) or no longer fold correctly (a folded view reads
   * the stored document back before applying the next event). The runner stores it with each view's
   * checkpoint; at start-up, a group whose live generations were built at another version is rebuilt
   * from the start of the log into fresh generations while the old ones serve, then promoted.
   * Adding a new view to a group needs no new version (its empty generation is filled from the start).
   */
  readonly version: number;
  readonly views: readonly ViewProjection[];
}
