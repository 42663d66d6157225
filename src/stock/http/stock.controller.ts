import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors } from '../../platform/http/openapi.js';
import { Command } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { CountStockDto, ReceiveStockDto, StockCountView, StockLevelView, StockThresholdsDto } from './stock.dto.js';
import { StockCommands } from '../stock-commands.service.js';

/** Stock commands (API.md "Master data and stock"): warehouse staff. */
@ApiTags('stock')
@ApiCommandErrors()
@Controller('stock')
export class StockController {
  constructor(private readonly stock: StockCommands) {}

  @Post('receipts')
  @Roles('warehouse')
  @ApiOperation({ summary: 'Opening or manual receipt (入库)' })
  @ApiCreatedResponse({ type: StockLevelView })
  async receive(@Body() body: ReceiveStockDto, @Command() metadata: CommandMetadata): Promise<StockLevelView> {
    const result = await this.stock.execute(body.sku, body.warehouseId, (warehouseId) => ({ type: 'ReceiveStock', warehouseId, sku: body.sku, quantity: body.quantity, note: body.note ?? null }), metadata);
    return result.level;
  }

  @Post('counts')
  @Roles('warehouse')
  @ApiOperation({ summary: 'Stocktake (盘点): records the variance as StockAdjusted, never erases history' })
  @ApiCreatedResponse({ type: StockCountView })
  async count(@Body() body: CountStockDto, @Command() metadata: CommandMetadata): Promise<StockCountView> {
    const result = await this.stock.execute(body.sku, body.warehouseId, (warehouseId) => ({ type: 'CountStock', warehouseId, sku: body.sku, countedQuantity: body.countedQuantity, reason: body.reason }), metadata);
    const adjusted = result.events.find((event) => event.type === 'StockAdjusted');
    return { variance: adjusted?.type === 'StockAdjusted' ? adjusted.data.variance : 0, ...result.level };
  }

  @Put(':sku/thresholds')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiOperation({ summary: 'Set min/max thresholds of a stock position (alerts when available < min or on hand > max)' })
  @ApiOkResponse({ type: StockLevelView })
  async thresholds(@Param('sku', IdParamPipe) sku: string, @Body() body: StockThresholdsDto, @Command() metadata: CommandMetadata): Promise<StockLevelView> {
    const result = await this.stock.execute(sku, body.warehouseId, (warehouseId) => ({ type: 'SetStockThresholds', warehouseId, sku, min: body.min, max: body.max }), metadata, 'sku (path)');
    return result.level;
  }
}
