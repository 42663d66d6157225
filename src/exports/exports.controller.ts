import { Controller, Get, Inject, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { type Actor } from '../../domain/shared/context.js';
import { type AuditEntry, type OrderView, type StockLevelView } from '../../projections/index.js';
import { Roles } from '../access/roles.decorator.js';
import { AuditQuery, auditTrailFilter } from '../audit/audit.controller.js';
import { orderListQuery } from '../orders/order-list-query.js';
import { OrdersQuery } from '../orders/http/orders-query.dto.js';
import { ApiQueryErrors } from '../platform/http/openapi.js';
import { withCursorChecked } from '../platform/http/query-params.js';
import { CurrentActor } from '../platform/http/request-context.js';
import { disclosureFor } from '../platform/personal-data/personal-data.interceptor.js';
import { PersonalDataVault } from '../platform/personal-data/personal-data-vault.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ScanOptions, type ViewDocument, type ViewFilter } from '../platform/read-store/read-store.port.js';
import { StockListQuery } from '../stock/http/stock-query.controller.js';
import { AUDIT_TRAIL, ORDER_LINES, type SheetSpec, STOCK_LEVELS } from './rows.js';
import { CONTENT_TYPES, exportTimeZone, SHEET_FORMATS, SheetAborted, type SheetFormat } from './sheet.js';
import { SheetReply } from './sheet-reply.js';
import { writeSheet } from './write-sheet.js';
import { WarehouseRegistry } from '../master-data/warehouses.js';

/** Who may export (API.md "Access"); a clerk also exports orders, only those it placed (as it lists them). */
const EXPORTERS = ['analyst', 'auditor', 'finance'] as const;

class FormatQuery {
  @ApiPropertyOptional({ enum: SHEET_FORMATS, default: 'csv', description: '`csv` (UTF-8 with a byte order mark) or `xlsx`' })
  @IsOptional()
  @IsIn(SHEET_FORMATS, { message: 'format must be csv or xlsx' })
  format?: SheetFormat;
}

export class OrdersExportQuery extends IntersectionType(OmitType(OrdersQuery, ['limit', 'cursor'] as const), FormatQuery) {}
export class StockExportQuery extends IntersectionType(OmitType(StockListQuery, ['limit', 'cursor'] as const), FormatQuery) {}
export class AuditExportQuery extends IntersectionType(OmitType(AuditQuery, ['limit', 'cursor'] as const), FormatQuery) {}

const FILE = { schema: { type: 'string' as const, format: 'binary' } };
const SHEET_FILE = {
  description: 'the file, streamed (`Content-Disposition: attachment`)',
  content: { [CONTENT_TYPES.csv.split(';')[0]]: { schema: { type: 'string' as const } }, [CONTENT_TYPES.xlsx]: FILE },
};
const HOW =
  'Streamed as it is read (memory bounded whatever the size). Money as a number in major units (`128.00`) with a `currency` column; ' +
  'times as spreadsheet dates in the business time zone `JXC_BUSINESS_TZ` (XLSX: date cells showing its wall clock; CSV: ISO 8601 with its offset, `2026-03-01T16:00:00.000+08:00`); CSV is UTF-8 with a byte order mark; XLSX has a frozen header and an autofilter. ' +
  'Personal data are disclosed as in the JSON answers (null for an analyst and once erased). An error after the first byte ends the transfer unfinished.';

/** GET /api/orders/export, /api/stock/export, /api/audit/export: the lists' views, with the lists' filters, as CSV or XLSX. */
@ApiTags('exports')
@ApiQueryErrors()
@Controller()
export class ExportsController {
  private readonly logger = new Logger('Exports');
  /** Read at start-up: a zone the runtime does not know stops the start with one line. */
  private readonly zone = exportTimeZone(process.env);

  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  @Get('orders/export')
  @Roles(...EXPORTERS, 'clerk')
  @ApiOperation({ summary: 'Orders as CSV or XLSX: one row per order line, with the filters of GET /api/orders; a clerk exports the orders it placed', description: HOW })
  @ApiOkResponse(SHEET_FILE)
  async orders(@Query() query: OrdersExportQuery, @CurrentActor() actor: Actor, @Res() response: FastifyReply): Promise<void> {
    await this.freshness.awaitView('orders', query.minPosition, response);
    const { filter, sort } = orderListQuery(query, actor);
    await this.send(response, actor, query.format, ORDER_LINES, 'orders', { filter, sort });
  }

  @Get('stock/export')
  @Roles(...EXPORTERS)
  @ApiOperation({ summary: 'Stock levels as CSV or XLSX: one row per sku and warehouse, with the filters of GET /api/stock', description: HOW })
  @ApiOkResponse(SHEET_FILE)
  async stock(@Query() query: StockExportQuery, @CurrentActor() actor: Actor, @Res() response: FastifyReply): Promise<void> {
    await this.warehouses.assertKnown({ warehouseId: query.warehouseId, field: 'warehouseId' });
    const view = query.alert === undefined ? 'stock_levels' : 'stock_alerts';
    await this.freshness.awaitView(view, query.minPosition, response);
    const filter: Record<string, ViewFilter[string]> = {};
    if (query.alert) filter.alert = query.alert;
    if (query.warehouseId) filter.warehouseId = query.warehouseId;
    await this.send(response, actor, query.format, STOCK_LEVELS, view, {
      filter,
      sort: [{ field: 'warehouseId', direction: 'asc' }, { field: 'sku', direction: 'asc' }],
    });
  }

  @Get('audit/export')
  @Roles(...EXPORTERS)
  @ApiOperation({
    summary: 'The audit trail as CSV or XLSX: one row per business event, newest first, with the filters of GET /api/audit',
    description: `${HOW} For the exporters of API.md (analyst, auditor, finance); access records (API keys) for the auditor only.`,
  })
  @ApiOkResponse(SHEET_FILE)
  async audit(@Query() query: AuditExportQuery, @CurrentActor() actor: Actor, @Res() response: FastifyReply): Promise<void> {
    await this.freshness.awaitView('audit_trail', query.minPosition, response);
    const filter = auditTrailFilter(query, actor);
    await this.send(response, actor, query.format, AUDIT_TRAIL, 'audit_trail', { filter, sort: [{ field: 'occurredAt', direction: 'desc' }] });
  }

  private async send<D extends OrderView | StockLevelView | AuditEntry>(
    response: FastifyReply,
    actor: Actor,
    format: SheetFormat | undefined,
    spec: SheetSpec<D>,
    view: string,
    scan: ScanOptions,
  ): Promise<void> {
    const chosen = format ?? 'csv';
    const disclosure = disclosureFor(actor.roles);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    const reply = new SheetReply(response);
    try {
      await withCursorChecked(() =>
        writeSheet(reply.out, spec, this.views.scan<D & ViewDocument>(view, { ...scan, pageSize: 500 }), {
          format: chosen,
          bom: true,
          zone: this.zone,
          disclose: (docs) => this.vault.disclose(docs, disclosure),
          onStart: () =>
            reply.start({
              'Content-Type': CONTENT_TYPES[chosen],
              'Content-Disposition': `attachment; filename="${spec.sheet}-${stamp}Z.${chosen}"`,
              'Cache-Control': 'no-store',
            }),
        }),
      );
    } catch (error) {
      // Before the first byte the error is answered as any other (400, 503); after it, the transfer is cut short.
      if (!reply.started) throw error;
      if (!(error instanceof SheetAborted)) this.logger.error(`export of ${view} failed after it started: ${(error as Error).message}`);
      reply.abort();
    }
  }
}
