import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { type Actor, canSeeOrder, customerStream, DomainError, isDomainError, orderDecider, orderStream, orderSummary, paymentStream, productStream, supplierStream } from '../../domain/index.js';
import { type AmendOrder, type OrderCommand, type PlaceOrder } from '../../domain/order/commands.js';
import { type OrderEvent } from '../../domain/order/events.js';
import { paymentTerms } from '../../domain/order/payment-terms.js';
import { amendmentRefusal, placementRefusal, purchaseReturnRefusal } from '../../domain/order/placement-outcome.js';
import { lineOf, type Order } from '../../domain/order/state.js';
import { hasRole } from '../../domain/shared/context.js';
import { type PaymentCommand, type PaymentTerms } from '../../domain/payment/commands.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { type FieldProblem, validationFailed } from '../platform/http/validation.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { AggregateRepository, type Executed, RevisionMismatch } from '../platform/write-model/aggregate-repository.js';
import { customerAggregate, orderAggregate, paymentAggregate, productAggregate, supplierAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { WarehouseRegistry } from '../master-data/warehouses.js';
import { isCreditPayment, spendCreditForPayment } from '../credits/credit-payment.js';
import { type OpenedId, type OrderResult, type OrderWriteResult } from './http/order-answer.js';
import { DocumentNumbers } from './numbers/document-numbers.js';
import { type OrderStates, OrderProcessRunner } from './processes/order-process-runner.js';
import { pairTaken, ShopOrderRepeat, ShopOrders, type ShopReference } from './shop-orders.js';

/**
 * Every order write, as the order feature's one handler takes it:
 * - `place`: a new order (its id chosen by the caller, or derived from the command for a keyed request);
 * - `order`: a command on the order's own stream; `opens` names the id the answer carries of what it opened
 *   (ship: `shipmentId`; customer and purchase returns: `returnId`);
 * - `amend`: an amendment of a sale's lines, whose missing prices the handler fills in (see `amendment`);
 * - `payment`: a command on the order's money (`payment-<orderId>`), built from the order and its terms.
 */
export type OrderWrite =
  | { readonly kind: 'place'; readonly orderId: string | undefined; readonly command: PlaceRequest; readonly shop?: ShopReference }
  | { readonly kind: 'order'; readonly orderId: string; readonly command: OrderCommand; readonly opens?: OpenedId }
  | { readonly kind: 'amend'; readonly orderId: string; readonly lines: readonly OptionallyPricedLine[]; readonly reason: string }
  | { readonly kind: 'payment'; readonly orderId: string; readonly build: (order: Order, terms: PaymentTerms) => PaymentCommand };

/** A placement as the client sent it (lines maybe without prices). */
type PlaceRequest = Omit<PlaceOrder, 'orderId' | 'lines'> & { readonly lines: readonly OptionallyPricedLine[] };

/**
 * A line as the client sent it: without `unitPrice`, a placed sale takes the product's current price, an amendment
 * the line's price (or the product's, for a new sku); a purchase line must name its price.
 */
export interface OptionallyPricedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice?: number;
}

/** The message a controller sends on the CommandBus for any order write; answered with the order (OrderResult). */
export class ExecuteOrderWrite extends Command<OrderWriteResult> {
  constructor(
    readonly write: OrderWrite,
    readonly metadata: CommandMetadata,
    /** The client's If-Match: the order revision it saw (ignored for a placement). */
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}

/**
 * What every order write does around its decision: find the order the caller may see, honour If-Match,
 * append (AggregateRepository.execute: a keyed retry of a command applied before is answered, not decided
 * again), run the order's processes inline (so the answer shows reservations, releases, refunds), and answer
 * the write side's view of the order with its revision and the log position.
 */
@CommandHandler(ExecuteOrderWrite)
export class OrderWriteHandler implements ICommandHandler<ExecuteOrderWrite> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly runner: OrderProcessRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly numbers: DocumentNumbers,
    private readonly shopOrders: ShopOrders,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  async execute({ write, metadata, ifMatch }: ExecuteOrderWrite): Promise<OrderWriteResult> {
    switch (write.kind) {
      case 'place':
        if (write.shop) return this.shopOrders.oneAtATime(write.shop, () => this.placeFromShop(write.shop!, write.orderId ?? newEntityId(metadata, 'order'), write.command, metadata));
        return (await this.place(write.orderId ?? newEntityId(metadata, 'order'), await this.pricedPlacement(write.command), metadata)).result;
      case 'order':
        return this.onOrder(write.orderId, write.command, metadata, ifMatch, write.opens);
      case 'amend':
        return this.onOrder(write.orderId, await this.amendment(write.orderId, write.lines, write.reason, metadata.actor), metadata, ifMatch);
      case 'payment':
        return this.onPayment(write.orderId, write.build, metadata, ifMatch);
    }
  }

