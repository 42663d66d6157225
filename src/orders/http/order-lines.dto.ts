import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';

import { IdField, QuantityField } from '../../platform/http/dto-rules.js';

/** Lines a command names on an order (ship part of it, cancel part of it, return part of it): at most one per sku. */
const MAX_PART_LINES = 200;

/** A quantity of one sku of the order. */
export class SkuQuantityDto {
  @IdField('TEA-LONGJING-250G', 'a sku of the order')
  sku!: string;

  @QuantityField()
  quantity!: number;
}

/** A required array of 1 to MAX_PART_LINES lines, each validated as `type` (its fields named `lines[i].field`). */
export const LinesField = (type: new () => object, description: string) =>
  applyDecorators(
    ApiProperty({ type: [type], minItems: 1, maxItems: MAX_PART_LINES, description }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_PART_LINES),
    ValidateNested({ each: true }),
    Type(() => type),
  );

/** `LinesField`, optional. */
export const OptionalLinesField = (type: new () => object, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [type], minItems: 1, maxItems: MAX_PART_LINES, description }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_PART_LINES),
    ValidateNested({ each: true }),
    Type(() => type),
  );
