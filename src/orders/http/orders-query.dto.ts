import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { type OrderStatus } from '../../../domain/order/state.js';
import { type AuditEntry, type EventActor, type OrderView } from '../../../projections/index.js';
import { type Expect, type Same } from '../../platform/http/openapi.js';
import { OrderAnswer } from './order-answer.js';
import { type OrderStateAt } from '../order-state.js';
import { MinPositionParam, PageQuery, TextParam, TimeParam } from '../../platform/http/query-params.js';

export const ORDER_STATUSES = [
  'placed', 'processing', 'partially_shipped', 'shipped', 'delivered', 'rejected', 'returning', 'partially_received', 'received', 'closed', 'cancelled',
] as const;
// Every status of the domain is a status one can filter on (a status added there fails to compile here until listed).
type _OrderStatuses = Expect<Same<(typeof ORDER_STATUSES)[number], OrderStatus>>;
const ON_HOLD_FILTERS = ['true', 'false'] as const;
const CANCELLATION_FILTERS = ['requested', 'approved', 'rejected', 'withdrawn', 'none'] as const;

export class OrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['sale', 'purchase'] })
  @IsOptional()
  @IsIn(['sale', 'purchase'])
  kind?: 'sale' | 'purchase';

  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @ApiPropertyOptional({ enum: ON_HOLD_FILTERS, description: '`true`: orders on hold now (`onHold` set); `false`: orders not on hold' })
  @IsOptional()
  @IsIn(ON_HOLD_FILTERS)
  onHold?: 'true' | 'false';

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

export class OrderStateQuery {
  @TimeParam('the order as it was at this time: every event that had occurred by then')
  asOf?: string;

  @ApiPropertyOptional({ description: 'the order as it was right after this log position', example: '1042' })
  @IsOptional()
  @MinPositionParam()
  atPosition?: string;
}

// What GET /api/orders and GET /api/orders/:id answer: the `orders` view document without its `id`;
// the same schema as a command's answer (whose `position` may be null).
type OrderDocument = Omit<OrderView, 'id'>;
type _OrderDocument = Expect<Same<Omit<OrderAnswer, 'position'>, Omit<OrderDocument, 'position'>>>;

export class OrderListView {
  @ApiProperty({ type: [OrderAnswer], description: 'newest first (placedAt descending)' }) items!: OrderAnswer[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

/** GET /api/orders/:id/state: the order rebuilt from the log, with the cut it was rebuilt at. */
export class OrderStateView extends OrderAnswer {
  @ApiProperty({ type: String, nullable: false, description: 'the log position of the last event folded in' }) declare position: string;
  @ApiPropertyOptional({ description: 'the time asked for (normalised), when rebuilt as of a time' }) asOf?: string;
  @ApiPropertyOptional({ description: 'the position asked for, when rebuilt at a log position' }) atPosition?: string;
}
type _OrderStateView = Expect<Same<OrderStateView, Omit<OrderStateAt, 'asOf' | 'atPosition'> & { asOf?: string; atPosition?: string }>>;

export class ActorView {
  @ApiProperty({ example: 'carol' }) id!: string;
  @ApiProperty({ type: [String], example: ['clerk'] }) roles!: string[];
}
type _ActorView = Expect<Same<ActorView, EventActor>>;

export class HistoryEntryView {
  @ApiProperty() position!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ type: String, nullable: true }) occurredAt!: string | null;
  @ApiProperty({ type: ActorView, nullable: true }) actor!: ActorView | null;
  @ApiPropertyOptional({ description: 'present when the event gives one (cancellation request or rejection, return requested or closed, hold placed or its release note, amendment, purchase return, stock count)' }) reason?: string;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event\'s data as stored (current schema)' }) data!: unknown;
}
// An order's history never holds access records (`restricted`): they concern no order.
type _HistoryEntryView = Expect<Same<HistoryEntryView, Omit<AuditEntry, 'id' | 'commandId' | 'orderId' | 'restricted'>>>;

export class OrderHistoryView {
  @ApiProperty() orderId!: string;
  @ApiProperty({ type: [HistoryEntryView], description: 'in log order' }) events!: HistoryEntryView[];
}
