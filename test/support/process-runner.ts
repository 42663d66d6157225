import { type Context } from '../../domain/shared/context.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { type DomainEvent } from '../../domain/shared/event.js';
import { creditStream, orderStream, paymentStream, stockStream } from '../../domain/shared/streams.js';
import { type CreditCommand, creditDecider, type CreditEvent, type CreditLedger } from '../../domain/credit/index.js';
import { type OrderCommand, orderDecider, type OrderEvent, type OrderState } from '../../domain/order/index.js';
import { type Payment, type PaymentCommand, paymentDecider, type PaymentEvent } from '../../domain/payment/index.js';
import { type StockCommand, stockDecider, type StockEvent, type StockPosition } from '../../domain/stock/index.js';
import { nextOrderStep, type OrderProcessStates, type ProcessStep, stockPositionsOf } from '../../domain/processes/index.js';

export type AggregateCommand =
  | { readonly aggregate: 'order'; readonly command: OrderCommand }
  | { readonly aggregate: 'stock'; readonly command: StockCommand }
  | { readonly aggregate: 'payment'; readonly command: PaymentCommand }
  | { readonly aggregate: 'credit'; readonly command: CreditCommand };

/**
 * A pure in-memory stand-in for the application's write side: streams of events, "load, fold,
 * decide, append" per command, and the order process run step by step. For specs only.
 */
export class InMemoryLedger {
  private readonly streams = new Map<string, DomainEvent[]>();
  /** Every appended event in append order, with its stream. */
  readonly log: { readonly streamId: string; readonly event: DomainEvent }[] = [];

  events(streamId: string): readonly DomainEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  order(orderId: string): OrderState {
    return (this.events(orderStream(orderId)) as OrderEvent[]).reduce(orderDecider.evolve, orderDecider.initialState);
  }

  payment(orderId: string): Payment {
    return (this.events(paymentStream(orderId)) as PaymentEvent[]).reduce(paymentDecider.evolve, paymentDecider.initialState);
  }

  credit(customerId: string): CreditLedger {
    return (this.events(creditStream(customerId)) as CreditEvent[]).reduce(creditDecider.evolve, creditDecider.initialState);
  }

  stock(warehouseId: string, sku: string): StockPosition {
    return (this.events(stockStream(warehouseId, sku)) as StockEvent[]).reduce(stockDecider.evolve, stockDecider.initialState);
  }

  /** What the runner loads before asking `nextOrderStep`. */
  statesFor(orderId: string): OrderProcessStates {
    const order = this.order(orderId);
    const stocks: Record<string, StockPosition> = {};
    for (const position of order === null ? [] : stockPositionsOf(order)) stocks[position.sku] = this.stock(position.warehouseId, position.sku);
    return { order, payment: this.payment(orderId), stocks, ...(order?.kind === 'sale' ? { credit: this.credit(order.partyId) } : {}) };
  }

  /** Load, fold, decide, append: the whole command path on one stream. Refusals propagate. */
  execute(streamId: string, target: AggregateCommand, context: Context): DomainEvent[] {
    const history = this.events(streamId);
    let decided: DomainEvent[];
    switch (target.aggregate) {
      case 'order':
        decided = orderDecider.decide(target.command, (history as OrderEvent[]).reduce(orderDecider.evolve, orderDecider.initialState), context);
        break;
      case 'stock':
        decided = stockDecider.decide(target.command, (history as StockEvent[]).reduce(stockDecider.evolve, stockDecider.initialState), context);
        break;
      case 'payment':
        decided = paymentDecider.decide(target.command, (history as PaymentEvent[]).reduce(paymentDecider.evolve, paymentDecider.initialState), context);
        break;
      case 'credit':
        decided = creditDecider.decide(target.command, (history as CreditEvent[]).reduce(creditDecider.evolve, creditDecider.initialState), context);
        break;
    }
    this.streams.set(streamId, [...history, ...decided]);
    for (const event of decided) this.log.push({ streamId, event });
    return decided;
  }

  runStep(step: ProcessStep, context: Context): DomainEvent[] {
    return this.execute(step.streamId, step as AggregateCommand, context);
  }

  /** Every stream with its events, for comparing two runs. */
  snapshot(): Record<string, readonly DomainEvent[]> {
    return Object.fromEntries([...this.streams.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export interface ProcessRun {
  /** The steps executed, in order (a refused step is not counted). */
  readonly steps: ProcessStep[];
  /** Steps refused because a state read was stale; the runner reloaded and asked again. */
  readonly refused: { readonly step: ProcessStep; readonly code: string }[];
  /** False when `maxSteps` stopped the run early (a simulated crash). */
  readonly completed: boolean;
}

export interface ProcessRunOptions {
  /** Stop after this many executed steps, as a crash would. */
  readonly maxSteps?: number;
  /** Replaces the ledger's states on the first question only, to simulate a stale read. */
  readonly firstStates?: OrderProcessStates;
}

/** The runner's loop: load the states, ask for the next step, run it, until there is none. */
export function runOrderProcess(ledger: InMemoryLedger, orderId: string, context: Context, options: ProcessRunOptions = {}): ProcessRun {
  const steps: ProcessStep[] = [];
  const refused: { step: ProcessStep; code: string }[] = [];
  let states = options.firstStates ?? ledger.statesFor(orderId);
  for (let guard = 0; guard < 1000; guard += 1) {
    const step = nextOrderStep(states);
    if (step === null) return { steps, refused, completed: true };
    if (steps.length >= (options.maxSteps ?? Infinity)) return { steps, refused, completed: false };
    try {
      ledger.runStep(step, context);
      steps.push(step);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      // With fresh states the process never proposes a refused step: a repeat is a bug.
      if (refused.at(-1)?.step.stepId === step.stepId) throw error;
      refused.push({ step, code: error.code });
    }
    states = ledger.statesFor(orderId);
  }
  throw new Error(`the process of order ${orderId} did not settle`);
}
