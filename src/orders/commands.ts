import { Inject, Injectable } from '@nestjs/common';

import { type Actor, canSeeOrder, DomainError, type OrderSummary, orderStream, orderSummary, paymentStream } from '../../domain/index.js';
import { type OrderCommand } from '../../domain/order/commands.js';
import { paymentTerms } from '../../domain/order/payment-terms.js';
import { type Order } from '../../domain/order/state.js';
import { type PaymentCommand } from '../../domain/payment/commands.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { type OrderStates, OrderProcessRunner } from './processes/order-process-runner.js';
import { AggregateRepository, RevisionMismatch } from '../platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { type OrderResult } from './http/order-view.js';

/**
 * What every order command does around its decision: find the order the caller may see, honour
 * If-Match, append, run the order's processes inline (so the answer shows reservations, releases,
 * refunds), and answer the write side's view with the revision and the log position.
 */
@Injectable()
export class OrderCommands {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly runner: OrderProcessRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onOrder(orderId: string, command: OrderCommand, metadata: CommandMetadata, ifMatch?: bigint): Promise<OrderResult> {
    await this.visibleOrder(orderId, metadata.actor);
    const executed = await this.repository.execute(orderAggregate, orderStream(orderId), command, metadata, { expectedRevision: ifMatch });
    return this.settle(orderId, metadata, executed.position, executed.alreadyApplied !== undefined);
  }

  /** A command on the order's money; it needs the order's terms (total, currency, whether it still takes money). */
  async onPayment(orderId: string, command: (order: Order, terms: ReturnType<typeof paymentTerms>) => PaymentCommand, metadata: CommandMetadata, ifMatch?: bigint): Promise<OrderResult> {
    const order = await this.visibleOrder(orderId, metadata.actor);
    // If-Match names the order's revision; a keyed retry of a payment recorded before is answered whatever it is now.
    const precondition = async () => {
      const current = await this.repository.load(orderAggregate, orderStream(orderId));
      if (ifMatch !== undefined && current.revision !== ifMatch) throw new RevisionMismatch(orderStream(orderId), ifMatch, current.revision);
    };
    const executed = await this.repository.execute(paymentAggregate, paymentStream(orderId), command(order, paymentTerms(order)), metadata, { precondition });
    return this.settle(orderId, metadata, executed.position, executed.alreadyApplied !== undefined);
  }

  /** Runs the order's processes, then answers its view; used right after placement as well. */
  /**
   * `appliedBefore`: a keyed retry of a command applied before (its answer lost). Its process steps ran then (or
   * ran since, from recovery), so the answer's position is the latest of the order's and payment's streams: at
   * or after everything the first answer covered, and everything the view shows.
   */
  async settle(orderId: string, metadata: CommandMetadata, commandPosition: string | undefined, appliedBefore = false): Promise<OrderResult> {
    const run = await this.runner.run(orderId, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
    const position = this.later(commandPosition, run.position);
    return this.view(run.states, appliedBefore ? this.later(position, this.later(run.states.order.position, run.states.payment.position)) : position);
  }

  async visibleOrder(orderId: string, actor: Actor): Promise<Order> {
    const { state } = await this.repository.load(orderAggregate, orderStream(orderId));
    // An order the caller may not see answers like one that does not exist.
    if (state === null || !canSeeOrder(actor, state)) throw new DomainError('not_found', `no order ${orderId}`, { orderId });
    return state;
  }

  view(states: OrderStates, position: string | undefined): OrderResult {
    const order = states.order.state;
    if (order === null) throw new DomainError('not_found', `no order ${states.order.streamId}`);
    const stocks = Object.fromEntries(Object.entries(states.stocks).map(([sku, loaded]) => [sku, loaded.state]));
    const summary: OrderSummary = orderSummary(order, states.payment.state, stocks);
    return { ...summary, revision: Number(states.order.revision ?? 0n), position: position ?? null };
  }

  private later(a: string | undefined, b: string | undefined): string | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return this.store.comparePositions(a, b) >= 0 ? a : b;
  }
}
