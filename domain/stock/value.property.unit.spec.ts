import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asUser } from '../../test/support/decider-spec.js';
import { valueChange } from '../../test/support/stock-events.js';
import { nextTransferStep } from '../processes/transfer.js';
import { isDomainError } from '../shared/domain-error.js';
import { type StockCommand, stockDecider, type StockEvent, stockLevel, type StockPosition } from './index.js';

/*
 * Inventory value under random movements over two positions of one SKU (main and east), transfers between them
 * included, their arrival at `to` run by the process at a random later moment: Σ value over positions (on hand
 * and in transit) equals Σ of the signed values the events carry, no value is ever negative, a position with
 * nothing on hand holds no value, and the unit cost shown is an integer.
 */

const sku = 'TEA-1';
const warehouses = ['main', 'east'] as const;
type Warehouse = (typeof warehouses)[number];
const context = asUser('wendy', 'warehouse');
const saleOrders = ['s1', 's2', 's3'];

type Action =
  | { readonly kind: 'command'; readonly at: Warehouse; readonly command: (at: Warehouse) => StockCommand }
  | { readonly kind: 'transfer'; readonly from: Warehouse; readonly quantity: number; readonly arriveNow: boolean }
  | { readonly kind: 'arrive' }
  | { readonly kind: 'receive'; readonly quantity: number | null };

const quantity = fc.integer({ min: 1, max: 12 });
const at = fc.constantFrom(...warehouses);
const command = (make: fc.Arbitrary<(w: Warehouse) => StockCommand>): fc.Arbitrary<Action> =>
  fc.tuple(at, make).map(([where, build]): Action => ({ kind: 'command', at: where, command: build }));

const action: fc.Arbitrary<Action> = fc.oneof(
  command(fc.record({ q: quantity, cost: fc.option(fc.integer({ min: 0, max: 9999 })) }).map(({ q, cost }) => (w: Warehouse): StockCommand => ({ type: 'ReceiveStock', warehouseId: w, sku, quantity: q, unitCost: cost }))),
  command(fc.integer({ min: 0, max: 30 }).map((counted) => (w: Warehouse): StockCommand => ({ type: 'CountStock', warehouseId: w, sku, countedQuantity: counted, reason: 'stocktake' }))),
  command(fc.record({ orderId: fc.constantFrom(...saleOrders), required: fc.integer({ min: 0, max: 12 }), asOf: fc.integer({ min: 1, max: 6 }) })
    .map((c) => (w: Warehouse): StockCommand => ({ type: 'SetReservation', warehouseId: w, sku, ...c }))),
  command(fc.record({ orderId: fc.constantFrom(...saleOrders), shippedTotal: fc.integer({ min: 0, max: 12 }) }).map((c) => (w: Warehouse): StockCommand => ({ type: 'ShipStock', warehouseId: w, sku, ...c }))),
  command(fc.record({ orderId: fc.constantFrom(...saleOrders), returnedTotal: fc.integer({ min: 0, max: 12 }) }).map((c) => (w: Warehouse): StockCommand => ({ type: 'ReturnToStock', warehouseId: w, sku, ...c }))),
  command(fc.record({ q: quantity, issueId: fc.constantFrom('i1', 'i2') }).map(({ q, issueId }) => (w: Warehouse): StockCommand => ({ type: 'IssueStock', warehouseId: w, sku, issueId, quantity: q, reason: 'scrap' }))),
  command(fc.record({ orderId: fc.constantFrom('p1', 'p2'), q: quantity }).map(({ orderId, q }) => (w: Warehouse): StockCommand => ({ type: 'ExpectStock', warehouseId: w, sku, orderId, quantity: q }))),
  command(fc.record({ orderId: fc.constantFrom('p1', 'p2'), total: fc.integer({ min: 0, max: 12 }), cost: fc.option(fc.integer({ min: 0, max: 9999 })) })
    .map(({ orderId, total, cost }) => (w: Warehouse): StockCommand => ({ type: 'ReceivePurchaseStock', warehouseId: w, sku, orderId, receivedTotal: total, unitCost: cost }))),
  command(fc.record({ orderId: fc.constantFrom('p1', 'p2'), total: fc.integer({ min: 0, max: 12 }) })
    .map(({ orderId, total }) => (w: Warehouse): StockCommand => ({ type: 'ReturnStockToSupplier', warehouseId: w, sku, orderId, returnedTotal: total }))),
  fc.record({ from: at, quantity, arriveNow: fc.boolean() }).map((t): Action => ({ kind: 'transfer', ...t })),
  fc.constant<Action>({ kind: 'arrive' }),
  fc.option(quantity).map((q): Action => ({ kind: 'receive', quantity: q })),
);

