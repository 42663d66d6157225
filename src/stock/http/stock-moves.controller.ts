import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { DEFAULT_WAREHOUSE_ID } from '../../../domain/index.js';
import { type StockTransferView } from '../../../projections/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { WarehouseRegistry } from '../../master-data/warehouses.js';
import { ApiError } from '../../platform/http/api-error.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrors, ApiQueryErrors } from '../../platform/http/openapi.js';
import { publicFields, withCursorChecked } from '../../platform/http/query-params.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { newEntityId } from '../../platform/idempotency/entity-id.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ExecuteStockWrite } from '../commands.js';
import { StockTransfers } from '../transfers.js';
import {
  IssueStockDto,
  ReceiveTransferDto,
  SendTransferDto,
  StockIssueView,
  TransferListQuery,
  TransferListResponse,
  TransferQuery,
  TransferResponse,
} from './stock-moves.dto.js';

const TRANSFER_READERS = ['warehouse', 'clerk', 'integration', 'approver', 'finance', 'auditor', 'analyst'] as const;

/** Stock leaving without an order (出库) and transfers between warehouses (调拨): API.md "Stock operations". */
@ApiTags('stock')
@Controller('stock')
export class StockMovesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly warehouses: WarehouseRegistry,
    private readonly transfers: StockTransfers,
    private readonly freshness: ReadYourWrites,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  @Post('issues')
  @Roles('warehouse')
  @ApiCommandErrors()
  @ApiOperation({ summary: 'Stock leaves without an order (scrap, internal use, 出库), at the current average cost; never below what is reserved (409 insufficient_stock)' })
  @ApiCreatedResponse({ type: StockIssueView })
  async issue(@Body() body: IssueStockDto, @CommandContext() metadata: CommandMetadata): Promise<StockIssueView> {
    await this.warehouses.assertKnown({ warehouseId: body.warehouseId, field: 'warehouseId' });
    const issueId = newEntityId(metadata, 'issue');
    const command = { type: 'IssueStock' as const, warehouseId: body.warehouseId ?? DEFAULT_WAREHOUSE_ID, sku: body.sku, issueId, quantity: body.quantity, reason: body.reason };
    return { issueId, ...(await this.commands.execute(new ExecuteStockWrite(command, metadata))).level };
  }

  @Post('transfers')
  @Roles('warehouse')
  @ApiCommandErrors()
  @ApiOperation({ summary: 'Transfer (调拨): leaves `from` (never below what is reserved there: 409 insufficient_stock) with its value, in transit at `to` until received' })
  @ApiCreatedResponse({ type: TransferResponse })
  send(@Body() body: SendTransferDto, @CommandContext() metadata: CommandMetadata): Promise<TransferResponse> {
    return this.transfers.send({ sku: body.sku, quantity: body.quantity, from: body.from, to: body.to, note: body.note ?? null }, metadata);
  }

  @Post('transfers/:id/receive')
  @HttpCode(200)
  @Roles('warehouse')
  @ApiCommandErrors()
  @ApiErrors(404)
  @ApiOperation({ summary: 'Units of a transfer arrive on hand at `to` (all still in transit, or `quantity`); more than in transit is 409 exceeds_shipped, a received one 409 invalid_transition' })
  @ApiOkResponse({ type: TransferResponse })
  receive(@Param('id', IdParamPipe) id: string, @Body() body: ReceiveTransferDto, @CommandContext() metadata: CommandMetadata): Promise<TransferResponse> {
    return this.transfers.receive(id, body.quantity, metadata);
  }

  @Get('transfers')
  @Roles(...TRANSFER_READERS)
  @ApiQueryErrors()
  @ApiOperation({ summary: 'Transfers, optionally only those `in_transit` (or `received`)' })
  @ApiOkResponse({ type: TransferListResponse })
  async list(@Query() query: TransferListQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<TransferListResponse> {
    await this.freshness.awaitView('stock_transfers', query.minPosition, response);
    const page = await withCursorChecked(() =>
      this.views.query<StockTransferView & ViewDocument>('stock_transfers', {
        filter: query.status === undefined ? {} : { status: query.status },
        sort: [{ field: 'transferId', direction: 'asc' }],
        limit: query.limit ?? 100,
        cursor: query.cursor,
      }),
    );
    return { items: page.items.map((doc) => publicFields(doc) as unknown as TransferResponse), nextCursor: page.nextCursor ?? null };
  }

  @Get('transfers/:id')
  @Roles(...TRANSFER_READERS)
  @ApiQueryErrors()
  @ApiErrors(404)
  @ApiOperation({ summary: 'One transfer: sent, in transit, received' })
  @ApiOkResponse({ type: TransferResponse })
  async one(@Param('id', IdParamPipe) id: string, @Query() query: TransferQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<TransferResponse> {
    await this.freshness.awaitView('stock_transfers', query.minPosition, response);
    const doc = await this.views.get<StockTransferView & ViewDocument>('stock_transfers', id);
    if (doc === undefined) throw new ApiError(404, 'not_found', `no transfer ${id}`, { transferId: id });
    return publicFields(doc) as unknown as TransferResponse;
  }
}
