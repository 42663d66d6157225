import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import { type StockTransferView } from '../../../projections/index.js';
import { CursorParam, LimitParam, MinPositionParam } from '../../platform/http/query-params.js';
import { everyValue, type Expect, type Same } from '../../platform/http/openapi.js';
import { IdField, MAX_QUANTITY, OptionalTextField, OptionalWarehouseField, QuantityField, TextField } from '../../platform/http/dto-rules.js';
import { StockLevelView } from './stock.dto.js';

export class IssueStockDto {
  @IdField('TEA-LONGJING-250G', 'a registered product')
  sku!: string;

  @QuantityField('units leaving stock without an order (scrap, internal use, 出库)')
  quantity!: number;

  @TextField('broken in the warehouse')
  reason!: string;

  @OptionalWarehouseField()
  warehouseId?: string;
}

export class StockIssueView extends StockLevelView {
  @ApiProperty({ description: 'id of the issue (StockIssued.issueId)' }) issueId!: string;
}

export class SendTransferDto {
  @IdField('TEA-LONGJING-250G', 'a registered product')
  sku!: string;

  @QuantityField('units sent from `from` to `to`')
  quantity!: number;

  @ApiPropertyOptional({ example: 'main', default: 'main', pattern: '^[A-Za-z0-9_]{1,32}$', description: 'the warehouse the units leave (never below what is reserved there)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,32}$/, { message: '$property must be 1 to 32 letters, digits or _' })
  from?: string;

  @ApiProperty({ example: 'east', pattern: '^[A-Za-z0-9_]{1,32}$', description: 'the warehouse the units go to (in transit there until received)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,32}$/, { message: '$property must be 1 to 32 letters, digits or _' })
  to!: string;

  @OptionalTextField('restocking the east shop')
  note?: string;
}

export class ReceiveTransferDto {
  @ApiPropertyOptional({ type: 'integer', example: 5, minimum: 1, maximum: MAX_QUANTITY, description: 'units arrived; absent: everything still in transit' })
  @IsOptional()
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity?: number;
}

const TRANSFER_STATUSES = everyValue<StockTransferView['status']>()('in_transit', 'received');

export class TransferResponse {
  @ApiProperty() transferId!: string;
  @ApiProperty() sku!: string;
  @ApiProperty({ example: 'main' }) from!: string;
  @ApiProperty({ example: 'east' }) to!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'units received on hand at `to` so far' }) received!: number;
  @ApiProperty({ type: String, enum: TRANSFER_STATUSES, description: '`in_transit` until every unit is received at `to`' }) status!: StockTransferView['status'];
  @ApiProperty({ type: 'integer', description: 'value the units left `from` with (minor units of the business currency)' }) value!: number;
  @ApiProperty({ type: 'integer', description: 'the part of `value` received on hand at `to`' }) receivedValue!: number;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'user id of who sent it' }) sentBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt!: string | null;
  @ApiProperty({ description: 'recorded in transit at `to` (the process step after the decision; false only until the recovery has run it)' }) arrived!: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'when units were last received' }) receivedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'log position of the last event this answer reflects (null when a command appended nothing)' }) position!: string | null;
}
type _TransferResponse = Expect<Same<TransferResponse, Omit<StockTransferView, 'id' | 'position'> & { position: string | null }>>;

export class TransferListResponse {
  @ApiProperty({ type: [TransferResponse], description: 'by transferId (time-ordered)' }) items!: TransferResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export class TransferQuery {
  @MinPositionParam()
  minPosition?: string;
}

export class TransferListQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES, description: 'only transfers still in transit, or fully received' })
  @IsOptional()
  @IsIn(TRANSFER_STATUSES)
  status?: StockTransferView['status'];

  @LimitParam(100)
  limit?: number;

  @CursorParam()
  cursor?: string;

  @MinPositionParam()
  minPosition?: string;
}