interface World {
  positions: Record<Warehouse, StockPosition>;
  history: StockEvent[];
  transfers: { id: string; from: Warehouse; to: Warehouse }[];
}

function decide(world: World, where: Warehouse, command: StockCommand): void {
  let events: StockEvent[] = [];
  try {
    events = stockDecider.decide(command, world.positions[where], context);
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
  world.positions[where] = events.reduce(stockDecider.evolve, world.positions[where]);
  world.history.push(...events);
}

/** The transfer process: the first transfer not yet in transit at its destination arrives there. */
function arriveOne(world: World): void {
  for (const { id, from, to } of world.transfers) {
    const step = nextTransferStep(id, world.positions[from], world.positions[to]);
    if (step !== null) return decide(world, to, step);
  }
}

function play(actions: Action[], check: (world: World) => void): World {
  const world: World = { positions: { main: stockDecider.initialState, east: stockDecider.initialState }, history: [], transfers: [] };
  for (const next of actions) {
    if (next.kind === 'command') decide(world, next.at, next.command(next.at));
    if (next.kind === 'transfer') {
      const id = `t${world.transfers.length + 1}`;
      const to: Warehouse = next.from === 'main' ? 'east' : 'main';
      world.transfers.push({ id, from: next.from, to });
      decide(world, next.from, { type: 'TransferStockOut', warehouseId: next.from, sku, transferId: id, to, quantity: next.quantity });
      if (next.arriveNow) arriveOne(world);
    }
    if (next.kind === 'arrive') arriveOne(world);
    if (next.kind === 'receive') {
      for (const { id, to } of world.transfers) decide(world, to, { type: 'ReceiveTransfer', warehouseId: to, sku, transferId: id, quantity: next.quantity });
    }
    check(world);
  }
  return world;
}

const totalValue = (world: World): number => warehouses.reduce((sum, w) => sum + world.positions[w].value + world.positions[w].inTransitValue, 0);

describe('inventory value under random movements, transfers between two warehouses included', () => {
  it('Σ value over positions = Σ of the signed values of the events, once every transfer has arrived', () =>
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const world = play(actions, () => undefined);
        for (let i = 0; i < world.transfers.length; i++) arriveOne(world);
        expect(totalValue(world)).toBe(world.history.reduce((sum, event) => sum + valueChange(event), 0));
      }),
      { numRuns: 300 },
    ));

  it('no value is ever negative, nothing on hand holds no value, the unit cost is an integer', () =>
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        play(actions, (world) => {
          for (const w of warehouses) {
            const position = world.positions[w];
            const level = stockLevel(position);
            const ok = position.value >= 0 && position.inTransitValue >= 0 && position.inTransit >= 0 && Number.isSafeInteger(level.unitCost)
              && (position.onHand > 0 || position.value === 0) && (position.inTransit > 0 || position.inTransitValue === 0);
            if (!ok) throw new Error(`invariant broken at ${w}: ${JSON.stringify(level)}`);
          }
          for (const event of world.history) expect(Number.isSafeInteger(event.type === 'StockReceived' || event.type === 'StockShipped' ? event.data.value : 0)).toBe(true);
        });
      }),
      { numRuns: 300 },
    ));

  it('a transfer neither makes nor loses value: Σ value + value of transfers not arrived yet = Σ of the values of every other movement', () =>
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        play(actions, (world) => {
          const notArrived = world.transfers.reduce((sum, { id, from, to }) => {
            const step = nextTransferStep(id, world.positions[from], world.positions[to]);
            return sum + (step === null ? 0 : step.value);
          }, 0);
          const movements = world.history.filter((event) => event.type !== 'StockTransferredOut' && event.type !== 'StockTransferArriving');
          expect(totalValue(world) + notArrived).toBe(movements.reduce((sum, event) => sum + valueChange(event), 0));
        });
      }),
      { numRuns: 200 },
    ));
});
