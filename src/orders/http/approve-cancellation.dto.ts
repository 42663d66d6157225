import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';

import { MoneyField, OptionalTextField } from '../../platform/http/dto-rules.js';

export class PenaltyDto {
  @MoneyField('the agreed penalty in minor units')
  amount!: number;

  @ApiProperty({ enum: ['company', 'supplier'] })
  @IsIn(['company', 'supplier'])
  payer!: 'company' | 'supplier';
}

export class GoodwillCouponDto {
  @MoneyField('store credit granted to the customer, in minor units')
  amount!: number;

  @ApiPropertyOptional({ example: '2027-01-31T16:00:00Z', description: 'ISO-8601 time from which the credit can no longer be spent (in the future); none: never expires' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO-8601 time' })
  expiresAt?: string;

  @ApiPropertyOptional({ example: 'SORRY-20', description: 'an optional label (voucher code) kept with the grant' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1 to 32 letters, digits, _ or -' })
  code?: string;
}

export class ApproveCancellationDto {
  @OptionalTextField('approved after checking stock')
  note?: string;

  @ApiPropertyOptional({ enum: ['original', 'cash', 'bank_transfer', 'store_credit'], default: 'original', description: 'sale orders: how the refund is paid; original splits it over the payments, latest first, each back by its own route' })
  @IsOptional()
  @IsIn(['original', 'cash', 'bank_transfer', 'store_credit'])
  refundMethod?: 'original' | 'cash' | 'bank_transfer' | 'store_credit';

  @ApiPropertyOptional({ type: PenaltyDto, description: 'purchase orders: a penalty agreed with the supplier' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PenaltyDto)
  penalty?: PenaltyDto;

  @ApiPropertyOptional({ type: GoodwillCouponDto, description: 'sale orders, whoever initiated the cancellation: store credit offered to keep the customer (granted by the order process; GET /api/customers/:id/credits)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => GoodwillCouponDto)
  goodwillCoupon?: GoodwillCouponDto;
}
