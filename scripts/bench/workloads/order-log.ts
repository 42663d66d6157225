import { isDomainError, nextOrderStep, orderStream, paymentStream, productStream, customerStream, supplierStream, stockStream } from '../../../domain/index.js';
import { type OrderCommand, type OrderState } from '../../../domain/order/index.js';
import { paymentTerms } from '../../../domain/order/payment-terms.js';
import { type Order, orderTotal } from '../../../domain/order/state.js';
import { type Payment, type PaymentCommand } from '../../../domain/payment/index.js';
import { type StockCommand, type StockPosition } from '../../../domain/stock/index.js';
import { type Actor, type Role } from '../../../domain/shared/context.js';
import { type DomainEvent } from '../../../domain/shared/event.js';
import { type EventToAppend } from '../../../src/platform/event-store/event-store.port.js';
import { type SqliteEventStore } from '../../../src/platform/event-store/sqlite/sqlite-event-store.js';
import { newId } from '../../../src/platform/ids.js';
import { type AggregateType } from '../../../src/platform/write-model/aggregate-type.js';
import { customerAggregate, orderAggregate, paymentAggregate, productAggregate, stockAggregate, supplierAggregate } from '../../../src/platform/write-model/aggregates.js';
import { chainHash, GENESIS_HASH } from '../../../src/platform/write-model/hash-chain.js';

/**
 * A realistic event log for the read-side benchmarks, written the way the service writes it: every
 * command decided by the domain's deciders on the state folded so far, the order processes run by
 * `nextOrderStep` after each human command (reservations, confirmations, shipments, refunds, funds),
 * the repository's metadata (command, correlation and causation ids, actor, time, schema version) and
 * its hash chain. Orders progress interleaved: a window of open orders, one human action at a time on
 * one of them picked at random (seeded), the clock moving a few seconds per action.
 *
 * Per order, drawn at placement: sales (80%) are paid, processed, shipped and delivered, or cancelled
 * by the customer after payment (6%) or left unpaid (4%); purchases get a deposit and are received,
 * or cancelled by the company before receipt (5%). Lines: 1–3 SKUs of `skus`, a fifth of them on the
 * 50 hottest. Stock is ample (an opening receipt per SKU), so no placement is rejected.
 */

type AnyAggregate = AggregateType<unknown, unknown, DomainEvent>;
const aggregate = <S, C, E extends DomainEvent>(type: AggregateType<S, C, E>) => type as unknown as AnyAggregate;
const ORDER = aggregate(orderAggregate);
const PAYMENT = aggregate(paymentAggregate);
const STOCK = aggregate(stockAggregate);

const PROCESS_ACTOR: Actor = { id: 'system:process', roles: [] };
const actorOf = (id: string, role: Role): Actor => ({ id, roles: [role] });
const FINANCE = actorOf('finance-01', 'finance');
const APPROVER = actorOf('approver-01', 'approver');
const ADMIN = actorOf('admin', 'admin');
const CLERKS = Array.from({ length: 40 }, (_, i) => actorOf(`clerk-${String(i + 1).padStart(2, '0')}`, 'clerk'));
const WAREHOUSE_STAFF = Array.from({ length: 5 }, (_, i) => actorOf(`warehouse-${i + 1}`, 'warehouse'));
const WAREHOUSE = 'main';
const HOT_SKUS = 50;
const CANCELLATION_REASONS = ['customer changed mind', 'found a better price', 'ordered by mistake', 'delivery too slow', 'duplicate order'];
const CARRIERS = ['SF Express', 'ZTO', 'YTO', 'JD Logistics'];

export interface LogShape {
  readonly seed: number;
  readonly skus: number;
  readonly customers: number;
  readonly suppliers: number;
  /** Open orders progressing at the same time. */
  readonly window: number;
  /** Simulated seconds between two human actions. */
  readonly secondsPerAction: number;
  /** Compute the hash chain (the projections log); the order-list views need no hashes. */
  readonly hash: boolean;
  /**
   * true: one stock position per SKU, shared by every order (a real log). false: each order folds
   * its own positions, forgotten with it, so memory stays bounded over millions of orders; the
   * order documents are the same since stock is ample either way.
   */
  readonly sharedStock: boolean;
}

export const PROJECTIONS_LOG_SHAPE: LogShape = { seed: 42, skus: 2000, customers: 5000, suppliers: 200, window: 500, secondsPerAction: 8, hash: true, sharedStock: true };

/** Where generated events go, one append (one command's events on one stream) at a time, in log order. */
export interface EventSink {
  append(streamId: string, events: readonly EventToAppend[], previousRevision: number): void;
  /** An order will see no more events from the generator. */
  orderFinished?(orderId: string): void;
}

