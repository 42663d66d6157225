import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { type Actor, canSeeOrder } from '../../../domain/index.js';
import { type AuditEntry, type OrderView } from '../../../projections/index.js';
import { Roles } from '../../access/roles.decorator.js';
import { EVENT_STORE, type EventStore } from '../../platform/event-store/event-store.port.js';
import { ApiError } from '../../platform/http/api-error.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiErrors, ApiNotModified, ApiQueryErrors } from '../../platform/http/openapi.js';
import { CurrentActor } from '../../platform/http/request-context.js';
import { validationFailed } from '../../platform/http/validation.js';
import { OrderAnswer } from './order-answer.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../../platform/read-store/read-store.port.js';
import { orderListQuery } from '../order-list-query.js';
import { OrderStateRebuilder } from '../order-state.js';
import { OrderHistoryView, OrderListView, OrdersQuery, OrderStateQuery, OrderStateView, ReadQuery } from './orders-query.dto.js';
import { normalizedTime, publicFields, withCursorChecked } from '../../platform/http/query-params.js';
import { ReadYourWrites } from '../../platform/projection-runner/read-your-writes.js';

const ORDER_READERS = ['clerk', 'integration', 'warehouse', 'approver', 'finance', 'auditor', 'analyst'] as const;

/** The order views (`orders`, and `audit_trail` for history) and the as-of state rebuilt from the log. */
@ApiTags('orders')
@ApiQueryErrors()
@Controller('orders')
export class OrdersQueryController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly freshness: ReadYourWrites,
    private readonly states: OrderStateRebuilder,
  ) {}

  @Get()
  @Roles(...ORDER_READERS)
  @ApiOperation({ summary: 'Orders, newest first, filtered; a clerk (or integration) sees only the orders it placed', description: 'From the `orders` view. `from` inclusive, `to` exclusive, on `placedAt`. `onHold=true` lists the orders on hold now, `onHold=false` the others.' })
  @ApiOkResponse({ type: OrderListView })
  async list(@Query() query: OrdersQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: FastifyReply): Promise<OrderListView> {
    await this.freshness.awaitView('orders', query.minPosition, response);
    const page = await withCursorChecked(() => this.views.query<OrderView & ViewDocument>('orders', orderListQuery(query, actor)));
    return { items: page.items.map((doc) => publicFields(doc) as unknown as OrderAnswer), nextCursor: page.nextCursor ?? null };
  }

  @Get(':id')
  @Roles(...ORDER_READERS)
  @ApiOperation({
    summary: 'One order (the `orders` view)',
    description:
      'ETag: `"<revision>-<position>"`: it changes with every event applied to the view, payments and stock movements included (which do not change the order ' +
      'stream revision). `If-None-Match` with the current ETag answers 304. A clerk gets 404 for an order it did not place.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiOkResponse({ type: OrderAnswer })
  @ApiNotModified()
  @ApiErrors(404)
  async one(
    @Param('id', IdParamPipe) id: string,
    @Query() query: ReadQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<OrderAnswer | undefined> {
    await this.freshness.awaitView('orders', query.minPosition, response);
    const doc = await this.views.get<OrderView & ViewDocument>('orders', id);
    if (doc === undefined || !canSeeOrder(actor, doc)) throw new ApiError(404, 'not_found', `no order ${id}`, { orderId: id });
    const etag = `"${doc.revision}-${doc.position}"`;
    response.header('ETag', etag);
    if (matches(response.request.headers['if-none-match'], etag)) {
      response.status(304);
      return undefined;
    }
    return publicFields(doc) as unknown as OrderAnswer;
  }

  @Get(':id/history')
  @Roles('auditor', 'approver', 'finance')
  @ApiOperation({
    summary: 'Every event of the order and of the stock and payment entries made for it, in log order',
    description: 'From the `audit_trail` view (use `minPosition` to read a command just made).',
  })
  @ApiOkResponse({ type: OrderHistoryView })
  @ApiErrors(404)
  async history(@Param('id', IdParamPipe) id: string, @Query() query: ReadQuery, @Res({ passthrough: true }) response: FastifyReply): Promise<OrderHistoryView> {
    await this.freshness.awaitView('audit_trail', query.minPosition, response);
    const entries: AuditEntry[] = [];
    for await (const entry of this.views.scan<AuditEntry & ViewDocument>('audit_trail', { filter: { orderId: id }, pageSize: 1000 })) entries.push(entry);
    if (entries.length === 0) throw new ApiError(404, 'not_found', `no order ${id}`, { orderId: id });
    entries.sort((a, b) => this.events.comparePositions(a.position, b.position));
    return {
      orderId: id,
      events: entries.map((entry) => ({
        position: entry.position,
        streamId: entry.streamId,
        revision: entry.revision,
        type: entry.type,
        occurredAt: entry.occurredAt,
        actor: entry.actor === null ? null : { id: entry.actor.id, roles: [...entry.actor.roles] },
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
        correlationId: entry.correlationId,
        causationId: entry.causationId,
        summary: entry.summary,
        data: entry.data,
      })),
    };
  }

  @Get(':id/state')
  @Roles('auditor', 'approver', 'finance')
  @ApiOperation({
    summary: 'The order as it was at a time or a log position, rebuilt from the event log (not from views)',
    description:
      'Folds the order and payment streams and the order\'s entries in the stock streams of its lines, up to `asOf` (events that had occurred by then) ' +
      'or `atPosition` (events at or before it), then summarises as the write side does. Exactly one of the two.',
  })
  @ApiOkResponse({ type: OrderStateView })
  @ApiErrors(404)
  async state(@Param('id', IdParamPipe) id: string, @Query() query: OrderStateQuery): Promise<OrderStateView> {
    if ((query.asOf === undefined) === (query.atPosition === undefined)) {
      throw validationFailed([{ field: query.asOf === undefined ? 'asOf' : 'atPosition', problems: ['give exactly one of asOf and atPosition'] }]);
    }
    if (query.atPosition !== undefined) {
      try {
        this.events.comparePositions(query.atPosition, query.atPosition);
      } catch {
        throw validationFailed([{ field: 'atPosition', problems: ['must be a log position'] }]);
      }
    }
    const state = await this.states.rebuild(id, query.asOf === undefined ? { atPosition: query.atPosition! } : { asOf: normalizedTime(query.asOf)! });
    if (state === null) throw new ApiError(404, 'not_found', `order ${id} did not exist then`, { orderId: id });
    return state as unknown as OrderStateView;
  }
}

function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}
