import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { productStream, stockStream } from '../../domain/index.js';
import { type CountStock, type IssueStock, type ReceiveStock, type SetStockThresholds } from '../../domain/stock/commands.js';
import { stockLevel } from '../../domain/stock/state.js';
import { validationFailed } from '../platform/http/validation.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { productAggregate, stockAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { type StockLevelView } from './http/stock.dto.js';

/** The stock commands a user sends (the process ones go through the order and product processes). */
export type StockWrite = ReceiveStock | CountStock | SetStockThresholds | IssueStock;

export interface StockWritten {
  /** The position's stock level after the command, with its stream revision and the log position. */
  readonly level: StockLevelView;
  /**
   * A count's variance (counted minus what was on hand), from what the count appended: now, or the first time
   * when a keyed retry found it applied before. 0 when it appended no adjustment, and for other commands.
   */
  readonly variance: number;
}

/** The message a controller sends on the CommandBus for any stock write. */
export class ExecuteStockWrite extends Command<StockWritten> {
  constructor(
    readonly command: StockWrite,
    readonly metadata: CommandMetadata,
    /** The request field that names the SKU, for the 400 when no such product is registered. */
    readonly skuField = 'sku',
  ) {
    super();
  }
}

/** Receipts, counts, issues and thresholds on one stock position (warehouse, sku) of a registered product. */
@CommandHandler(ExecuteStockWrite)
export class StockWriteHandler implements ICommandHandler<ExecuteStockWrite> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute({ command, metadata, skuField }: ExecuteStockWrite): Promise<StockWritten> {
    const { sku, warehouseId } = command;
    const product = await this.repository.load(productAggregate, productStream(sku));
    if (product.state === null) throw validationFailed([{ field: skuField, problems: [`no product ${sku}`] }]);
    const executed = await this.repository.execute(stockAggregate, stockStream(warehouseId, sku), command, metadata);
    const level = stockLevel(executed.aggregate.state);
    const adjusted = (executed.alreadyApplied?.events ?? executed.events).find((event) => event.type === 'StockAdjusted');
    return {
      level: { ...level, sku, warehouseId, revision: Number(executed.aggregate.revision ?? -1n), position: executed.position ?? null },
      variance: adjusted?.type === 'StockAdjusted' ? adjusted.data.variance : 0,
    };
  }
}