interface StreamState {
  state: unknown;
  /** Revision of the last event, -1 before the first. */
  revision: number;
  prevHash: string;
}

type HumanAction = (order: Order) => { readonly aggregate: 'order'; readonly command: OrderCommand; readonly actor: Actor } | { readonly aggregate: 'payment'; readonly command: PaymentCommand; readonly actor: Actor };

interface OpenOrder {
  readonly orderId: string;
  readonly actions: readonly HumanAction[];
  next: number;
}

/** mulberry32: a small seeded generator, so that two runs write the same mix. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class OrderLogGenerator {
  private readonly streams = new Map<string, StreamState>();
  private readonly random: () => number;
  private readonly open: OpenOrder[] = [];
  private clock = Date.parse('2026-01-05T08:00:00.000Z');
  private placed = 0;
  private readonly prices: number[];
  /** Without shared stock: the stock positions each open order folds on its own. */
  private readonly ownStock = new Map<string, string[]>();

  constructor(
    private readonly sink: EventSink,
    private readonly shape: LogShape,
  ) {
    this.random = seeded(shape.seed);
    this.prices = Array.from({ length: shape.skus }, () => 100 * (5 + Math.floor(this.random() * 995)));
  }

  /** Orders placed so far. */
  get orders(): number {
    return this.placed;
  }

  /** Products with thresholds, customers, suppliers, and (shared stock) an opening receipt per SKU. */
  masterData(): void {
    const context = { actor: ADMIN, correlation: undefined };
    for (let i = 0; i < this.shape.skus; i++) {
      const sku = skuOf(i);
      this.execute(aggregate(productAggregate), productStream(sku), { type: 'RegisterProduct', sku, name: `Product ${sku}`, price: this.prices[i], unit: 'pcs' }, context);
      if (this.shape.sharedStock) {
        this.execute(STOCK, stockStream(WAREHOUSE, sku), { type: 'ReceiveStock', warehouseId: WAREHOUSE, sku, quantity: 1_000_000, note: 'opening stock' }, { actor: WAREHOUSE_STAFF[0] });
        this.execute(STOCK, stockStream(WAREHOUSE, sku), { type: 'SetStockThresholds', warehouseId: WAREHOUSE, sku, min: 20, max: 5_000_000 }, { actor: WAREHOUSE_STAFF[0] });
      }
    }
    for (let i = 0; i < this.shape.customers; i++) {
      const id = customerOf(i);
      this.execute(aggregate(customerAggregate), customerStream(id), { type: 'RegisterCustomer', id, name: `Customer ${i}`, phone: `138${String(i).padStart(8, '0')}` }, context);
    }
    for (let i = 0; i < this.shape.suppliers; i++) {
      const id = `supplier-${String(i).padStart(4, '0')}`;
      this.execute(aggregate(supplierAggregate), supplierStream(id), { type: 'RegisterSupplier', id, name: `Supplier ${i}` }, context);
    }
  }

  /** One human action on an open order (placing a new one while fewer than `window` are open). */
  step(): void {
    this.clock += this.shape.secondsPerAction * 1000;
    if (this.open.length < this.shape.window) {
      this.placeOrder();
      return;
    }
    const index = Math.floor(this.random() * this.open.length);
    const order = this.open[index];
    const state = this.orderState(order.orderId);
    if (state !== null) {
      const action = order.actions[order.next](state);
      this.runCommand(order.orderId, action.aggregate === 'order' ? ORDER : PAYMENT, action.aggregate === 'order' ? orderStream(order.orderId) : paymentStream(order.orderId), action.command, action.actor);
    }
    order.next++;
    if (order.next === order.actions.length) {
      this.open[index] = this.open[this.open.length - 1];
      this.open.pop();
      this.finish(order.orderId);
    }
  }

  /** Every order still open is left as it is (a log always ends with orders in progress). */
  end(): void {
    for (const order of this.open.splice(0)) this.finish(order.orderId);
  }

  private placeOrder(): void {
    const sale = this.random() < 0.8;
    const n = this.placed++;
    const orderId = newId();
    const clerk = CLERKS[Math.floor(this.random() * CLERKS.length)];
    const lineCount = 1 + Math.floor(this.random() * 3);
    const skus = new Set<number>();
    while (skus.size < lineCount) skus.add(this.random() < 0.2 ? Math.floor(this.random() * HOT_SKUS) : Math.floor(this.random() * this.shape.skus));
    const lines = [...skus].map((i) => ({ sku: skuOf(i), quantity: 1 + Math.floor(this.random() * 5), unitPrice: this.prices[i] }));
    const partyId = sale ? customerOf(Math.floor(this.random() * this.shape.customers)) : `supplier-${String(Math.floor(this.random() * this.shape.suppliers)).padStart(4, '0')}`;
    const number = `${sale ? 'SO' : 'PO'}-${String(n + 1).padStart(8, '0')}`;
    this.runCommand(orderId, ORDER, orderStream(orderId), { type: 'PlaceOrder', orderId, number, kind: sale ? 'sale' : 'purchase', partyId, warehouseId: WAREHOUSE, currency: 'CNY', lines }, clerk);
    const actions = sale ? this.saleActions(clerk) : this.purchaseActions(clerk);
    // An order nobody touches again (unpaid) is finished as placed.
    if (actions.length === 0) this.finish(orderId);
    else this.open.push({ orderId, actions, next: 0 });
  }

  private saleActions(clerk: Actor): HumanAction[] {
    const draw = this.random();
    const warehouse = WAREHOUSE_STAFF[Math.floor(this.random() * WAREHOUSE_STAFF.length)];
    const pay: HumanAction = (order) => ({ aggregate: 'payment', actor: FINANCE, command: { type: 'RecordPayment', orderId: order.orderId, amount: orderTotal(order), method: 'bank_transfer', terms: paymentTerms(order) } });
    if (draw < 0.04) return [];
    if (draw < 0.1) {
      const reason = CANCELLATION_REASONS[Math.floor(this.random() * CANCELLATION_REASONS.length)];
      return [
        pay,
        (order) => ({ aggregate: 'order', actor: clerk, command: { type: 'RequestCancellation', orderId: order.orderId, reason, initiatedBy: 'customer', note: null } }),
        (order) => ({ aggregate: 'order', actor: APPROVER, command: { type: 'ApproveCancellation', orderId: order.orderId, refundMethod: 'original', note: null } }),
      ];
    }
    const carrier = CARRIERS[Math.floor(this.random() * CARRIERS.length)];
    return [
      pay,
      (order) => ({ aggregate: 'order', actor: warehouse, command: { type: 'ProcessOrder', orderId: order.orderId } }),
      (order) => ({ aggregate: 'order', actor: warehouse, command: { type: 'ShipOrder', orderId: order.orderId, carrier, trackingNumber: `T${order.number}` } }),
      (order) => ({ aggregate: 'order', actor: warehouse, command: { type: 'DeliverOrder', orderId: order.orderId } }),
    ];
  }

  private purchaseActions(clerk: Actor): HumanAction[] {
    const cancelled = this.random() < 0.05;
    const warehouse = WAREHOUSE_STAFF[Math.floor(this.random() * WAREHOUSE_STAFF.length)];
    const deposit: HumanAction = (order) => ({ aggregate: 'payment', actor: FINANCE, command: { type: 'RecordPayment', orderId: order.orderId, amount: Math.floor(orderTotal(order) * 0.3), method: 'bank_transfer', terms: paymentTerms(order) } });
    if (cancelled) {
      return [
        deposit,
        (order) => ({ aggregate: 'order', actor: clerk, command: { type: 'RequestCancellation', orderId: order.orderId, reason: 'supplier cannot deliver', initiatedBy: 'supplier', note: null } }),
        (order) => ({ aggregate: 'order', actor: APPROVER, command: { type: 'ApproveCancellation', orderId: order.orderId, note: null } }),
      ];
    }
    return [deposit, (order) => ({ aggregate: 'order', actor: warehouse, command: { type: 'ReceiveGoods', orderId: order.orderId, lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })) } })];
  }

  /** A human command on the order or its payment, then the order's processes until they have nothing left to do. */
  private runCommand(orderId: string, type: AnyAggregate, streamId: string, command: unknown, actor: Actor): void {
    const commandId = this.execute(type, streamId, command, { actor });
    if (commandId === undefined) return;
    for (let guard = 0; guard < 50; guard++) {
      const order = this.orderState(orderId);
      const payment = this.state<Payment>(paymentStream(orderId)) ?? (paymentAggregate.initialState as Payment);
      const stocks: Record<string, StockPosition> = {};
      for (const line of order?.lines ?? []) stocks[line.sku] = this.state<StockPosition>(this.stockKey(orderId, line.sku)) ?? this.openingStock(orderId, line.sku);
      const step = nextOrderStep({ order, payment, stocks });
      if (step === null) return;
      const target = step.aggregate === 'order' ? ORDER : step.aggregate === 'payment' ? PAYMENT : STOCK;
      const key = step.aggregate === 'stock' ? this.stockKey(orderId, (step.command as StockCommand).sku) : step.streamId;
      if (this.execute(target, step.streamId, step.command, { actor: PROCESS_ACTOR, correlation: commandId, key }) === undefined) return;
    }
  }

  /** Load (from memory), decide, append: the repository's path. Returns the command id, or undefined when refused or a no-op. */
  private execute(type: AnyAggregate, streamId: string, command: unknown, options: { actor: Actor; correlation?: string; key?: string }): string | undefined {
    const key = options.key ?? streamId;
    const stream = this.streams.get(key) ?? { state: type.initialState, revision: -1, prevHash: GENESIS_HASH };
    const now = new Date(this.clock).toISOString();
    let decided: DomainEvent[];
    try {
      decided = type.decide(command, stream.state, { actor: options.actor, now });
    } catch (error) {
      if (isDomainError(error)) return undefined;
      throw error;
    }
    if (decided.length === 0) return undefined;
    const commandId = newId();
    const previousRevision = stream.revision;
    const toAppend: EventToAppend[] = [];
    for (const [index, event] of decided.entries()) {
      // Without the hash chain (the order-list views) nothing reads event ids: derived ones are cheaper.
      const eventId = this.shape.hash ? newId() : `${commandId}:${index}`;
      const revision = stream.revision + 1;
      const metadata = {
        commandId,
        correlationId: options.correlation ?? commandId,
        causationId: options.correlation ?? commandId,
        actor: { id: options.actor.id, roles: [...options.actor.roles] },
        occurredAt: now,
        schemaVersion: type.schemaVersion(event.type),
        prevHash: stream.prevHash,
      };
      const hash = this.shape.hash ? chainHash(stream.prevHash, { streamId, revision, eventId, type: event.type, data: event.data, metadata }) : GENESIS_HASH;
      toAppend.push({ eventId, type: event.type, data: event.data, metadata: { ...metadata, hash } });
      stream.state = type.evolve(stream.state, event);
      stream.prevHash = hash;
      stream.revision = revision;
    }
    this.streams.set(key, stream);
    this.sink.append(streamId, toAppend, previousRevision);
    return commandId;
  }

  private finish(orderId: string): void {
    this.streams.delete(orderStream(orderId));
    this.streams.delete(paymentStream(orderId));
    if (!this.shape.sharedStock) for (const key of this.ownStock.get(orderId) ?? []) this.streams.delete(key);
    this.ownStock.delete(orderId);
    this.sink.orderFinished?.(orderId);
  }

  private stockKey(orderId: string, sku: string): string {
    return this.shape.sharedStock ? stockStream(WAREHOUSE, sku) : `${orderId}/${stockStream(WAREHOUSE, sku)}`;
  }

  /** Without shared stock, an order's own position starts with ample stock on hand (not written to the log). */
  private openingStock(orderId: string, sku: string): StockPosition {
    const key = this.stockKey(orderId, sku);
    const opening = stockAggregate.evolve(stockAggregate.initialState, { type: 'StockReceived', data: { warehouseId: WAREHOUSE, sku, quantity: 1_000_000, orderId: null, note: null, unitCost: null, value: 0 } } as never);
    if (!this.shape.sharedStock) {
      this.streams.set(key, { state: opening, revision: 0, prevHash: GENESIS_HASH });
      this.ownStock.set(orderId, [...(this.ownStock.get(orderId) ?? []), key]);
    }
    return opening;
  }

  private orderState(orderId: string): Order | null {
    return this.state<OrderState>(orderStream(orderId)) ?? null;
  }

  private state<S>(key: string): S | undefined {
    return this.streams.get(key)?.state as S | undefined;
  }
}

