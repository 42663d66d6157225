import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';

import { type Role } from '../../domain/shared/context.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { API_KEYS_STREAM, apiKeys } from './api-key.aggregate.js';
import { ApiKeyRegistry, hashKey } from './api-key-registry.js';

/** Every API key write: issue a key for a user with roles, or revoke one. */
export type KeyWrite = { readonly kind: 'issue'; readonly userId: string; readonly roles: Role[]; readonly expiresAt: string | null } | { readonly kind: 'revoke'; readonly keyId: string };

export interface KeyWritten {
  readonly keyId: string;
  /**
   * The new key, shown once. Null when revoking, and for a keyed request issued before (its answer lost):
   * only the key's hash was kept, the key itself cannot be shown again.
   */
  readonly key: string | null;
}

/** The message a controller sends on the CommandBus for any API key write. */
export class ExecuteKeyWrite extends Command<KeyWritten> {
  constructor(
    readonly write: KeyWrite,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/** Appends to the `apikeys` stream, then has the registry (which authenticates) read it again. */
@CommandHandler(ExecuteKeyWrite)
export class KeyWriteHandler implements ICommandHandler<ExecuteKeyWrite> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly registry: ApiKeyRegistry,
  ) {}

  async execute({ write, metadata }: ExecuteKeyWrite): Promise<KeyWritten> {
    if (write.kind === 'revoke') {
      await this.repository.execute(apiKeys, API_KEYS_STREAM, { type: 'RevokeApiKey', keyId: write.keyId }, metadata);
      await this.registry.refresh();
      return { keyId: write.keyId, key: null };
    }
    const key = `jxc_${randomBytes(32).toString('base64url')}`;
    const keyId = newEntityId(metadata, 'apikey');
    const executed = await this.repository.execute(apiKeys, API_KEYS_STREAM, { type: 'IssueApiKey', keyId, userId: write.userId, roles: write.roles, keyHash: hashKey(key), expiresAt: write.expiresAt }, metadata);
    await this.registry.refresh();
    if (!executed.alreadyApplied) return { keyId, key };
    const issued = executed.alreadyApplied.events.find((event) => event.type === 'ApiKeyIssued');
    return { keyId: issued?.type === 'ApiKeyIssued' ? issued.data.keyId : keyId, key: null };
  }
}
