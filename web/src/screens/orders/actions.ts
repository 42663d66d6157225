// Which actions the order page offers this user on this order now: the roles of API.md "Access" and the
// stages of API.md "Orders" / "Orders in parts". A convenience only: the server checks every request, and
// its refusal is shown as it is.
import { hasRole } from '../../app/roles';
import type { Me, Order, OrderStatus } from '../../api/types';

export type OrderAction =
  | 'process' | 'ship' | 'deliver' | 'receive' | 'hold' | 'release' | 'amend' | 'pay' | 'cancel' | 'withdraw' | 'return' | 'receiveReturn';

const FINISHED: readonly OrderStatus[] = ['rejected', 'closed', 'cancelled'];
const SHIPPABLE: readonly OrderStatus[] = ['placed', 'processing', 'partially_shipped'];
const RECEIVABLE: readonly OrderStatus[] = ['placed', 'processing', 'partially_received'];
const HOLDABLE: readonly OrderStatus[] = ['placed', 'processing', 'partially_shipped', 'shipped', 'partially_received'];
const CANCELLABLE: readonly OrderStatus[] = ['placed', 'processing', 'partially_shipped', 'shipped', 'partially_received'];

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * What is still to be paid: the value of the units neither cancelled nor returned, less what was paid net of
 * refunds (nothing for a cancelled or rejected order).
 */
export function outstanding(order: Order): number {
  if (order.status === 'cancelled' || order.status === 'rejected') return 0;
  const due = sum(order.lines.map((line) => line.unitPrice * Math.max(0, line.quantity - line.cancelled - line.returned)));
  return Math.max(0, due - (order.paid - order.refunded));
}

/** Delivered units not yet returned nor on an open return: what a customer return may take back. */
function returnable(order: Order): number {
  return sum(order.lines.map((line) => Math.max(0, line.delivered - line.returned - line.returnPending)));
}

/** Units of open returns still expected back. */
function expectedBack(order: Order): number {
  return sum(
    order.returns
      .filter((entry) => entry.closedAt === null)
      .flatMap((entry) => entry.lines.map((line) => Math.max(0, line.quantity - line.receivedResellable - line.receivedDamaged))),
  );
}

export function availableActions(order: Order, me: Me): OrderAction[] {
  const finished = FINISHED.includes(order.status);
  const held = order.onHold !== null;
  const pending = order.cancellation?.state === 'requested';
  const warehouse = hasRole(me, 'warehouse');
  const sale = order.kind === 'sale';
  const offers: [OrderAction, boolean][] = [
    ['process', warehouse && order.status === 'placed' && !held],
    ['ship', sale && warehouse && SHIPPABLE.includes(order.status) && !held && sum(order.lines.map((line) => line.reserved)) > 0],
    ['deliver', sale && warehouse && !held && order.shipments.some((shipment) => shipment.deliveredAt === null)],
    ['receive', !sale && warehouse && RECEIVABLE.includes(order.status) && !held],
    ['receiveReturn', sale && warehouse && expectedBack(order) > 0],
    ['hold', hasRole(me, 'approver', 'warehouse') && !held && HOLDABLE.includes(order.status)],
    ['release', hasRole(me, 'approver', 'warehouse') && held],
    ['amend', sale && (me.roles.includes('admin') || (hasRole(me, 'clerk') && order.ownerId === me.userId)) && SHIPPABLE.includes(order.status) && !pending],
    ['pay', hasRole(me, 'clerk', 'finance') && !finished && order.status !== 'returning' && outstanding(order) > 0],
    ['cancel', hasRole(me, 'clerk', 'integration') && CANCELLABLE.includes(order.status) && !pending],
    ['withdraw', pending && order.cancellation?.requestedBy === me.userId],
    ['return', sale && hasRole(me, 'clerk') && !['rejected', 'cancelled'].includes(order.status) && returnable(order) > 0],
  ];
  return offers.filter(([, offered]) => offered).map(([action]) => action);
}
