import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';

import { MoneyField, OptionalTextField } from '../../platform/http/dto-rules.js';

export class PenaltyDto {
  @MoneyField('the agreed penalty in minor units')
  amount!: number;

  @ApiProperty({ enum: ['company', 'supplier'] })
  @IsIn(['company', 'supplier'])
  payer!: 'company' | 'supplier';
}

export class GoodwillCouponDto {
  @ApiProperty({ example: 'SORRY-20' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1 to 32 letters, digits, _ or -' })
  code!: string;

  @MoneyField('coupon value in minor units')
  amount!: number;
}

export class ApproveCancellationDto {
  @OptionalTextField('approved after checking stock')
  note?: string;

  @ApiPropertyOptional({ enum: ['original', 'cash', 'bank_transfer', 'store_credit'], default: 'original', description: 'sale orders: how the refund is paid' })
  @IsOptional()
  @IsIn(['original', 'cash', 'bank_transfer', 'store_credit'])
  refundMethod?: 'original' | 'cash' | 'bank_transfer' | 'store_credit';

  @ApiPropertyOptional({ type: PenaltyDto, description: 'purchase orders: a penalty agreed with the supplier' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PenaltyDto)
  penalty?: PenaltyDto;

  @ApiPropertyOptional({ type: GoodwillCouponDto, description: 'customer-initiated cancellations: a coupon offered to keep the customer' })
  @IsOptional()
  @ValidateNested()
  @Type(() => GoodwillCouponDto)
  goodwillCoupon?: GoodwillCouponDto;
}
