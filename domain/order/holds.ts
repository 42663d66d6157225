import { type Context } from '../shared/context.js';
import { FieldChecks, isNonEmptyText, isOptionalText, optionalText } from '../shared/validation.js';
import { type HoldOrder, type ReleaseHold } from './commands.js';
import { type OrderEvent } from './events.js';
import { type DecisionTable, fact, onExisting, refuse, requireNotFinished } from './guards.js';
import { type Order } from './state.js';

/**
 * Holds: an unfinished order is held (fulfilment answers `on_hold`, reservations stay) and released again.
 * Payments, amendments, cancellation requests and returns go on while it is held (guards.ts requireNotOnHold).
 */

function holdOrder(command: HoldOrder, order: Order, context: Context): OrderEvent[] {
  new FieldChecks().require(isNonEmptyText(command.reason), 'reason', 'is required').throwIfAny();
  requireNotFinished(order);
  if (order.onHold !== null) refuse(order, 'the order is already on hold', { heldBy: order.onHold.by });
  return [{ type: 'OrderHeld', data: { ...fact(order, context), reason: command.reason.trim(), heldBy: context.actor.id } }];
}

function releaseHold(command: ReleaseHold, order: Order, context: Context): OrderEvent[] {
  new FieldChecks().require(isOptionalText(command.note), 'note', 'must be text').throwIfAny();
  requireNotFinished(order);
  if (order.onHold === null) refuse(order, 'the order is not on hold');
  return [{ type: 'HoldReleased', data: { ...fact(order, context), note: optionalText(command.note), releasedBy: context.actor.id } }];
}

/** The commands this workflow decides. */
export const holds: DecisionTable<'HoldOrder' | 'ReleaseHold'> = {
  HoldOrder: onExisting(holdOrder),
  ReleaseHold: onExisting(releaseHold),
};
