import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';

import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';
import { PersonalDataInterceptor } from '../personal-data/personal-data.interceptor.js';
import { ErrorFilter } from './error.filter.js';
import { RequestContextMiddleware } from './request-context.js';
import { StrictValidationPipe } from './validation.js';

/** The request pipeline every route shares: context, auth (AccessModule), personal data, idempotency, validation, errors. */
@Module({
  providers: [
    { provide: APP_PIPE, useClass: StrictValidationPipe },
    { provide: APP_FILTER, useClass: ErrorFilter },
    // First, so outermost: personal data are disclosed after the idempotency record kept them sealed.
    { provide: APP_INTERCEPTOR, useExisting: PersonalDataInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class HttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*path');
  }
}
