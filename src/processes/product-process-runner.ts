import { Injectable } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID, nextProductStep, productStream, stockStream } from '../../domain/index.js';
import { AggregateRepository } from '../write-model/aggregate-repository.js';
import { productAggregate, stockAggregate } from '../write-model/aggregates.js';
import { KeyedLock } from '../write-model/keyed-lock.js';
import { PROCESS_ACTOR, type ProcessTrigger } from './order-process-runner.js';

/** A product registered with minStock/maxStock gives its default stock position those thresholds (once). */
@Injectable()
export class ProductProcessRunner {
  private readonly locks = new KeyedLock();

  constructor(private readonly repository: AggregateRepository) {}

  run(sku: string, trigger: ProcessTrigger): Promise<string | undefined> {
    return this.locks.run(sku, async () => {
      const product = await this.repository.load(productAggregate, productStream(sku));
      const stock = await this.repository.load(stockAggregate, stockStream(DEFAULT_WAREHOUSE_ID, sku));
      const step = nextProductStep(product.state, stock.state);
      if (step === null || step.aggregate !== 'stock') return undefined;
      const metadata = { commandId: step.stepId, correlationId: trigger.correlationId, causationId: trigger.causationId, actor: PROCESS_ACTOR, now: trigger.now };
      return (await this.repository.execute(stockAggregate, step.streamId, step.command, metadata)).position;
    });
  }
}
