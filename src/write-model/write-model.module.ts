import { Global, Module } from '@nestjs/common';

import { AggregateRepository } from './aggregate-repository.js';

@Global()
@Module({ providers: [AggregateRepository], exports: [AggregateRepository] })
export class WriteModelModule {}
