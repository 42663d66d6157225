import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { type AuditEntry, type PartyView, type ProductView } from '../../../projections/index.js';
import { productStream } from '../../../domain/index.js';
import { EVENT_STORE, type EventStore } from '../../platform/event-store/event-store.port.js';
import { HistoryEntryView } from '../../orders/http/orders-query.dto.js';
import { Roles } from '../../access/roles.decorator.js';
import { ApiError } from '../../platform/http/api-error.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { ReadQuery } from '../../orders/http/orders-query.dto.js';
import { PageQuery, publicFields, withCursorChecked } from '../../platform/http/query-params.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';
import { type JxcRequest } from '../../platform/http/request-context.js';
import { disclosureFor } from '../../platform/personal-data/personal-data.interceptor.js';
import { PersonalDataVault } from '../../platform/personal-data/personal-data-vault.js';

const MASTER_DATA_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;
const PARTY_READERS = ['clerk', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;
// Above every character: `prefix + HIGHEST` bounds the strings that start with `prefix`.
const HIGHEST = '\u{10FFFF}';

export class ProductSearchQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'case-insensitive prefix of the sku or of the name', example: 'tea' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

}

export class PartySearchQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'case-insensitive prefix of the id, name, phone or email (name, phone and email only for a caller that may see personal data)',
    example: 'hang',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

export class ProductResponse {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) spec!: string | null;
  @ApiProperty({ example: 'pcs' }) unit!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) price!: number;
  @ApiProperty({ nullable: true, type: 'integer' }) minStock!: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) maxStock!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'the supplier reorder planning proposes' }) preferredSupplierId!: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'the supplier\'s lead time in days' }) leadTimeDays!: number | null;
  @ApiProperty({ description: 'false: the product takes no new orders or order lines (409 inactive)' }) active!: boolean;
  @ApiProperty({ nullable: true, type: String }) registeredAt!: string | null;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() position!: string;
}
type _ProductResponse = Expect<Same<ProductResponse, Omit<ProductView, 'id' | 'skuLower' | 'nameLower'>>>;

export class ProductListResponse {
  @ApiProperty({ type: [ProductResponse], description: 'by sku' }) items!: ProductResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'without `q` only: the next page; a search answers one page of the best `limit` matches' }) nextCursor!: string | null;
}

export class PartyResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'personal data (with phone, email, address): null once erased, and for a caller that may not see personal data (analyst)' }) name!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty() erased!: boolean;
  @ApiProperty({ description: 'false: the party takes no new orders (409 inactive)' }) active!: boolean;
  @ApiProperty({ nullable: true, type: String }) registeredAt!: string | null;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() position!: string;
}
type _PartyResponse = Expect<Same<PartyResponse, PartyView>>;

export class PartyListResponse {
  @ApiProperty({ type: [PartyResponse], description: 'by id' }) items!: PartyResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'without `q` only: the next page; a search answers one page of the first `limit` matches by id' }) nextCursor!: string | null;
}

export class ProductHistoryView {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: [HistoryEntryView], description: 'its registration and every change (prices included), in log order' }) events!: HistoryEntryView[];
}

const SEARCHED_FIELDS = ['name', 'phone', 'email'] as const;

