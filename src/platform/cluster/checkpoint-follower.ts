import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { PROJECTION_GROUPS } from '../../../projections/index.js';
import { CONFIG, type Config, severalProcesses } from '../config/config.js';
import { ProjectionService } from '../projection-runner/projection.service.js';
import { type GroupStatus } from '../projection-runner/projection-worker-protocol.js';
import { generationCheckpointName, READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { Leadership } from './leadership.js';

/** How often a process that does not project reads the views' checkpoints (read-your-writes waits on them). */
const FOLLOW_CHECKPOINTS_EVERY_MS = 100;

/**
 * With several processes (JXC_WORKERS > 1), only the leader runs the projection worker. Every other process
 * reads each view's live generation and checkpoint from the shared read store every FOLLOW_CHECKPOINTS_EVERY_MS
 * and hands them to its ProjectionService, which serves minPosition reads (read-your-writes), /api/health and
 * X-Jxc-View-Position from them as the leader does from its worker's reports. A follower that takes the lease
 * stops reading and starts the worker.
 */
@Injectable()
export class CheckpointFollower implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CheckpointFollower');
  private timer: NodeJS.Timeout | undefined;
  private following = false;
  private lastError: string | null = null;

  constructor(
    private readonly leadership: Leadership,
    private readonly projections: ProjectionService,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    if (!severalProcesses(this.config)) return;
    if (!this.leadership.isLeader()) {
      this.following = true;
      void this.poll();
    }
    this.leadership.whenLeading(() => {
      this.stop();
      this.projections.lead();
    });
  }

  beforeApplicationShutdown(): void {
    this.stop();
  }

  private stop(): void {
    this.following = false;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    if (!this.following) return;
    try {
      const groups = await this.read();
      if (this.following) this.projections.followed(groups);
      if (this.lastError !== null) this.logger.log('reading the views\' checkpoints again');
      this.lastError = null;
    } catch (error) {
      const message = (error as Error).message;
      if (this.lastError !== message) this.logger.warn(`could not read the views' checkpoints: ${message}`);
      this.lastError = message;
    }
    if (this.following) this.timer = setTimeout(() => void this.poll(), FOLLOW_CHECKPOINTS_EVERY_MS);
  }

  /** Each group's views as the shared read store holds them: live generation and its checkpoint. */
  private async read(): Promise<GroupStatus[]> {
    const groups: GroupStatus[] = [];
    for (const group of PROJECTION_GROUPS) {
      const views = [];
      for (const view of group.views) {
        const generation = await this.views.liveGeneration(view.name);
        const position = await this.views.getCheckpoint(generationCheckpointName({ view: view.name, generation }));
        views.push({ view: view.name, generation, position: position ?? null });
      }
      groups.push({ group: group.name, status: 'running', lastError: null, views });
    }
    return groups;
  }
}
