import { type ReturnReceived, type ReturnRequested, type ReturnsClosed } from './events.js';
import { addToLines } from './lines.js';
import { type Order, type OrderReturn, type ReturnLine } from './state.js';

/** How returns of a sale change the order: opened, goods back (per return, oldest first when unnamed), closed. */

export function applyReturnRequested(order: Order, data: ReturnRequested['data']): Order {
  const opened: OrderReturn = {
    returnId: data.returnId,
    origin: data.origin,
    lines: data.lines.map(({ sku, quantity }) => ({ sku, quantity, receivedResellable: 0, receivedDamaged: 0 })),
    reason: data.reason,
    requestedBy: data.requestedBy,
    requestedAt: data.at,
    closedAt: null,
    closedBy: null,
    closeReason: null,
  };
  return {
    ...order,
    lines: addToLines(order.lines, data.lines, (line, quantity) => ({ ...line, returnPending: line.returnPending + quantity })),
    returns: [...order.returns, opened],
  };
}

const stillExpected = (line: ReturnLine): number => line.quantity - line.receivedResellable - line.receivedDamaged;

/**
 * Goods back: each arriving unit is booked to the named return, or (v1 and unnamed) to the open returns oldest
 * first. The line counts it as returned (resellable or damaged) and no longer pending.
 */
export function applyReturnReceived(order: Order, data: ReturnReceived['data']): Order {
  let returns = order.returns;
  for (const arriving of data.lines) {
    let left = arriving.quantity;
    returns = returns.map((entry) => {
      if (left === 0 || entry.closedAt !== null || (data.returnId !== null && entry.returnId !== data.returnId)) return entry;
      return {
        ...entry,
        lines: entry.lines.map((line) => {
          if (line.sku !== arriving.sku || left === 0) return line;
          const booked = Math.min(left, stillExpected(line));
          left -= booked;
          return arriving.condition === 'resellable'
            ? { ...line, receivedResellable: line.receivedResellable + booked }
            : { ...line, receivedDamaged: line.receivedDamaged + booked };
        }),
      };
    });
  }
  const lines = data.lines.reduce<Order['lines']>(
    (current, arriving) => addToLines(current, [arriving], (line, quantity) => ({
      ...line,
      returnPending: Math.max(0, line.returnPending - quantity),
      ...(arriving.condition === 'resellable'
        ? { returnedResellable: line.returnedResellable + quantity }
        : { returnedDamaged: line.returnedDamaged + quantity }),
    })),
    order.lines,
  );
  return { ...order, lines, returns };
}

export function applyReturnsClosed(order: Order, data: ReturnsClosed['data']): Order {
  const ids = new Set(data.returnIds);
  return {
    ...order,
    lines: addToLines(order.lines, data.lines, (line, quantity) => ({ ...line, returnPending: Math.max(0, line.returnPending - quantity) })),
    returns: order.returns.map((entry) =>
      ids.has(entry.returnId) ? { ...entry, closedAt: data.at, closedBy: data.closedBy, closeReason: data.reason } : entry),
  };
}
