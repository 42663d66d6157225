import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';

export type HealthStatus = 'ok' | 'starting' | 'degraded' | 'unavailable';

export class EventStoreHealthView {
  @ApiProperty({ enum: ['sqlite', 'eventstoredb'] })
  readonly kind!: string;

  @ApiProperty({ enum: ['ok', 'unavailable'], description: '`unavailable` from an append or read that failed because the store cannot be used (disk full, I/O error, server unreachable) until one succeeds again, or while the store does not answer a read' })
  readonly status!: 'ok' | 'unavailable';

  @ApiProperty({ type: String, nullable: true, description: 'Position of the last event of the log (null: empty log, or the store did not answer)' })
  readonly position!: string | null;

  @ApiProperty({ enum: ['ok', 'unavailable'], description: 'Whether the last append succeeded (`unavailable` until an append succeeds again)' })
  readonly writes!: 'ok' | 'unavailable';

  @ApiProperty({ enum: ['ok', 'unavailable'], description: 'Whether reads succeed' })
  readonly reads!: 'ok' | 'unavailable';

  @ApiProperty({ type: String, nullable: true, description: 'ISO time of the first failure of the current outage; null while ok' })
  readonly since!: string | null;
}

export class ReadStoreHealthView {
  @ApiProperty({ enum: ['sqlite', 'mongodb'], description: 'Where the views live: `sqlite` (views.sqlite) or `mongodb`' })
  readonly kind!: string;

  @ApiProperty({ enum: ['ok', 'unavailable'], description: '`unavailable` when a read did not answer within 2 s' })
  readonly status!: 'ok' | 'unavailable';
}

export class ProcessesHealthView {
  @ApiProperty({ description: 'Orders and products whose process has a step due after a failure (retried automatically; `GET /api/processes/stalled`)' })
  readonly stalled!: number;
}

export class ClusterHealthView {
  @ApiProperty({ description: 'JXC_WORKERS: service processes on this store' }) readonly workers!: number;
  @ApiProperty({ description: 'Which of them answered (1..)', nullable: true, type: Number }) readonly worker!: number | null;
  @ApiProperty({ description: 'True when the process that answered runs the projections, process recovery, webhooks and backups' }) readonly leader!: boolean;
  @ApiProperty({ description: 'The process holding the leader lease (host:pid:tag)', nullable: true, type: String }) readonly leaderId!: string | null;
  @ApiProperty({ description: 'When that lease expires unless renewed', nullable: true, type: String }) readonly leaseExpiresAt!: string | null;
  @ApiProperty({ description: 'Raised at each change of leader' }) readonly leaseGeneration!: number;
}

export class ProjectionHealthView {
  @ApiProperty() readonly group!: string;
  @ApiProperty({ enum: ['starting', 'running', 'retrying', 'stopped'] }) readonly status!: string;
  @ApiProperty({ type: String, nullable: true }) readonly generation!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The checkpoint: every event up to here is in the view' }) readonly position!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Events in the log after the checkpoint (null where the store cannot count them)' }) readonly lag!: number | null;
  @ApiProperty() readonly caughtUp!: boolean;
  @ApiProperty() readonly deadLetters!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Set while the runner retries after an error; a fixed phrase, the error itself is in the service log' })
  readonly lastError!: string | null;
}

export class HealthSummary {
  @ApiProperty({
    enum: ['ok', 'starting', 'degraded', 'unavailable'],
    description:
      '`unavailable`: the event store cannot write or read, or a store does not answer (HTTP 503). `starting`: the stores answer but the views have not caught up once with the log as it was at start (HTTP 503). ' +
      '`degraded`: serving, but a projection runner retries or an order process is stalled (HTTP 200). `ok`: none of these (HTTP 200).',
  })
  readonly status!: HealthStatus;

  @ApiProperty({ description: 'What GET /api/health/ready says: both stores answer and every projection group has caught up once' })
  readonly ready!: boolean;

  @ApiProperty({ type: EventStoreHealthView })
  readonly store!: EventStoreHealthView;

  @ApiProperty({ type: ReadStoreHealthView })
  readonly readStore!: ReadStoreHealthView;

  @ApiProperty({ type: ProcessesHealthView })
  readonly processes!: ProcessesHealthView;

  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/ProjectionHealthView' }, description: 'Per view (empty while the event store does not answer)' })
  readonly projections!: Record<string, ProjectionHealthView>;

  @ApiPropertyOptional({ type: ClusterHealthView, description: 'Only with JXC_WORKERS above 1: which process answered and which one leads' })
  readonly cluster?: ClusterHealthView;

  @ApiPropertyOptional({ type: [String], description: 'Projection groups still catching up once (only while `starting`)' })
  readonly catchingUp?: string[];
}

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  description: 'by indicator (`eventStore`, `readStore`, `projections`, or `process` for liveness): `status` `up` or `down`, and what it found',
  additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up', 'down', 'degraded'] } }, required: ['status'], additionalProperties: true },
};

/** /api/health/live and /api/health/ready: the @nestjs/terminus health check format. */
export class HealthCheckView {
  @ApiProperty({ enum: ['ok', 'error', 'degraded', 'shutting_down'] }) status!: 'ok' | 'error' | 'degraded' | 'shutting_down';
  @ApiPropertyOptional(INDICATORS) info?: Record<string, { status: string }>;
  @ApiPropertyOptional(INDICATORS) error?: Record<string, { status: string }>;
  @ApiProperty(INDICATORS) details!: Record<string, { status: string }>;
}
