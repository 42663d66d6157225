import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import cluster from 'node:cluster';

import { CONFIG, type Config, severalProcesses } from '../config/config.js';
import { EVENT_STORE, type EventStore, hasCommitNotices } from '../event-store/event-store.port.js';

/** The message a service process sends the supervisor after it committed, and the supervisor passes to the others. */
const COMMITTED_MESSAGE = 'jxc:committed';

export function isCommittedMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { jxc?: unknown }).jxc === COMMITTED_MESSAGE;
}

/**
 * JXC_WORKERS > 1: a commit in one process wakes what follows the log in the others (the leader's projection worker
 * and process recovery) at once, through the supervisor (node:cluster IPC, at most one message per event-loop turn),
 * instead of at their next poll of the store (every second). Nothing depends on it: a lost message costs that second.
 */
@Injectable()
export class CommitRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;
  private onMessage: ((message: unknown) => void) | undefined;
  private queued = false;
  /** Set while passing another process's commit on to this one's listeners: that one is not sent back. */
  private relaying = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    const store = this.events;
    if (!severalProcesses(this.config) || !cluster.isWorker || !hasCommitNotices(store) || !process.send) return;
    this.unsubscribe = store.onCommit(() => {
      if (this.relaying || this.queued) return;
      this.queued = true;
      setImmediate(() => {
        this.queued = false;
        if (process.connected) process.send?.({ jxc: COMMITTED_MESSAGE });
      });
    });
    this.onMessage = (message) => {
      if (!isCommittedMessage(message)) return;
      this.relaying = true;
      try {
        store.notifyCommitted();
      } finally {
        this.relaying = false;
      }
    };
    process.on('message', this.onMessage);
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    if (this.onMessage) process.off('message', this.onMessage);
  }
}
