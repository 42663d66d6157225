import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { type Actor, type Role, ROLES } from '../../../domain/shared/context.js';
import { type Expect, type Same } from '../../platform/http/openapi.js';
import { CurrentActor } from '../../platform/http/request-context.js';
import { Authenticated } from '../roles.decorator.js';

/** Who the key in the request acts as. */
interface Me {
  readonly userId: string;
  readonly roles: readonly Role[];
}

class MeView {
  @ApiProperty({ example: 'alice', description: 'the user the key acts as (the actor of every event it causes)' }) userId!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['clerk'], description: 'the roles of the key (API.md "Access")' }) roles!: Role[];
}
type _MeView = Expect<Same<MeView, Me>>;

/** `GET /api/me`: any valid key learns its user and roles (the console decides which screens to show from it). */
@ApiTags('access')
@Controller('me')
export class MeController {
  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The user and roles of the calling API key (any valid key)' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): Me {
    return { userId: actor.id, roles: [...actor.roles] };
  }
}
