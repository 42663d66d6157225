import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { type FastifyReply } from 'fastify';

import { type Actor, creditStream, customerStream, DEFAULT_CURRENCY, orderStream, seesOwnOrdersOnly } from '../../domain/index.js';
import { type CreditEvent } from '../../domain/credit/events.js';
import { creditBalance, isSpendable } from '../../domain/credit/state.js';
import { type OrderView } from '../../projections/index.js';
import { Roles } from '../access/roles.decorator.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { ApiError } from '../platform/http/api-error.js';
import { IdParamPipe } from '../platform/http/id-param.js';
import { MoneyField, OptionalIdField, TextField } from '../platform/http/dto-rules.js';
import { ApiCommandErrors, ApiErrors, ApiQueryErrors } from '../platform/http/openapi.js';
import { MinPositionParam } from '../platform/http/query-params.js';
import { CommandContext, CurrentActor } from '../platform/http/request-context.js';
import { validationFailed } from '../platform/http/validation.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../platform/read-store/read-store.port.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { creditAggregate, customerAggregate, orderAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { PROCESS_ACTOR } from '../orders/processes/order-process-runner.js';

export class GrantCreditDto {
  @MoneyField('store credit to grant, in minor units')
  amount!: number;

  @TextField('late delivery', 500)
  reason!: string;

  @OptionalIdField('SO-2026-000007', 'the order it is for (a sale of this customer)')
  orderId?: string;

  @ApiPropertyOptional({ example: '2027-01-31T16:00:00Z', description: 'ISO-8601 time from which it can no longer be spent (in the future); none: never expires' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO-8601 time' })
  expiresAt?: string;
}

const ENTRY_KINDS = ['grant', 'spend', 'expiry'] as const;

/** `minPosition`: a clerk's own orders are found in the orders view, so a clerk that has just placed one waits for it. */
export class CreditLedgerQuery {
  @MinPositionParam()
  minPosition?: string;
}

export class CreditEntryView {
  @ApiProperty({ example: 'C1' }) entryId!: string;
  @ApiProperty({ enum: ENTRY_KINDS, description: 'grant adds to the balance; spend (a store credit payment) and expiry take from it' }) kind!: (typeof ENTRY_KINDS)[number];
  @ApiProperty({ type: 'integer', description: 'minor units, always positive' }) amount!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ description: 'why: the grant reason, the payment a spend was for, the grant an expiry wrote off' }) reason!: string;
  @ApiProperty({ type: String, nullable: true }) orderId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'grants: when the credit can no longer be spent' }) expiresAt!: string | null;
  @ApiProperty({ description: 'when it was recorded' }) at!: string;
}

export class CreditLedgerView {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: 'integer', description: 'spendable now, in minor units of `currency` (expired credit is written off on read)' }) balance!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [CreditEntryView], description: 'oldest first' }) entries!: CreditEntryView[];
  @ApiProperty({ type: String, nullable: true, description: 'log position of the ledger\'s last event (null: no entries)' }) position!: string | null;
}

/**
 * A customer's store credit (补偿 / 余额): grants (approver, finance), its entries and balance (finance, auditor; a clerk
 * for the customers of orders it placed). Read from the ledger's stream itself, so an answer always shows the latest
 * grant or spend. A read first writes off the unspent rest of grants past their expiry (`CreditExpired`, by the system).
 */
@ApiTags('credits')
@Controller('customers/:id/credits')
export class CreditsController {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Post()
  @Roles('approver', 'finance')
  @ApiCommandErrors()
  @ApiErrors(404)
  @ApiOperation({ summary: 'Grant store credit to a customer (manual: goodwill after any cancellation, or on its own)' })
  @ApiCreatedResponse({ type: CreditLedgerView })
  async grant(@Param('id', IdParamPipe) id: string, @Body() body: GrantCreditDto, @CommandContext() metadata: CommandMetadata): Promise<CreditLedgerView> {
    await this.requireCustomer(id);
    let currency = DEFAULT_CURRENCY;
    if (body.orderId !== undefined) {
      const order = (await this.repository.load(orderAggregate, orderStream(body.orderId))).state;
      if (order === null || order.kind !== 'sale' || order.partyId !== id) {
        throw validationFailed([{ field: 'orderId', problems: [`no sale order ${body.orderId} of customer ${id}`] }]);
      }
      currency = order.currency;
    }
    await this.repository.execute(creditAggregate, creditStream(id), {
      type: 'GrantCredit',
      customerId: id,
      amount: body.amount,
      currency,
      reason: body.reason,
      orderId: body.orderId ?? null,
      expiresAt: body.expiresAt ?? null,
    }, metadata);
    return this.ledger(id, metadata.now);
  }

