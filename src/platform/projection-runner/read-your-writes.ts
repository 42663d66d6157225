import { Inject, Injectable } from '@nestjs/common';
import { type FastifyReply } from 'fastify';

import { EVENT_STORE, type EventStore } from '../event-store/event-store.port.js';
import { validationFailed } from '../http/validation.js';
import { ProjectionService } from './projection.service.js';

/** How long a query with `minPosition` waits for its view (API.md: up to 5 s). */
const MIN_POSITION_WAIT_MS = 5000;

/**
 * `minPosition=<position>`: the query waits until the view has applied that position. After
 * 5 s it answers anyway with what the view holds and `X-Jxc-Stale: true` (a stale answer is more
 * useful to a client than an error, and it can retry). Every answer says how far its view is:
 * `X-Jxc-View-Position`.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly projections: ProjectionService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async awaitView(view: string, minPosition: string | undefined, response: FastifyReply): Promise<void> {
    if (minPosition !== undefined) {
      try {
        this.events.comparePositions(minPosition, minPosition);
      } catch {
        throw validationFailed([{ field: 'minPosition', problems: ['must be a position this service returned (the `position` of a command answer)'] }]);
      }
      const reached = await this.projections.waitFor(view, minPosition, MIN_POSITION_WAIT_MS);
      if (!reached) response.header('X-Jxc-Stale', 'true');
    }
    const position = this.projections.position(view);
    if (position !== undefined) response.header('X-Jxc-View-Position', position);
  }
}
