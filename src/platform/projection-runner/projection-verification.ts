import { type ProjectionGroup } from '../../../projections/index.js';
import { type EventStore } from '../event-store/event-store.port.js';
import { type GenerationRef, generationCheckpointName, type ReadStore, type ViewDocument } from '../read-store/read-store.port.js';
import { ProjectionRunner, type RunnerLogger } from './projection-runner.js';
import { type CatchUpProgress, dropGenerations } from './rebuild.js';

export type DifferenceKind = 'changed' | 'missing_in_live' | 'only_in_live';

/** One way the live view differs from a fresh replay of the log. */
export interface ViewDifference {
  readonly view: string;
  readonly id: string;
  readonly kind: DifferenceKind;
  /** The differing field path (`lines[0].reserved`); null when the whole document is missing on one side. */
  readonly field: string | null;
  readonly live: unknown;
  readonly replay: unknown;
}

export interface ViewVerification {
  readonly view: string;
  /** The live generation's checkpoint. */
  readonly livePosition: string | undefined;
  readonly documents: number;
  readonly differences: number;
}

export interface GroupVerification {
  readonly group: string;
  /** The position both sides were compared at. */
  readonly position: string | undefined;
  readonly events: number;
  readonly views: readonly ViewVerification[];
  readonly differences: number;
  /** The first differences, at most `maxReported`. */
  readonly reported: readonly ViewDifference[];
  /** The live views kept moving (a running service) through every round: differences may be writes made meanwhile. */
  readonly moving: boolean;
}

export interface VerifyOptions {
  readonly onProgress?: (progress: CatchUpProgress) => void;
  readonly logger?: RunnerLogger;
  /** The throw-away generations, as soon as they are created (so that an interrupted verification can drop them). */
  readonly onGenerations?: (generations: ReadonlyMap<string, GenerationRef>) => void;
  /** Differences kept for reporting (all are counted). Default 1000. */
  readonly maxReported?: number;
  /** Catch-up and compare rounds while the live views move under a running service. Default 5. */
  readonly maxRounds?: number;
}

/**
 * Replays the log into throw-away generations of the group's views, with the runner's own
 * `catchUp`, up to the position the live views are at, then compares every document of both,
 * field by field, streaming both sides in id order (memory bounded by a page, not by the view).
 * When a running service moved the live views meanwhile, catches up to the new position and
 * compares again. The throw-away generations are dropped at the end.
 */
export async function verifyGroup(events: EventStore, views: ReadStore, group: ProjectionGroup, options: VerifyOptions = {}): Promise<GroupVerification> {
  const maxReported = options.maxReported ?? 1000;
  const maxRounds = options.maxRounds ?? 5;
  const targets = new Map<string, GenerationRef>();
  try {
    for (const view of group.views) targets.set(view.name, { view: view.name, generation: await views.createGeneration(view.name) });
    options.onGenerations?.(targets);
    const runner = new ProjectionRunner(group, events, views, { logger: options.logger });
    let caughtUp = 0;
    for (let round = 1; ; round++) {
      const live = await liveCheckpoints(views, group);
      const until = latest(events, [...live.values()]);
      if (until !== undefined) caughtUp = (await runner.catchUp(targets, (count, position) => options.onProgress?.({ events: count, position }), until)).events;
      const reported: ViewDifference[] = [];
      const results: ViewVerification[] = [];
      let differences = 0;
      for (const view of group.views) {
        let documents = 0;
        let count = 0;
        for await (const difference of compareGenerations(views, view.name, targets.get(view.name)!, () => documents++)) {
          count++;
          if (reported.length < maxReported) reported.push(difference);
        }
        differences += count;
        results.push({ view: view.name, livePosition: live.get(view.name), documents, differences: count });
      }
      const after = latest(events, [...(await liveCheckpoints(views, group)).values()]);
      const moving = after !== until;
      if (!moving || differences === 0 || round >= maxRounds) {
        return { group: group.name, position: until, events: caughtUp, views: results, differences, reported, moving: moving && differences > 0 };
      }
    }
  } finally {
    await dropGenerations(views, targets);
  }
}

async function liveCheckpoints(views: ReadStore, group: ProjectionGroup): Promise<Map<string, string | undefined>> {
  const checkpoints = new Map<string, string | undefined>();
  for (const view of group.views) {
    const generation = await views.liveGeneration(view.name);
    checkpoints.set(view.name, await views.getCheckpoint(generationCheckpointName({ view: view.name, generation })));
  }
  return checkpoints;
}

function latest(events: EventStore, positions: readonly (string | undefined)[]): string | undefined {
  let result: string | undefined;
  for (const position of positions) {
    if (position !== undefined && (result === undefined || events.comparePositions(position, result) > 0)) result = position;
  }
  return result;
}

/** Both generations in id order, merged: every document missing on one side or differing in a field. */
async function* compareGenerations(views: ReadStore, view: string, replayed: GenerationRef, counted: () => void = () => undefined): AsyncGenerator<ViewDifference> {
  const live = await views.liveGeneration(view);
  const scan = (generation: string) => views.scan({ view, generation }, { sort: [{ field: 'id', direction: 'asc' }], pageSize: 500 })[Symbol.asyncIterator]();
  const left = scan(live);
  const right = scan(replayed.generation);
  let a = await left.next();
  let b = await right.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareIds(a.value.id, b.value.id);
    counted();
    if (order < 0) {
      yield { view, id: (a.value as ViewDocument).id, kind: 'only_in_live', field: null, live: a.value, replay: null };
      a = await left.next();
    } else if (order > 0) {
      yield { view, id: (b.value as ViewDocument).id, kind: 'missing_in_live', field: null, live: null, replay: b.value };
      b = await right.next();
    } else {
      for (const difference of fieldDifferences(a.value, b.value, '')) yield { view, id: (a.value as ViewDocument).id, kind: 'changed', ...difference };
      a = await left.next();
      b = await right.next();
    }
  }
}

/** The stores order ids as UTF-8 bytes (SQLite BINARY collation, MongoDB's simple collation). */
function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Every leaf where two JSON values differ, as a path (`cancellation.state`, `lines[1].reserved`). */
export function* fieldDifferences(live: unknown, replay: unknown, path: string): Generator<{ field: string; live: unknown; replay: unknown }> {
  if (Object.is(live, replay)) return;
  if (isObject(live) && isObject(replay)) {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(replay)])].sort();
    for (const key of keys) yield* fieldDifferences(live[key], replay[key], path === '' ? key : `${path}.${key}`);
    return;
  }
  if (Array.isArray(live) && Array.isArray(replay)) {
    for (let i = 0; i < Math.max(live.length, replay.length); i++) yield* fieldDifferences(live[i], replay[i], `${path}[${i}]`);
    return;
  }
  yield { field: path, live, replay };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