  @Get()
  @Roles('finance', 'auditor', 'clerk')
  @ApiQueryErrors()
  @ApiErrors(404)
  @ApiOperation({ summary: "A customer's store credit: balance and entries (clerk: customers of the orders it placed, else 404)" })
  @ApiOkResponse({ type: CreditLedgerView })
  async read(
    @Param('id', IdParamPipe) id: string,
    @Query() query: CreditLedgerQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<CreditLedgerView> {
    await this.requireCustomer(id);
    await this.freshness.awaitView('orders', query.minPosition, response);
    if (seesOwnOrdersOnly(actor)) {
      const own = this.views.scan<OrderView & ViewDocument>('orders', { filter: { partyId: id, kind: 'sale', ownerId: actor.id }, pageSize: 1 });
      let any = false;
      for await (const _order of own) {
        any = true;
        break;
      }
      if (!any) throw new ApiError(404, 'not_found', `no customer ${id}`, { id });
    }
    const now = new Date().toISOString();
    await this.sweep(id, now);
    return this.ledger(id, now);
  }

  private async requireCustomer(id: string): Promise<void> {
    const customer = await this.repository.load(customerAggregate, customerStream(id));
    if (customer.state === null) throw new ApiError(404, 'not_found', `no customer ${id}`, { id });
  }

  /** Writes off expired credit before answering, so the balance and the journal agree with what can be spent. */
  private async sweep(id: string, now: string): Promise<void> {
    const ledger = (await this.repository.load(creditAggregate, creditStream(id))).state;
    if (!ledger.grants.some((grant) => grant.remaining > 0 && grant.expiresAt !== null && !isSpendable(grant, now))) return;
    const commandId = `expire-credit:${id}:${ledger.entries}`;
    await this.repository.execute(creditAggregate, creditStream(id), { type: 'ExpireCredit', customerId: id }, {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      actor: PROCESS_ACTOR,
      now,
    });
  }

  private async ledger(id: string, now: string): Promise<CreditLedgerView> {
    const entries: CreditEntryView[] = [];
    let position: string | null = null;
    for await (const recorded of this.store.readStream(creditStream(id))) {
      const event = { type: recorded.type, data: recorded.data } as CreditEvent;
      const at = typeof recorded.metadata.occurredAt === 'string' ? recorded.metadata.occurredAt : '';
      position = recorded.position;
      entries.push(entryOf(event, at));
    }
    const state = (await this.repository.load(creditAggregate, creditStream(id))).state;
    const live = { ...state, grants: state.grants.filter((grant) => isSpendable(grant, now)) };
    return { customerId: id, balance: creditBalance(live, DEFAULT_CURRENCY), currency: DEFAULT_CURRENCY, entries, position };
  }
}

function entryOf(event: CreditEvent, at: string): CreditEntryView {
  const { entryId, amount, currency } = event.data;
  switch (event.type) {
    case 'CreditGranted':
      return { entryId, kind: 'grant', amount, currency, reason: event.data.reason, orderId: event.data.orderId, expiresAt: event.data.expiresAt, at };
    case 'CreditSpent':
      return { entryId, kind: 'spend', amount, currency, reason: `payment ${event.data.paymentId} of order ${event.data.orderId}`, orderId: event.data.orderId, expiresAt: null, at };
    case 'CreditExpired':
      return { entryId, kind: 'expiry', amount, currency, reason: `expired rest of ${event.data.grantEntryId}`, orderId: null, expiresAt: null, at };
  }
}
