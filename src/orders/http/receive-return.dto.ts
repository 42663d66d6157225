import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, ValidateNested } from 'class-validator';

import { IdField, QuantityField } from '../../platform/http/dto-rules.js';

export class ReturnedLineDto {
  @IdField('TEA-LONGJING-250G')
  sku!: string;

  @QuantityField('units that came back in this delivery')
  quantity!: number;

  @ApiProperty({ enum: ['resellable', 'damaged'], description: 'resellable units go back to stock; damaged ones are kept out' })
  @IsIn(['resellable', 'damaged'])
  condition!: 'resellable' | 'damaged';
}

export class ReceiveReturnDto {
  @ApiProperty({ type: [ReturnedLineDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(400)
  @ValidateNested({ each: true })
  @Type(() => ReturnedLineDto)
  lines!: ReturnedLineDto[];
}
