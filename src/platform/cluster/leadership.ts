import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { CONFIG, type Config } from '../config/config.js';
import { type LeaseState, type LeaseStore } from './lease.port.js';
import { LEASE_STORE_OPENER, type LeaseStoreOpener, openLeaseStore } from './open-lease-store.js';

/** The lease's name in the store. */
const LEADER_LEASE = 'leader';
/** How long a lease lasts without renewal: a SIGKILLed leader is replaced within this plus one renewal period. */
const LEASE_TTL_MS = 5000;
/** How often the holder renews it, and how often the others try to take it. */
const RENEW_EVERY_MS = 1000;
/**
 * A leader that could not renew stops leading this long before its lease expires, by a timer, not at its next
 * renewal: the process that takes the lease over (at the expiry, by its own clock) never overlaps it, provided the
 * processes' clocks agree to within this.
 */
const STEP_DOWN_BEFORE_EXPIRY_MS = 500;

/** What /api/health says of the processes. */
export interface LeadershipStatus {
  /** JXC_WORKERS. */
  readonly workers: number;
  /** node:cluster's id of this process (1..), null when the service runs as one process. */
  readonly worker: number | null;
  readonly pid: number;
  /** True in the process that runs what follows the log (always, with one process). */
  readonly leader: boolean;
  /** The lease as last read: who holds it, until when, its generation; null with one process. */
  readonly lease: { readonly holder: string | null; readonly expiresAt: string | null; readonly generation: number } | null;
  /** This process's name as a lease holder; null with one process. */
  readonly holderId: string | null;
}

/**
 * Which process runs what follows the log (projection worker, process recovery, webhook outbox and dispatcher,
 * scheduled backups). With one process (JXC_WORKERS=1) it is this one, always, and no lease is read or written.
 * With several, the one that holds the `leader` lease in the store: the embedded event store's file
 * (sqlite-lease-store.ts), or with EventStoreDB the MongoDB read store's database (mongodb-lease-store.ts). It renews the lease
 * every second; the others try to take it every second, and one does once it has expired (LEASE_TTL_MS after the
 * last renewal, e.g. after a SIGKILL). A leader that finds the lease taken by another (it could not renew in
 * time), or whose lease runs out while its store does not answer (STEP_DOWN_BEFORE_EXPIRY_MS before the expiry, so
 * before anyone may take it over), stops at once what it ran: it calls its `onLost` handler (main.ts stops the
 * process gracefully; the supervisor starts a new one, which follows).
 */
