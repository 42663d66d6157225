import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { OptionalTextField, TextField } from '../../platform/http/dto-rules.js';
import { OptionalLinesField, SkuQuantityDto } from './order-lines.dto.js';

export class RequestCancellationDto {
  @TextField('customer changed their mind')
  reason!: string;

  @ApiProperty({ enum: ['customer', 'company', 'supplier'], description: 'who asked for it (the requester is the caller)' })
  @IsIn(['customer', 'company', 'supplier'])
  initiatedBy!: 'customer' | 'company' | 'supplier';

  @OptionalTextField('called on 2026-11-29')
  note?: string;

  @OptionalLinesField(SkuQuantityDto, 'sale: cancel these quantities only (not with `scope`)')
  lines?: SkuQuantityDto[];

  @ApiPropertyOptional({ enum: ['remainder'], description: 'cancel everything not shipped yet (not with `lines`); neither: the whole order' })
  @IsOptional()
  @IsIn(['remainder'])
  scope?: 'remainder';
}
