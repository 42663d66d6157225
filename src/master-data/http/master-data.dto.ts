import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';

import { type Party, type PartyKind } from '../../../domain/party/state.js';
import { type Product } from '../../../domain/product/state.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';
import { IdField, MAX_QUANTITY, MoneyField, OptionalIdField, OptionalTextField, TextField } from '../../platform/http/dto-rules.js';

export class RegisterProductDto {
  @IdField('TEA-LONGJING-250G', 'stock keeping unit: the product id everywhere')
  sku!: string;

  @TextField('Longjing green tea 250 g', 200)
  name!: string;

  @OptionalTextField('tin, 250 g', 200)
  spec?: string;

  @OptionalTextField('tin', 20)
  unit?: string;

  @MoneyField('list price in integer minor units', 0)
  price!: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'default low threshold of its stock position in the main warehouse' })
  @IsOptional()
  @IsInt({ message: 'minStock must be an integer' })
  @Min(0)
  @Max(MAX_QUANTITY)
  minStock?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'default high threshold of its stock position in the main warehouse' })
  @IsOptional()
  @IsInt({ message: 'maxStock must be an integer' })
  @Min(0)
  @Max(MAX_QUANTITY)
  maxStock?: number;
}

export class ProductView {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) spec!: string | null;
  @ApiProperty({ example: 'pcs' }) unit!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) price!: number;
  @ApiProperty({ type: 'integer', nullable: true }) minStock!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) maxStock!: number | null;
}
type _ProductView = Expect<Same<ProductView, Product>>;

export class RegisterPartyDto {
  @OptionalIdField('cust-0042', 'chosen by the caller; a time-ordered id otherwise')
  id?: string;

  @TextField('Hangzhou Tea House', 200)
  name!: string;

  @OptionalTextField('+86 571 8888 0000', 40)
  phone?: string;

  @ApiPropertyOptional({ example: 'buyer@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200)
  email?: string;

  @OptionalTextField('1 West Lake Road, Hangzhou', 500)
  address?: string;
}

export class PartyView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: everyValue<PartyKind>()('customer', 'supplier') }) kind!: PartyKind;
  @ApiProperty({ type: String, nullable: true, description: 'personal data: null once erased, and for a caller without the right to see personal data (analyst)' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ description: 'true once the personal data were erased (POST /api/customers/{id}/erase)' }) erased!: boolean;
}
type _PartyView = Expect<Same<PartyView, Party>>;

export class ErasePartyDto {
  @TextField('asked by the customer (PIPL art. 47)', 500)
  reason!: string;
}
