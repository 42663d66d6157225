import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';

import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { type ProjectionHealth } from '../projection-runner/projection.service.js';

/**
 * "The views have caught up once": every projection group has applied the log as it was when the service
 * started (its head position then), after which the group stays caught up for readiness, however far a burst
 * of commands puts it behind later (that shows as `lag`, not as unreadiness). A log that was empty at start
 * needs no catch-up. When the head could not be read at start (store down), it is read at the next check.
 */
@Injectable()
export class Readiness implements OnApplicationBootstrap {
  /** The head at start; `undefined`: the log was empty; absent from `known`: not read yet. */
  private target: string | undefined;
  private known = false;
  private readonly caughtUp = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.readTarget().catch(() => undefined);
  }

  /**
   * The groups that have not caught up once yet, given the views' progress; throws when the head at start
   * is still unknown and cannot be read now.
   */
  async pendingGroups(projections: Readonly<Record<string, ProjectionHealth>>): Promise<string[]> {
    if (!this.known) await this.readTarget();
    const behind = new Set<string>();
    const groups = new Set<string>();
    for (const view of Object.values(projections)) {
      groups.add(view.group);
      if (this.caughtUp.has(view.group) || this.target === undefined) continue;
      if (view.position === null || this.store.comparePositions(view.position, this.target) < 0) behind.add(view.group);
    }
    for (const group of groups) if (!behind.has(group)) this.caughtUp.add(group);
    return [...behind].sort();
  }

  private async readTarget(): Promise<void> {
    this.target = await this.store.headPosition();
    this.known = true;
  }
}
