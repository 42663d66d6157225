import { Body, Controller, Delete, HttpCode, Param, Post, SetMetadata } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches } from 'class-validator';

import { type Role, ROLES } from '../../../domain/shared/context.js';
import { REDACT_IN_RECORD } from '../../platform/idempotency/idempotency.interceptor.js';
import { ApiCommandErrors, ApiErrors } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
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
}

export class IssuedKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ type: String, description: 'Shown once. Only its SHA-256 hash is stored; an idempotent replay answers null.', nullable: true }) key!: string | null;
}

/** API keys (admin): each route sends a key write on the CommandBus (KeyWriteHandler); ApiKeyRegistry authenticates. */
@ApiTags('access')
@Controller('keys')
export class KeysController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles()
  @SetMetadata(REDACT_IN_RECORD, ['key'])
  @ApiOperation({ summary: 'Issue an API key for a user with roles (admin)' })
  @ApiCreatedResponse({ type: IssuedKeyDto })
  @ApiCommandErrors()
  async issue(@Body() body: IssueKeyDto, @CommandContext() metadata: CommandMetadata): Promise<IssuedKeyDto> {
    const { keyId, key } = await this.commands.execute(new ExecuteKeyWrite({ kind: 'issue', userId: body.userId, roles: body.roles }, metadata));
    return { keyId, userId: body.userId, roles: body.roles, key };
  }

  @Delete(':keyId')
  @Roles()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)' })
  @ApiNoContentResponse({ description: 'revoked (or already revoked)' })
  @ApiErrors(400, 404, 409, 503)
  async revoke(@Param('keyId') keyId: string, @CommandContext() metadata: CommandMetadata): Promise<void> {
    await this.commands.execute(new ExecuteKeyWrite({ kind: 'revoke', keyId }, metadata));
  }
}
