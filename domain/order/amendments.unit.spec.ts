import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec, SPEC_NOW } from '../../test/support/decider-spec.js';
import { orderFacts, PARTS_LINES } from '../../test/support/order-fixtures.js';
import { type AmendmentFacts } from './events.js';
import { amendmentRefusal, type OrderCommand, orderDecider, type OrderEvent, type OrderLineInput } from './index.js';

// Amendments: the owner (or an admin) replaces a sale's lines; increases are reserved by the process first.

const owner = asUser('carol', 'clerk');
const otherClerk = asUser('dave', 'clerk');
const admin = asUser('root', 'admin');
const warehouse = asUser('wendy', 'warehouse');
const system = asUser('system');

const { given } = deciderSpec(orderDecider, owner);
const orderId = 'o1';
const past = orderFacts(orderId);
const now = orderFacts(orderId, SPEC_NOW);

const LINES = PARTS_LINES;
const teaLine = (quantity: number, unitPrice = 1000) => ({ sku: 'TEA-1', quantity, unitPrice });
const cupLine = (quantity: number, unitPrice = 500) => ({ sku: 'CUP-1', quantity, unitPrice });
const potLine = (quantity: number) => ({ sku: 'POT-1', quantity, unitPrice: 3000 });

const amend = (lines: OrderLineInput[], reason = 'customer phoned'): OrderCommand => ({ type: 'AmendOrder', orderId, lines, reason });
const applyAmendment = (amendmentNo = 1): OrderCommand => ({ type: 'ApplyAmendment', orderId, amendmentNo });
const refuseAmendment = (amendmentNo = 1): OrderCommand => ({ type: 'RefuseAmendment', orderId, amendmentNo, shortLines: [{ sku: 'TEA-1', requested: 3, available: 1 }] });
const facts = (after: OrderLineInput[], amendmentNo = 1, before: OrderLineInput[] = LINES): AmendmentFacts => ({
  amendmentNo, reason: 'customer phoned', amendedBy: 'carol', before, after,
});

const live: OrderEvent[] = [past.salePlaced(LINES), past.reserved()];
/** 3 tea shipped. */
const partlyShipped: OrderEvent[] = [...live, past.shipped([{ sku: 'TEA-1', quantity: 3 }], 'S1')];
/** Tea up to 8 and a pot, waiting for the reservation. */
const increasePending: OrderEvent[] = [...live, past.amendmentRequested(facts([teaLine(8), cupLine(3), potLine(1)]))];

