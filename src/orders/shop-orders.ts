import { Injectable } from '@nestjs/common';

import { DomainError, seesOwnOrdersOnly } from '../../domain/index.js';
import { type ClaimShopOrder, type ShopOrderClaim, type ShopOrderClaimed, shopOrderClaimDecider, shopOrderStream } from '../../domain/shop-order/index.js';
import { currentSchemaVersion, upcastEvent } from '../../domain/upcast.js';
import { validationFailed } from '../platform/http/validation.js';
import { ReplayedResponse } from '../platform/idempotency/idempotency.interceptor.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { type AggregateType } from '../platform/write-model/aggregate-type.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { KeyedLock } from '../platform/write-model/keyed-lock.js';
import { type OrderResult } from './http/order-answer.js';

/** Where a shop order comes from: the shop (`channel`) and the order's id on that platform (`externalId`). */
export interface ShopReference {
  readonly channel: string;
  readonly externalId: string;
}

/** `shop-order-<channel>:<externalId>` as the repository runs it. */
const shopOrderClaimAggregate: AggregateType<ShopOrderClaim, ClaimShopOrder, ShopOrderClaimed> = {
  name: 'shop-order',
  initialState: shopOrderClaimDecider.initialState,
  decide: shopOrderClaimDecider.decide,
  evolve: shopOrderClaimDecider.evolve,
  upcast: (type, schemaVersion, data) => upcastEvent<ShopOrderClaimed>(type, schemaVersion, data),
  schemaVersion: currentSchemaVersion,
};

/**
 * A placement with `channel` and `externalId` is a resumable process over streams, like document numbers
 * (no append spans two streams):
 * 1. the pair is claimed for the placement's order id on `shop-order-<channel>:<externalId>` (first event wins;
 *    a concurrent claimer loses the exact-revision race, decides again and finds the first claim);
 * 2. the order is placed under the pair's order id, whoever claimed it: a placement that stopped between its
 *    claim and its order (a crash, a storage fault) is finished by the next request for the pair, from any
 *    caller allowed to see it, with any request id. Concurrent requests for the pair place the same order id,
 *    so one `OrderPlaced` wins the order stream and the others find it;
 * 3. a request that did not place the order itself answers the pair's first order with 200 (ShopOrderRepeat).
 * In one process, the requests for a pair take turns (`oneAtATime`).
 * The claim's command id derives from the request's order id: a keyed retry finds its own claim.
 */
@Injectable()
export class ShopOrders {
  /** Per pair, in this process: a request waits for the one before it, then finds its order committed. */
  private readonly pairs = new KeyedLock();

  constructor(private readonly repository: AggregateRepository) {}

  /**
   * Runs the placement of one pair after any other of this process. Without it, a second request would find the
   * first one's order decided but not yet committed, and read the order as not there. (Another instance's
   * placement is committed before this one can see it, so it needs nothing more.)
   */
  oneAtATime<T>(shop: ShopReference, placement: () => Promise<T>): Promise<T> {
    return this.pairs.run(shopOrderStream(shop.channel, shop.externalId), placement);
  }

  /** The pair's order id: `candidateId` if this placement is the first to claim the pair. */
  async claim(shop: ShopReference, candidateId: string, metadata: CommandMetadata): Promise<string> {
    const command: ClaimShopOrder = { type: 'ClaimShopOrder', channel: shop.channel, externalId: shop.externalId, orderId: candidateId };
    const step: CommandMetadata = {
      commandId: `${candidateId}:shop-order`,
      correlationId: metadata.correlationId,
      causationId: metadata.commandId,
      actor: metadata.actor,
      now: metadata.now,
      deterministicEventIds: true,
    };
    const executed = await this.repository.execute(shopOrderClaimAggregate, shopOrderStream(shop.channel, shop.externalId), command, step);
    const claim = executed.aggregate.state;
    if (claim === null) throw new Error(`${shopOrderStream(shop.channel, shop.externalId)} holds no claim after claiming it`);
    if (claim.orderId !== candidateId && claim.claimedBy !== metadata.actor.id && seesOwnOrdersOnly(metadata.actor)) throw pairTaken(shop);
    return claim.orderId;
  }
}

/** The pair belongs to an order the caller may not see: 409 naming `externalId`, not the order. */
export function pairTaken(shop: ShopReference): DomainError {
  return new DomainError('already_exists', `${shop.channel} order ${shop.externalId} was placed by another caller`, { field: 'externalId', channel: shop.channel, externalId: shop.externalId });
}

/** The answer to a repeated (channel, externalId): the pair's first order, with 200 instead of 201 (sent by the error filter, as a replay is). */
export class ShopOrderRepeat extends ReplayedResponse {
  constructor(readonly order: OrderResult) {
    super({ fingerprint: '', method: 'POST', path: '/api/orders', status: 200, body: order });
    this.name = 'ShopOrderRepeat';
  }
}

/** `channel` and `externalId` of a placement: both or neither (400 naming the missing one). */
export function shopReferenceOf(body: { readonly channel?: string; readonly externalId?: string }): ShopReference | undefined {
  const { channel, externalId } = body;
  if (channel === undefined && externalId === undefined) return undefined;
  if (channel === undefined) throw validationFailed([{ field: 'channel', problems: ['is required with externalId'] }]);
  if (externalId === undefined) throw validationFailed([{ field: 'externalId', problems: ['is required with channel'] }]);
  return { channel, externalId };
}
