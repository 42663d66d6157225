import { type ArriveTransfer } from '../stock/commands.js';
import { type StockPosition, transferEntry } from '../stock/state.js';

/**
 * A transfer (调拨) spans two stock positions, so it is a process: the decision is the `StockTransferredOut`
 * appended on the `from` position (refused below what is reserved there); then `ArriveTransfer` on the `to`
 * position records it in transit there (`StockTransferArriving`), with the units and the value that left.
 * The step is idempotent (the `to` position remembers the transfer) and is run inline after the decision and
 * again by recovery, so a crash between the two appends is finished later. Receiving it on hand is a user's
 * command at `to` (ReceiveTransfer).
 */
export function nextTransferStep(transferId: string, from: StockPosition, to: StockPosition): ArriveTransfer | null {
  const sent = transferEntry(from, transferId);
  if (sent === undefined || sent.direction !== 'out' || from.warehouseId === null || from.sku === null) return null;
  if (transferEntry(to, transferId) !== undefined) return null;
  return {
    type: 'ArriveTransfer',
    warehouseId: sent.counterpart,
    sku: from.sku,
    transferId,
    from: from.warehouseId,
    quantity: sent.quantity,
    value: sent.value,
  };
}
