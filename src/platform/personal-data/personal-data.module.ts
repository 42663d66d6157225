import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { CONFIG, type Config } from '../config/config.js';
import { AggregateRepository } from '../write-model/aggregate-repository.js';
import { customerAggregate, supplierAggregate } from '../write-model/aggregates.js';
import { openPersonalData, type PersonalData } from './open-personal-data.js';
import { PersonalDataInterceptor } from './personal-data.interceptor.js';
import { PersonalDataVault } from './personal-data-vault.js';

const PERSONAL_DATA = Symbol('PersonalData');

/**
 * Personal data of customers and suppliers sealed in their events with per-party keys (docs/personal-data.md).
 * The start stops with one line when personal data are sealed and the master key is missing or another.
 */
@Global()
@Module({
  providers: [
    { provide: PERSONAL_DATA, inject: [CONFIG], useFactory: (config: Config) => openPersonalData(config) },
    { provide: PersonalDataVault, inject: [PERSONAL_DATA], useFactory: (personal: PersonalData) => personal.vault },
    PersonalDataInterceptor,
  ],
  exports: [PersonalDataVault, PersonalDataInterceptor],
})
export class PersonalDataModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('PersonalData');

  constructor(
    @Inject(PERSONAL_DATA) private readonly personal: PersonalData,
    private readonly repository: AggregateRepository,
  ) {}

  onModuleInit(): void {
    for (const warning of this.personal.warnings) this.logger.warn(warning);
    this.repository.useCodec(customerAggregate.name, this.personal.vault);
    this.repository.useCodec(supplierAggregate.name, this.personal.vault);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.personal.keyStore.close();
  }
}
