import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';

import { type Actor, type Role } from '../../domain/shared/context.js';
import { CONFIG, type Config } from '../platform/config/config.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
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
    await this.reload();
  }

  async authenticate(key: string): Promise<Actor | undefined> {
    const hash = hashKey(key);
    const known = this.bootstrap.get(hash) ?? this.toActor(this.byHash.get(hash));
    if (known) return known;
    // Another jxc process may have issued it since: look again, but not on every bad key.
    if (Date.now() - this.lastReload < RELOAD_AT_MOST_EVERY_MS) return undefined;
    await this.reload();
    return this.toActor(this.byHash.get(hash));
  }

  /**
   * A new key, shown once. A keyed request issued before (its answer lost) answers the same key id with `key`
   * null: only the key's hash was kept, the key itself cannot be shown again.
   */
  async issue(userId: string, roles: Role[], metadata: CommandMetadata): Promise<{ keyId: string; key: string | null }> {
    const key = `jxc_${randomBytes(32).toString('base64url')}`;
    const keyId = newEntityId(metadata, 'apikey');
    const executed = await this.repository.execute(apiKeys, API_KEYS_STREAM, { type: 'IssueApiKey', keyId, userId, roles, keyHash: hashKey(key) }, metadata);
    await this.reload();
    if (!executed.alreadyApplied) return { keyId, key };
    const issued = executed.alreadyApplied.events.find((event) => event.type === 'ApiKeyIssued');
    return { keyId: issued?.type === 'ApiKeyIssued' ? issued.data.keyId : keyId, key: null };
  }

  async revoke(keyId: string, metadata: CommandMetadata): Promise<void> {
    await this.repository.execute(apiKeys, API_KEYS_STREAM, { type: 'RevokeApiKey', keyId }, metadata);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.lastReload = Date.now();
    this.repository.forget(API_KEYS_STREAM);
    const { state } = await this.repository.load(apiKeys, API_KEYS_STREAM);
    this.byHash = new Map([...state.keys.values()].map((issued) => [issued.keyHash, issued]));
  }

  private toActor(issued: IssuedKey | undefined): Actor | undefined {
    return issued && { id: issued.userId, roles: issued.roles };
  }
}
