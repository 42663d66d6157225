import { Inject, Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

import { type Actor, creditStream, isDomainError, nextOrderStep, orderStream, paymentStream, type ProcessStep, stockPositionsOf } from '../../../domain/index.js';
import { type CreditLedger } from '../../../domain/credit/state.js';
import { type OrderState } from '../../../domain/order/state.js';
import { orderKey } from '../../../domain/stock/state.js';
import { type Payment } from '../../../domain/payment/state.js';
import { type StockPosition } from '../../../domain/stock/state.js';
import { EVENT_STORE, type EventStore } from '../../platform/event-store/event-store.port.js';
import { AggregateRepository, type LoadedAggregate } from '../../platform/write-model/aggregate-repository.js';
import { creditAggregate, orderAggregate, paymentAggregate, stockAggregate } from '../../platform/write-model/aggregates.js';
import { KeyedLock } from '../../platform/write-model/keyed-lock.js';

/** The actor of every process step; the human who caused it is one causation link away. */
export const PROCESS_ACTOR: Actor = { id: 'system:process', roles: [] };

/** Where a process run comes from: the command (inline) or the event (recovery) that triggered it. */
export interface ProcessTrigger {
  readonly correlationId: string;
  readonly causationId: string;
  readonly now: string;
}

export interface OrderStates {
  readonly order: LoadedAggregate<OrderState>;
  readonly payment: LoadedAggregate<Payment>;
  readonly stocks: Readonly<Record<string, LoadedAggregate<StockPosition>>>;
  /** A sale's customer's store credit ledger; undefined for a purchase. */
  readonly credit?: LoadedAggregate<CreditLedger>;
}

export interface ProcessRun {
  readonly states: OrderStates;
  /** Highest position a step of this run appended; undefined when there was nothing to do. */
  readonly position: string | undefined;
  readonly steps: number;
}

/** The step a run was at when it failed: the command and the stream it was to be appended to. */
export interface FailedStep {
  readonly command: string;
  readonly streamId: string;
}

/** What one run of a process came to: finished (nothing left to do), or failed at a step (null: while reading). */
export type ProcessOutcome<Run = ProcessRun> =
  | { readonly settled: true; readonly run: Run }
  | { readonly settled: false; readonly error: unknown; readonly step: FailedStep | null };

/** Where a run notes the step it is about to execute, so that a failure can name it. */
export interface StepProbe {
  step: FailedStep | null;
}

export function describeStep(step: ProcessStep): FailedStep {
  return { command: step.command.type, streamId: step.streamId };
}

const MAX_STEPS = 200;
const MAX_REFUSALS = 10;

/**
 * Runs an order's processes (placement, shipment, receipts, cancellation, returns) to completion:
 * load the order, its payment and its stock positions, ask the domain for the next step, run it on its
 * one stream, repeat until there is none. Each step is idempotent on state and appended with an exact
 * expected revision, so running the same order twice, concurrently or after a crash, ends the same.
 * One run per order at a time (inline and recovery share the lock).
 */
@Injectable()
export class OrderProcessRunner {
  private readonly logger = new Logger('OrderProcess');
  private readonly locks = new KeyedLock();
  private readonly counters = { runs: 0, steps: 0, refusals: 0, failures: 0 };
  private readonly settledListeners = new Set<(orderId: string) => void>();
  /** Per order, a position up to which every event was taken into account by a run that found nothing left to do. */
  private readonly settledThrough = new LRUCache<string, string>({ max: 200_000 });

  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  run(orderId: string, trigger: ProcessTrigger): Promise<ProcessRun> {
    return this.locks.run(orderStream(orderId), () => this.runCounted(orderId, trigger, { step: null }));
  }

  /** Runs the order's process like `run`, but answers a failure (and the step it failed at) instead of throwing it. */
  async attempt(orderId: string, trigger: ProcessTrigger): Promise<ProcessOutcome> {
    const probe: StepProbe = { step: null };
    try {
      return { settled: true, run: await this.locks.run(orderStream(orderId), () => this.runCounted(orderId, trigger, probe)) };
    } catch (error) {
      return { settled: false, error, step: probe.step };
    }
  }

  /** Called after every run that left the order with nothing to do (inline or recovery); returns the unsubscribe. */
  onSettled(listener: (orderId: string) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  async loadStates(orderId: string): Promise<OrderStates> {
    const [order, payment] = await Promise.all([this.repository.load(orderAggregate, orderStream(orderId)), this.repository.load(paymentAggregate, paymentStream(orderId))]);
    const stocks: Record<string, LoadedAggregate<StockPosition>> = {};
    let credit: LoadedAggregate<CreditLedger> | undefined;
    if (order.state) {
      const refs = stockPositionsOf(order.state);
      const sale = order.state.kind === 'sale';
      const [loaded, ledger] = await Promise.all([
        // Each position with this order's entry only (a hot SKU's state is loaded in part: partition.ts).
        Promise.all(refs.map((ref) => this.repository.load(stockAggregate, ref.streamId, [orderKey(orderId)]))),
        sale ? this.repository.load(creditAggregate, creditStream(order.state.partyId)) : Promise.resolve(undefined),
      ]);
      refs.forEach((ref, i) => (stocks[ref.sku] = loaded[i]));
      credit = ledger;
    }
    return { order, payment, stocks, ...(credit === undefined ? {} : { credit }) };
  }

  /** Whether a run already settled the order with this event taken into account (the recovery path may skip it). */
  hasSettled(orderId: string, position: string): boolean {
    const through = this.settledThrough.get(orderId);
    return through !== undefined && this.store.comparePositions(position, through) <= 0;
  }

  /** `failures`: runs that ended in an error (a step or a read failed), inline or recovery. */
  stats(): Readonly<{ runs: number; steps: number; refusals: number; failures: number }> {
    return { ...this.counters };
  }

  private async runCounted(orderId: string, trigger: ProcessTrigger, probe: StepProbe): Promise<ProcessRun> {
    let run: ProcessRun;
    try {
      run = await this.runUnlocked(orderId, trigger, probe);
    } catch (error) {
      this.counters.failures++;
      throw error;
    }
    for (const listener of this.settledListeners) listener(orderId);
    return run;
  }

  private async runUnlocked(orderId: string, trigger: ProcessTrigger, probe: StepProbe): Promise<ProcessRun> {
    this.counters.runs++;
    let position: string | undefined;
    let refusals = 0;
    for (let steps = 0; steps < MAX_STEPS; ) {
      // Read before loading: everything committed up to here is in the states loaded next.
      const committed = this.repository.highWatermark();
      probe.step = null;
      const states = await this.loadStates(orderId);
      const step = nextOrderStep({
        order: states.order.state,
        payment: states.payment.state,
        stocks: Object.fromEntries(Object.entries(states.stocks).map(([sku, loaded]) => [sku, loaded.state])),
        ...(states.credit === undefined ? {} : { credit: states.credit.state }),
      });
      if (step === null) {
        if (committed !== undefined) this.settledThrough.set(orderId, committed);
        return { states, position, steps };
      }
      probe.step = describeStep(step);
      try {
        const appended = await this.execute(step, trigger);
        if (appended !== undefined && (position === undefined || this.store.comparePositions(appended, position) > 0)) position = appended;
        steps++;
        this.counters.steps++;
      } catch (error) {
        // A refusal means a state the step was computed from is stale: read again and ask again.
        if (!isDomainError(error) || ++refusals > MAX_REFUSALS) throw error;
        this.counters.refusals++;
        this.forget(states);
      }
    }
    this.logger.error(`order ${orderId}: process did not settle within ${MAX_STEPS} steps`);
    throw new Error(`order ${orderId}: process did not settle within ${MAX_STEPS} steps`);
  }

  private async execute(step: ProcessStep, trigger: ProcessTrigger): Promise<string | undefined> {
    const metadata = { commandId: step.stepId, correlationId: trigger.correlationId, causationId: trigger.causationId, actor: PROCESS_ACTOR, now: trigger.now };
    switch (step.aggregate) {
      case 'order':
        return (await this.repository.execute(orderAggregate, step.streamId, step.command, metadata)).position;
      case 'stock':
        return (await this.repository.execute(stockAggregate, step.streamId, step.command, metadata)).position;
      case 'payment':
        return (await this.repository.execute(paymentAggregate, step.streamId, step.command, metadata)).position;
      case 'credit':
        return (await this.repository.execute(creditAggregate, step.streamId, step.command, metadata)).position;
    }
  }

  private forget(states: OrderStates): void {
    this.repository.forget(states.order.streamId);
    this.repository.forget(states.payment.streamId);
    for (const stock of Object.values(states.stocks)) this.repository.forget(stock.streamId);
    if (states.credit !== undefined) this.repository.forget(states.credit.streamId);
  }
}
