import { type ProjectionGroup } from '../../../projections/index.js';
import { eventDistance } from '../../platform/projection-runner/event-distance.js';
import { generationVersion } from '../../platform/projection-runner/group-version.js';
import { type ViewDifference, verifyGroup } from '../../platform/projection-runner/projection-verification.js';
import { dropGenerations, rebuildGroup, selectGroups, UnknownProjection } from '../../platform/projection-runner/rebuild.js';
import { type RunnerLogger } from '../../platform/projection-runner/projection-runner.js';
import { type GenerationRef, generationCheckpointName } from '../../platform/read-store/read-store.port.js';
import { EXIT, usageError } from '../cli-error.js';
import { type Output } from '../output.js';
import { progressBar, rateLine } from '../progress.js';
import { type Stores } from '../stores.js';

export interface ProjectionCommandOptions {
  readonly progress: boolean;
}

function groupsNamed(name: string | undefined): ProjectionGroup[] {
  try {
    return selectGroups(name);
  } catch (error) {
    if (error instanceof UnknownProjection) throw usageError(error.message);
    throw error;
  }
}

function describe(group: ProjectionGroup): string {
  const views = group.views.map((view) => view.name);
  return views.length === 1 && views[0] === group.name ? group.name : `${group.name} (${views.join(', ')})`;
}

function runnerLogger(io: Output): RunnerLogger {
  return { log: () => undefined, warn: (message) => io.err(`warning: ${message}`), error: (message) => io.err(`error: ${message}`) };
}

/**
 * Fresh generations that an interrupt (Ctrl-C) drops before the process exits: the live
 * generations were never touched, so nothing else needs undoing.
 */
