import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { IdField, OptionalTextField, QuantityField, TextField } from '../../platform/http/dto-rules.js';
import { LinesField, SkuQuantityDto } from './order-lines.dto.js';

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
  @OptionalTextField('R1', 64)
  returnId?: string;

  @LinesField(ReturnedLineDto, 'what came back; without `returnId`, counted against the open returns, oldest first')
  lines!: ReturnedLineDto[];
}

/** A customer return of delivered goods (sale). */
export class RequestReturnDto {
  @LinesField(SkuQuantityDto, 'delivered units the customer sends back')
  lines!: SkuQuantityDto[];

  @TextField('wrong colour')
  reason!: string;
}

export class CloseReturnsDto {
  @TextField('customer kept the rest')
  reason!: string;
}

/** Goods received on a purchase going back to the supplier. */
export class ReturnToSupplierDto {
  @LinesField(SkuQuantityDto, 'received units that go back')
  lines!: SkuQuantityDto[];

  @TextField('damaged in transit')
  reason!: string;
}
