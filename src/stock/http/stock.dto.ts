import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

import { type StockAlert, type StockLevel } from '../../../domain/stock/state.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';
import { IdField, MAX_QUANTITY, OptionalMoneyField, OptionalTextField, OptionalWarehouseField, QuantityField, TextField } from '../../platform/http/dto-rules.js';

export class ReceiveStockDto {
  @IdField('TEA-LONGJING-250G', 'a registered product')
  sku!: string;

  @QuantityField('units received (opening or manual receipt, 入库)')
  quantity!: number;

  @OptionalWarehouseField()
  warehouseId?: string;

  @OptionalTextField('opening balance')
  note?: string;

  @OptionalMoneyField('what one unit cost, integer minor units of the business currency; absent: at the current moving average')
  unitCost?: number;
}

export class CountStockDto {
  @IdField('TEA-LONGJING-250G', 'a registered product')
  sku!: string;

  @ApiProperty({ type: 'integer', example: 118, minimum: 0, description: 'units counted on the shelf (盘点); the variance is recorded, history is kept' })
  @IsInt({ message: 'countedQuantity must be an integer' })
  @Min(0)
  @Max(MAX_QUANTITY)
  countedQuantity!: number;

  @OptionalWarehouseField()
  warehouseId?: string;

  @TextField('monthly stocktake')
  reason!: string;
}

export class StockThresholdsDto {
  @ApiProperty({ type: 'integer', example: 10, minimum: 0, nullable: true, description: 'below this many available units the position is low; null clears it' })
  @ValidateIf((_dto, value) => value !== null)
  @IsInt({ message: 'min must be an integer or null' })
  @Min(0)
  @Max(MAX_QUANTITY)
  min!: number | null;

  @ApiProperty({ type: 'integer', example: 500, minimum: 0, nullable: true, description: 'above this many units on hand the position is high; null clears it' })
  @ValidateIf((_dto, value) => value !== null)
  @IsInt({ message: 'max must be an integer or null' })
  @Min(0)
  @Max(MAX_QUANTITY)
  max!: number | null;

  @OptionalWarehouseField()
  warehouseId?: string;
}

export const STOCK_ALERTS = everyValue<NonNullable<StockAlert>>()('low', 'high');

export class StockLevelView {
  @ApiProperty() sku!: string;
  @ApiProperty({ example: 'main' }) warehouseId!: string;
  @ApiProperty({ type: 'integer' }) onHand!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: 'onHand − reserved' }) available!: number;
  @ApiProperty({ type: 'integer', description: 'expected from open purchase orders' }) incoming!: number;
  @ApiProperty({ type: 'integer', nullable: true }) min!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) max!: number | null;
  @ApiProperty({ type: String, enum: STOCK_ALERTS, nullable: true }) alert!: StockAlert;
  @ApiProperty({ type: 'integer', description: 'moving average cost of a unit on hand: round(value / onHand), 0 when nothing is on hand (minor units)' }) unitCost!: number;
  @ApiProperty({ type: 'integer', description: 'value of the units on hand (minor units of the business currency)' }) value!: number;
  @ApiProperty({ type: 'integer', description: 'units of transfers on their way to this position' }) inTransit!: number;
  @ApiProperty({ type: 'integer', description: 'value of the units in transit (minor units)' }) inTransitValue!: number;
  @ApiProperty({ type: 'integer', description: 'revision of the stock stream' }) revision!: number;
  @ApiProperty({ type: String, nullable: true, description: 'log position of the event this command appended (null when it appended nothing)' }) position!: string | null;
}
// What StockWriteHandler answers: the domain's stock level of the position, with its stream revision and the log position.
type _StockLevelView = Expect<Same<StockLevelView, Omit<StockLevel, 'sku' | 'warehouseId'> & { sku: string; warehouseId: string; revision: number; position: string | null }>>;

export class StockCountView extends StockLevelView {
  @ApiProperty({ type: 'integer', description: 'counted minus what was on hand' }) variance!: number;
}
