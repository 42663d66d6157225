import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { Roles } from '../../access/roles.decorator.js';
import { ApiErrors, ApiQueryErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { validationFailed } from '../../platform/http/validation.js';
import { type FeedItem } from './feed-item.js';
import { type FeedPage, FeedService } from './feed.service.js';

const MAX_FEED_LIMIT = 1000;
const MAX_WAIT_SECONDS = 30;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,63}$/;

export class FeedQuery {
  @ApiPropertyOptional({ description: 'events strictly after this log position (the `last` of the previous answer); absent: from the start of the log', example: '1042' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[0-9A-Za-z/:._-]+$/, { message: '$property must be a log position' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_FEED_LIMIT, default: 100, description: 'items per answer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer' })
  @Min(1)
  @Max(MAX_FEED_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ type: String, description: 'only these event types, comma-separated', example: 'OrderPlaced,OrderCancelled' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((type) => type.trim()) : value))
  @IsArray({ message: '$property must be a comma-separated list of event types' })
  @ArrayMaxSize(100)
  @Matches(EVENT_TYPE, { each: true, message: '$property must be event types like OrderPlaced, comma-separated' })
  types?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0, description: 'when nothing is there yet, wait up to this many seconds for the first new event (long poll)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer number of seconds' })
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  wait?: number;
}

export class FeedItemView implements FeedItem {
  @ApiProperty({ example: '1042', description: 'global log position (opaque, ordered): pass the last one as `after`' }) position!: string;
  @ApiProperty({ format: 'uuid', description: 'unique per event: a receiver deduplicates on it' }) eventId!: string;
  @ApiProperty({ example: 'order-SO-2026-000001' }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 0, description: "the event's revision in its stream (0 for the first)" }) revision!: number;
  @ApiProperty({ example: 'OrderPlaced' }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'integer', example: 2, description: 'the schema version of `data` (old events are upcast to the current one)' }) schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the domain event's data (docs/domain.md); personal data for roles that may see them" }) data!: unknown;
}
type _FeedItemView = Expect<Same<FeedItemView, FeedItem>>;

export class FeedPageView {
  @ApiProperty({ type: [FeedItemView], description: 'oldest first' }) items!: FeedItemView[];
  @ApiProperty({ type: String, nullable: true, description: "the last item's position, or `after` when there is none (null: from the start)" }) last!: string | null;
}
type _FeedPageView = Expect<Same<FeedPageView, FeedPage>>;

/** The event feed: what happened, in log order, for integrations (finance, shops, CRM). */
@ApiTags('integrations')
@Controller('feed')
export class FeedController {
  constructor(private readonly feed: FeedService) {}

  @Get()
  @Roles('integration', 'auditor')
  @ApiOperation({
    summary: 'Business events in log order, oldest first, after a position (integration, auditor)',
    description:
      'Every domain event (orders, stock, payments, products, customers, suppliers); internal records (idempotency, keys, document-number claims, webhooks) are not in it. ' +
      '`data` is upcast to the current schema of its type. With `wait`, a request that finds nothing waits up to that many seconds for the first new event.',
  })
  @ApiOkResponse({ type: FeedPageView })
  @ApiQueryErrors()
  @ApiErrors(400, 503)
  async list(@Query() query: FeedQuery): Promise<FeedPageView> {
    if (query.after !== undefined) {
      try {
        this.feed.checkPosition(query.after);
      } catch {
        throw validationFailed([{ field: 'after', problems: ['is not a log position of this store'] }]);
      }
    }
    return this.feed.page({ after: query.after, limit: query.limit ?? 100, types: query.types ?? [], waitSeconds: query.wait ?? 0 });
  }
}
