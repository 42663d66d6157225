import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type FastifyReply } from 'fastify';

import {
  type CancellationGroup,
  type CancellationGrouping,
  CancellationTally,
  type SalesGroup,
  type SalesGrouping,
  SalesTally,
} from '../../projections/analytics.js';
import { type OrderView } from '../../projections/index.js';
import { Roles } from '../access/roles.decorator.js';
import { ApiQueryErrors, type Expect, type Same } from '../platform/http/openapi.js';
import { MinPositionParam, TimeParam } from '../platform/http/query-params.js';
import { validationFailed } from '../platform/http/validation.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ViewDocument, type ViewFilter } from '../platform/read-store/read-store.port.js';
import { BUSINESS_TIME, type BusinessTime } from './business-time.js';

const ANALYTICS_READERS = ['analyst', 'auditor', 'finance'] as const;

const SALES_GROUPINGS = ['day', 'week', 'sku', 'customer'] as const satisfies readonly SalesGrouping[];
const CANCELLATION_GROUPINGS = ['reason', 'initiator', 'week', 'sku'] as const satisfies readonly CancellationGrouping[];
const RANGE_NOTE = 'a day (`2026-12-01`: its start in the business time zone), a time without offset (read in that zone) or an ISO-8601 time with its offset';

class AnalyticsRangeQuery {
  @TimeParam(`orders placed at or after this: ${RANGE_NOTE}; absent: from the first order`)
  from?: string;

  @TimeParam(`orders placed before this (exclusive): ${RANGE_NOTE}; absent: up to now`)
  to?: string;

  @MinPositionParam()
  minPosition?: string;
}

export class SalesQuery extends AnalyticsRangeQuery {
  @ApiPropertyOptional({ enum: SALES_GROUPINGS, default: 'day', description: 'day and week (ISO 8601, `2026-W49`) in the business time zone; customer: the customer id' })
  @IsOptional()
  @IsIn(SALES_GROUPINGS)
  groupBy?: SalesGrouping;
}

export class CancellationsQuery extends AnalyticsRangeQuery {
  @ApiPropertyOptional({ enum: CANCELLATION_GROUPINGS, default: 'reason', description: 'week: ISO 8601 week (`2026-W49`) of placement in the business time zone' })
  @IsOptional()
  @IsIn(CANCELLATION_GROUPINGS)
  groupBy?: CancellationGrouping;

  @ApiPropertyOptional({ enum: ['sale', 'purchase'], default: 'sale', description: 'sale orders (default) or purchase orders' })
  @IsOptional()
  @IsIn(['sale', 'purchase'])
  kind?: 'sale' | 'purchase';
}

interface Period {
  readonly timeZone: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface SalesAnswer extends Period {
  readonly groupBy: SalesGrouping;
  readonly groups: readonly SalesGroup[];
}

export interface CancellationsAnswer extends Period {
  readonly groupBy: CancellationGrouping;
  readonly kind: 'sale' | 'purchase';
  readonly groups: readonly CancellationGroup[];
}

export class SalesGroupView {
  @ApiProperty({ description: 'the day (`YYYY-MM-DD`), ISO week (`2026-W49`), sku or customer id', example: '2026-12-01' }) key!: string;
  @ApiProperty({ example: 'CNY', description: 'one group per currency when orders are in several' }) currency!: string;
  @ApiProperty({ type: 'integer', description: 'units sold: ordered, less cancelled, less returned by the customer' }) quantity!: number;
  @ApiProperty({ type: 'integer', description: 'those units at the order line prices, in minor units of `currency`' }) value!: number;
  @ApiProperty({ type: 'integer', description: 'orders with at least one unit sold in the group' }) orders!: number;
}
type _SalesGroupView = Expect<Same<SalesGroupView, SalesGroup>>;

export class SalesAnalyticsView {
  @ApiProperty({ enum: SALES_GROUPINGS }) groupBy!: SalesGrouping;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'the business time zone days and weeks are counted in (`JXC_BUSINESS_TZ`)' }) timeZone!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'the period as applied (UTC), `from` inclusive; null: unbounded' }) from!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: '`to` exclusive; null: unbounded' }) to!: string | null;
  @ApiProperty({ type: [SalesGroupView], description: 'days and weeks in time order; skus and customers by value, highest first' }) groups!: SalesGroupView[];
}
type _SalesAnalyticsView = Expect<Same<SalesAnalyticsView, SalesAnswer>>;

