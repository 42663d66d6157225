import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';

import { IdField, OptionalIdField, OptionalMoneyField, OptionalWarehouseField, QuantityField } from '../../platform/http/dto-rules.js';

/** A shop (`taobao`, `jd.com`): no `:`, which separates channel and externalId in the claim's stream name. */
const SHOP_CHANNEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const EXTERNAL_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export class OrderLineDto {
  @IdField('TEA-LONGJING-250G', 'a registered product')
  sku!: string;

  @QuantityField()
  quantity!: number;

  @OptionalMoneyField("price per unit in integer minor units of the order currency; absent on a sale line: the product's current price (required on a purchase line)")
  unitPrice?: number;
}

export class PlaceOrderDto {
  @OptionalIdField('SO-2026-0001', 'chosen by the caller for idempotent imports; a time-ordered id otherwise')
  orderId?: string;

  @ApiPropertyOptional({ example: 'WL-2026-0042', maxLength: 64, description: 'business number shown to people, one order per number (409 already_exists naming `number` when another order has it); absent: the next `SO-<UTC year>-<6 digits>` (sale) or `PO-…` (purchase)' })
  @IsOptional()
  @IsString()
  @Matches(/^\S.{0,63}$/, { message: 'number must be 1 to 64 characters, not starting with a space' })
  number?: string;

  @ApiProperty({ enum: ['sale', 'purchase'] })
  @IsIn(['sale', 'purchase'])
  kind!: 'sale' | 'purchase';

  @IdField('cust-0042', 'a registered customer (sale) or supplier (purchase)')
  partyId!: string;

  @OptionalWarehouseField()
  warehouseId?: string;

  @ApiPropertyOptional({ example: 'CNY', default: 'CNY' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be three upper-case letters (ISO 4217)' })
  currency?: string;

  @ApiPropertyOptional({ example: 'taobao', pattern: SHOP_CHANNEL_PATTERN.source, description: 'the shop the order comes from; with `externalId` (both or neither): one order per (channel, externalId), a repeat answers the first order with 200' })
  @IsOptional()
  @IsString()
  @Matches(SHOP_CHANNEL_PATTERN, { message: 'channel must be 1 to 32 letters, digits, . _ - (starting with a letter or digit)' })
  channel?: string;

  @ApiPropertyOptional({ example: 'TB-20260301-0042', pattern: EXTERNAL_ID_PATTERN.source, description: "the order's id on the shop platform; with `channel` (both or neither)" })
  @IsOptional()
  @IsString()
  @Matches(EXTERNAL_ID_PATTERN, { message: 'externalId must be 1 to 128 printable ASCII characters without spaces' })
  externalId?: string;

  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];
}
