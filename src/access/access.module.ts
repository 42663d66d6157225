import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { ApiKeyRegistry } from './api-key-registry.js';
import { AuthGuard } from './auth.guard.js';
import { KeysController } from './http/keys.controller.js';

@Global()
@Module({
  controllers: [KeysController],
  providers: [ApiKeyRegistry, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeyRegistry],
})
export class AccessModule {}
