import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { CHART_OF_ACCOUNTS } from '../../domain/accounting/chart.js';
import { type TrialBalanceRow } from '../../domain/accounting/trial-balance.js';
import { Roles } from '../access/roles.decorator.js';
import { CONTENT_TYPES, exportTimeZone, SHEET_FORMATS, SheetAborted, type SheetFormat } from '../exports/sheet.js';
import { SheetReply } from '../exports/sheet-reply.js';
import { writeSheet } from '../exports/write-sheet.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../platform/http/openapi.js';
import { MinPositionParam, normalizedTime, PageQuery, TextParam, TimeParam } from '../platform/http/query-params.js';
import { validationFailed } from '../platform/http/validation.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { type JournalEntry, type JournalFilter, JournalReader } from './journal-reader.js';
import { numberVouchers, VOUCHERS } from './voucher-sheet.js';

const ACCOUNT_CODES = CHART_OF_ACCOUNTS.map((account) => account.code);
/** Journal and its export: finance and auditor (API.md "Access"); admin may use all. */
const READERS = ['finance', 'auditor'] as const;

class JournalRangeQuery {
  @TimeParam('lines of events at or after this time')
  from?: string;

  @TimeParam('lines of events before this time')
  to?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_CODES, description: 'lines on this account (docs/journal.md has the chart)' })
  @IsOptional()
  @IsIn(ACCOUNT_CODES, { message: 'account must be an account code of the chart (docs/journal.md)' })
  account?: string;

  @TextParam('lines of this order (its own events, its payments, its stock movements)', 'SO-2026-000001')
  orderId?: string;

  @MinPositionParam()
  minPosition?: string;
}

/** The list's filters and its pages. */
class JournalQuery extends IntersectionType(PageQuery, OmitType(JournalRangeQuery, ['minPosition'] as const)) {}

class TrialBalanceQuery {
  @TimeParam('every line of an event at or before this time; now when absent')
  asOf?: string;

  @MinPositionParam()
  minPosition?: string;
}

class JournalExportQuery extends JournalRangeQuery {
  @ApiPropertyOptional({ enum: SHEET_FORMATS, default: 'csv', description: '`csv` (UTF-8 with a byte order mark) or `xlsx`' })
  @IsOptional()
  @IsIn(SHEET_FORMATS, { message: 'format must be csv or xlsx' })
  format?: SheetFormat;
}

class JournalEntryView {
  @ApiProperty({ example: '1042:1', description: "the event's position and the line's number in its voucher" }) entryId!: string;
  @ApiProperty({ example: '1042', description: 'the log position of the event the line comes from' }) position!: string;
  @ApiProperty({ type: String, nullable: true }) occurredAt!: string | null;
  @ApiProperty({ example: '1122', description: 'account code (docs/journal.md)' }) account!: string;
  @ApiProperty({ example: 'Accounts receivable' }) accountName!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) debit!: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) credit!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: String, nullable: true }) orderId!: string | null;
  @ApiProperty({ type: String, nullable: true }) sku!: string | null;
  @ApiProperty({ example: 'OrderShipped' }) eventType!: string;
  @ApiProperty({ description: 'the voucher’s 摘要' }) summary!: string;
}
type _JournalEntryView = Expect<Same<JournalEntryView, JournalEntry>>;

