import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { IdField, MAX_QUANTITY, QuantityField, TextField } from '../../platform/http/dto-rules.js';
import { LinesField } from './order-lines.dto.js';

/** 10^15 minor units, as MoneyField (platform/http/dto-rules.ts). */
const MAX_UNIT_PRICE = 10 ** 15;

export class AmendedLineDto {
  @IdField('TEA-LONGJING-250G', 'a sku of the order, or a registered product to add')
  sku!: string;

  @QuantityField(`the line's new ordered quantity (shipped and cancelled units included; at most ${MAX_QUANTITY})`)
  quantity!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_UNIT_PRICE, description: "minor units; absent: the line's price, or the product's current price for a new sku" })
  @IsOptional()
  @IsInt({ message: '$property must be an integer number of minor units' })
  @Min(0)
  @Max(MAX_UNIT_PRICE)
  unitPrice?: number;
}

export class AmendOrderDto {
  @LinesField(AmendedLineDto, 'the order lines as they become (a line left out is quantity 0)')
  lines!: AmendedLineDto[];

  @TextField('customer wants two more')
  reason!: string;
}
