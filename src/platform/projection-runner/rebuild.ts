import { PROJECTION_GROUPS, type ProjectionGroup } from '../../../projections/index.js';
import { type EventStore } from '../event-store/event-store.port.js';
import { type GenerationRef, type ReadStore } from '../read-store/read-store.port.js';
import { ProjectionRunner, type RunnerLogger } from './projection-runner.js';

/** A projection name the CLI does not know: neither a group nor a view of one. */
export class UnknownProjection extends Error {
  constructor(readonly projection: string) {
    super(`unknown projection ${JSON.stringify(projection)}; projections: ${projectionNames().join(', ')}`);
    this.name = 'UnknownProjection';
  }
}

/** Every name `projections rebuild|verify` accepts: groups and their views. */
function projectionNames(): string[] {
  const names = new Set<string>();
  for (const group of PROJECTION_GROUPS) {
    names.add(group.name);
    for (const view of group.views) names.add(view.name);
  }
  return [...names];
}

/**
 * The groups a name selects: every group without a name; the group of that name, or the group a
 * view belongs to (a view is always rebuilt with its group: computed views need their sources).
 */
export function selectGroups(name?: string): ProjectionGroup[] {
  if (name === undefined) return [...PROJECTION_GROUPS];
  const group = PROJECTION_GROUPS.find((candidate) => candidate.name === name || candidate.views.some((view) => view.name === name));
  if (!group) throw new UnknownProjection(name);
  return [group];
}

export interface CatchUpProgress {
  /** Events delivered to the group so far. */
  readonly events: number;
  /** The position of the last event written. */
  readonly position: string;
}

export interface RebuildOptions {
  readonly onProgress?: (progress: CatchUpProgress) => void;
  /** Called once the fresh generations hold the log up to its head (see ProjectionRunner.catchUp), just before they are promoted. */
  readonly beforePromote?: (generations: ReadonlyMap<string, GenerationRef>) => Promise<void> | void;
  /** The fresh generations, as soon as they are created (so that an interrupted rebuild can drop them). */
  readonly onGenerations?: (generations: ReadonlyMap<string, GenerationRef>) => void;
  readonly logger?: RunnerLogger;
  readonly maxBatch?: number;
  /** Bytes of documents (as JSON) the runner keeps in memory per view (default REBUILD_CACHE_BYTES). */
  readonly cacheBytes?: number;
  /** Stops the catch-up between batches (a service shutting down): the fresh generations are dropped. */
  readonly signal?: AbortSignal;
}

/**
 * A replay from the start of the log reads each order's events close together: a small document cache
 * holds what a batch needs next. Measured on a 1M-event log: 2,000 documents per view replayed the orders
 * group as fast as 20,000, with ~80 MB less heap (peak RSS 361 -> 281 MB at 300k events). Sized by bytes since
 * 2026-12-03: 3 MB is about 1,300 journal documents and 2,200 order documents of that log (1M-event rebuild of
 * every group: 129 s, peak RSS 279 MB, against 178 s and 282 MB with 2,000 documents, one run each).
 */
const REBUILD_CACHE_BYTES = 3 * 1024 * 1024;

/**
 * Events per batch in a rebuild: fewer than a catch-up's (projection-runner.ts MAX_BATCH), for its memory; larger
 * batches are faster, but the peak RSS passes the 300 MB. Measured 2026-12-04, every group in turn into a fresh
 * views file: on the 1M-event log, 102 s and 274 MB with 2,000 events, 93 s and 317 MB with 4,000; on the 100k-event
 * log, 263-268 MB with 2,000, 269 MB with 4,000, 285 MB with 6,000, 305 MB with 8,000.
 *
 * `jxc projections rebuild` takes the groups in turn, each reading the log itself. Measured 2026-12-04 on the 100k-event
 * log, every group into a fresh views file: in turn 10.7 s, peak RSS 258 MB. Every group at once through one SharedLog
 * (as a catch-up does): 8.6 and 9.0 s but 379 and 429 MB; with a window of 4,096 events 9.7 s and 323 MB; with batches
 * of 1,000 and a window of 2,048, 10.6 s and 298 MB. Two processes each rebuilding half the groups into the one views
 * file: 8.6 s, each group slower (audit 4.1 s against 3.1, orders 5.1 against 2.8), as they take turns for its write
 * lock. Within the memory bound, neither is faster than the groups in turn.
 */
const REBUILD_MAX_BATCH = 2000;

export interface RebuildResult {
  readonly group: string;
  /** Per view: the generation that served before and the one promoted. */
  readonly views: readonly { readonly view: string; readonly previous: string; readonly promoted: string }[];
  readonly events: number;
  readonly position: string | undefined;
  readonly seconds: number;
}

/**
 * Rebuilds one group from the start of the log into fresh generations, with the runner's own
 * `catchUp`, while the live generations keep serving; then promotes them, one view after the
 * other. A service following the old generations gets UnknownGeneration on its next write and
 * follows the promoted ones from their checkpoints (ProjectionRunner "follows promotes"): whatever
 * was appended between the end of the catch-up and the promotion is applied by it then.
 * On failure the fresh generations are dropped and the live ones stay. A view whose live generation is no
 * longer the one the rebuild started from (another rebuild was promoted meanwhile) is not promoted over it:
 * PromotionConflict.
 */
export async function rebuildGroup(events: EventStore, views: ReadStore, group: ProjectionGroup, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = performance.now();
  const targets = new Map<string, GenerationRef>();
  const previous = new Map<string, string>();
  try {
    for (const view of group.views) {
      previous.set(view.name, await views.liveGeneration(view.name));
      targets.set(view.name, { view: view.name, generation: await views.createGeneration(view.name) });
    }
    options.onGenerations?.(targets);
    const runner = new ProjectionRunner(group, events, views, {
      logger: options.logger,
      maxBatch: options.maxBatch ?? REBUILD_MAX_BATCH,
      cacheBytes: options.cacheBytes ?? REBUILD_CACHE_BYTES,
      signal: options.signal,
    });
    const caughtUp = await runner.catchUp(targets, (count, position) => options.onProgress?.({ events: count, position }));
    await options.beforePromote?.(targets);
    // Each view only over the generation the rebuild started from: when two processes rebuild the group at once (two
    // services starting at a new version), the first to promote the first view promotes the group, the other's
    // promotion fails with PromotionConflict and its generations are dropped. Views are promoted in the group's order.
    for (const view of group.views) await views.promoteGeneration(view.name, targets.get(view.name)!.generation, { replacing: previous.get(view.name) });
    return {
      group: group.name,
      views: group.views.map((view) => ({ view: view.name, previous: previous.get(view.name)!, promoted: targets.get(view.name)!.generation })),
      events: caughtUp.events,
      position: caughtUp.position,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await dropGenerations(views, targets);
    throw error;
  }
}

/** Drops fresh generations that were not promoted (a failed rebuild, a finished verification). */
export async function dropGenerations(views: ReadStore, targets: ReadonlyMap<string, GenerationRef>): Promise<void> {
  for (const target of targets.values()) {
    try {
      if ((await views.liveGeneration(target.view)) !== target.generation) await views.dropGeneration(target.view, target.generation);
    } catch {
      // Best effort: a generation left behind is invisible to readers; listGenerations shows it.
    }
  }
}
