import { orderStream, paymentStream, stockStream } from '../../domain/index.js';
import { amountDue, isFinished, type Order, pendingAmendment, returnedQuantity } from '../../domain/order/state.js';
import { orderEntries, orderEntry, orderKey } from '../../domain/stock/state.js';
import { type RecordedEvent } from '../../src/platform/event-store/event-store.port.js';
import { type AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';

// Invariants of orders in parts (partial shipments, partial cancellations, amendments, returns), checked on
// the write side and the event log once every order's process has settled. Each function returns the
// problems it found as readable lines (empty: none), so that one assertion shows them all.

/** Stock and money events a process step appends; each step (command id) may append each of them at most once per stream. */
const STEP_EVENTS = new Set(['StockReserved', 'StockReleased', 'StockShipped', 'StockReturned', 'StockReturnedToSupplier', 'RefundIssued']);

interface OrderQuantityData {
  readonly orderId?: string | null;
  readonly quantity?: number;
  readonly asOf?: number;
  readonly variance?: number;
  readonly amount?: number;
}

const dataOf = (event: RecordedEvent): OrderQuantityData => (event.data ?? {}) as OrderQuantityData;
const commandIdOf = (event: RecordedEvent): string => String((event.metadata as { commandId?: unknown }).commandId ?? '(no command id)');
/** One step's event: a refund split over payments (issue 12) is one RefundIssued per payment reversed by the same step. */
const stepKey = (event: RecordedEvent): string => {
  const paymentId = (event.data as { paymentId?: unknown } | null)?.paymentId;
  return `${event.streamId} ${event.type}${typeof paymentId === 'string' ? ` ${paymentId}` : ''} by ${commandIdOf(event)}`;
};

/**
 * Nothing happened twice: no command id appended the same stock or refund event type twice on one stream, and
 * no reservation setpoint version (`asOf`) of an order moved one stock position twice.
 */
export function duplicateSteps(log: readonly RecordedEvent[]): string[] {
  const bySteps = new Map<string, number>();
  const byVersion = new Map<string, number>();
  for (const event of log) {
    if (!STEP_EVENTS.has(event.type)) continue;
    const step = stepKey(event);
    bySteps.set(step, (bySteps.get(step) ?? 0) + 1);
    const { orderId, asOf } = dataOf(event);
    if ((event.type === 'StockReserved' || event.type === 'StockReleased') && asOf !== undefined) {
      const version = `${event.streamId} ${orderId} setpoint asOf ${asOf}`;
      byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
    }
  }
  const twice = [...bySteps, ...byVersion].filter(([, count]) => count > 1).map(([what, count]) => `${what} x${count}`);
  if (twice.length === 0) return [];
  // Each event of those steps, to see where they came from: position, revision, event id, metadata, data.
  const suspects = log.filter((event) => STEP_EVENTS.has(event.type) && (bySteps.get(stepKey(event)) ?? 0) > 1);
  return [...twice, ...suspects.map((event) => `  at ${event.position} rev ${event.revision} id ${event.eventId} ${event.type} ${JSON.stringify(event.data)} ${JSON.stringify(event.metadata)}`)];
}

interface Fold {
  onHand: number;
  reserved: number;
  readonly orders: Map<string, { reserved: number; shipped: number; returned: number }>;
}

/** A stock stream summed by hand from its events (independent of the aggregate's evolve). */
function foldStock(events: readonly RecordedEvent[]): Fold {
  const fold: Fold = { onHand: 0, reserved: 0, orders: new Map() };
  const entry = (orderId: string | null | undefined) => {
    const key = String(orderId);
    if (!fold.orders.has(key)) fold.orders.set(key, { reserved: 0, shipped: 0, returned: 0 });
    return fold.orders.get(key)!;
  };
  for (const event of events) {
    const { orderId, quantity = 0, variance = 0 } = dataOf(event);
    switch (event.type) {
      case 'StockReceived': fold.onHand += quantity; break;
      case 'StockAdjusted': fold.onHand += variance; break;
      case 'StockReturned': fold.onHand += quantity; entry(orderId).returned += quantity; break;
      case 'StockReturnedToSupplier': fold.onHand -= quantity; break;
      case 'StockReserved': fold.reserved += quantity; entry(orderId).reserved += quantity; break;
      case 'StockReleased': fold.reserved -= quantity; entry(orderId).reserved -= quantity; break;
      case 'StockShipped': fold.onHand -= quantity; fold.reserved -= quantity; entry(orderId).reserved -= quantity; entry(orderId).shipped += quantity; break;
      default: break;
    }
  }
  return fold;
}

/**
 * Each stock position equals the sum of its events (on hand, reserved, and per order reserved, shipped,
 * returned), its reserved equals the sum over its orders, nothing is oversold (available ≥ 0), and its on
 * hand is the opening stock minus what the sales shipped plus what came back resellable.
 */
export async function stockProblems(
  repository: AggregateRepository,
  log: readonly RecordedEvent[],
  opening: Readonly<Record<string, number>>,
  sales: readonly Order[],
  warehouseId = 'main',
): Promise<string[]> {
  const problems: string[] = [];
  for (const [sku, openingQuantity] of Object.entries(opening)) {
    const streamId = stockStream(warehouseId, sku);
    const fold = foldStock(log.filter((event) => event.streamId === streamId));
    // Every order the log names: a position loaded in part (from a partitioned snapshot) holds only the entries asked for.
    const orderIds = [...fold.orders.keys()].filter((orderId) => orderId !== 'null');
    const state = (await repository.load(stockAggregate, streamId, orderIds.map(orderKey))).state;
    const entries = state.partial === undefined ? orderEntries(state) : orderIds.map((orderId) => [orderId, orderEntry(state, orderId)] as const);
    const heldByOrders = entries.reduce((sum, [, entry]) => sum + entry.reserved, 0);
    if (state.onHand !== fold.onHand || state.reserved !== fold.reserved) {
      problems.push(`${sku}: state onHand ${state.onHand} reserved ${state.reserved}, its events sum to onHand ${fold.onHand} reserved ${fold.reserved}`);
    }
    if (heldByOrders !== state.reserved) problems.push(`${sku}: reserved ${state.reserved}, its orders hold ${heldByOrders}`);
    if (state.onHand - state.reserved < 0) problems.push(`${sku}: oversold, onHand ${state.onHand} reserved ${state.reserved}`);
    for (const [orderId, entry] of entries) {
      const summed = fold.orders.get(orderId) ?? { reserved: 0, shipped: 0, returned: 0 };
      if (entry.reserved !== summed.reserved || entry.shipped !== summed.shipped || entry.returned !== summed.returned) {
        problems.push(`${sku}/${orderId}: entry ${JSON.stringify({ reserved: entry.reserved, shipped: entry.shipped, returned: entry.returned })}, events ${JSON.stringify(summed)}`);
      }
    }
    let shipped = 0;
    let back = 0;
    for (const order of sales) {
      for (const line of order.lines) {
        if (line.sku !== sku) continue;
        shipped += line.shipped;
        back += line.returnedResellable;
      }
    }
    const expected = openingQuantity - shipped + back;
    if (state.onHand !== expected) problems.push(`${sku}: onHand ${state.onHand}, opening ${openingQuantity} − shipped ${shipped} + returned resellable ${back} = ${expected}`);
  }
  return problems;
}

/** The settled orders of `orderIds` (null ones, never placed, left out). */
export async function loadOrders(repository: AggregateRepository, orderIds: readonly string[]): Promise<Order[]> {
  const orders: Order[] = [];
  for (const orderId of orderIds) {
    const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
    if (order !== null) orders.push(order);
  }
  return orders;
}

/**
 * Each settled sale against its stock entries and its money: per line shipped ≤ quantity − cancelled,
 * delivered ≤ shipped, returned + pending ≤ shipped, the stock entry's shipped and returned equal the line's,
 * its reservation is quantity − cancelled − shipped while the order lives and 0 once it is finished, no
 * amendment is left pending; paid and refunded equal their events, refunded ≤ paid, and refunded is
 * max(0, paid − amountDue), or more only when the amount due rose again after a refund (highestRefundTarget).
 */
export async function saleProblems(repository: AggregateRepository, log: readonly RecordedEvent[], sales: readonly Order[]): Promise<string[]> {
  const problems: string[] = [];
  for (const order of sales) {
    const id = `${order.orderId} (${order.status})`;
    for (const line of order.lines) {
      const entry = orderEntry((await repository.load(stockAggregate, stockStream(order.warehouseId, line.sku), [orderKey(order.orderId)])).state, order.orderId);
      const reserved = isFinished(order) ? 0 : line.quantity - line.cancelled - line.shipped;
      const counters = `quantity ${line.quantity} cancelled ${line.cancelled} shipped ${line.shipped} delivered ${line.delivered} returned ${returnedQuantity(line)} pending ${line.returnPending}`;
      if (line.shipped > line.quantity - line.cancelled || line.delivered > line.shipped || returnedQuantity(line) + line.returnPending > line.shipped || line.cancelled < 0) {
        problems.push(`${id} ${line.sku}: counters out of bounds: ${counters}`);
      }
      if (entry.shipped !== line.shipped || entry.returned !== line.returnedResellable || entry.reserved !== reserved) {
        problems.push(`${id} ${line.sku}: stock entry reserved ${entry.reserved} shipped ${entry.shipped} returned ${entry.returned}; expected reserved ${reserved} shipped ${line.shipped} returned ${line.returnedResellable} (${counters})`);
      }
    }
    const pending = pendingAmendment(order);
    if (pending !== null) problems.push(`${id}: amendment ${pending.amendmentNo} still pending`);

    const payment = (await repository.load(paymentAggregate, paymentStream(order.orderId))).state;
    const stream = log.filter((event) => event.streamId === paymentStream(order.orderId));
    const sum = (type: string) => stream.filter((event) => event.type === type).reduce((total, event) => total + (dataOf(event).amount ?? 0), 0);
    if (sum('PaymentReceived') !== payment.paid || sum('RefundIssued') !== payment.refunded) {
      problems.push(`${id}: paid ${payment.paid} refunded ${payment.refunded}, events say paid ${sum('PaymentReceived')} refunded ${sum('RefundIssued')}`);
    }
    const due = amountDue(order);
    const refund = Math.max(0, payment.paid - due);
    const highest = highestRefundTarget(log, order.orderId);
    if (payment.refunded > payment.paid || payment.refunded < refund || payment.refunded > highest) {
      problems.push(`${id}: paid ${payment.paid}, amount due ${due}, refunded ${payment.refunded}; expected refunded ${refund}` +
        `${highest > refund ? ` (up to ${highest}, what paid − amount due reached before the amount due rose again)` : ''}; history: ${historyOf(log, order.orderId)}`);
    }
  }
  return problems;
}

type AnyEvent = Parameters<typeof orderAggregate.evolve>[1];
type AnyPaymentEvent = Parameters<typeof paymentAggregate.evolve>[1];
const schemaOf = (event: RecordedEvent): number => Number((event.metadata as { schemaVersion?: number }).schemaVersion ?? 1);

/**
 * The refund target max(0, paid − amountDue) is cumulative and a refund is never taken back: once the amount
 * due rises again (an amendment adding units after a refund), refunded stays above the final target. It never
 * exceeds the highest target the order's history reached, folding its order and payment events in log order.
 */
function highestRefundTarget(log: readonly RecordedEvent[], orderId: string): number {
  let order = orderAggregate.initialState;
  let payment = paymentAggregate.initialState;
  let highest = 0;
  for (const event of log) {
    if (event.streamId === orderStream(orderId)) order = orderAggregate.evolve(order, orderAggregate.upcast(event.type, schemaOf(event), event.data) as AnyEvent);
    else if (event.streamId === paymentStream(orderId)) payment = paymentAggregate.evolve(payment, paymentAggregate.upcast(event.type, schemaOf(event), event.data) as AnyPaymentEvent);
    else continue;
    if (order !== null) highest = Math.max(highest, payment.paid - amountDue(order));
  }
  return highest;
}

/** The order's and its payment's events, compactly, for a problem's message. */
export function historyOf(log: readonly RecordedEvent[], orderId: string): string {
  return log
    .filter((event) => event.streamId === orderStream(orderId) || event.streamId === paymentStream(orderId))
    .map((event) => {
      const data = event.data as Record<string, unknown>;
      const detail = ['amount', 'lines', 'after', 'scope', 'cancelledLines', 'returnLines', 'returnId', 'shipmentId']
        .filter((field) => data[field] !== undefined && data[field] !== null)
        .map((field) => `${field}=${JSON.stringify(data[field])}`)
        .join(' ');
      return detail === '' ? event.type : `${event.type}(${detail})`;
    })
    .join(', ');
}
