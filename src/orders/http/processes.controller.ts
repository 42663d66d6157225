import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { Roles } from '../../access/roles.decorator.js';
import { IdParamPipe } from '../../platform/http/id-param.js';
import { ApiErrors, type Expect, type Same } from '../../platform/http/openapi.js';
import { CommandContext } from '../../platform/http/request-context.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ProcessRecovery } from '../processes/process-recovery.js';
import { type RetryResult } from '../processes/retry-result.js';
import { type StalledProcess } from '../processes/stalled-processes.js';

export class StalledProcessView implements StalledProcess {
  @ApiProperty({ enum: ['order', 'product'], description: 'an order\'s process (placement, shipment, receipts, cancellation, returns) or a product\'s (thresholds)' }) process!: 'order' | 'product';
  @ApiProperty({ nullable: true, type: String, example: 'SO-1' }) orderId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'for a product\'s process' }) sku!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'IssueRefund', description: 'the command of the step that fails; null when reading the states failed' }) step!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'payment-SO-1', description: 'the stream that step appends to' }) streamId!: string | null;
  @ApiProperty({ example: 4, description: 'failed attempts since the first failure, across restarts' }) attempts!: number;
  @ApiProperty({ example: 'StorageUnavailable: database or disk is full', description: 'the last failure, one line' }) lastError!: string;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z', description: 'time of the first failure' }) since!: string;
  @ApiProperty({ example: '2026-03-01T10:00:04.000Z', description: 'time of the next automatic attempt' }) nextAttemptAt!: string;
}

type _StalledProcessView = Expect<Same<StalledProcessView, StalledProcess>>;

export class StalledProcessList {
  @ApiProperty({ type: [StalledProcessView], description: 'oldest failure first (since ascending)' }) items!: StalledProcessView[];
}

export class RetryResultView implements RetryResult {
  @ApiProperty({ example: 'SO-1' }) orderId!: string;
  @ApiProperty({ enum: ['settled', 'stalled'], description: 'settled: the process has nothing left to do; stalled: a step still fails and stays due' }) outcome!: 'settled' | 'stalled';
  @ApiProperty({ nullable: true, type: Number, description: 'steps this run appended (settled)' }) steps!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'IssueRefund' }) step!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'payment-SO-1' }) streamId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'why the step failed (stalled), one line' }) error!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'failed attempts so far (stalled)' }) attempts!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'next automatic attempt (stalled)' }) nextAttemptAt!: string | null;
}

type _RetryResultView = Expect<Same<RetryResultView, RetryResult>>;

/** Processes that have a step due after a failure: listed, and run again by hand. */
@ApiTags('operations')
@Controller('processes')
export class ProcessesController {
  constructor(private readonly recovery: ProcessRecovery) {}

  @Get('stalled')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Orders (and products) whose process has a step that fails (admin, auditor)',
    description:
      'A process never gives up: a failed step stays due and is retried automatically (after 250 ms, doubling up to every 30 s) until it succeeds. ' +
      'This lists those still due, oldest failure first; an order leaves the list when its process finishes.',
  })
  @ApiOkResponse({ type: StalledProcessList })
  stalled(): StalledProcessList {
    return { items: this.recovery.stalled().map((item) => ({ ...item })) };
  }

  @Post(':orderId/retry')
  @HttpCode(200)
  @Roles()
  @ApiOperation({
    summary: "Run an order's process now (admin)",
    description:
      'Runs the order\'s process (placement, cancellation, returns...) to its end and answers the outcome: `settled` (nothing left to do), ' +
      'or `stalled` with the step and error (the order stays due and is still retried automatically). Safe at any time: every step is idempotent.',
  })
  @ApiOkResponse({ type: RetryResultView })
  @ApiErrors(400, 404, 413, 422, 503)
  async retry(@Param('orderId', IdParamPipe) orderId: string, @CommandContext() metadata: CommandMetadata): Promise<RetryResultView> {
    return this.recovery.retryNow(orderId, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
  }
}
