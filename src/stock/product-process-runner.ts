import { Injectable } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID, nextProductStep, productStream, stockStream } from '../../domain/index.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { productAggregate, stockAggregate } from '../platform/write-model/aggregates.js';
import { KeyedLock } from '../platform/write-model/keyed-lock.js';
import { describeStep, PROCESS_ACTOR, type ProcessOutcome, type ProcessTrigger, type StepProbe } from '../orders/processes/order-process-runner.js';
import { TransferProcessRunner, transferRefOf } from './transfer-process-runner.js';

/**
 * A product registered with minStock/maxStock gives its default stock position those thresholds (once).
 * The recovery also runs the transfers of the product under its key (`<sku>:<from>:<transferId>`, from every
 * `StockTransferredOut`): see TransferProcessRunner.
 */
@Injectable()
export class ProductProcessRunner {
  private readonly locks = new KeyedLock();
  private failures = 0;

  constructor(
    private readonly repository: AggregateRepository,
    private readonly transfers: TransferProcessRunner,
  ) {}

  run(sku: string, trigger: ProcessTrigger): Promise<string | undefined> {
    return this.runProbed(sku, trigger, { step: null });
  }

  /** Runs the product's process like `run`, but answers a failure (and the step it failed at) instead of throwing it. */
  async attempt(sku: string, trigger: ProcessTrigger): Promise<ProcessOutcome<string | undefined>> {
    const transfer = transferRefOf(sku);
    if (transfer !== null) return this.transfers.attempt(transfer, trigger);
    const probe: StepProbe = { step: null };
    try {
      return { settled: true, run: await this.runProbed(sku, trigger, probe) };
    } catch (error) {
      return { settled: false, error, step: probe.step };
    }
  }

  /** Runs that ended in an error since start. */
  stats(): Readonly<{ failures: number }> {
    return { failures: this.failures + this.transfers.stats().failures };
  }

  private runProbed(sku: string, trigger: ProcessTrigger, probe: StepProbe): Promise<string | undefined> {
    return this.locks.run(sku, async () => {
      try {
        const product = await this.repository.load(productAggregate, productStream(sku));
        const stock = await this.repository.load(stockAggregate, stockStream(DEFAULT_WAREHOUSE_ID, sku));
        const step = nextProductStep(product.state, stock.state);
        if (step === null || step.aggregate !== 'stock') return undefined;
        probe.step = describeStep(step);
        const metadata = { commandId: step.stepId, correlationId: trigger.correlationId, causationId: trigger.causationId, actor: PROCESS_ACTOR, now: trigger.now };
        return (await this.repository.execute(stockAggregate, step.streamId, step.command, metadata)).position;
      } catch (error) {
        this.failures++;
        throw error;
      }
    });
  }
}
