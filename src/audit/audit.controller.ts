import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { type AuditEntry } from '../../projections/index.js';
import { Roles } from '../access/roles.decorator.js';
import { type Actor, hasRole } from '../../domain/shared/context.js';
import { CurrentActor } from '../platform/http/request-context.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { ApiErrors, ApiQueryErrors, everyValue, type Expect, type Same } from '../platform/http/openapi.js';
import { type AuditVerification, type UnreadableEvent, verifyAuditChains } from '../platform/projection-runner/audit-verification.js';
import { READ_STORE, type ReadStore, type ViewDocument, type ViewFilter } from '../platform/read-store/read-store.port.js';
import { HistoryEntryView } from '../orders/http/orders-query.dto.js';
import { PageQuery, publicFields, TextParam, timeRange, TimeParam, withCursorChecked } from '../platform/http/query-params.js';
import { ReadYourWrites } from '../platform/projection-runner/read-your-writes.js';
import { type ChainBreak } from '../platform/write-model/hash-chain.js';

export class AuditQuery extends PageQuery {
  @TextParam('events of one stream, e.g. order-SO-1 or stock-main-TEA-1', 'order-SO-1')
  streamId?: string;

  @TextParam('events caused by this user id', 'carol')
  actor?: string;

  @TextParam('events of this type', 'CancellationApproved')
  type?: string;

  @TextParam('events concerning this order (its own, its payment and its stock movements)', 'SO-1')
  orderId?: string;

  @TimeParam('occurred at or after this time')
  from?: string;

  @TimeParam('occurred before this time')
  to?: string;

}

export class AuditEntryView extends HistoryEntryView {
  @ApiProperty({ nullable: true, type: String }) commandId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the order the event concerns, if any' }) orderId!: string | null;
  @ApiPropertyOptional({ type: Boolean, description: 'true on an access record (API key issued or revoked): shown to admin and auditor only, never to an analyst' }) restricted?: boolean;
}
type _AuditEntryView = Expect<Same<AuditEntryView, Omit<AuditEntry, 'id'>>>;

export class AuditListView {
  @ApiProperty({ type: [AuditEntryView], description: 'newest first (occurredAt descending)' }) items!: AuditEntryView[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

/** A link of a stream's hash chain that does not hold. */
class ChainBreakView {
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer' }) revision!: number;
  @ApiProperty() position!: string;
  @ApiProperty({ enum: everyValue<ChainBreak['reason']>()('hash_mismatch', 'prev_hash_mismatch', 'revision_gap') }) reason!: ChainBreak['reason'];
}
type _ChainBreakView = Expect<Same<ChainBreakView, ChainBreak>>;

/** The log could not be read past a point (an event's stored JSON was damaged). */
class UnreadableEventView {
  @ApiProperty({ type: String, nullable: true }) streamId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) revision!: number | null;
  @ApiProperty({ type: String, nullable: true }) position!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the last position read before it' }) after!: string | null;
  @ApiProperty({ enum: ['unreadable'] }) reason!: 'unreadable';
  @ApiProperty() detail!: string;
}
type _UnreadableEventView = Expect<Same<UnreadableEventView, UnreadableEvent>>;

const BREAK = { oneOf: [{ $ref: getSchemaPath(ChainBreakView) }, { $ref: getSchemaPath(UnreadableEventView) }] };

@ApiExtraModels(ChainBreakView, UnreadableEventView)
class AuditVerificationView {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer' }) eventsChecked!: number;
  @ApiProperty({ type: 'integer' }) streamsChecked!: number;
  @ApiPropertyOptional({ ...BREAK, description: 'the first broken link in log order' }) brokenAt?: ChainBreakView | UnreadableEventView;
  @ApiProperty({ type: 'array', items: BREAK, description: 'the first break of each broken stream (at most 100)' }) breaks!: (ChainBreakView | UnreadableEventView)[];
}
type _AuditVerificationView = Expect<Same<AuditVerificationView, AuditVerification>>;

/** The audit trail's filters (the list's and its export's): access records (API keys) only for admin and auditor. */
export function auditTrailFilter(query: Omit<AuditQuery, 'limit' | 'cursor'>, actor: Actor): Record<string, ViewFilter[string]> {
  const filter: Record<string, ViewFilter[string]> = {};
  if (!hasRole(actor, 'auditor')) filter.restricted = null;
  if (query.streamId) filter.streamId = query.streamId;
  if (query.actor) filter['actor.id'] = query.actor;
  if (query.type) filter.type = query.type;
  if (query.orderId) filter.orderId = query.orderId;
  const occurred = timeRange(query.from, query.to);
  if (occurred) filter.occurredAt = occurred;
  return filter;
}

/** The audit trail view and the proof that the log was not altered. */
@ApiTags('audit')
@ApiErrors(503)
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly freshness: ReadYourWrites,
  ) {}

  @Get()
  @Roles('auditor', 'analyst')
  @ApiOperation({ summary: 'The audit trail: one entry per business event, newest first, filtered', description: '`from` inclusive, `to` exclusive, on `occurredAt`.' })
  @ApiOkResponse({ type: AuditListView })
  @ApiQueryErrors()
  async trail(@Query() query: AuditQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: FastifyReply): Promise<AuditListView> {
    await this.freshness.awaitView('audit_trail', query.minPosition, response);
    const filter = auditTrailFilter(query, actor);
    const page = await withCursorChecked(() =>
      this.views.query<AuditEntry & ViewDocument>('audit_trail', { filter, sort: [{ field: 'occurredAt', direction: 'desc' }], limit: query.limit ?? 50, cursor: query.cursor }),
    );
    return { items: page.items.map((doc) => publicFields(doc) as unknown as AuditEntryView), nextCursor: page.nextCursor ?? null };
  }

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary: "Recomputes every stream's hash chain from the log",
    description: '`ok: false` names the first broken link in log order (stream, revision, position, reason) and lists the first break of every broken stream.',
  })
  @ApiOkResponse({ type: AuditVerificationView })
  async verify(): Promise<AuditVerification> {
    return verifyAuditChains(this.events);
  }
}