/** Products, customers and suppliers from their views. */
@ApiTags('master data')
@ApiQueryErrors()
@Controller()
export class MasterDataQueryController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
    private readonly vault: PersonalDataVault,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get('products')
  @Roles(...MASTER_DATA_READERS)
  @ApiOperation({ summary: 'Products by sku; `q`: those whose sku or name starts with it, case-insensitively' })
  @ApiOkResponse({ type: ProductListResponse })
  async products(@Query() query: ProductSearchQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<ProductListResponse> {
    await this.freshness.awaitView('products', query.minPosition, response);
    const limit = query.limit ?? 50;
    const shown = (doc: ProductView) => publicFields(doc, 'skuLower', 'nameLower') as unknown as ProductResponse;
    if (query.q === undefined) {
      const page = await withCursorChecked(() => this.views.query<ProductView & ViewDocument>('products', { sort: [{ field: 'skuLower', direction: 'asc' }], limit, cursor: query.cursor }));
      return { items: page.items.map(shown), nextCursor: page.nextCursor ?? null };
    }
    const prefix = query.q.toLowerCase();
    const range = { $gte: prefix, $lt: `${prefix}${HIGHEST}` };
    const [bySku, byName] = await Promise.all([
      this.views.query<ProductView & ViewDocument>('products', { filter: { skuLower: range }, sort: [{ field: 'skuLower', direction: 'asc' }], limit }),
      this.views.query<ProductView & ViewDocument>('products', { filter: { nameLower: range }, sort: [{ field: 'nameLower', direction: 'asc' }], limit }),
    ]);
    const found = new Map<string, ProductView>();
    for (const doc of [...bySku.items, ...byName.items]) found.set(doc.sku, doc);
    const items = [...found.values()].sort((a, b) => (a.skuLower < b.skuLower ? -1 : a.skuLower > b.skuLower ? 1 : 0)).slice(0, limit);
    return { items: items.map(shown), nextCursor: null };
  }

  @Get('products/:sku')
  @Roles(...MASTER_DATA_READERS)
  @ApiOperation({ summary: 'One product' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(404)
  async product(@Param('sku', IdParamPipe) sku: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<ProductResponse> {
    await this.freshness.awaitView('products', query.minPosition, response);
    const doc = await this.views.get<ProductView & ViewDocument>('products', sku);
    if (doc === undefined) throw new ApiError(404, 'not_found', `no product ${sku}`, { sku });
    return publicFields(doc, 'skuLower', 'nameLower') as unknown as ProductResponse;
  }

  @Get('products/:sku/history')
  @Roles(...MASTER_DATA_READERS)
  @ApiOperation({
    summary: 'Every event of the product (its registration and each ProductChanged: price history), in log order',
    description: 'From the `audit_trail` view (use `minPosition` to read a change just made).',
  })
  @ApiOkResponse({ type: ProductHistoryView })
  @ApiErrors(404)
  async productHistory(@Param('sku', IdParamPipe) sku: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<ProductHistoryView> {
    await this.freshness.awaitView('audit_trail', query.minPosition, response);
    const entries: AuditEntry[] = [];
    for await (const entry of this.views.scan<AuditEntry & ViewDocument>('audit_trail', { filter: { streamId: productStream(sku) }, pageSize: 1000 })) entries.push(entry);
    if (entries.length === 0) throw new ApiError(404, 'not_found', `no product ${sku}`, { sku });
    entries.sort((a, b) => this.events.comparePositions(a.position, b.position));
    return {
      sku,
      events: entries.map((entry) => ({
        position: entry.position,
        streamId: entry.streamId,
        revision: entry.revision,
        type: entry.type,
        occurredAt: entry.occurredAt,
        actor: entry.actor === null ? null : { id: entry.actor.id, roles: [...entry.actor.roles] },
        correlationId: entry.correlationId,
        causationId: entry.causationId,
        summary: entry.summary,
        data: entry.data,
      })),
    };
  }

  @Get('customers')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'Customers by id; `q`: those whose id, name, phone or email starts with it, case-insensitively' })
  @ApiOkResponse({ type: PartyListResponse })
  async customers(@Query() query: PartySearchQuery, @Req() request: JxcRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<PartyListResponse> {
    return this.parties('customers', query, request, response);
  }

  @Get('suppliers')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'Suppliers by id; `q`: those whose id, name, phone or email starts with it, case-insensitively' })
  @ApiOkResponse({ type: PartyListResponse })
  async suppliers(@Query() query: PartySearchQuery, @Req() request: JxcRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<PartyListResponse> {
    return this.parties('suppliers', query, request, response);
  }

  @Get('customers/:id')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'One customer' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiErrors(404)
  async customer(@Param('id', IdParamPipe) id: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<PartyResponse> {
    return this.party('customers', 'customer', id, query, response);
  }

  @Get('suppliers/:id')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'One supplier' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiErrors(404)
  async supplier(@Param('id', IdParamPipe) id: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<PartyResponse> {
    return this.party('suppliers', 'supplier', id, query, response);
  }

  /**
   * A page by id; or a search. Names are sealed in the view, so a search opens them here, page by page, and
   * answers the sealed documents (opened or masked for the caller on the way out): it reads every party, which
   * is fine for the tens of thousands a business has, not for millions.
   */
  private async parties(view: 'customers' | 'suppliers', query: PartySearchQuery, request: JxcRequest, response: FastifyReply): Promise<PartyListResponse> {
    await this.freshness.awaitView(view, query.minPosition, response);
    const limit = query.limit ?? 50;
    if (query.q === undefined) {
      const page = await withCursorChecked(() => this.views.query<PartyView & ViewDocument>(view, { limit, cursor: query.cursor }));
      return { items: page.items.map((doc) => doc as PartyResponse), nextCursor: page.nextCursor ?? null };
    }
    const prefix = query.q.toLowerCase();
    const personal = disclosureFor(request.actor?.roles) === 'reveal';
    const found: PartyResponse[] = [];
    let page: PartyView[] = [];
    const searchPage = async (): Promise<void> => {
      const opened = personal ? await this.vault.disclose(page, 'reveal') : page;
      opened.forEach((doc, index) => {
        const fields = [doc.id, ...(personal ? SEARCHED_FIELDS.map((field) => doc[field]) : [])];
        if (found.length < limit && fields.some((value) => value?.toLowerCase().startsWith(prefix))) found.push(page[index] as PartyResponse);
      });
      page = [];
    };
    for await (const doc of this.views.scan<PartyView & ViewDocument>(view, { pageSize: 500 })) {
      page.push(doc);
      if (page.length === 500) await searchPage();
      if (found.length >= limit) break;
    }
    await searchPage();
    return { items: found, nextCursor: null };
  }

  private async party(view: 'customers' | 'suppliers', what: string, id: string, query: ReadQuery, response: FastifyReply): Promise<PartyResponse> {
    await this.freshness.awaitView(view, query.minPosition, response);
    const doc = await this.views.get<PartyView & ViewDocument>(view, id);
    if (doc === undefined) throw new ApiError(404, 'not_found', `no ${what} ${id}`, { id });
    const { nameLower: _hidden, ...shown } = doc;
    return shown as PartyResponse;
  }
}
