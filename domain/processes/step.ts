import { type OrderCommand } from '../order/commands.js';
import { type Order, type OrderState } from '../order/state.js';
import { type CreditCommand } from '../credit/commands.js';
import { type CreditLedger } from '../credit/state.js';
import { type PaymentCommand } from '../payment/commands.js';
import { type Payment } from '../payment/state.js';
import { type StockCommand } from '../stock/commands.js';
import { initialState as emptyStock, type StockPosition } from '../stock/state.js';
import { creditStream, orderStream, paymentStream, stockStream } from '../shared/streams.js';

/**
 * One command of a process, to run on one stream. `stepId` is deterministic: the application
 * derives the command id (and so the event ids) from it, so re-running a step after a crash
 * appends nothing new. Steps with a cumulative target carry the target in their id, so a later,
 * larger target (a payment that raced a cancellation) is a new command, not a duplicate.
 */
export type ProcessStep =
  | { readonly aggregate: 'order'; readonly streamId: string; readonly stepId: string; readonly command: OrderCommand }
  | { readonly aggregate: 'stock'; readonly streamId: string; readonly stepId: string; readonly command: StockCommand }
  | { readonly aggregate: 'payment'; readonly streamId: string; readonly stepId: string; readonly command: PaymentCommand }
  | { readonly aggregate: 'credit'; readonly streamId: string; readonly stepId: string; readonly command: CreditCommand };

/** Everything the processes of one order read: its order, its payment and the stock of its lines. */
export interface OrderProcessStates {
  readonly order: OrderState;
  readonly payment: Payment;
  /** The stock positions of the order's lines in the order's warehouse, keyed by sku; a missing one counts as empty. */
  readonly stocks: Readonly<Record<string, StockPosition>>;
  /**
   * A sale's customer's store credit ledger (`credit-<partyId>`). Absent: not loaded, and the credit steps (payments
   * drawn on credit, refunds and goodwill granted as credit) wait for a run that loads it.
   */
  readonly credit?: CreditLedger;
}

/** The same, once the order is known to exist. */
export interface PlacedOrderStates extends OrderProcessStates {
  readonly order: Order;
}

export function stockOf(states: OrderProcessStates, sku: string): StockPosition {
  return Object.hasOwn(states.stocks, sku) ? states.stocks[sku] : emptyStock;
}

export function orderStep(order: Order, step: string, command: OrderCommand): ProcessStep {
  return { aggregate: 'order', streamId: orderStream(order.orderId), stepId: `${order.orderId}:${step}`, command };
}

export function stockStep(order: Order, step: string, command: StockCommand): ProcessStep {
  return {
    aggregate: 'stock',
    streamId: stockStream(command.warehouseId, command.sku),
    stepId: `${order.orderId}:${step}:${command.sku}`,
    command,
  };
}

export function paymentStep(order: Order, step: string, command: PaymentCommand): ProcessStep {
  return { aggregate: 'payment', streamId: paymentStream(order.orderId), stepId: `${order.orderId}:${step}`, command };
}

export function creditStep(order: Order, step: string, command: CreditCommand): ProcessStep {
  return { aggregate: 'credit', streamId: creditStream(command.customerId), stepId: `${order.orderId}:${step}`, command };
}

/** The first step some line needs, in line order. */
export function firstLineStep<Line>(lines: readonly Line[], stepFor: (line: Line) => ProcessStep | null): ProcessStep | null {
  for (const line of lines) {
    const step = stepFor(line);
    if (step !== null) return step;
  }
  return null;
}