@Injectable()
export class Leadership implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Leadership');
  private readonly workers: number;
  private leading: boolean;
  private readonly duties: (() => void)[] = [];
  private readonly lostHandlers: (() => void)[] = [];
  private readonly holderId: string | undefined;
  private store: LeaseStore | undefined;
  private lease: LeaseState | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Fires when the leader must stop unless renewed meanwhile (STEP_DOWN_BEFORE_EXPIRY_MS before the expiry). */
  private stepDownTimer: NodeJS.Timeout | undefined;
  /** The take-or-renew in progress: the next waits for it (a slow store is not asked twice at once). */
  private ticking: Promise<void> | undefined;
  private stopping = false;
  /** Set once this process lost the lease: it is being stopped and replaced, and takes nothing over again. */
  private lost = false;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Optional() @Inject(LEASE_STORE_OPENER) private readonly openStore: LeaseStoreOpener = openLeaseStore,
  ) {
    this.workers = config.workers ?? 1;
    this.leading = this.workers === 1;
    if (this.workers > 1) this.holderId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.workers === 1) return;
    // Opened once the stores are (the event store made the file and its schema).
    this.store = await this.openStore(this.config);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), RENEW_EVERY_MS);
  }

  /** Stops trying to take the lease; the holder keeps renewing until its components have stopped (onApplicationShutdown). */
  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    clearTimeout(this.stepDownTimer);
    const store = this.store;
    this.store = undefined;
    if (store && this.holderId) {
      try {
        if (this.leading) await store.release(LEADER_LEASE, this.holderId);
      } catch (error) {
        this.logger.warn(`could not give the lease up (it expires by itself): ${(error as Error).message}`);
      }
      await store.close().catch((error: unknown) => this.logger.warn(`could not close the lease store: ${(error as Error).message}`));
    }
  }

  /** True while this process runs what follows the log. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Runs `start` now if this process leads, else when it takes the lease (once). */
  whenLeading(start: () => void): void {
    if (this.leading) start();
    else this.duties.push(start);
  }

  /** Called when this process lost the lease to another: what it ran must stop. */
  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  status(): LeadershipStatus {
    const lease = this.lease;
    return {
      workers: this.workers,
      worker: cluster.isWorker ? cluster.worker!.id : null,
      pid: process.pid,
      leader: this.leading,
      lease: lease ? { holder: lease.holder, expiresAt: lease.expiresAt === null ? null : new Date(lease.expiresAt).toISOString(), generation: lease.generation } : null,
      holderId: this.holderId ?? null,
    };
  }

  /** One take-or-renew, unless one is in progress. */
  private tick(): Promise<void> {
    if (this.ticking) {
      // A store that does not answer: once the lease it last granted has run out, another process may hold it.
      if (this.leading && this.runOut()) this.lose('its lease ran out while the store did not answer');
      return this.ticking;
    }
    this.ticking = this.takeOrRenew().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async takeOrRenew(): Promise<void> {
    const store = this.store;
    if (!store || !this.holderId) return;
    // A process that is stopping, or lost the lease, takes nothing over; a leader that is stopping renews until it has stopped.
    if ((this.stopping || this.lost) && !this.leading) return;
    const now = Date.now();
    let lease: LeaseState;
    try {
      lease = await store.acquire(LEADER_LEASE, this.holderId, LEASE_TTL_MS, now);
    } catch (error) {
      this.logger.warn(`could not read or renew the leader lease: ${(error as Error).message}`);
      // Not renewed: once its expiry has passed, another process may hold it.
      if (this.leading && this.runOut()) this.lose('its lease ran out while the store could not be written');
      return;
    }
    if ((this.stopping || this.lost) && !this.leading) {
      // It began to stop (or lost the lease) while the lease was being taken: it takes nothing over.
      if (lease.held) await store.release(LEADER_LEASE, this.holderId).catch(() => undefined);
      return;
    }
    this.lease = lease;
    if (this.leading && this.runOut()) {
      // The answer took longer than the lease lasts: the renewal it reports has run out already.
      this.lose('its lease ran out before the store answered the renewal');
      return;
    }
    if (lease.held && !this.leading) this.gain(lease);
    else if (!lease.held && this.leading) this.lose(`the lease is held by ${lease.holder ?? 'nobody'} (generation ${lease.generation})`);
    if (this.leading) this.armStepDown();
  }

  /** Stops leading when the lease as last granted runs out, unless a renewal comes first (and re-arms it). */
  private armStepDown(): void {
    clearTimeout(this.stepDownTimer);
    const expiresAt = this.lease?.expiresAt;
    if (expiresAt === undefined || expiresAt === null) return;
    this.stepDownTimer = setTimeout(
      () => {
        if (this.leading && this.runOut()) this.lose('its lease ran out before it could be renewed');
      },
      Math.max(0, expiresAt - STEP_DOWN_BEFORE_EXPIRY_MS - Date.now()),
    );
  }

  /** True when the lease as last granted to this process has run out by its clock (STEP_DOWN_BEFORE_EXPIRY_MS early). */
  private runOut(): boolean {
    const expiresAt = this.lease?.expiresAt;
    return expiresAt !== undefined && expiresAt !== null && Date.now() >= expiresAt - STEP_DOWN_BEFORE_EXPIRY_MS;
  }

  private gain(lease: LeaseState): void {
    this.leading = true;
    this.logger.log(`this process (${this.holderId}) leads (lease generation ${lease.generation}): starting the projections, process recovery, webhooks and backups here`);
    for (const start of this.duties.splice(0)) {
      try {
        start();
      } catch (error) {
        this.logger.error(`a leader duty failed to start: ${(error as Error).message}`);
      }
    }
  }

  private lose(why: string): void {
    clearTimeout(this.stepDownTimer);
    this.leading = false;
    this.lost = true;
    this.logger.error(`this process (${this.holderId}) lost the leader lease: ${why}; stopping what it ran`);
    for (const handler of this.lostHandlers) handler();
  }
}
