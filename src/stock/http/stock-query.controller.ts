import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { DEFAULT_WAREHOUSE_ID, stockStream } from '../../../domain/index.js';
import { type StockLevelView } from '../../../projections/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { ApiError } from '../../platform/http/api-error.js';
import { OptionalWarehouseField } from '../../platform/http/dto-rules.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { READ_STORE, type ReadStore, type ViewDocument, type ViewFilter } from '../../platform/read-store/read-store.port.js';
import { STOCK_ALERTS } from './stock.dto.js';
import { CursorParam, LimitParam, MinPositionParam, publicFields, withCursorChecked } from '../../platform/http/query-params.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';
import { WarehouseRegistry } from '../../master-data/warehouses.js';

const STOCK_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

export class StockLevelQuery {
  @OptionalWarehouseField()
  warehouseId?: string;

  @MinPositionParam()
  minPosition?: string;
}

export class StockListQuery {
  @ApiPropertyOptional({ enum: ['low', 'high'], description: 'only positions below min (`low`, on available) or above max (`high`, on hand)' })
  @IsOptional()
  @IsIn(['low', 'high'])
  alert?: 'low' | 'high';

  @OptionalWarehouseField()
  warehouseId?: string;

  @LimitParam(100)
  limit?: number;

  @CursorParam()
  cursor?: string;

  @MinPositionParam()
  minPosition?: string;
}

export class StockLevelResponse {
  @ApiProperty() sku!: string;
  @ApiProperty({ example: 'main' }) warehouseId!: string;
  @ApiProperty({ type: 'integer' }) onHand!: number;
  @ApiProperty({ type: 'integer' }) reserved!: number;
  @ApiProperty({ type: 'integer', description: 'onHand − reserved' }) available!: number;
  @ApiProperty({ type: 'integer', description: 'expected from open purchase orders' }) incoming!: number;
  @ApiProperty({ nullable: true, type: 'integer' }) min!: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) max!: number | null;
  @ApiProperty({ type: String, nullable: true, enum: STOCK_ALERTS }) alert!: 'low' | 'high' | null;
  @ApiProperty({ type: 'integer', description: 'moving average cost of a unit on hand: round(value / onHand), 0 when nothing is on hand (minor units)' }) unitCost!: number;
  @ApiProperty({ type: 'integer', description: 'value of the units on hand (minor units of the business currency)' }) value!: number;
  @ApiProperty({ type: 'integer', description: 'units of transfers on their way to this position' }) inTransit!: number;
  @ApiProperty({ type: 'integer', description: 'value of the units in transit (minor units)' }) inTransitValue!: number;
  @ApiProperty({ type: 'integer', description: 'revision of the stock stream last applied' }) revision!: number;
  @ApiProperty({ description: 'log position of the last event applied' }) position!: string;
}
type _StockLevelResponse = Expect<Same<StockLevelResponse, Omit<StockLevelView, 'id'>>>;

export class StockListResponse {
  @ApiProperty({ type: [StockLevelResponse], description: 'by warehouse, then sku' }) items!: StockLevelResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

/** Stock levels (`stock_levels`) and the positions out of range (`stock_alerts`): the stock feed. */
@ApiTags('stock')
@ApiQueryErrors()
@Controller('stock')
export class StockQueryController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  @Get()
  @Roles(...STOCK_READERS)
  @ApiOperation({ summary: 'Stock levels, or with `alert` only those out of range' })
  @ApiOkResponse({ type: StockListResponse })
  async list(@Query() query: StockListQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<StockListResponse> {
    await this.warehouses.assertKnown({ warehouseId: query.warehouseId, field: 'warehouseId' });
    const view = query.alert === undefined ? 'stock_levels' : 'stock_alerts';
    await this.freshness.awaitView(view, query.minPosition, response);
    const filter: Record<string, ViewFilter[string]> = {};
    if (query.alert) filter.alert = query.alert;
    if (query.warehouseId) filter.warehouseId = query.warehouseId;
    const page = await withCursorChecked(() =>
      this.views.query<StockLevelView & ViewDocument>(view, {
        filter,
        sort: [{ field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }],
        limit: query.limit ?? 100,
        cursor: query.cursor,
      }),
    );
    return { items: page.items.map((doc) => publicFields(doc) as unknown as StockLevelResponse), nextCursor: page.nextCursor ?? null };
  }

  @Get(':sku')
  @Roles(...STOCK_READERS)
  @ApiOperation({ summary: 'The stock level of one sku in one warehouse (default `main`)' })
  @ApiOkResponse({ type: StockLevelResponse })
  @ApiErrors(404)
  async one(@Param('sku', IdParamPipe) sku: string, @Query() query: StockLevelQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<StockLevelResponse> {
    await this.warehouses.assertKnown({ warehouseId: query.warehouseId, field: 'warehouseId' });
    await this.freshness.awaitView('stock_levels', query.minPosition, response);
    const warehouseId = query.warehouseId ?? DEFAULT_WAREHOUSE_ID;
    const doc = await this.views.get<StockLevelView & ViewDocument>('stock_levels', stockStream(warehouseId, sku));
    if (doc === undefined) throw new ApiError(404, 'not_found', `no stock of ${sku} in warehouse ${warehouseId}`, { sku, warehouseId });
    return publicFields(doc) as unknown as StockLevelResponse;
  }
}
