import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isNonNegativeInteger, isPositiveInteger, optionalText } from '../shared/validation.js';
import { type ArriveTransfer, type IssueStock, type ReceiveTransfer, type TransferStockOut } from './commands.js';
import { type StockEvent } from './events.js';
import { availableQuantity, type StockPosition, transferEntry } from './state.js';
import { shareOf } from './value.js';

/** Movements of on hand without an order: issues (出库) and transfers (调拨) between warehouses. */

const position = (command: { warehouseId: string; sku: string }) => ({ warehouseId: command.warehouseId, sku: command.sku });

/** Units leaving on hand (without an order, or back to a supplier) never take what is reserved for sale orders. */
export function refuseBelowReserved(command: { warehouseId: string; sku: string }, stock: StockPosition, quantity: number): void {
  const available = availableQuantity(stock);
  if (quantity > available) {
    throw new DomainError('insufficient_stock', `not enough unreserved ${command.sku} on hand in ${command.warehouseId}`, {
      ...position(command),
      requested: quantity,
      available: Math.max(0, available),
    });
  }
}

export function issueStock(command: IssueStock, stock: StockPosition, context: Context): StockEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .require(isNonEmptyText(command.issueId), 'issueId', 'is required')
    .throwIfAny();
  refuseBelowReserved(command, stock, command.quantity);
  return [{
    type: 'StockIssued',
    data: {
      ...position(command),
      issueId: command.issueId,
      quantity: command.quantity,
      reason: command.reason.trim(),
      issuedBy: context.actor.id,
      value: shareOf(stock.value, stock.onHand, command.quantity),
    },
  }];
}

/** The decision of a transfer: the units (and the value they carry) leave `from`. A repeat of the same transfer does nothing. */
export function transferStockOut(command: TransferStockOut, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .require(isNonEmptyText(command.to), 'to', 'is required')
    .require(command.to !== command.warehouseId, 'to', 'must be another warehouse than from')
    .require(isNonEmptyText(command.transferId), 'transferId', 'is required')
    .throwIfAny();
  if (transferEntry(stock, command.transferId) !== undefined) return [];
  refuseBelowReserved(command, stock, command.quantity);
  return [{
    type: 'StockTransferredOut',
    data: {
      ...position(command),
      transferId: command.transferId,
      to: command.to,
      quantity: command.quantity,
      note: optionalText(command.note),
      value: shareOf(stock.value, stock.onHand, command.quantity),
    },
  }];
}

/** The process step at `to`: the transfer is in transit here with what it left `from` with. Once per transfer. */
export function arriveTransfer(command: ArriveTransfer, stock: StockPosition): StockEvent[] {
  new FieldChecks()
    .require(isPositiveInteger(command.quantity), 'quantity', 'must be a positive integer')
    .require(isNonNegativeInteger(command.value), 'value', 'must be a non-negative integer')
    .throwIfAny();
  if (transferEntry(stock, command.transferId) !== undefined) return [];
  return [{
    type: 'StockTransferArriving',
    data: { ...position(command), transferId: command.transferId, from: command.from, quantity: command.quantity, value: command.value },
  }];
}

/** Units of the transfer in transit here go on hand: `quantity`, or all that is still in transit. */
export function receiveTransfer(command: ReceiveTransfer, stock: StockPosition, context: Context): StockEvent[] {
  const requested = command.quantity ?? null;
  new FieldChecks()
    .require(requested === null || isPositiveInteger(requested), 'quantity', 'must be a positive integer')
    .throwIfAny();
  const entry = transferEntry(stock, command.transferId);
  if (entry === undefined || entry.direction !== 'in') {
    throw new DomainError('not_found', `no transfer ${command.transferId} on its way to ${command.warehouseId}`, { transferId: command.transferId });
  }
  const remaining = entry.quantity - entry.received;
  const where = { ...position(command), transferId: command.transferId, inTransit: remaining };
  if (remaining === 0) throw new DomainError('invalid_transition', `transfer ${command.transferId} is received already`, where);
  const quantity = requested ?? remaining;
  if (quantity > remaining) {
    throw new DomainError('exceeds_shipped', `more units received than transfer ${command.transferId} has in transit`, { ...where, quantity });
  }
  return [{
    type: 'StockTransferReceived',
    data: {
      ...position(command),
      transferId: command.transferId,
      quantity,
      receivedBy: context.actor.id,
      value: shareOf(entry.value - entry.receivedValue, remaining, quantity),
    },
  }];
}
