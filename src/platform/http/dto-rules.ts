import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

// Formats shared by every DTO. Ids end up in stream names (`order-<id>`, `stock-<warehouse>-<sku>`).
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const WAREHOUSE_PATTERN = /^[A-Za-z0-9_]{1,32}$/;
export const MAX_QUANTITY = 1_000_000_000;
/**
 * 10^15 minor units (10 trillion in a two-decimal currency): below 2^53 (about 9 x 10^15), so a validated amount
 * is an exact integer (a number above Number.MAX_SAFE_INTEGER is not: 2^53 + 1 reads as 2^53).
 */
const MAX_AMOUNT = 10 ** 15;

export const IdField = (example: string, description?: string) =>
  applyDecorators(ApiProperty({ example, description, pattern: ID_PATTERN.source }), IsString(), Matches(ID_PATTERN, { message: '$property must be 1 to 64 letters, digits, . _ - (starting with a letter or digit)' }));

export const OptionalIdField = (example: string, description?: string) =>
  applyDecorators(ApiPropertyOptional({ example, description, pattern: ID_PATTERN.source }), IsOptional(), IsString(), Matches(ID_PATTERN, { message: '$property must be 1 to 64 letters, digits, . _ - (starting with a letter or digit)' }));

export const OptionalWarehouseField = () =>
  applyDecorators(ApiPropertyOptional({ example: 'main', default: 'main', pattern: WAREHOUSE_PATTERN.source }), IsOptional(), IsString(), Matches(WAREHOUSE_PATTERN, { message: '$property must be 1 to 32 letters, digits or _' }));

export const QuantityField = (description = 'a positive integer in the product unit') =>
  applyDecorators(ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: MAX_QUANTITY, description }), IsInt({ message: '$property must be an integer' }), Min(1), Max(MAX_QUANTITY));

export const MoneyField = (description = 'integer minor units (1999 is 19.99)', minimum = 1) =>
  applyDecorators(ApiProperty({ type: 'integer', example: 1999, minimum, maximum: MAX_AMOUNT, description }), IsInt({ message: '$property must be an integer number of minor units' }), Min(minimum), Max(MAX_AMOUNT));

/** An optional price: integer minor units from 0 (what its absence means is in the description). */
export const OptionalMoneyField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', example: 12800, minimum: 0, maximum: MAX_AMOUNT, description }),
    IsOptional(),
    IsInt({ message: '$property must be an integer number of minor units' }),
    Min(0),
    Max(MAX_AMOUNT),
  );

export const TextField = (example: string, maxLength = 500) =>
  applyDecorators(ApiProperty({ example, maxLength }), IsString(), MinLength(1), MaxLength(maxLength), Matches(/\S/, { message: '$property must not be blank' }));

export const OptionalTextField = (example: string, maxLength = 500) =>
  applyDecorators(ApiPropertyOptional({ example, maxLength }), IsOptional(), IsString(), MaxLength(maxLength));
