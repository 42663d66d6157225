import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

import { type Party, type PartyKind } from '../../../domain/party/state.js';
import { type Product } from '../../../domain/product/state.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';
import { ID_PATTERN, IdField, MAX_QUANTITY, MoneyField, OptionalIdField, OptionalTextField, TextField } from '../../platform/http/dto-rules.js';

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

class ProductView {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) spec!: string | null;
  @ApiProperty({ example: 'pcs' }) unit!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) price!: number;
  @ApiProperty({ type: 'integer', nullable: true }) minStock!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) maxStock!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the supplier reorder planning proposes' }) preferredSupplierId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'the supplier\'s lead time in days' }) leadTimeDays!: number | null;
  @ApiProperty({ description: 'false: the product takes no new orders or order lines (409 inactive); placed orders go on' }) active!: boolean;
}
type _ProductView = Expect<Same<ProductView, Product>>;

const POSITION_DOC = 'log position of the event this write appended (null when it appended nothing): read the views with minPosition= it';

/** A product write's answer: the product as the write side now has it, and the position to read the views at. */
export class ProductAnswer extends ProductView {
  @ApiProperty({ type: String, nullable: true, description: POSITION_DOC }) position!: string | null;
}

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

class PartyView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: everyValue<PartyKind>()('customer', 'supplier') }) kind!: PartyKind;
  @ApiProperty({ type: String, nullable: true, description: 'personal data: null once erased, and for a caller without the right to see personal data (analyst)' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ description: 'true once the personal data were erased (POST /api/customers/{id}/erase)' }) erased!: boolean;
  @ApiProperty({ description: 'false: the party takes no new orders (409 inactive); placed orders go on' }) active!: boolean;
}
type _PartyView = Expect<Same<PartyView, Party>>;

/** A party write's answer: the party as the write side now has it, and the position to read the views at. */
export class PartyAnswer extends PartyView {
  @ApiProperty({ type: String, nullable: true, description: POSITION_DOC }) position!: string | null;
}

export class ErasePartyDto {
  @TextField('asked by the customer (PIPL art. 47)', 500)
  reason!: string;
}

/** A field a PATCH may set to a value or clear with null (absent: unchanged); not @IsOptional, which would refuse null. */
const NullableText = (example: string, maxLength: number) =>
  [ApiPropertyOptional({ type: String, nullable: true, example, maxLength }), ValidateIf((_object, value) => value !== undefined && value !== null), IsString(), MaxLength(maxLength)] as const;

function apply(target: object, key: string, decorators: readonly PropertyDecorator[]): void {
  for (const decorator of decorators) decorator(target, key);
}

/** PATCH /api/products/{sku}: every field optional; only those that change the product are recorded. */
export class ChangeProductDto {
  @ApiPropertyOptional({ example: 'Longjing green tea 250 g', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  spec?: string | null;

  @ApiPropertyOptional({ example: 'tin', maxLength: 20 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  unit?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'the new list price in integer minor units; placed orders keep their line prices' })
  @IsOptional()
  @IsInt({ message: 'price must be an integer number of minor units' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  price?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsInt({ message: 'minStock must be an integer' })
  @Min(0)
  @Max(MAX_QUANTITY)
  minStock?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsInt({ message: 'maxStock must be an integer' })
  @Min(0)
  @Max(MAX_QUANTITY)
  maxStock?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'sup-1', pattern: ID_PATTERN.source, description: 'a registered supplier, or null' })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsString()
  @Matches(ID_PATTERN, { message: '$property must be 1 to 64 letters, digits, . _ - (starting with a letter or digit)' })
  preferredSupplierId?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 365, nullable: true })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsInt({ message: 'leadTimeDays must be an integer' })
  @Min(0)
  @Max(365)
  leadTimeDays?: number | null;

  @ApiPropertyOptional({ description: 'false: no new orders or order lines with it (409 inactive); true: again' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
apply(ChangeProductDto.prototype, 'spec', NullableText('tin, 250 g', 200));

/** PATCH /api/customers/{id} and /api/suppliers/{id}: every field optional; only those that change the party are recorded. */
export class ChangePartyDto {
  @ApiPropertyOptional({ example: 'Hangzhou Tea House', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'buyer@example.com' })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(200)
  email?: string | null;

  address?: string | null;

  @ApiPropertyOptional({ description: 'false: no new orders for this party (409 inactive); true: again' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
apply(ChangePartyDto.prototype, 'phone', NullableText('+86 571 8888 0000', 40));
apply(ChangePartyDto.prototype, 'address', NullableText('1 West Lake Road, Hangzhou', 500));
