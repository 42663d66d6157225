import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { DEFAULT_WAREHOUSE_ID } from '../../../domain/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { WarehouseRegistry } from '../../master-data/warehouses.js';
import { ExecuteStockWrite } from '../commands.js';
import { CountStockDto, ReceiveStockDto, StockCountView, StockLevelView, StockThresholdsDto } from './stock.dto.js';

/** Stock commands (API.md "Master data and stock"): warehouse staff. Each maps its DTO to a stock write on the CommandBus (StockWriteHandler). */
@ApiTags('stock')
@ApiCommandErrors()
@Controller('stock')
export class StockController {
  constructor(
    private readonly commands: CommandBus,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  @Post('receipts')
  @Roles('warehouse')
  @ApiOperation({ summary: 'Opening or manual receipt (入库)' })
  @ApiCreatedResponse({ type: StockLevelView })
  async receive(@Body() body: ReceiveStockDto, @CommandContext() metadata: CommandMetadata): Promise<StockLevelView> {
    await this.warehouses.assertKnown({ warehouseId: body.warehouseId, field: 'warehouseId' });
    return (await this.commands.execute(new ExecuteStockWrite({ type: 'ReceiveStock', warehouseId: body.warehouseId ?? DEFAULT_WAREHOUSE_ID, sku: body.sku, quantity: body.quantity, note: body.note ?? null, unitCost: body.unitCost ?? null }, metadata))).level;
  }

  @Post('counts')
  @Roles('warehouse')
  @ApiOperation({ summary: 'Stocktake (盘点): records the variance as StockAdjusted, never erases history' })
  @ApiCreatedResponse({ type: StockCountView })
  async count(@Body() body: CountStockDto, @CommandContext() metadata: CommandMetadata): Promise<StockCountView> {
    await this.warehouses.assertKnown({ warehouseId: body.warehouseId, field: 'warehouseId' });
    const { variance, level } = await this.commands.execute(new ExecuteStockWrite({ type: 'CountStock', warehouseId: body.warehouseId ?? DEFAULT_WAREHOUSE_ID, sku: body.sku, countedQuantity: body.countedQuantity, reason: body.reason }, metadata));
    return { variance, ...level };
  }

  @Put(':sku/thresholds')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiOperation({ summary: 'Set min/max thresholds of a stock position (alerts when available < min or on hand > max)' })
  @ApiOkResponse({ type: StockLevelView })
  async thresholds(@Param('sku', IdParamPipe) sku: string, @Body() body: StockThresholdsDto, @CommandContext() metadata: CommandMetadata): Promise<StockLevelView> {
    await this.warehouses.assertKnown({ warehouseId: body.warehouseId, field: 'warehouseId' });
    return (await this.commands.execute(new ExecuteStockWrite({ type: 'SetStockThresholds', warehouseId: body.warehouseId ?? DEFAULT_WAREHOUSE_ID, sku, min: body.min, max: body.max }, metadata, 'sku (path)'))).level;
  }
}
