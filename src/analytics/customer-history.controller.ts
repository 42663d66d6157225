import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { type Actor, seesOwnOrdersOnly } from '../../domain/index.js';
import { spendableCredit } from '../../domain/credit/state.js';
import { creditStream } from '../../domain/shared/streams.js';
import { type CurrencyTotals, type CustomerTotals, CustomerTotalsTally } from '../../projections/analytics.js';
import { type OrderView, type PartyView } from '../../projections/index.js';
import { Roles } from '../access/roles.decorator.js';
import { PartyResponse } from '../master-data/http/master-data-query.controller.js';
import { OrderAnswer } from '../orders/http/order-answer.js';
import { ApiError } from '../platform/http/api-error.js';
import { IdParamPipe } from '../platform/http/id-param.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../platform/http/openapi.js';
import { LimitParam, MinPositionParam, publicFields } from '../platform/http/query-params.js';
import { CurrentActor } from '../platform/http/request-context.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ViewDocument, type ViewFilter } from '../platform/read-store/read-store.port.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { creditAggregate } from '../platform/write-model/aggregates.js';

const HISTORY_READERS = ['clerk', 'finance', 'auditor', 'analyst'] as const;
const DEFAULT_ORDERS_SHOWN = 100;

export class CustomerHistoryQuery {
  @LimitParam(DEFAULT_ORDERS_SHOWN)
  limit?: number;

  @MinPositionParam()
  minPosition?: string;
}

export class CurrencyTotalsView {
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: 'integer' }) orders!: number;
  @ApiProperty({ type: 'integer' }) cancelled!: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) paid!: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) refunded!: number;
  @ApiProperty({ type: 'integer', description: '`paid − refunded`, minor units' }) lifetimeValue!: number;
}
type _CurrencyTotalsView = Expect<Same<CurrencyTotalsView, CurrencyTotals>>;

export class CustomerTotalsView {
  @ApiProperty({ example: 'CNY', description: "the currency of the money fields: that of the customer's latest order (`CNY` when none); `byCurrency` has each" }) currency!: string;
  @ApiProperty({ type: 'integer', description: 'sale orders, rejected ones excepted, in every currency' }) orders!: number;
  @ApiProperty({ type: 'integer', description: 'of those, orders whose latest cancellation was approved (whole or in part)' }) cancelled!: number;
  @ApiProperty({ type: 'integer', description: 'paid by the customer, minor units' }) paid!: number;
  @ApiProperty({ type: 'integer', description: 'refunded to the customer, minor units' }) refunded!: number;
  @ApiProperty({ type: 'integer', description: "store credit the customer can spend now (grants not spent and not expired), minor units of `currency`; from the customer's credit ledger, as GET /api/customers/{id}/credits answers" }) credit!: number;
  @ApiProperty({ type: 'integer', description: '`paid − refunded`, minor units' }) lifetimeValue!: number;
}
type _CustomerTotalsView = Expect<Same<CustomerTotalsView, CustomerTotals>>;

export interface CustomerHistory {
  readonly customer: PartyResponse;
  readonly orders: readonly OrderAnswer[];
  readonly totals: CustomerTotals;
  readonly byCurrency: readonly CurrencyTotals[];
}

export class CustomerHistoryView {
  @ApiProperty({ type: PartyResponse, description: 'the customer; personal data null for an analyst and once erased' }) customer!: PartyResponse;
  @ApiProperty({ type: [OrderAnswer], description: "the customer's sale orders, newest first: the latest `limit` (totals count them all)" }) orders!: OrderAnswer[];
  @ApiProperty({ type: CustomerTotalsView }) totals!: CustomerTotalsView;
  @ApiProperty({ type: [CurrencyTotalsView], description: 'the totals per currency, by currency code' }) byCurrency!: CurrencyTotalsView[];
}
type _CustomerHistoryView = Expect<Same<CustomerHistoryView, CustomerHistory>>;

/** A customer's orders and totals for CRM: from the `customers` and `orders` views. */
@ApiTags('analytics')
@ApiQueryErrors()
@Controller('customers')
export class CustomerHistoryController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
    private readonly repository: AggregateRepository,
  ) {}

  @Get(':id/history')
  @Roles(...HISTORY_READERS)
  @ApiOperation({
    summary: "A customer's sale orders and totals: orders, cancelled, paid, refunded, credit, lifetime value (clerk: its own customers; finance, auditor, analyst)",
    description:
      'A clerk sees the customers of the orders it placed, and only those orders (404 for another customer); an analyst gets the personal data as null. ' +
      "`credit` is the store credit spendable now in `totals.currency`, read from the customer's ledger. Money in minor units of `totals.currency` (the latest order's), each currency in `byCurrency`.",
  })
  @ApiOkResponse({ type: CustomerHistoryView })
  @ApiErrors(404)
  async history(
    @Param('id', IdParamPipe) id: string,
    @Query() query: CustomerHistoryQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<CustomerHistoryView> {
    // Side by side: a minPosition beyond the log waits its 5 s once, not once per view.
    await Promise.all(['customers', 'orders'].map((view) => this.freshness.awaitView(view, query.minPosition, response)));
    const notFound = () => new ApiError(404, 'not_found', `no customer ${id}`, { id });
    const customer = await this.views.get<PartyView & ViewDocument>('customers', id);
    if (customer === undefined) throw notFound();
    const filter: Record<string, ViewFilter[string]> = { partyId: id, kind: 'sale' };
    if (seesOwnOrdersOnly(actor)) filter.ownerId = actor.id;
    const limit = query.limit ?? DEFAULT_ORDERS_SHOWN;
    const orders: OrderAnswer[] = [];
    const tally = new CustomerTotalsTally();
    for await (const order of this.views.scan<OrderView & ViewDocument>('orders', { filter, sort: [{ field: 'placedAt', direction: 'desc' }], pageSize: 500 })) {
      tally.add(order);
      if (orders.length < limit) orders.push(publicFields(order) as unknown as OrderAnswer);
    }
    // A clerk's customers are those of the orders it placed.
    if (seesOwnOrdersOnly(actor) && orders.length === 0) throw notFound();
    const { nameLower: _hidden, ...shown } = customer as PartyView & ViewDocument & { nameLower?: unknown };
    const { totals, byCurrency } = tally.result();
    // The ledger's stream itself, like the credits route: the latest grant or spend is always in it.
    const ledger = (await this.repository.load(creditAggregate, creditStream(id))).state;
    const credit = spendableCredit(ledger, totals.currency, new Date().toISOString());
    return { customer: shown as PartyResponse, orders, totals: { ...totals, credit }, byCurrency };
  }
}
