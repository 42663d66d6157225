import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';

import { IdField, QuantityField } from '../../platform/http/dto-rules.js';

export class ReceivedLineDto {
  @IdField('TEA-LONGJING-250G')
  sku!: string;

  @QuantityField('units that arrived in this delivery')
  quantity!: number;
}

export class ReceiveGoodsDto {
  @ApiProperty({ type: [ReceivedLineDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReceivedLineDto)
  lines!: ReceivedLineDto[];
}
