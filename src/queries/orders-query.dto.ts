import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { OrderView } from '../orders/order-result.js';
import { MinPositionParam, PageQuery, TextParam, TimeParam } from './query-params.js';

export const ORDER_STATUSES = ['placed', 'processing', 'shipped', 'delivered', 'rejected', 'returning', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export const CANCELLATION_FILTERS = ['requested', 'approved', 'rejected', 'withdrawn', 'none'] as const;

export class OrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['sale', 'purchase'] })
  @IsOptional()
  @IsIn(['sale', 'purchase'])
  kind?: 'sale' | 'purchase';

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @TextParam('customer (sale) or supplier (purchase) id', 'cust-1')
  partyId?: string;

  @TextParam('the order number', 'SO-2026-0001')
  number?: string;

  @ApiPropertyOptional({ enum: CANCELLATION_FILTERS, description: 'state of the latest cancellation request; `none`: never requested' })
  @IsOptional()
  @IsIn(CANCELLATION_FILTERS)
  cancellation?: string;

  @TimeParam('placed at or after this time')
  from?: string;

  @TimeParam('placed before this time')
  to?: string;

}

export class ReadQuery {
  @MinPositionParam()
  minPosition?: string;
}

export class OrderListView {
  @ApiProperty({ type: [OrderView], description: 'newest first (placedAt descending)' }) items!: OrderView[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export class OrderStateQuery {
  @TimeParam('the order as it was at this time: every event that had occurred by then')
  asOf?: string;

  @ApiPropertyOptional({ description: 'the order as it was right after this log position', example: '1042' })
  @IsOptional()
  @MinPositionParam()
  atPosition?: string;
}

export class HistoryEntryView {
  @ApiProperty() position!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ nullable: true }) occurredAt!: string | null;
  @ApiProperty({ nullable: true, example: { id: 'carol', roles: ['clerk'] } }) actor!: { id: string; roles: string[] } | null;
  @ApiPropertyOptional({ description: 'present when the event gives one (cancellation request or rejection, stock count)' }) reason?: string;
  @ApiProperty({ nullable: true }) correlationId!: string | null;
  @ApiProperty({ nullable: true }) causationId!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: Object }) data!: unknown;
}

export class OrderHistoryView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ type: [HistoryEntryView], description: 'in log order' }) events!: HistoryEntryView[];
}
