import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { type Response } from 'express';

import { type PartyView, type ProductView } from '../../../projections/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { ApiError } from '../../platform/http/api-error.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { ReadQuery } from '../../orders/http/orders-query.dto.js';
import { PageQuery, publicFields, withCursorChecked } from '../../platform/http/query-params.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';

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

export class ProductResponse {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) spec!: string | null;
  @ApiProperty({ example: 'pcs' }) unit!: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) price!: number;
  @ApiProperty({ nullable: true, type: 'integer' }) minStock!: number | null;
  @ApiProperty({ nullable: true, type: 'integer' }) maxStock!: number | null;
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
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ nullable: true, type: String }) registeredAt!: string | null;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() position!: string;
}
type _PartyResponse = Expect<Same<PartyResponse, Omit<PartyView, 'nameLower'>>>;

/** Products, customers and suppliers from their views. */
@ApiTags('master data')
@ApiQueryErrors()
@Controller()
export class MasterDataQueryController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Get('products')
  @Roles(...MASTER_DATA_READERS)
  @ApiOperation({ summary: 'Products by sku; `q`: those whose sku or name starts with it, case-insensitively' })
  @ApiOkResponse({ type: ProductListResponse })
  async products(@Query() query: ProductSearchQuery, @Res({ passthrough: true }) response: Response): Promise<ProductListResponse> {
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
  async product(@Param('sku', IdParamPipe) sku: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: Response): Promise<ProductResponse> {
    await this.freshness.awaitView('products', query.minPosition, response);
    const doc = await this.views.get<ProductView & ViewDocument>('products', sku);
    if (doc === undefined) throw new ApiError(404, 'not_found', `no product ${sku}`, { sku });
    return publicFields(doc, 'skuLower', 'nameLower') as unknown as ProductResponse;
  }

  @Get('customers/:id')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'One customer' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiErrors(404)
  async customer(@Param('id', IdParamPipe) id: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: Response): Promise<PartyResponse> {
    return this.party('customers', 'customer', id, query, response);
  }

  @Get('suppliers/:id')
  @Roles(...PARTY_READERS)
  @ApiOperation({ summary: 'One supplier' })
  @ApiOkResponse({ type: PartyResponse })
  @ApiErrors(404)
  async supplier(@Param('id', IdParamPipe) id: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: Response): Promise<PartyResponse> {
    return this.party('suppliers', 'supplier', id, query, response);
  }

  private async party(view: 'customers' | 'suppliers', what: string, id: string, query: ReadQuery, response: Response): Promise<PartyResponse> {
    await this.freshness.awaitView(view, query.minPosition, response);
    const doc = await this.views.get<PartyView & ViewDocument>(view, id);
    if (doc === undefined) throw new ApiError(404, 'not_found', `no ${what} ${id}`, { id });
    const { nameLower: _hidden, ...shown } = doc;
    return shown as PartyResponse;
  }
}
