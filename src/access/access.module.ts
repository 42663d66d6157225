import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';

import { ApiKeyRegistry } from './api-key-registry.js';
import { AuthGuard } from './auth.guard.js';
import { KeyWriteHandler } from './commands.js';
import { KeysController } from './http/keys.controller.js';
import { MeController } from './http/me.controller.js';

@Global()
@Module({
  imports: [CqrsModule],
  controllers: [KeysController, MeController],
  providers: [ApiKeyRegistry, KeyWriteHandler, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeyRegistry],
})
export class AccessModule {}
