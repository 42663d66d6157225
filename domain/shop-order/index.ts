import { type Context } from '../shared/context.js';
import { type Decider, type DomainEvent } from '../shared/event.js';
import { FieldChecks, isNonEmptyText } from '../shared/validation.js';

/**
 * Shop orders (API.md "Integrations"): an order a shop platform sends carries its `channel` (the shop) and the
 * platform's own `externalId`. A pair belongs to one order, for good: the stream `shop-order-<channel>:<externalId>`
 * records its first claim, and every later claim of the pair is a repeat that changes nothing, whatever order
 * it names: the application answers the pair's first order instead of placing a second one.
 */

/** `shop-order-<channel>:<externalId>`: a channel never contains `:`, so two pairs never share a stream. */
export const shopOrderStream = (channel: string, externalId: string): string => `shop-order-${channel}:${externalId}`;

/** Application (a placement with `channel` and `externalId`): this pair's order is `orderId`, unless the pair has one already. */
export interface ClaimShopOrder {
  readonly type: 'ClaimShopOrder';
  readonly channel: string;
  readonly externalId: string;
  readonly orderId: string;
}

/** On `shop-order-<channel>:<externalId>` (its only event): the pair's order, and who placed it. */
export type ShopOrderClaimed = DomainEvent<'ShopOrderClaimed', { readonly channel: string; readonly externalId: string; readonly orderId: string; readonly claimedBy: string }>;

/** The pair's order, or null while no placement has claimed the pair. */
export type ShopOrderClaim = ShopOrderClaimed['data'] | null;

function decideShopOrderClaim(command: ClaimShopOrder, state: ShopOrderClaim, context: Context): ShopOrderClaimed[] {
  new FieldChecks()
    .require(isNonEmptyText(command.channel) && !command.channel.includes(':'), 'channel', 'is required and has no ":"')
    .require(isNonEmptyText(command.externalId), 'externalId', 'is required')
    .require(isNonEmptyText(command.orderId), 'orderId', 'is required')
    .throwIfAny();
  // The first claim holds: a repeat (the same order or another) records nothing, and the state names the first order.
  if (state !== null) return [];
  return [{ type: 'ShopOrderClaimed', data: { channel: command.channel, externalId: command.externalId, orderId: command.orderId, claimedBy: context.actor.id } }];
}

/** The first claim is the claim; a stream has no other event. */
function evolveShopOrderClaim(state: ShopOrderClaim, event: ShopOrderClaimed): ShopOrderClaim {
  return state ?? { ...event.data };
}

export const shopOrderClaimDecider: Decider<ClaimShopOrder, ShopOrderClaimed, ShopOrderClaim> = {
  initialState: null,
  decide: decideShopOrderClaim,
  evolve: evolveShopOrderClaim,
};
