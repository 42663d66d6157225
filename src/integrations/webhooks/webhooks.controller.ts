import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiCommandErrors, ApiErrors, ApiQueryErrors, everyValue, type Expect, type Same } from '../../platform/http/openapi.js';
import { CursorParam, LimitParam, withCursorChecked } from '../../platform/http/query-params.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { validationFailed } from '../../platform/http/validation.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ExecuteWebhookWrite } from './commands.js';
import { type DeliveryPage, WebhookDeliveries } from './webhook-deliveries.js';
import { type DeliveryListing, type DeliveryStatus, type WebhookListing } from './webhook-views.js';

const STATUSES = everyValue<DeliveryStatus>()('pending', 'delivered', 'dead');
const EVENT_TYPE_OR_ALL = /^(\*|[A-Z][A-Za-z0-9]{0,63})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event id in a path: a UUID, else 400 naming it. */
class EventIdPipe {
  transform(value: string): string {
    if (!UUID.test(value)) throw validationFailed([{ field: 'eventId', problems: ['must be an event id (a UUID)'] }]);
    return value;
  }
}

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://erp.example.com/jxc/events', description: 'http or https URL the events are POSTed to' })
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http or https URL' })
  url!: string;

  @ApiProperty({ type: [String], example: ['OrderPlaced', 'OrderCancelled'], description: 'event types to receive (as in the feed); `*` for every business event' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(EVENT_TYPE_OR_ALL, { each: true, message: 'types must be event types like OrderPlaced, or *' })
  types!: string[];

  @ApiProperty({ minLength: 16, maxLength: 256, description: 'the HMAC-SHA256 key of X-Jxc-Signature; never answered back' })
  @IsString()
  @MinLength(16, { message: 'secret must be at least 16 characters' })
  @MaxLength(256)
  secret!: string;
}

export class WebhookView implements WebhookListing {
  @ApiProperty({ example: '0193f1f2-9c3e-7d2a-8a51-3c2b8f0e4d21' }) webhookId!: string;
  @ApiProperty({ example: 'https://erp.example.com/jxc/events' }) url!: string;
  @ApiProperty({ type: [String], example: ['OrderPlaced'] }) types!: string[];
  @ApiProperty({ format: 'date-time', description: 'events appended after its registration are delivered' }) createdAt!: string;
}
type _WebhookView = Expect<Same<WebhookView, WebhookListing>>;

export class WebhookListView {
  @ApiProperty({ type: [WebhookView], description: 'oldest first; deleted webhooks are not listed' }) items!: WebhookView[];
}

export class DeliveryView implements DeliveryListing {
  @ApiProperty({ format: 'uuid', description: 'the event (X-Jxc-Event-Id)' }) eventId!: string;
  @ApiProperty({ example: 'OrderPlaced' }) type!: string;
  @ApiProperty({ example: 'order-SO-2026-000001' }) streamId!: string;
  @ApiProperty({ example: '1042', description: "the event's log position" }) position!: string;
  @ApiProperty({ enum: STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ type: 'integer', description: 'attempts made' }) attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "the receiver's HTTP status at the last attempt (null: none, or no answer)" }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'no answer within 10000 ms' }) lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'next attempt (pending)' }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
}
type _DeliveryView = Expect<Same<DeliveryView, DeliveryListing>>;

export class DeliveryListView {
  @ApiProperty({ type: [DeliveryView], description: 'newest event first' }) items!: DeliveryView[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}
type _DeliveryListView = Expect<Same<DeliveryListView, DeliveryPage>>;

export class DeliveryQuery {
  @ApiPropertyOptional({ enum: STATUSES, description: 'only deliveries in this state' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: DeliveryStatus;

  @LimitParam()
  limit?: number;

  @CursorParam()
  cursor?: string;
}

/** Webhooks (admin): signed POSTs of the feed's events, at least once, in log order per stream. */
@ApiTags('integrations')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  @Post()
  @Roles()
  @ApiOperation({
    summary: 'Register a webhook (admin)',
    description:
      'Each event of these types appended from now on is POSTed to `url` at least once, in log order per stream: the body is the feed item, with ' +
      '`X-Jxc-Event-Id`, `X-Jxc-Timestamp` (Unix seconds) and `X-Jxc-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`. ' +
      'A non-2xx answer or no answer within 10 s is retried with backoff (first wait under 10 s, capped exponential with jitter) for 24 h; then the delivery is dead.',
  })
  @ApiCreatedResponse({ type: WebhookView })
  @ApiCommandErrors()
  async register(@Body() body: RegisterWebhookDto, @CommandContext() metadata: CommandMetadata): Promise<WebhookView> {
    const registered = await this.commands.execute(new ExecuteWebhookWrite({ kind: 'register', url: body.url, types: body.types, secret: body.secret }, metadata));
    return registered!;
  }

  @Get()
  @Roles()
  @ApiOperation({ summary: 'The webhooks, without their secrets (admin)' })
  @ApiOkResponse({ type: WebhookListView })
  @ApiErrors(503)
  async list(): Promise<WebhookListView> {
    return { items: await this.deliveries.webhooks() };
  }

  @Delete(':webhookId')
  @Roles()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook (admin)', description: 'Nothing more is sent to it, pending deliveries included. Deleting again answers 204; an unknown id 404.' })
  @ApiNoContentResponse({ description: 'deleted (or already deleted)' })
  @ApiErrors(400, 404, 409, 503)
  async remove(@Param('webhookId', IdParamPipe) webhookId: string, @CommandContext() metadata: CommandMetadata): Promise<void> {
    await this.commands.execute(new ExecuteWebhookWrite({ kind: 'delete', webhookId }, metadata));
  }

  @Get(':webhookId/deliveries')
  @Roles()
  @ApiOperation({ summary: "A webhook's deliveries, newest event first (admin)" })
  @ApiOkResponse({ type: DeliveryListView })
  @ApiQueryErrors()
  @ApiErrors(404)
  async deliveriesOf(@Param('webhookId', IdParamPipe) webhookId: string, @Query() query: DeliveryQuery): Promise<DeliveryListView> {
    return withCursorChecked(() => this.deliveries.deliveries(webhookId, { status: query.status, limit: query.limit ?? 50, cursor: query.cursor }));
  }

  @Post(':webhookId/deliveries/:eventId/retry')
  @Roles()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a delivery again (admin)',
    description: 'A dead (or delivered) delivery becomes pending with a fresh 24 h of retries, in log order with the rest of its stream; a pending one is tried now.',
  })
  @ApiOkResponse({ type: DeliveryView })
  @ApiErrors(400, 404, 503)
  async retry(@Param('webhookId', IdParamPipe) webhookId: string, @Param('eventId', new EventIdPipe()) eventId: string): Promise<DeliveryView> {
    return this.deliveries.resend(webhookId, eventId);
  }
}
