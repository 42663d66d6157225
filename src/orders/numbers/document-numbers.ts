import { Injectable } from '@nestjs/common';

import { numberClaimStream, orderDecider, orderStream, sequence, sequenceStream } from '../../../domain/index.js';
import { type OrderKind, type PlaceOrder } from '../../../domain/order/commands.js';
import { optionalText } from '../../../domain/shared/validation.js';
import { AggregateRepository } from '../../platform/write-model/aggregate-repository.js';
import { orderAggregate } from '../../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { numberClaimAggregate, sequenceAggregate } from './number-aggregates.js';

/**
 * The document number a placement is recorded with: the client's, if no other order holds it, else the next
 * of `SO|PO-<UTC year>` (docs/domain.md "Document numbers"). No append spans two streams:
 * - a series is the stream `sequence-<SO|PO>-<year>`; a take appends `NumberTaken` at the exact revision it
 *   decided on, so numbers go out in order and never twice, and a concurrent taker (another instance) gets a
 *   revision conflict and takes the next (AggregateRepository retries it). A generated number needs nothing else;
 * - a client's number in a series' own form (`SO-2026-000050`) is reserved on that series (`NumberReserved`),
 *   which then skips it; any other client number is claimed on its own stream (`number-<number>`, first event
 *   wins). Either way another order giving it is 409 already_exists naming `number`;
 * - the steps' command ids derive from the order id, so a retry of the placement (same Idempotency-Key, hence
 *   the same order id) finds its take, reservation or claim and gets the same number. A placement that stops
 *   between its take and its order (a crash, a storage fault) and is not retried leaves that number unused:
 *   numbers are never reused, but there may be gaps.
 */
@Injectable()
export class DocumentNumbers {
  constructor(private readonly repository: AggregateRepository) {}

  async numberFor(orderId: string, placement: Omit<PlaceOrder, 'orderId'>, metadata: CommandMetadata): Promise<string> {
    const given = optionalText(placement.number);
    const { state: placed } = await this.repository.load(orderAggregate, orderStream(orderId));
    // Placed before: a retry keeps its number; another placement under this id is the order decider's to refuse.
    if (placed !== null) return given ?? placed.number;
    // The placement's own checks first, so that a placement the order decider refuses takes no number.
    orderDecider.decide({ ...placement, orderId, number: given ?? orderId }, null, { actor: metadata.actor, now: metadata.now });
    if (given === null) return this.take(orderId, placement.kind, new Date(metadata.now).getUTCFullYear(), metadata);
    const inSeries = sequence.seriesNumberOf(given);
    if (inSeries !== null) await this.reserve(given, inSeries, orderId, metadata);
    else await this.claim(given, orderId, metadata);
    return given;
  }

  private async take(orderId: string, kind: OrderKind, year: number, metadata: CommandMetadata): Promise<string> {
    const series = sequence.documentSeries(kind, year);
    const command: sequence.TakeNumber = { type: 'TakeNumber', kind, year, orderId };
    const executed = await this.repository.execute(sequenceAggregate, sequenceStream(series), command, stepOf(metadata, `${orderId}:number`));
    // A retry of the placement: the number this take handed out the first time.
    const [taken] = executed.alreadyApplied?.events ?? executed.events;
    if (taken === undefined) throw new Error(`${sequenceStream(series)} handed out no number to order ${orderId}`);
    return taken.data.number;
  }

  private async reserve(number: string, inSeries: { series: string; sequence: number }, orderId: string, metadata: CommandMetadata): Promise<void> {
    const command: sequence.ReserveNumber = { type: 'ReserveNumber', number, sequence: inSeries.sequence, orderId };
    await this.repository.execute(sequenceAggregate, sequenceStream(inSeries.series), command, stepOf(metadata, `${orderId}:reserve:${number}`));
  }

  private async claim(number: string, orderId: string, metadata: CommandMetadata): Promise<void> {
    const command: sequence.ClaimNumber = { type: 'ClaimNumber', number, orderId, origin: 'given' };
    await this.repository.execute(numberClaimAggregate, numberClaimStream(number), command, stepOf(metadata, `${orderId}:claim:${number}`));
  }
}

/**
 * A step of the placement: the placement's actor, time and correlation, its own command id derived from the
 * order id, and event ids derived from that, so that a retry of the step is found in its stream.
 */
function stepOf(metadata: CommandMetadata, commandId: string): CommandMetadata {
  return { commandId, correlationId: metadata.correlationId, causationId: metadata.commandId, actor: metadata.actor, now: metadata.now, deterministicEventIds: true };
}