function dropOnInterrupt(stores: Stores, io: Output): { track(targets: ReadonlyMap<string, GenerationRef>): void; release(): void } {
  let current: ReadonlyMap<string, GenerationRef> | undefined;
  const onSignal = () => {
    io.err('interrupted: dropping the unfinished generations; the live views are unchanged');
    void (current ? dropGenerations(stores.views, current) : Promise.resolve()).finally(async () => {
      await stores.close().catch(() => undefined);
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    track: (targets) => (current = targets),
    release: () => {
      current = undefined;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function logSize(stores: Stores): Promise<number | undefined> {
  return eventDistance(stores.events, undefined, await stores.events.headPosition());
}

/** `jxc projections rebuild [name]`: every group, or the group of that name or view. */
export async function rebuildProjections(stores: Stores, io: Output, name: string | undefined, options: ProjectionCommandOptions): Promise<number> {
  const groups = groupsNamed(name);
  for (const group of groups) {
    io.out(`rebuilding ${describe(group)} at version ${group.version} from the start of the log into fresh generations; the live ones serve meanwhile`);
    const bar = options.progress ? progressBar(group.name, await logSize(stores)) : undefined;
    const interrupt = dropOnInterrupt(stores, io);
    try {
      const result = await rebuildGroup(stores.events, stores.views, group, {
        logger: runnerLogger(io),
        onGenerations: (targets) => interrupt.track(targets),
        onProgress: ({ events }) => bar?.update(events),
      });
      bar?.stop();
      const promoted = result.views.map(({ view, previous, promoted }) => `${view} ${previous} -> ${promoted}`).join(', ');
      io.out(`${group.name}: ${rateLine(result.events, result.seconds)}, up to position ${result.position ?? '(empty log)'}; promoted ${promoted}`);
    } finally {
      bar?.stop();
      interrupt.release();
    }
  }
  return EXIT.ok;
}

/**
 * `jxc projections status [name]`: per group its version (the code's), per view the live generation, the
 * version it was built at, its checkpoint and how far behind the log it is.
 */
export async function projectionsStatus(stores: Stores, io: Output, name: string | undefined): Promise<number> {
  const head = await stores.events.headPosition();
  for (const group of groupsNamed(name)) {
    io.out(`${group.name} (version ${group.version}):`);
    for (const view of group.views) {
      const target = { view: view.name, generation: await stores.views.liveGeneration(view.name) };
      const version = await generationVersion(stores.views, target);
      const checkpoint = await stores.views.getCheckpoint(generationCheckpointName(target));
      const behind = eventDistance(stores.events, checkpoint, head);
      const built = version === undefined ? 'empty' : `built at version ${version}`;
      const stale = version !== undefined && version !== group.version ? ` (out of date: the service rebuilds ${group.name} when it starts; or run jxc projections rebuild ${group.name})` : '';
      const progress = checkpoint === undefined ? 'no checkpoint' : `checkpoint ${checkpoint}${behind === undefined ? '' : `, ${behind} event${behind === 1 ? '' : 's'} behind`}`;
      io.out(`  ${view.name}: generation ${target.generation}, ${built}, ${progress}${stale}`);
    }
  }
  return EXIT.ok;
}

/** `jxc projections verify [name]`: replays into throw-away generations and diffs them against the live views. */
export async function verifyProjections(stores: Stores, io: Output, name: string | undefined, options: ProjectionCommandOptions & { maxReported: number }): Promise<number> {
  const groups = groupsNamed(name);
  let total = 0;
  const failing: string[] = [];
  for (const group of groups) {
    const bar = options.progress ? progressBar(`${group.name} (replay)`, await logSize(stores)) : undefined;
    const interrupt = dropOnInterrupt(stores, io);
    const started = performance.now();
    let result;
    try {
      result = await verifyGroup(stores.events, stores.views, group, {
        logger: runnerLogger(io),
        maxReported: options.maxReported,
        onGenerations: (targets) => interrupt.track(targets),
        onProgress: ({ events }) => bar?.update(events),
      });
    } finally {
      bar?.stop();
      interrupt.release();
    }
    const seconds = (performance.now() - started) / 1000;
    io.out(`${describe(group)}: replayed ${rateLine(result.events, seconds)}, compared at position ${result.position ?? '(no checkpoint: empty views)'}`);
    for (const difference of result.reported) io.out(`  ${formatDifference(await revealed(stores, difference))}`);
    if (result.differences > result.reported.length) io.out(`  ... and ${result.differences - result.reported.length} more differences`);
    for (const view of result.views) {
      const behind = view.livePosition !== result.position ? ` (live checkpoint ${view.livePosition ?? 'none'})` : '';
      io.out(`  ${view.view}: ${view.documents} documents, ${view.differences === 0 ? 'equal' : `${view.differences} difference${view.differences === 1 ? '' : 's'}`}${behind}`);
      if (view.differences > 0) failing.push(view.view);
    }
    if (result.moving) io.out(`  note: the live views kept moving (is the service running?); differences may be writes made meanwhile`);
    total += result.differences;
  }
  if (total === 0) {
    io.out('projections verify: every view equals a fresh replay of the log');
    return EXIT.ok;
  }
  io.out(`projections verify: ${total} difference${total === 1 ? '' : 's'} in ${failing.join(', ')}`);
  return EXIT.failed;
}

/** A difference with its personal data opened; as stored (sealed) when they cannot be (no master key: a backup's copy). */
async function revealed(stores: Stores, difference: ViewDifference): Promise<ViewDifference> {
  try {
    return await stores.personalData.reveal(difference);
  } catch {
    return difference;
  }
}

/** `orders SO-1 paid: live 1000, replay 0` */
export function formatDifference(difference: ViewDifference): string {
  const where = `${difference.view} ${difference.id}`;
  switch (difference.kind) {
    case 'only_in_live':
      return `${where}: only in the live view (a fresh replay has no such document)`;
    case 'missing_in_live':
      return `${where}: missing from the live view (a fresh replay has it)`;
    case 'changed':
      return `${where} ${difference.field}: live ${shortJson(difference.live)}, replay ${shortJson(difference.replay)}`;
  }
}

function shortJson(value: unknown): string {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
