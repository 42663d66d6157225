import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { type Actor } from '../../domain/shared/context.js';
import { CONFIG, type Config } from '../platform/config/config.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { API_KEYS_STREAM, apiKeys, type IssuedKey } from './api-key.aggregate.js';

const RELOAD_AT_MOST_EVERY_MS = 1000;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Maps a bearer key to its user and roles. Only SHA-256 hashes of keys are stored; a key is shown once. */
@Injectable()
export class ApiKeyRegistry implements OnModuleInit {
  private byHash = new Map<string, IssuedKey>();
  private readonly bootstrap = new Map<string, Actor>();
  private lastReload = 0;

  constructor(
    private readonly repository: AggregateRepository,
    @Inject(CONFIG) config: Config,
  ) {
    if (config.bootstrapAdminKey) this.bootstrap.set(hashKey(config.bootstrapAdminKey), { id: 'admin', roles: ['admin'] });
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  async authenticate(key: string): Promise<Actor | undefined> {
    const hash = hashKey(key);
    const known = this.bootstrap.get(hash) ?? this.toActor(this.byHash.get(hash));
    if (known) return known;
    // Another jxc process may have issued it since: look again, but not on every bad key.
    if (Date.now() - this.lastReload < RELOAD_AT_MOST_EVERY_MS) return undefined;
    await this.refresh();
    return this.toActor(this.byHash.get(hash));
  }

  /** Reads the keys again: after a key was issued or revoked here, or (on an unknown key) maybe by another jxc process. */
  async refresh(): Promise<void> {
    this.lastReload = Date.now();
    this.repository.forget(API_KEYS_STREAM);
    const { state } = await this.repository.load(apiKeys, API_KEYS_STREAM);
    this.byHash = new Map([...state.keys.values()].map((issued) => [issued.keyHash, issued]));
  }

  private toActor(issued: IssuedKey | undefined): Actor | undefined {
    return issued && { id: issued.userId, roles: issued.roles };
  }
}
