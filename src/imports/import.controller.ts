import { Controller, HttpCode, Param, Post, Query, Req, SetMetadata } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type FastifyRequest } from 'fastify';

import { Roles } from '../access/roles.decorator.js';
import { ApiError } from '../platform/http/api-error.js';
import { ApiErrors, ApiErrorView, type Expect, type Same } from '../platform/http/openapi.js';
import { IDEMPOTENT_BY_ITSELF } from '../platform/idempotency/idempotency.interceptor.js';
import { CommandContext } from '../platform/http/request-context.js';
import { validationFailed } from '../platform/http/validation.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { IMPORT_KINDS, type ImportKind } from './import-kinds.js';
import { Importer, type ImportReport, type RowError } from './importer.js';
import { CSV_TYPE, sheetRecords, XLSX_TYPE } from './sheet-rows.js';
import { limitedBody, MAX_IMPORT_BYTES } from './upload-limit.js';

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: '`true`: check every row and report what would apply; nothing is applied' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

class RowErrorView {
  @ApiProperty({ type: 'integer', example: 7, description: 'the row as a spreadsheet numbers it (the header is row 1)' }) row!: number;
  @ApiProperty({ example: 'price', description: 'the column, or `row` (too many cells) or `file` (unreadable from this row on)' }) field!: string;
  @ApiProperty({ example: 'must be an integer number of minor units' }) problem!: string;
}
type _RowErrorView = Expect<Same<RowErrorView, RowError>>;

class ImportReportView {
  @ApiProperty({ type: 'integer', description: 'data rows read (the header and empty rows not counted)' }) rows!: number;
  @ApiProperty({ type: 'integer', description: 'rows applied now (dryRun: rows that would apply)' }) applied!: number;
  @ApiProperty({ type: 'integer', description: 'rows already applied before: nothing changed' }) unchanged!: number;
  @ApiProperty({ type: [RowErrorView], description: 'each problem of each invalid row (the first 1,000), by row' }) errors!: RowErrorView[];
  @ApiProperty({ type: 'integer', description: 'problems beyond the first 1,000, counted only' }) errorsNotListed!: number;
  @ApiProperty({ type: String, nullable: true, description: 'a log position at or after every event the import appended: pass it as `minPosition` to read the rows back' }) position!: string | null;
}
type _ImportReportView = Expect<Same<ImportReportView, ImportReport>>;

/**
 * Bulk import (API.md "Integrations"): a CSV or XLSX body, streamed (this route has no JSON body parser and
 * reads up to MAX_IMPORT_BYTES, the only route with a larger body), its valid rows applied through the normal
 * command path (importer.ts, import-rows.ts).
 */
@ApiTags('import')
@Controller('import')
export class ImportController {
  constructor(private readonly importer: Importer) {}

  @Post(':kind')
  // Every row is idempotent: a retry under the same Idempotency-Key runs again and answers each applied row `unchanged`.
  @SetMetadata(IDEMPOTENT_BY_ITSELF, true)
  @HttpCode(200)
  @Roles('integration')
  @ApiOperation({
    summary: 'Import products, customers, suppliers or opening stock from a CSV or XLSX file',
    description:
      'Columns named as the fields of the matching POST (money in minor units; opening stock: sku, quantity, warehouseId?, unitCost?, note?); the first row is the header. ' +
      'Valid rows apply, invalid rows are reported by spreadsheet row number; the same file again changes nothing (`unchanged`).',
  })
  @ApiParam({ name: 'kind', enum: IMPORT_KINDS })
  @ApiConsumes(CSV_TYPE, XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportReportView })
  @ApiErrors(400, 413, 503)
  @ApiResponse({ status: 415, type: ApiErrorView, description: '`unsupported_media_type`: the body is not text/csv or XLSX' })
  async import(@Param('kind') kind: string, @Query() query: ImportQuery, @Req() request: FastifyRequest, @CommandContext() metadata: CommandMetadata): Promise<ImportReport> {
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw validationFailed([{ field: 'kind', problems: [`must be one of ${IMPORT_KINDS.join(', ')}`] }]);
    const type = fileType(request.headers['content-type']);
    const body = limitedBody(request.raw, MAX_IMPORT_BYTES);
    return this.importer.run(kind as ImportKind, sheetRecords(body, type), metadata, query.dryRun === 'true');
  }
}

function fileType(header: string | undefined): typeof CSV_TYPE | typeof XLSX_TYPE {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  if (type === CSV_TYPE || type === XLSX_TYPE) return type;
  throw new ApiError(415, 'unsupported_media_type', `send the file as ${CSV_TYPE} or ${XLSX_TYPE}`, { fields: [{ field: 'Content-Type', problems: [`must be ${CSV_TYPE} or ${XLSX_TYPE}`] }] });
}