describe('amending a sale', () => {
  it('a decrease applies at once: OrderAmended with who, why, before and after', () =>
    given(...live).when(amend([teaLine(4), cupLine(3)]), owner).thenState((order, events) => {
      expect(events).toEqual([now.amended(facts([teaLine(4), cupLine(3)]))]);
      expect(order?.lines.map((line) => line.quantity)).toEqual([4, 3]);
      expect(order?.amendments).toMatchObject([{ amendmentNo: 1, state: 'applied', amendedBy: 'carol', reason: 'customer phoned', at: SPEC_NOW }]);
    }));

  it('a line left out becomes quantity 0 at its price', () =>
    given(...live).when(amend([teaLine(5)]), owner).then(now.amended(facts([teaLine(5), cupLine(0)]))));

  it('an increase waits for its reservation: AmendmentRequested, the lines unchanged', () =>
    given(...live).when(amend([teaLine(8), cupLine(3), potLine(1)]), owner).thenState((order, events) => {
      expect(events).toEqual([now.amendmentRequested(facts([teaLine(8), cupLine(3), potLine(1)]))]);
      expect(order?.lines.map((line) => [line.sku, line.quantity])).toEqual([['TEA-1', 5], ['CUP-1', 3], ['POT-1', 0]]);
      expect(order?.amendments[0].state).toBe('pending');
    }));

  it('a new sku with quantity 0 is no change', () => given(...live).when(amend([...LINES, potLine(0)]), owner).thenNothing());

  it('the same lines again emit nothing', () => given(...live).when(amend(LINES), owner).thenNothing());

  it('a new price for a line nothing of which shipped applies at once', () =>
    given(...partlyShipped).when(amend([teaLine(5), cupLine(3, 450)]), owner).thenState((order) => expect(order?.lines[1].unitPrice).toBe(450)));

  it('numbers amendments 1, 2, ...', () =>
    given(...live, past.amended(facts([teaLine(4), cupLine(3)]))).when(amend([teaLine(4), cupLine(2)]), owner).thenState((_order, events) =>
      expect(events[0]).toMatchObject({ type: 'OrderAmended', data: { amendmentNo: 2, before: [teaLine(4), cupLine(3)], after: [teaLine(4), cupLine(2)] } })));

  it('an admin may amend an order placed by someone else', () =>
    given(...live).when(amend([teaLine(4), cupLine(3)]), admin).thenState((_order, events) => expect(events[0]).toMatchObject({ data: { amendedBy: 'root' } })));

  it('still works while the order is held', () =>
    given(...live, past.held()).when(amend([teaLine(4), cupLine(3)]), owner).thenState((order) => expect(order?.lines[0].quantity).toBe(4)));

  it('raising a shipped order reopens it: partially shipped', () =>
    given(...live, past.shipped([{ sku: 'TEA-1', quantity: 5 }, { sku: 'CUP-1', quantity: 3 }], 'S1'), past.amendmentRequested(facts([teaLine(6), cupLine(3)])))
      .when(applyAmendment(), system)
      .thenState((order) => expect(order?.status).toBe('partially_shipped')));
});

describe('amendments refused', () => {
  it('refuses anyone but the owner or an admin: forbidden', () => given(...live).when(amend([teaLine(4), cupLine(3)]), otherClerk).thenFails('forbidden', { ownerId: 'carol', actorId: 'dave' }));

  it('checks who amends before the state', () =>
    given(...live, past.cancellationRequested()).when(amend([teaLine(4), cupLine(3)]), warehouse).thenFails('forbidden'));

  it('refuses to go below what shipped: below_shipped', () =>
    given(...partlyShipped).when(amend([teaLine(2), cupLine(3)]), owner).thenFails('below_shipped', { sku: 'TEA-1', shipped: 3, cancelled: 0, requested: 2 }));

  it('refuses to go below what was cancelled', () =>
    given(...live, past.cancellationRequested('carol', 'customer', 'lines', [{ sku: 'CUP-1', quantity: 2 }]),
      past.cancellationApproved('release_and_refund', { cancelledLines: [{ sku: 'CUP-1', quantity: 2 }], returnLines: [], returnId: null }))
      .when(amend([teaLine(5), cupLine(1)]), owner)
      .thenFails('below_shipped', { sku: 'CUP-1', shipped: 0, cancelled: 2, requested: 1 }));

  it('refuses a new price for a line some of which shipped', () =>
    given(...partlyShipped).when(amend([teaLine(5, 900), cupLine(3)]), owner).thenFails('invalid_transition', { sku: 'TEA-1', unitPrice: 1000, requested: 900 }));

  it('refuses while a cancellation is pending: cancellation_pending', () =>
    given(...live, past.cancellationRequested()).when(amend([teaLine(4), cupLine(3)]), owner).thenFails('cancellation_pending'));

  it('refuses while another amendment is being reserved', () => given(...increasePending).when(amend([teaLine(4), cupLine(3)]), owner).thenFails('invalid_transition'));

  it('refuses a returning order', () =>
    given(...partlyShipped, past.cancellationRequested(),
      past.cancellationApproved('return_and_refund', { cancelledLines: [{ sku: 'TEA-1', quantity: 2 }, { sku: 'CUP-1', quantity: 3 }], returnLines: [{ sku: 'TEA-1', quantity: 3 }], returnId: 'R1' }))
      .when(amend([teaLine(6), cupLine(3)]), owner)
      .thenFails('invalid_transition'));

  it('refuses while the placement is still reserving stock', () => given(past.salePlaced(LINES)).when(amend([teaLine(4), cupLine(3)]), owner).thenFails('invalid_transition'));

  it('refuses a finished order', () => given(past.salePlaced(LINES), past.rejected()).when(amend([teaLine(4), cupLine(3)]), owner).thenFails('invalid_transition'));

  it('refuses a purchase order', () => given(past.purchasePlaced()).when(amend([teaLine(4)]), owner).thenFails('invalid_transition'));

  it('refuses bad lines, naming each field', () =>
    given(...live).when(amend([{ sku: 'TEA-1', quantity: -1, unitPrice: 1000 }, { sku: 'TEA-1', quantity: 1.5, unitPrice: 9.5 }], ' '), owner).thenFails('validation_failed', {
      fields: [
        { field: 'reason', problems: ['is required'] },
        { field: 'lines[0].quantity' },
        { field: 'lines[1].sku', problems: ['appears on more than one line'] },
        { field: 'lines[1].quantity' },
        { field: 'lines[1].unitPrice' },
      ],
    }));

  it('refuses to leave nothing on the order: that is a cancellation', () =>
    given(...live).when(amend([]), owner).thenFails('validation_failed', { fields: [{ field: 'lines' }] }));
});

