import { Injectable } from '@nestjs/common';

import { stockStream } from '../../domain/index.js';
import { transferEntry, transferKey } from '../../domain/stock/state.js';
import { nextTransferStep } from '../../domain/processes/transfer.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { stockAggregate } from '../platform/write-model/aggregates.js';
import { KeyedLock } from '../platform/write-model/keyed-lock.js';
import { PROCESS_ACTOR, type ProcessOutcome, type ProcessTrigger, type StepProbe } from '../orders/processes/order-process-runner.js';

/** Which transfer a process run is for: the `from` position (warehouse, sku) where it was decided, and its id. */
export interface TransferRef {
  readonly from: string;
  readonly sku: string;
  readonly transferId: string;
}

/**
 * The recovery runs a transfer's process under its product's key, `product:<sku>:<from>:<transferId>` (see
 * ProductProcessRunner): none of the parts holds a `:` (SKUs are letters, digits, `.`, `_`, `-`, warehouse ids
 * letters, digits and `_`, transfer ids uuids), so a plain SKU is the product's own process.
 */
export function transferRefOf(id: string): TransferRef | null {
  const [sku, from, transferId, ...rest] = id.split(':');
  return transferId === undefined || rest.length > 0 ? null : { from, sku, transferId };
}

/**
 * The transfer's process (domain/processes/transfer.ts): after the decision on `from`, the transfer is recorded in
 * transit at `to` (`ArriveTransfer`, idempotent). Run inline by the route that decided it and again by the
 * recovery for every `StockTransferredOut` in the log, so a crash between the two appends is finished.
 */
@Injectable()
export class TransferProcessRunner {
  private readonly locks = new KeyedLock();
  private failures = 0;

  constructor(private readonly repository: AggregateRepository) {}

  /** Runs the step if it is due; the log position of what it appended (undefined: nothing to do). */
  run(ref: TransferRef, trigger: ProcessTrigger): Promise<string | undefined> {
    return this.runProbed(ref, trigger, { step: null });
  }

  /** Like `run`, answering a failure (and the step it failed at) instead of throwing it. */
  async attempt(ref: TransferRef, trigger: ProcessTrigger): Promise<ProcessOutcome<string | undefined>> {
    const probe: StepProbe = { step: null };
    try {
      return { settled: true, run: await this.runProbed(ref, trigger, probe) };
    } catch (error) {
      return { settled: false, error, step: probe.step };
    }
  }

  /** Runs that ended in an error since start. */
  stats(): Readonly<{ failures: number }> {
    return { failures: this.failures };
  }

  private runProbed(ref: TransferRef, trigger: ProcessTrigger, probe: StepProbe): Promise<string | undefined> {
    return this.locks.run(ref.transferId, async () => {
      try {
        const keys = [transferKey(ref.transferId)];
        const sent = (await this.repository.load(stockAggregate, stockStream(ref.from, ref.sku), keys)).state;
        const entry = transferEntry(sent, ref.transferId);
        if (entry === undefined || entry.direction !== 'out') return undefined;
        const destination = await this.repository.load(stockAggregate, stockStream(entry.counterpart, ref.sku), keys);
        const step = nextTransferStep(ref.transferId, sent, destination.state);
        if (step === null) return undefined;
        const streamId = stockStream(step.warehouseId, step.sku);
        probe.step = { command: step.type, streamId };
        const metadata = { commandId: `transfer:${ref.transferId}:arrive`, correlationId: trigger.correlationId, causationId: trigger.causationId, actor: PROCESS_ACTOR, now: trigger.now };
        return (await this.repository.execute(stockAggregate, streamId, step, metadata)).position;
      } catch (error) {
        this.failures++;
        throw error;
      }
    });
  }
}
