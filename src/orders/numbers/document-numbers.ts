import { Injectable } from '@nestjs/common';

import { isDomainError, numberClaimStream, orderDecider, orderStream, sequence, sequenceStream } from '../../../domain/index.js';
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
 *   decided on, so its n-th event is number n and a concurrent taker (another instance) gets a revision
 *   conflict and takes the next (AggregateRepository retries it);
 * - every number an order uses, generated or given, is claimed on `number-<number>` (`NumberClaimed`, first
 *   event of the stream): a number the client took first is skipped by the series, a given number another
 *   order holds is 409 already_exists;
 * - the steps' command ids derive from the order id, so a retry of the placement (same Idempotency-Key, hence
 *   the same order id) finds its take and its claim and gets the same number. A placement that stops between
 *   its take and its order (a crash, a storage fault) and is not retried leaves that number unused: numbers
 *   are never reused, but there may be gaps.
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
    if (given !== null) {
      await this.claim(given, orderId, 'given', metadata);
      return given;
    }
    return this.generate(orderId, placement.kind, metadata);
  }

  /** The next number of the series that no order holds yet; one a client claimed first is skipped (a gap). */
  private async generate(orderId: string, kind: OrderKind, metadata: CommandMetadata): Promise<string> {
    const year = new Date(metadata.now).getUTCFullYear();
    for (let attempt = 0; ; attempt++) {
      const number = await this.take(orderId, kind, year, attempt, metadata);
      const claimed = await this.claim(number, orderId, 'generated', metadata).then(() => true, skipWhenTaken);
      if (claimed) return number;
    }
  }

  private async take(orderId: string, kind: OrderKind, year: number, attempt: number, metadata: CommandMetadata): Promise<string> {
    const series = sequence.documentSeries(kind, year);
    const command: sequence.TakeNumber = { type: 'TakeNumber', kind, year, orderId };
    const executed = await this.repository.execute(sequenceAggregate, sequenceStream(series), command, stepOf(metadata, `${orderId}:number:${attempt}`));
    // A retry of the placement: the number this take handed out the first time.
    const [taken] = executed.alreadyApplied?.events ?? executed.events;
    if (taken === undefined) throw new Error(`${sequenceStream(series)} handed out no number to order ${orderId}`);
    return taken.data.number;
  }

  private async claim(number: string, orderId: string, origin: sequence.NumberOrigin, metadata: CommandMetadata): Promise<void> {
    const command: sequence.ClaimNumber = { type: 'ClaimNumber', number, orderId, origin };
    await this.repository.execute(numberClaimAggregate, numberClaimStream(number), command, stepOf(metadata, `${orderId}:claim:${number}`));
  }
}

/** A generated number another order holds (a client gave it first): the series moves on. */
function skipWhenTaken(error: unknown): false {
  if (isDomainError(error) && error.code === 'already_exists') return false;
  throw error;
}

/**
 * A step of the placement: the placement's actor, time and correlation, its own command id derived from the
 * order id, and event ids derived from that, so that a retry of the step is found in its stream.
 */
function stepOf(metadata: CommandMetadata, commandId: string): CommandMetadata {
  return { commandId, correlationId: metadata.correlationId, causationId: metadata.commandId, actor: metadata.actor, now: metadata.now, deterministicEventIds: true };
}
