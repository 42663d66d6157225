import { orderStream, paymentStream, stockStream } from '../../domain/index.js';
import { isOrderSettled } from '../../domain/processes/order-process.js';
import { orderKey } from '../../domain/stock/state.js';
import { type AggregateRepository } from '../../src/platform/write-model/aggregate-repository.js';
import { orderAggregate, paymentAggregate, stockAggregate } from '../../src/platform/write-model/aggregates.js';

/**
 * Orders whose processes still have a step to run (a placement pending, an approved cancellation not
 * finished), each described with what a reader needs to see why: status, reservation, cancellation, money.
 */
export async function unsettledOrders(repository: AggregateRepository, orderIds: readonly string[]): Promise<string[]> {
  const open: string[] = [];
  for (const orderId of orderIds) {
    const order = (await repository.load(orderAggregate, orderStream(orderId))).state;
    if (order === null) continue;
    const payment = (await repository.load(paymentAggregate, paymentStream(orderId))).state;
    const stocks = Object.fromEntries(await Promise.all(order.lines.map(async (line) => [line.sku, (await repository.load(stockAggregate, stockStream(order.warehouseId, line.sku), [orderKey(order.orderId)])).state] as const)));
    if (!isOrderSettled({ order, payment, stocks })) {
      open.push(`${orderId} (${order.status}, reservation ${order.reservation}, cancellation ${order.cancellation?.state ?? 'none'}, paid ${payment.paid}, refunded ${payment.refunded})`);
    }
  }
  return open;
}
