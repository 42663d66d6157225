import { type ShortLine } from '../order/commands.js';
import { type Order, pendingAmendment, requiredQuantity } from '../order/state.js';
import { availableQuantity, orderEntry, type StockOrderEntry, type StockPosition } from '../stock/state.js';
import { firstLineStep, orderStep, type PlacedOrderStates, type ProcessStep, stockOf, stockStep } from './step.js';

/**
 * A sale's reservation is a setpoint: each line's stock position holds what the order still needs of it,
 * `requiredQuantity(order, line)` less what shipped (every line: 0 once rejected; while an amendment is pending,
 * the larger of before and after). When a position holds something else and has not applied the order's current
 * `requirementVersion` yet, the step is `SetReservation{required, asOf: requirementVersion}`: the stock decider
 * reserves the increase or releases the rest, and ignores a setpoint older than one it applied, so a step computed
 * from an older order state never undoes a newer one.
 *
 * Placement (reservation `pending`): if some line's increase is short now, `RejectOrder` with the short lines
 * (the next version releases whatever was reserved); else one setpoint per line; once nothing is left to set,
 * `ConfirmReservation`. A pending amendment goes the same way: `RefuseAmendment` or, all held, `ApplyAmendment`.
 * A reservation refused on a stale stock read (`insufficient_stock`) makes the runner reload: this function then
 * sees the shortage and rejects or refuses.
 */
export function nextSaleReservationStep(states: PlacedOrderStates): ProcessStep | null {
  const { order } = states;
  if (order.kind !== 'sale') return null;
  const needs = lineNeeds(states);
  if (order.reservation === 'pending') {
    const shortLines = shortLinesOf(needs);
    if (shortLines.length > 0) return orderStep(order, 'reject', { type: 'RejectOrder', orderId: order.orderId, shortLines });
    return setpointStep(order, needs) ?? orderStep(order, 'confirm-reservation', { type: 'ConfirmReservation', orderId: order.orderId });
  }
  const amendment = order.reservation === 'complete' ? pendingAmendment(order) : null;
  if (amendment !== null) {
    const { amendmentNo } = amendment;
    const shortLines = shortLinesOf(needs);
    if (shortLines.length > 0) return orderStep(order, `amendment:${amendmentNo}:refuse`, { type: 'RefuseAmendment', orderId: order.orderId, amendmentNo, shortLines });
    return setpointStep(order, needs) ?? orderStep(order, `amendment:${amendmentNo}:apply`, { type: 'ApplyAmendment', orderId: order.orderId, amendmentNo });
  }
  return setpointStep(order, needs);
}

/** What one sku of the order needs of its stock position at the order's current requirement version. */
interface LineNeed {
  readonly sku: string;
  /** Units the order requires in all (held or shipped); 0 for a sku a refused amendment named. */
  readonly required: number;
  readonly stock: StockPosition;
  readonly entry: StockOrderEntry;
  /** Units the position should hold for the order: what it requires less what shipped (never negative). */
  readonly hold: number;
  /** The setpoint of the current version is still to apply (and would change something). */
  readonly pending: boolean;
}

function lineNeeds(states: PlacedOrderStates): LineNeed[] {
  const { order } = states;
  const need = (sku: string, required: number): LineNeed => {
    const stock = stockOf(states, sku);
    const entry = orderEntry(stock, order.orderId);
    const hold = Math.max(0, required - entry.shipped);
    return { sku, required, stock, entry, hold, pending: entry.reserved !== hold && entry.reservationAsOf < order.requirementVersion };
  };
  return [
    ...order.lines.map((line) => need(line.sku, requiredQuantity(order, line))),
    ...amendedAwaySkus(order).map((sku) => need(sku, 0)),
  ];
}

/** Lines whose increase the position cannot cover now: `requested` is the increase, `available` what is free. */
function shortLinesOf(needs: readonly LineNeed[]): ShortLine[] {
  return needs
    .filter((need) => need.pending && need.hold > need.entry.reserved)
    .map((need) => ({ sku: need.sku, requested: need.hold - need.entry.reserved, available: Math.max(0, availableQuantity(need.stock)) }))
    .filter((line) => line.available < line.requested);
}

function setpointStep(order: Order, needs: readonly LineNeed[]): ProcessStep | null {
  const asOf = order.requirementVersion;
  return firstLineStep(needs, (need) =>
    need.pending
      ? stockStep(order, `reservation:${asOf}`, {
        type: 'SetReservation',
        warehouseId: order.warehouseId,
        sku: need.sku,
        orderId: order.orderId,
        required: need.required,
        asOf,
      })
      : null);
}

/**
 * Skus an amendment added that are no longer lines (a refused amendment takes its untouched new lines away):
 * whatever was reserved for them before the refusal must still be released, so they keep a setpoint of 0.
 */
export function amendedAwaySkus(order: Order): string[] {
  const skus = order.amendments.flatMap((amendment) => amendment.after.map((line) => line.sku));
  return [...new Set(skus)].filter((sku) => !order.lines.some((line) => line.sku === sku));
}
