import { Inject, Injectable } from '@nestjs/common';

import { orderStream, paymentStream, stockPositionsOf, upcastEvent } from '../../domain/index.js';
import { type OrderEvent, evolve as evolveOrder } from '../../domain/order/index.js';
import { type Order, type OrderState } from '../../domain/order/state.js';
import { type PaymentEvent, evolve as evolvePayment, initialState as noPayment } from '../../domain/payment/index.js';
import { orderSummary, type OrderSummary } from '../../domain/processes/index.js';
import { type StockEvent, evolve as evolveStock, initialState as noStock, type StockPosition } from '../../domain/stock/index.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../platform/event-store/event-store.port.js';

export type StateCut = { readonly asOf: string } | { readonly atPosition: string };

export type OrderStateAt = OrderSummary & { readonly revision: number; readonly position: string } & Partial<StateCut>;

/**
 * An order as it was at a time or a log position, from the event log alone: the order and payment
 * streams folded up to the cut, and the order's own entries in the stock streams of its lines
 * (the only part of a stock position the order's summary reads), then `orderSummary`.
 */
@Injectable()
export class OrderStateRebuilder {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async rebuild(orderId: string, cut: StateCut): Promise<OrderStateAt | null> {
    const included = this.inclusion(cut);
    let last: string | undefined;
    const take = (event: RecordedEvent) => {
      if (last === undefined || this.events.comparePositions(event.position, last) > 0) last = event.position;
    };

    let order: OrderState = null;
    let revision = -1;
    for await (const event of this.upTo(orderStream(orderId), cut, included)) {
      order = evolveOrder(order, upcastEvent<OrderEvent>(event.type, schemaVersionOf(event), event.data));
      revision = Number(event.revision);
      take(event);
    }
    if (order === null) return null;

    let payment = noPayment;
    for await (const event of this.upTo(paymentStream(orderId), cut, included)) {
      payment = evolvePayment(payment, upcastEvent<PaymentEvent>(event.type, schemaVersionOf(event), event.data));
      take(event);
    }

    const stocks: Record<string, StockPosition> = {};
    for (const { sku, streamId } of stockPositionsOf(order as Order)) {
      let stock = noStock;
      for await (const event of this.upTo(streamId, cut, included)) {
        if ((event.data as { orderId?: unknown }).orderId !== orderId) continue;
        stock = evolveStock(stock, upcastEvent<StockEvent>(event.type, schemaVersionOf(event), event.data));
        take(event);
      }
      stocks[sku] = stock;
    }
    return { ...orderSummary(order, payment, stocks), revision, position: last!, ...cut };
  }

  private inclusion(cut: StateCut): (event: RecordedEvent) => boolean {
    if ('atPosition' in cut) return (event) => this.events.comparePositions(event.position, cut.atPosition) <= 0;
    return (event) => {
      const occurredAt = (event.metadata as { occurredAt?: unknown }).occurredAt;
      return typeof occurredAt === 'string' && occurredAt <= cut.asOf;
    };
  }

  /** The stream's events inside the cut; by position a stream can stop early (its order is the log's). */
  private async *upTo(streamId: string, cut: StateCut, included: (event: RecordedEvent) => boolean): AsyncGenerator<RecordedEvent> {
    for await (const event of this.events.readStream(streamId)) {
      if (included(event)) yield event;
      else if ('atPosition' in cut) return;
    }
  }
}

function schemaVersionOf(event: RecordedEvent): number {
  const version = (event.metadata as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === 'number' ? version : 1;
}
