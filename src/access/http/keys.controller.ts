import { Body, Controller, Delete, Get, HttpCode, Param, Post, SetMetadata } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';

import { type Role, ROLES } from '../../../domain/shared/context.js';
import { REDACT_IN_RECORD } from '../../platform/idempotency/idempotency.interceptor.js';
import { ApiCommandErrors, ApiErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ApiKeyRegistry, type KeyListing } from '../api-key-registry.js';
import { ExecuteKeyWrite } from '../commands.js';
import { Roles } from '../roles.decorator.js';

export class IssueKeyDto {
  @ApiProperty({ example: 'alice', description: 'The user the key acts as; recorded as the actor of every event it causes.' })
  @IsString()
  @Matches(/^[\w.@-]{1,64}$/, { message: 'userId must be 1 to 64 letters, digits, or . _ @ -' })
  userId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['clerk'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2027-01-31T00:00:00Z', description: 'The key answers 401 from this time on. Absent or null: it never expires.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 time, e.g. 2027-01-31T00:00:00Z' })
  @IsFutureTime()
  expiresAt?: string | null;
}

/** The time must lie ahead of now (a key that has already expired would be useless). */
function IsFutureTime() {
  return ValidateBy({
    name: 'isFutureTime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Date.parse(value) > Date.now(),
      defaultMessage: () => 'expiresAt must be a time in the future',
    },
  });
}

export class IssuedKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ type: String, description: 'Shown once. Only its SHA-256 hash is stored; an idempotent replay answers null.', nullable: true }) key!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' }) expiresAt!: string | null;
}

export class KeyListingView {
  @ApiProperty() keyId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null for a key issued before issue times were recorded' }) createdAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the last request it authenticated in this process since it started; null if none' }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' }) expiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while not revoked (and for a key revoked before revocation times were recorded: see `revoked`)' }) revokedAt!: string | null;
  @ApiProperty() revoked!: boolean;
}
type _KeyListingView = Expect<Same<KeyListingView, KeyListing>>;

export class KeyListView {
  @ApiProperty({ type: [KeyListingView], description: 'every issued key, revoked and expired ones included, oldest first; never the key itself. The bootstrap admin key (configuration) is not listed.' })
  items!: KeyListingView[];
}

/** API keys (admin): each route sends a key write on the CommandBus (KeyWriteHandler); ApiKeyRegistry authenticates. */
@ApiTags('access')
@Controller('keys')
export class KeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly registry: ApiKeyRegistry,
  ) {}

  @Get()
  @Roles()
  @ApiOperation({ summary: 'Every issued API key, without the key (admin)' })
  @ApiOkResponse({ type: KeyListView })
  @ApiErrors(503)
  async list(): Promise<KeyListView> {
    return { items: await this.registry.list() };
  }

  @Post()
  @Roles()
  @SetMetadata(REDACT_IN_RECORD, ['key'])
  @ApiOperation({ summary: 'Issue an API key for a user with roles (admin)' })
  @ApiCreatedResponse({ type: IssuedKeyDto })
  @ApiCommandErrors()
  async issue(@Body() body: IssueKeyDto, @CommandContext() metadata: CommandMetadata): Promise<IssuedKeyDto> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt).toISOString() : null;
    const { keyId, key } = await this.commands.execute(new ExecuteKeyWrite({ kind: 'issue', userId: body.userId, roles: body.roles, expiresAt }, metadata));
    return { keyId, userId: body.userId, roles: body.roles, key, expiresAt };
  }

  @Delete(':keyId')
  @Roles()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key at once (admin)', description: 'The key answers 401 from the next request on. Revoking a revoked key changes nothing and answers 204 again; an unknown keyId answers 404.' })
  @ApiNoContentResponse({ description: 'revoked (or already revoked)' })
  @ApiErrors(400, 404, 409, 503)
  async revoke(@Param('keyId') keyId: string, @CommandContext() metadata: CommandMetadata): Promise<void> {
    await this.commands.execute(new ExecuteKeyWrite({ kind: 'revoke', keyId }, metadata));
  }
}
