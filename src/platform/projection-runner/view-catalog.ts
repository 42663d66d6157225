import { PROJECTION_GROUPS, type ViewProjection } from '../../../projections/index.js';
import { type ReadStore, type ViewDefinition } from '../read-store/read-store.port.js';

/** Poison events the runner skipped after its attempts, one document per (view, event). Never rebuilt: it is the runner's log. */
export const DEAD_LETTERS: ViewDefinition = {
  name: 'dead_letters',
  indexes: [{ fields: [{ field: 'projection', direction: 'asc' }, { field: 'at', direction: 'desc' }] }, { fields: [{ field: 'at', direction: 'desc' }] }],
};

export interface DeadLetter {
  readonly id: string;
  readonly position: string;
  readonly projection: string;
  readonly group: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
  readonly attempts: number;
  /** When the runner gave up (the runner's clock: this records the runner, not the business). */
  readonly at: string;
  readonly occurredAt: string | null;
}

export function definitionOf(view: ViewProjection): ViewDefinition {
  return { name: view.name, indexes: view.indexes };
}

export const PROJECTED_VIEWS: readonly ViewProjection[] = PROJECTION_GROUPS.flatMap((group) => group.views);

/** Creates every view and its indexes (idempotent): at start-up of the service and of the CLI. */
export async function ensureViews(store: ReadStore): Promise<void> {
  for (const view of PROJECTED_VIEWS) await store.ensureView(definitionOf(view));
  await store.ensureView(DEAD_LETTERS);
}