describe('the reservation of an amendment (process)', () => {
  it('applies a reserved increase with the same facts', () =>
    given(...increasePending).when(applyAmendment(), system).thenState((order, events) => {
      expect(events).toEqual([now.amended(facts([teaLine(8), cupLine(3), potLine(1)]))]);
      expect(order?.lines.map((line) => [line.sku, line.quantity])).toEqual([['TEA-1', 8], ['CUP-1', 3], ['POT-1', 1]]);
      expect(order?.amendments[0].state).toBe('applied');
    }));

  it('applying it again emits nothing', () => given(...increasePending, past.amended(facts([teaLine(8), cupLine(3), potLine(1)]))).when(applyAmendment(), system).thenNothing());

  it('applying a refused amendment emits nothing', () => given(...increasePending, past.amendmentRefused(1)).when(applyAmendment(), system).thenNothing());

  it('refuses an increase that could not be reserved: nothing changes but the record', () =>
    given(...increasePending).when(refuseAmendment(), system).thenState((order, events) => {
      expect(events).toEqual([now.amendmentRefused(1, [{ sku: 'TEA-1', requested: 3, available: 1 }])]);
      expect(order?.lines.map((line) => [line.sku, line.quantity])).toEqual([['TEA-1', 5], ['CUP-1', 3]]);
      expect(order?.amendments[0]).toMatchObject({ state: 'refused', shortLines: [{ sku: 'TEA-1', requested: 3, available: 1 }] });
    }));

  it('refusing it again, or after it was applied, emits nothing', () => {
    given(...increasePending, past.amendmentRefused(1)).when(refuseAmendment(), system).thenNothing();
    given(...increasePending, past.amended(facts([teaLine(8), cupLine(3), potLine(1)]))).when(refuseAmendment(), system).thenNothing();
  });

  it('refuses an amendment the order does not have', () => given(...live).when(applyAmendment(3), system).thenFails('invalid_transition', { amendmentNo: 3 }));

  it('a refused amendment answers insufficient_stock with the short lines; an applied one is no refusal', () => {
    given(...increasePending).when(refuseAmendment(), system).thenState((order) =>
      expect(amendmentRefusal(order!, 1)).toMatchObject({ code: 'insufficient_stock', details: { orderId, amendmentNo: 1, lines: [{ sku: 'TEA-1', requested: 3, available: 1 }] } }));
    given(...increasePending).when(applyAmendment(), system).thenState((order) => expect(amendmentRefusal(order!, 1)).toBeNull());
  });

  it('a new amendment may follow a refused one', () =>
    given(...increasePending, past.amendmentRefused(1)).when(amend([teaLine(4), cupLine(3)]), owner).thenState((_order, events) =>
      expect(events[0]).toMatchObject({ type: 'OrderAmended', data: { amendmentNo: 2 } })));
});
