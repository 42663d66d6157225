import { type ProjectionGroup } from '../../../projections/index.js';
import { type GenerationRef, generationCheckpointName, type ReadStore } from '../read-store/read-store.port.js';

/** What documents stored before checkpoints recorded a version were built with. */
const UNVERSIONED = 1;

/** A view whose generation was built by another version of its group's projections. */
export interface StaleView {
  readonly view: string;
  readonly generation: string;
  readonly version: number;
}

/**
 * The version of the projections a generation was built with (`ProjectionGroup.version`, stored with
 * every checkpoint): 1 for a checkpoint written before versions were recorded, or for documents
 * without a checkpoint (a first batch whose checkpoint was lost with MongoDB); undefined for a
 * generation nothing was written to yet, which any version can fill.
 */
export async function generationVersion(views: ReadStore, target: GenerationRef): Promise<number | undefined> {
  const checkpoint = await views.getCheckpointRecord(generationCheckpointName(target));
  if (checkpoint !== undefined) return checkpoint.version ?? UNVERSIONED;
  const page = await views.query(target, { limit: 1 });
  return page.items.length > 0 ? UNVERSIONED : undefined;
}

/** The views of the group whose given generations were built at another version than the group's. */
export async function staleViews(views: ReadStore, group: ProjectionGroup, targets: ReadonlyMap<string, GenerationRef>): Promise<StaleView[]> {
  const stale: StaleView[] = [];
  for (const view of group.views) {
    const target = targets.get(view.name);
    if (target === undefined) continue;
    const version = await generationVersion(views, target);
    if (version !== undefined && version !== group.version) stale.push({ view: view.name, generation: target.generation, version });
  }
  return stale;
}

/**
 * True when every view of the group has a live generation other than `previous` (the ones a rebuild
 * started from), built at the group's version: another process rebuilt and promoted the group
 * meanwhile, so promoting this rebuild would only replace equal documents.
 */
export async function rebuiltElsewhere(views: ReadStore, group: ProjectionGroup, previous: ReadonlyMap<string, GenerationRef>): Promise<boolean> {
  for (const view of group.views) {
    const live = await views.liveGeneration(view.name);
    if (live === previous.get(view.name)?.generation) return false;
    if ((await generationVersion(views, { view: view.name, generation: live })) !== group.version) return false;
  }
  return true;
}

export function describeStale(stale: readonly StaleView[]): string {
  return stale.map(({ view, generation, version }) => `${view} (generation ${generation}) was built at version ${version}`).join(', ');
}

/** A live generation built at another version than this process's, found while following: not written to. */
export class VersionMismatch extends Error {
  constructor(group: ProjectionGroup, stale: readonly StaleView[]) {
    super(
      `${describeStale(stale)}, this process projects version ${group.version} of ${group.name}: not following it; ` +
        `restart the service (it rebuilds the group) or run \`jxc projections rebuild ${group.name}\` with this version`,
    );
    this.name = 'VersionMismatch';
  }
}