  /** A sale (every line reserved, or kept as rejected: 409 insufficient_stock) or a purchase (incoming expected, funds committed). */
  /** `placed`: this command placed the order (now or, a keyed retry, before); false when the same placement was there already. */
  private async place(orderId: string, command: Omit<PlaceOrder, 'orderId'>, metadata: CommandMetadata): Promise<{ result: OrderResult; placed: boolean }> {
    // The client's number if no other order holds it, else the next SO|PO-<year>-<6 digits> (its own streams, before the order's).
    const number = await this.numbers.numberFor(orderId, command, metadata);
    const executed = await this.repository.execute(orderAggregate, orderStream(orderId), { ...command, orderId, number }, metadata);
    const result = await this.settle(orderId, metadata, executed);
    const order = (await this.repository.load(orderAggregate, orderStream(orderId))).state;
    const refusal = order && placementRefusal(order);
    if (refusal) throw refusal;
    return { result, placed: executed.events.length > 0 || executed.alreadyApplied !== undefined };
  }

  /**
   * A shop's order (`channel` + `externalId`, shop-orders.ts): checked like any placement before the pair is claimed
   * (a refused request claims nothing), then placed under the pair's order id. A request that did not place it
   * answers the pair's first order (ShopOrderRepeat: 200), or its refusal (409 insufficient_stock) as the first did.
   */
  private async placeFromShop(shop: ShopReference, candidateId: string, request: PlaceRequest, metadata: CommandMetadata): Promise<OrderResult> {
    const command = await this.pricedPlacement(request);
    orderDecider.decide({ ...command, orderId: candidateId, number: command.number ?? candidateId }, null, { actor: metadata.actor, now: metadata.now });
    const orderId = await this.shopOrders.claim(shop, candidateId, metadata);
    if ((await this.repository.load(orderAggregate, orderStream(orderId))).state === null) {
      const placing = await this.place(orderId, command, metadata).catch((error: unknown) => {
        // Another request for the pair placed it meanwhile, with another body: the pair's order is the answer.
        if (isDomainError(error) && error.code === 'already_exists' && error.details.orderId === orderId) return null;
        throw error;
      });
      if (placing?.placed) return placing.result;
    }
    const run = await this.runner.run(orderId, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
    const order = run.states.order.state;
    if (order === null || !canSeeOrder(metadata.actor, order)) throw pairTaken(shop);
    const refusal = placementRefusal(order);
    if (refusal) throw refusal;
    throw new ShopOrderRepeat(this.answer(run.states, this.later(run.position, this.later(run.states.order.position, run.states.payment.position))));
  }

  /**
   * A command on the order's stream. Once its process has run: an amendment whose increase could not be reserved,
   * or a purchase return the stock could not take, answers 409 insufficient_stock (the refusal is recorded; a keyed
   * retry answers the same); a command that opened a shipment or a return answers its id with the order.
   */
  private async onOrder(orderId: string, command: OrderCommand, metadata: CommandMetadata, ifMatch: bigint | undefined, opens?: OpenedId): Promise<OrderWriteResult> {
    await this.visibleOrder(orderId, metadata.actor);
    const executed = await this.repository.execute(orderAggregate, orderStream(orderId), command, metadata, { expectedRevision: ifMatch });
    const result = await this.settle(orderId, metadata, executed);
    const events = (executed.alreadyApplied?.events ?? executed.events) as readonly OrderEvent[];
    await this.assertNotRefused(orderId, events);
    const opened = opens && openedId(events, opens);
    return opened ? { ...result, [opens]: opened } : result;
  }

  /** What settling a requested amendment or purchase return decided, as the HTTP answer says it (409 insufficient_stock when refused). */
  private async assertNotRefused(orderId: string, events: readonly OrderEvent[]): Promise<void> {
    const amendment = events.find((event) => event.type === 'AmendmentRequested');
    const purchaseReturn = events.find((event) => event.type === 'PurchaseReturnRequested');
    if (!amendment && !purchaseReturn) return;
    const order = (await this.repository.load(orderAggregate, orderStream(orderId))).state;
    if (order === null) return;
    const refusal =
      (amendment?.type === 'AmendmentRequested' ? amendmentRefusal(order, amendment.data.amendmentNo) : null) ??
      (purchaseReturn?.type === 'PurchaseReturnRequested' ? purchaseReturnRefusal(order, purchaseReturn.data.returnId) : null);
    if (refusal) throw refusal;
  }

  /**
   * `/amend` as a domain command: only the order's owner (or an admin) amends it (403 otherwise); a line without a
   * price keeps the order line's price, or takes the product's current price for a new sku; an unknown sku is
   * 400 validation_failed naming `lines[i].sku`.
   */
  private async amendment(orderId: string, lines: readonly OptionallyPricedLine[], reason: string, actor: Actor): Promise<AmendOrder> {
    const order = await this.visibleOrder(orderId, actor);
    if (order.ownerId !== actor.id && !hasRole(actor, 'admin')) throw new DomainError('forbidden', 'only the clerk who placed the order (or an admin) may amend it', { orderId, ownerId: order.ownerId });
    const prices = await Promise.all(
      lines.map(async ({ sku }) => lineOf(order, sku)?.unitPrice ?? (await this.repository.load(productAggregate, productStream(sku))).state?.price),
    );
    const problems: FieldProblem[] = lines.flatMap(({ sku }, index) => (prices[index] === undefined ? [{ field: `lines[${index}].sku`, problems: [`no product ${sku}`] }] : []));
    if (problems.length > 0) throw validationFailed(problems);
    const added = lines.map(({ sku }, index) => ({ sku, index })).filter(({ sku }) => lineOf(order, sku) === undefined);
    const addedProducts = await Promise.all(added.map(({ sku }) => this.repository.load(productAggregate, productStream(sku))));
    assertActive(added.flatMap(({ sku, index }, at) => (addedProducts[at].state?.active === false ? [{ field: `lines[${index}].sku`, sku }] : [])), null);
    const priced = lines.map(({ sku, quantity, unitPrice }, index) => ({ sku, quantity, unitPrice: unitPrice ?? prices[index] ?? 0 }));
    return { type: 'AmendOrder', orderId, lines: priced, reason };
  }

  /** A command on the order's money; it needs the order's terms (total, currency, whether it still takes money). */
  private async onPayment(orderId: string, build: (order: Order, terms: PaymentTerms) => PaymentCommand, metadata: CommandMetadata, ifMatch: bigint | undefined): Promise<OrderWriteResult> {
    const order = await this.visibleOrder(orderId, metadata.actor);
    // If-Match names the order's revision; a keyed retry of a payment recorded before is answered whatever it is now.
    const precondition = async () => {
      const current = await this.repository.load(orderAggregate, orderStream(orderId));
      if (ifMatch !== undefined && current.revision !== ifMatch) throw new RevisionMismatch(orderStream(orderId), ifMatch, current.revision);
    };
    const terms = paymentTerms(order);
    const command = build(order, terms);
    // A payment drawn on store credit spends it first; the order's process records the payment (src/credits).
    const executed = isCreditPayment(command)
      ? await spendCreditForPayment(this.repository, order, command, terms, metadata, precondition)
      : await this.repository.execute(paymentAggregate, paymentStream(orderId), command, metadata, { precondition });
    return this.settle(orderId, metadata, executed);
  }

  /**
   * Unknown SKUs or parties are 400 validation_failed naming the field (API.md); a sale line without a price takes
   * the product's current price, a purchase line without one is 400 naming `lines[i].unitPrice`.
   */
  private async pricedPlacement(command: PlaceRequest): Promise<Omit<PlaceOrder, 'orderId'>> {
    const problems: FieldProblem[] = [];
    const party =
      command.kind === 'sale'
        ? await this.repository.load(customerAggregate, customerStream(command.partyId))
        : await this.repository.load(supplierAggregate, supplierStream(command.partyId));
    if (party.state === null) problems.push({ field: 'partyId', problems: [`no ${command.kind === 'sale' ? 'customer' : 'supplier'} ${command.partyId}`] });
    const warehouse = await this.warehouses.problemOf({ warehouseId: command.warehouseId, field: 'warehouseId' });
    if (warehouse !== null) problems.push(warehouse);
    const products = await Promise.all(command.lines.map((line) => this.repository.load(productAggregate, productStream(line.sku))));
    const lines = command.lines.map(({ sku, quantity, unitPrice }, index) => {
      const product = products[index].state;
      if (product === null) problems.push({ field: `lines[${index}].sku`, problems: [`no product ${sku}`] });
      else if (unitPrice === undefined && command.kind === 'purchase') problems.push({ field: `lines[${index}].unitPrice`, problems: ['is required on a purchase line'] });
      return { sku, quantity, unitPrice: unitPrice ?? product?.price ?? 0 };
    });
    if (problems.length > 0) throw validationFailed(problems);
    const inactiveParty = party.state?.active === false ? { field: 'partyId', id: command.partyId, kind: party.state.kind } : null;
    assertActive(command.lines.flatMap(({ sku }, index) => (products[index].state?.active === false ? [{ field: `lines[${index}].sku`, sku }] : [])), inactiveParty);
    return { ...command, lines };
  }

  private async visibleOrder(orderId: string, actor: Actor): Promise<Order> {
    const { state } = await this.repository.load(orderAggregate, orderStream(orderId));
    // An order the caller may not see answers like one that does not exist.
    if (state === null || !canSeeOrder(actor, state)) throw new DomainError('not_found', `no order ${orderId}`, { orderId });
    return state;
  }

  /**
   * Runs the order's processes, then answers its view. A keyed retry of a command applied before (its answer
   * lost) had its process steps run then (or since, by recovery), so its answer's position is the latest of the
   * order's and payment's streams: at or after everything the first answer covered, and everything the view shows.
   */
  private async settle(orderId: string, metadata: CommandMetadata, executed: Executed<unknown, unknown>): Promise<OrderResult> {
    const run = await this.runner.run(orderId, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
    const position = this.later(executed.position, run.position);
    const appliedBefore = executed.alreadyApplied !== undefined;
    return this.answer(run.states, appliedBefore ? this.later(position, this.later(run.states.order.position, run.states.payment.position)) : position);
  }

  private answer(states: OrderStates, position: string | undefined): OrderResult {
    const order = states.order.state;
    if (order === null) throw new DomainError('not_found', `no order ${states.order.streamId}`);
    const stocks = Object.fromEntries(Object.entries(states.stocks).map(([sku, loaded]) => [sku, loaded.state]));
    return { ...orderSummary(order, states.payment.state, stocks), revision: Number(states.order.revision ?? 0n), position: position ?? null };
  }

  private later(a: string | undefined, b: string | undefined): string | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    return this.store.comparePositions(a, b) >= 0 ? a : b;
  }
}

/**
 * 409 inactive when an order would start or grow with an inactive product, or be placed for an inactive customer
 * or supplier (API.md "Stock operations, warehouses, master data changes"); details name the fields and skus.
 */
function assertActive(products: readonly { field: string; sku: string }[], party: { field: string; id: string; kind: string } | null): void {
  if (products.length === 0 && party === null) return;
  const what = [...(party ? [`${party.kind} ${party.id}`] : []), ...products.map(({ sku }) => `product ${sku}`)].join(', ');
  throw new DomainError('inactive', `inactive: ${what} takes no new orders`, {
    fields: [...(party ? [party.field] : []), ...products.map(({ field }) => field)],
    ...(products.length > 0 ? { skus: products.map(({ sku }) => sku) } : {}),
    ...(party ? { partyId: party.id } : {}),
  });
}

/** The id of what the command's events opened: its shipment, or its (customer or purchase) return. */
function openedId(events: readonly OrderEvent[], id: OpenedId): string | undefined {
  for (const event of events) {
    if (id === 'shipmentId' && event.type === 'OrderShipped') return event.data.shipmentId;
    if (id === 'returnId' && (event.type === 'ReturnRequested' || event.type === 'PurchaseReturnRequested')) return event.data.returnId;
  }
  return undefined;
}
