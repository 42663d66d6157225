import { setTimeout as sleep } from 'node:timers/promises';

import { type ProjectedEvent } from '../../../projections/index.js';
import { type ReadStore } from '../read-store/read-store.port.js';
import { messageOf, ProjectionFailure, WriteFailure } from './group-projector.js';
import { DEAD_LETTERS, type DeadLetter } from './view-catalog.js';

export interface DeadLetteringOptions {
  /** Attempts at one event in one view before it is dead-lettered. */
  readonly maxAttempts: number;
  /** Time of a dead letter; the runner's clock, not the business's. */
  readonly clock: () => string;
  readonly logger: { warn(message: string): void; error(message: string): void };
  readonly deadLettered?: (view: string, letter: DeadLetter) => void;
}

/**
 * The attempts at an event one view cannot take (its projection throws, or the store refuses its
 * write): each failed attempt is counted and waited after; the last one records the event in
 * `dead_letters`, and the view skips it.
 */
export class DeadLettering {
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly group: string,
    private readonly views: ReadStore,
    private readonly options: DeadLetteringOptions,
  ) {}

  /** Counts an attempt at the event in the view. True when it was the last: the event is dead-lettered, the view is to skip it. */
  async failedOn(view: string, event: ProjectedEvent, error: Error): Promise<boolean> {
    const key = `${view}@${event.position}`;
    const attempts = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempts);
    const cause = error instanceof ProjectionFailure || error instanceof WriteFailure ? error.cause : error;
    if (attempts < this.options.maxAttempts) {
      this.options.logger.warn(`${view}: attempt ${attempts} at ${event.type} (${event.streamId}@${event.revision}, position ${event.position}) failed: ${messageOf(cause)}`);
      await sleep(50 * attempts);
      return false;
    }
    const letter = this.letter(key, view, event, messageOf(cause), attempts);
    await this.views.writeBatch(DEAD_LETTERS.name, [{ type: 'upsert', document: { ...letter } }]);
    this.attempts.delete(key);
    this.options.logger.error(`${view}: dead-lettered ${event.type} (${event.streamId}@${event.revision}, position ${event.position}) after ${attempts} attempts: ${letter.error}`);
    this.options.deadLettered?.(view, letter);
    return true;
  }

  private letter(id: string, view: string, event: ProjectedEvent, error: string, attempts: number): DeadLetter {
    return {
      id,
      position: event.position,
      projection: view,
      group: this.group,
      streamId: event.streamId,
      revision: event.revision,
      type: event.type,
      error,
      attempts,
      at: this.options.clock(),
      occurredAt: event.metadata.occurredAt ?? null,
    };
  }
}
