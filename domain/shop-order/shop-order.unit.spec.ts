import { describe, expect, it } from '@jest/globals';

import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { type ClaimShopOrder, type ShopOrderClaimed, shopOrderClaimDecider, shopOrderStream } from './index.js';

const claims = deciderSpec(shopOrderClaimDecider, asUser('shop-bot', 'integration'));
const claim = (orderId: string, externalId = 'TB-1001', channel = 'taobao'): ClaimShopOrder => ({ type: 'ClaimShopOrder', channel, externalId, orderId });
const claimed = (orderId: string, claimedBy = 'shop-bot'): ShopOrderClaimed => ({ type: 'ShopOrderClaimed', data: { channel: 'taobao', externalId: 'TB-1001', orderId, claimedBy } });

describe('the claim of a shop order (channel, externalId)', () => {
  it('goes to the first order that claims the pair, with who placed it', () => claims.given().when(claim('o-1')).then(claimed('o-1')));

  it('claimed again, by the same order or another, records nothing and keeps the first order', () => {
    claims.given(claimed('o-1')).when(claim('o-1')).thenNothing();
    claims.given(claimed('o-1')).when(claim('o-2'), asUser('other-bot', 'integration')).thenState((state) => expect(state).toEqual(claimed('o-1').data));
  });

  it('refuses a blank channel or externalId, and a channel with ":" (it separates the pair in the stream name)', () => {
    claims.given().when(claim('o-1', ' ')).thenFails('validation_failed', { fields: [{ field: 'externalId', problems: ['is required'] }] });
    claims.given().when(claim('o-1', 'TB-1', 'a:b')).thenFails('validation_failed', { fields: [{ field: 'channel', problems: ['is required and has no ":"'] }] });
  });

  it('names one stream per pair, never the same for two pairs', () => {
    expect(shopOrderStream('taobao', 'TB-1')).toBe('shop-order-taobao:TB-1');
    expect(shopOrderStream('a-b', 'c')).not.toBe(shopOrderStream('a', 'b-c'));
  });
});
