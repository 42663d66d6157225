import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { type Actor, type Role } from '../../domain/shared/context.js';
import { CONFIG, type Config, severalProcesses } from '../platform/config/config.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { API_KEYS_STREAM, apiKeys, type IssuedKey, isUsable } from './api-key.aggregate.js';

const RELOAD_AT_MOST_EVERY_MS = 1000;
/** JXC_WORKERS > 1: a key not found is looked for again if the keys were read longer ago than this (one issued by another process). */
const RELOAD_UNKNOWN_AFTER_MS = 50;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A key as `GET /api/keys` lists it: never the key, nor its hash. */
export interface KeyListing {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: Role[];
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revoked: boolean;
}

/**
 * Maps a bearer key to its user and roles. Only SHA-256 hashes of keys are stored; a key is shown once.
 * Expiry is checked on every request against the clock, revocation as soon as the `apikeys` stream is read
 * again: at once in the process that revoked, within a second in any other (the stream is read again at most
 * once a second while requests come in). With JXC_WORKERS > 1 a key not found is looked for again when the keys
 * were read more than 50 ms ago, so a key issued through one process works at once through the others. The last use of each key is kept in memory only: recording it in
 * the log would append one event per request.
 */
@Injectable()
export class ApiKeyRegistry implements OnModuleInit {
  private keys: ReadonlyMap<string, IssuedKey> = new Map();
  private byHash = new Map<string, IssuedKey>();
  private readonly bootstrap = new Map<string, Actor>();
  private readonly lastUsed = new Map<string, string>();
  private lastReload = 0;
  private reloadsStarted = 0;
  private newestApplied = 0;
  private readonly shared: boolean;

  constructor(
    private readonly repository: AggregateRepository,
    @Inject(CONFIG) config: Config,
  ) {
    if (config.bootstrapAdminKey) this.bootstrap.set(hashKey(config.bootstrapAdminKey), { id: 'admin', roles: ['admin'] });
    this.shared = severalProcesses(config);
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  async authenticate(key: string): Promise<Actor | undefined> {
    const hash = hashKey(key);
    const admin = this.bootstrap.get(hash);
    if (admin) return admin;
    // Another jxc process may have issued or revoked it since: look again, at most once a second.
    // If the log cannot be read just now, the keys read last still hold (a 503 for every request would not help).
    if (Date.now() - this.lastReload >= RELOAD_AT_MOST_EVERY_MS) await this.refresh().catch(() => undefined);
    // Several processes: a key issued through another one a moment ago is found at once, not a second later.
    else if (this.shared && !this.byHash.has(hash) && Date.now() - this.lastReload >= RELOAD_UNKNOWN_AFTER_MS) await this.refresh().catch(() => undefined);
    const issued = this.byHash.get(hash);
    const now = Date.now();
    if (!issued || !isUsable(issued, now)) return undefined;
    this.lastUsed.set(issued.keyId, new Date(now).toISOString());
    return { id: issued.userId, roles: issued.roles };
  }

  /** Reads the keys again: after a key was issued or revoked here, or maybe by another jxc process. */
  async refresh(): Promise<void> {
    this.lastReload = Date.now();
    const ticket = ++this.reloadsStarted;
    this.repository.forget(API_KEYS_STREAM);
    const { state } = await this.repository.load(apiKeys, API_KEYS_STREAM);
    // Reads overlap (a revocation's while a periodic one runs): one started earlier must not undo a later one.
    if (ticket < this.newestApplied) return;
    this.newestApplied = ticket;
    this.keys = state.keys;
    this.byHash = new Map([...state.keys.values()].map((issued) => [issued.keyHash, issued]));
  }

  /** Every issued key, revoked and expired ones included, oldest first. The bootstrap admin key is configuration, not an issued key: not listed. */
  async list(): Promise<KeyListing[]> {
    await this.refresh();
    return [...this.keys.values()].map((key) => ({
      keyId: key.keyId,
      userId: key.userId,
      roles: [...key.roles],
      createdAt: key.createdAt,
      lastUsedAt: this.lastUsed.get(key.keyId) ?? null,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
      revoked: key.revoked,
    }));
  }
}
