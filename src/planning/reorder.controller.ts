import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { DEFAULT_WAREHOUSE_ID } from '../../domain/index.js';
import { Roles } from '../access/roles.decorator.js';
import { OptionalWarehouseField } from '../platform/http/dto-rules.js';
import { ApiQueryErrors, type Expect, type Same } from '../platform/http/openapi.js';
import { MinPositionParam } from '../platform/http/query-params.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { type ReorderItem, ReorderPlanner } from './reorder-planner.js';
import { WarehouseRegistry } from '../master-data/warehouses.js';

export class ReorderQuery {
  @OptionalWarehouseField()
  warehouseId?: string;

  @MinPositionParam()
  minPosition?: string;
}

export class ReorderItemResponse {
  @ApiProperty({ example: 'TEA-LONGJING-250G' }) sku!: string;
  @ApiProperty({ example: 'main' }) warehouseId!: string;
  @ApiProperty({
    example: 12.345,
    description: 'units per day: exponentially weighted moving average (α = 0.1) of the units asked for by the sales placed each UTC day, over the days from the first sale within the last 90 days through today (three decimals)',
  })
  dailyDemand!: number;
  @ApiProperty({ type: 'integer', example: 5, description: 'whole days: the median of the measured lead times (placed → first goods received) of the SKU’s 20 latest received purchases, else JXC_DEFAULT_LEAD_TIME_DAYS' })
  leadTimeDays!: number;
  @ApiProperty({ type: 'integer', example: 14, description: '⌈z(JXC_SERVICE_LEVEL) × σ(daily demand) × √leadTimeDays⌉' }) safetyStock!: number;
  @ApiProperty({ type: 'integer', example: 76, description: '⌈dailyDemand × leadTimeDays⌉ + safetyStock' }) reorderPoint!: number;
  @ApiProperty({ type: 'integer', example: 40, description: 'on hand + incoming − reserved' }) position!: number;
  @ApiProperty({ type: 'integer', example: 123, description: 'max(0, reorderPoint + ⌈dailyDemand × JXC_REORDER_REVIEW_DAYS⌉ − position): whole units to order now' })
  suggestedQuantity!: number;
  @ApiProperty({ type: String, nullable: true, example: 'SUP-HANGZHOU', description: 'the supplier of the SKU’s latest purchase order; null when it was never purchased' })
  supplierId!: string | null;
}
type _ReorderItemResponse = Expect<Same<ReorderItemResponse, ReorderItem>>;

export class ReorderResponse {
  @ApiProperty({ type: [ReorderItemResponse], description: 'by sku: every SKU with a stock position in the warehouse or a sale placed there within the last 90 days' })
  items!: ReorderItemResponse[];
}

/** `GET /api/planning/reorder` (API.md "Integrations, imports, exports, analytics"). */
@ApiTags('planning')
@ApiQueryErrors()
@Controller('planning')
export class ReorderController {
  constructor(
    private readonly planner: ReorderPlanner,
    private readonly freshness: ReadYourWrites,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  @Get('reorder')
  @Roles('analyst', 'auditor', 'finance')
  @ApiOperation({ summary: 'Reorder suggestions for the SKUs of one warehouse (default `main`), planned for today (UTC)' })
  @ApiOkResponse({ type: ReorderResponse })
  async reorder(@Query() query: ReorderQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<ReorderResponse> {
    await this.warehouses.assertKnown({ warehouseId: query.warehouseId, field: 'warehouseId' });
    // Side by side: a minPosition beyond the log waits its 5 s once, not once per view.
    await Promise.all(['stock_levels', 'planning_purchases', 'planning_demand'].map((view) => this.freshness.awaitView(view, query.minPosition, response)));
    const asOf = new Date().toISOString().slice(0, 10);
    return { items: await this.planner.reorder(query.warehouseId ?? DEFAULT_WAREHOUSE_ID, asOf) };
  }
}