export class CancellationGroupView {
  @ApiProperty({ description: 'the reason, initiator (`customer`, `company`, `supplier`), ISO week or sku', example: 'customer changed mind' }) key!: string;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: 'integer', description: 'orders of the group whose latest cancellation was approved (whole or in part)' }) count!: number;
  @ApiProperty({ type: 'integer', description: 'orders placed in the group; for reason and initiator, every order of the period in `currency`' }) orders!: number;
  @ApiProperty({ description: '`count / orders`, rounded to 4 decimal places', example: 0.125 }) rate!: number;
  @ApiProperty({ type: 'integer', description: 'refunded on the cancelled orders, minor units of `currency`; per sku, split over the cancelled lines by their value' }) refunded!: number;
}
type _CancellationGroupView = Expect<Same<CancellationGroupView, CancellationGroup>>;

export class CancellationAnalyticsView {
  @ApiProperty({ enum: CANCELLATION_GROUPINGS }) groupBy!: CancellationGrouping;
  @ApiProperty({ enum: ['sale', 'purchase'] }) kind!: 'sale' | 'purchase';
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) from!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) to!: string | null;
  @ApiProperty({ type: [CancellationGroupView], description: 'weeks in time order; reasons, initiators and skus by count, highest first' }) groups!: CancellationGroupView[];
}
type _CancellationAnalyticsView = Expect<Same<CancellationAnalyticsView, CancellationsAnswer>>;

/**
 * Sales and cancellation analytics, computed when asked from the `orders` view: the orders placed in the period
 * (its `kind, placedAt` index), read page by page and tallied, so memory is bounded by the number of groups.
 */
@ApiTags('analytics')
@ApiQueryErrors()
@Controller('analytics')
export class AnalyticsController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(BUSINESS_TIME) private readonly time: BusinessTime,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Get('sales')
  @Roles(...ANALYTICS_READERS)
  @ApiOperation({
    summary: 'Sales by day, ISO week, sku or customer (analyst, auditor, finance)',
    description:
      'Sale orders placed in the period (rejected ones sold nothing): units ordered less cancelled and returned, their value at the line prices ' +
      '(minor units, one group per currency), and how many orders. Days and weeks are counted in the business time zone (`timeZone`).',
  })
  @ApiOkResponse({ type: SalesAnalyticsView })
  async sales(@Query() query: SalesQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<SalesAnalyticsView> {
    const period = this.period(query);
    await this.freshness.awaitView('orders', query.minPosition, response);
    const groupBy = query.groupBy ?? 'day';
    const tally = new SalesTally(groupBy, this.time.localDay);
    for await (const order of this.orders('sale', period)) tally.add(order);
    return { groupBy, ...period, groups: tally.result() };
  }

  @Get('cancellations')
  @Roles(...ANALYTICS_READERS)
  @ApiOperation({
    summary: 'Cancellations by reason, initiator, ISO week or sku, with the cancellation rate and the refunded value (analyst, auditor, finance)',
    description:
      'Among the orders placed in the period (sale by default): `count` those whose latest cancellation was approved (whole or in part), `orders` the orders ' +
      'placed in the group (for reason and initiator: all orders of the period), `rate = count / orders`, `refunded` what was refunded on the cancelled ' +
      'orders (minor units, one group per currency). Weeks are ISO weeks of placement in the business time zone (`timeZone`).',
  })
  @ApiOkResponse({ type: CancellationAnalyticsView })
  async cancellations(@Query() query: CancellationsQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<CancellationAnalyticsView> {
    const period = this.period(query);
    await this.freshness.awaitView('orders', query.minPosition, response);
    const groupBy = query.groupBy ?? 'reason';
    const kind = query.kind ?? 'sale';
    const tally = new CancellationTally(groupBy, this.time.localDay);
    for await (const order of this.orders(kind, period)) tally.add(order);
    return { groupBy, kind, ...period, groups: tally.result() };
  }

  private period(query: AnalyticsRangeQuery): Period {
    const from = query.from === undefined ? null : this.time.instantOf(query.from);
    const to = query.to === undefined ? null : this.time.instantOf(query.to);
    if (from !== null && to !== null && from >= to) throw validationFailed([{ field: 'to', problems: ['must be after from'] }]);
    return { timeZone: this.time.zone, from, to };
  }

  private orders(kind: 'sale' | 'purchase', period: Period): AsyncIterable<OrderView & ViewDocument> {
    const filter: Record<string, ViewFilter[string]> = { kind };
    if (period.from !== null || period.to !== null) {
      filter.placedAt = { ...(period.from === null ? {} : { $gte: period.from }), ...(period.to === null ? {} : { $lt: period.to }) };
    }
    return this.views.scan<OrderView & ViewDocument>('orders', { filter, sort: [{ field: 'placedAt', direction: 'asc' }], pageSize: 500 });
  }
}