const skuOf = (i: number): string => `SKU-${String(i).padStart(5, '0')}`;
export const customerOf = (i: number): string => `customer-${String(i).padStart(5, '0')}`;

/** Appends through the event store in big groups: every append of a group is queued in one turn and shares one transaction. */
class StoreSink implements EventSink {
  private pending: Promise<unknown>[] = [];
  private pendingEvents = 0;
  events = 0;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly groupEvents = 5000,
  ) {}

  append(streamId: string, events: readonly EventToAppend[], previousRevision: number): void {
    this.pending.push(this.store.append(streamId, events, previousRevision < 0 ? 'no_stream' : BigInt(previousRevision)));
    this.pendingEvents += events.length;
    this.events += events.length;
  }

  get full(): boolean {
    return this.pendingEvents >= this.groupEvents;
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    await Promise.all(pending);
  }
}

/** Writes a projections log of about `events` events (it stops at the first command that reaches the count). */
export async function writeOrderLog(store: SqliteEventStore, events: number, shape: LogShape = PROJECTIONS_LOG_SHAPE): Promise<{ events: number; orders: number }> {
  const sink = new StoreSink(store);
  const generator = new OrderLogGenerator(sink, shape);
  generator.masterData();
  await sink.flush();
  while (sink.events < events) {
    generator.step();
    if (sink.full) await sink.flush();
  }
  generator.end();
  await sink.flush();
  return { events: sink.events, orders: generator.orders };
}
