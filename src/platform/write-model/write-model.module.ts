import { Global, Module } from '@nestjs/common';

import { READ_STORE, type ReadStore } from '../read-store/read-store.port.js';
import { AggregateRepository } from './aggregate-repository.js';
import { ReadStoreSnapshots, SNAPSHOT_STORE } from './snapshots.js';

@Global()
@Module({
  providers: [AggregateRepository, { provide: SNAPSHOT_STORE, inject: [READ_STORE], useFactory: (store: ReadStore) => ReadStoreSnapshots.open(store) }],
  exports: [AggregateRepository],
})
export class WriteModelModule {}