class JournalListView {
  @ApiProperty({ type: [JournalEntryView], description: 'in time order, then log order; a voucher’s lines together' }) items!: JournalEntryView[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

class TrialBalanceRowView {
  @ApiProperty({ example: '1405' }) account!: string;
  @ApiProperty({ example: 'Inventory' }) name!: string;
  @ApiProperty({ example: '库存商品' }) nameZh!: string;
  @ApiProperty({ type: 'integer' }) debit!: number;
  @ApiProperty({ type: 'integer' }) credit!: number;
  @ApiProperty({ type: 'integer', description: 'debit − credit' }) balance!: number;
}
type _TrialBalanceRowView = Expect<Same<TrialBalanceRowView, TrialBalanceRow>>;

class TotalsView {
  @ApiProperty({ type: 'integer' }) debit!: number;
  @ApiProperty({ type: 'integer' }) credit!: number;
}

class TrialBalanceView {
  @ApiProperty({ example: '2026-03-31T15:59:59.999Z' }) asOf!: string;
  @ApiProperty({ type: [TrialBalanceRowView], description: 'accounts with lines, in code order' }) accounts!: TrialBalanceRowView[];
  @ApiProperty({ type: TotalsView, description: 'Σ debit and Σ credit: always equal' }) totals!: TotalsView;
}

const FILE = { schema: { type: 'string' as const, format: 'binary' } };

/** GET /api/journal, its trial balance and its voucher export (API.md "Money"). */
@ApiTags('journal')
@ApiErrors(503)
@ApiQueryErrors()
@Controller('journal')
export class JournalController {
  private readonly logger = new Logger('Journal');
  private readonly zone = exportTimeZone(process.env);

  constructor(
    private readonly reader: JournalReader,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Double-entry journal lines projected from the events', description: '`from` inclusive, `to` exclusive, on the time of the event.' })
  @ApiOkResponse({ type: JournalListView })
  async list(@Query() query: JournalQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<JournalListView> {
    await this.freshness.awaitView('journal', query.minPosition, response);
    const entries = await this.reader.entries(filterOf(query));
    let start = 0;
    if (query.cursor !== undefined) {
      start = entries.findIndex((entry) => entry.entryId === query.cursor) + 1;
      if (start === 0) throw validationFailed([{ field: 'cursor', problems: ['is not a cursor of this list with these filters'] }]);
    }
    const limit = query.limit ?? 50;
    const items = entries.slice(start, start + limit);
    return { items, nextCursor: start + limit < entries.length ? items[items.length - 1].entryId : null };
  }

  @Get('trial-balance')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Σ debit, Σ credit and balance per account over every line at or before `asOf`' })
  @ApiOkResponse({ type: TrialBalanceView })
  async trialBalance(@Query() query: TrialBalanceQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<TrialBalanceView> {
    await this.freshness.awaitView('journal', query.minPosition, response);
    const asOf = normalizedTime(query.asOf) ?? new Date().toISOString();
    const balance = await this.reader.trialBalance(asOf);
    return { asOf, accounts: [...balance.accounts], totals: { ...balance.totals } };
  }

  @Get('export')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'The journal as vouchers for a finance package: one voucher per event, one row per line (CSV or XLSX)',
    description:
      'Columns as the voucher imports of 金蝶 KIS and 用友 T3 take them: 日期 (business day in `JXC_BUSINESS_TZ`), 凭证字 (记), 凭证号 (from 1 in each month), ' +
      '摘要, 科目代码, 科目名称, 借方, 贷方 (major units), 币别; then entryId, orderId, sku, eventType. docs/journal.md has the layout.',
  })
  @ApiOkResponse({ description: 'the file (`Content-Disposition: attachment`)', content: { [CONTENT_TYPES.csv.split(';')[0]]: { schema: { type: 'string' } }, [CONTENT_TYPES.xlsx]: FILE } })
  async export(@Query() query: JournalExportQuery, @Res() response: FastifyReply): Promise<void> {
    await this.freshness.awaitView('journal', query.minPosition, response);
    const vouchers = numberVouchers(await this.reader.vouchers(filterOf(query)), this.zone);
    const format = query.format ?? 'csv';
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    const reply = new SheetReply(response);
    try {
      await writeSheet(reply.out, VOUCHERS, iterate(vouchers), {
        format,
        bom: true,
        zone: this.zone,
        onStart: () =>
          reply.start({
            'Content-Type': CONTENT_TYPES[format],
            'Content-Disposition': `attachment; filename="journal-${stamp}Z.${format}"`,
            'Cache-Control': 'no-store',
          }),
      });
    } catch (error) {
      if (!reply.started) throw error;
      if (!(error instanceof SheetAborted)) this.logger.error(`journal export failed after it started: ${(error as Error).message}`);
      reply.abort();
    }
  }
}

function filterOf(query: { from?: string; to?: string; account?: string; orderId?: string }): JournalFilter {
  return {
    ...(query.from === undefined ? {} : { from: normalizedTime(query.from) }),
    ...(query.to === undefined ? {} : { to: normalizedTime(query.to) }),
    ...(query.account === undefined ? {} : { account: query.account }),
    ...(query.orderId === undefined ? {} : { orderId: query.orderId }),
  };
}

async function* iterate<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}
