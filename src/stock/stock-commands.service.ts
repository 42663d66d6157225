import { Injectable } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID, productStream, stockStream } from '../../domain/index.js';
import { type StockCommand } from '../../domain/stock/commands.js';
import { type StockEvent } from '../../domain/stock/events.js';
import { stockLevel } from '../../domain/stock/state.js';
import { validationFailed } from '../platform/http/validation.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { productAggregate, stockAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { type StockLevelView } from './http/stock.dto.js';

export interface StockCommandResult {
  readonly level: StockLevelView;
  /** What the command appended: now, or the first time when a keyed retry found it applied before. */
  readonly events: readonly StockEvent[];
}

/** Receipts, counts and thresholds on one stock position (warehouse, sku) of a registered product. */
@Injectable()
export class StockCommands {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(sku: string, warehouseId: string | undefined, command: (warehouseId: string) => StockCommand, metadata: CommandMetadata, skuField = 'sku'): Promise<StockCommandResult> {
    const product = await this.repository.load(productAggregate, productStream(sku));
    if (product.state === null) throw validationFailed([{ field: skuField, problems: [`no product ${sku}`] }]);
    const warehouse = warehouseId ?? DEFAULT_WAREHOUSE_ID;
    const executed = await this.repository.execute(stockAggregate, stockStream(warehouse, sku), command(warehouse), metadata);
    const level = stockLevel(executed.aggregate.state);
    return {
      level: { ...level, sku, warehouseId: warehouse, revision: Number(executed.aggregate.revision ?? -1n), position: executed.position ?? null },
      events: executed.alreadyApplied?.events ?? executed.events,
    };
  }
}
