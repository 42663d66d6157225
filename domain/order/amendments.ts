import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isNonNegativeInteger } from '../shared/validation.js';
import { type AmendOrder, type ApplyAmendment, type OrderLineInput, type RefuseAmendment } from './commands.js';
import { type AmendmentFacts, type OrderEvent } from './events.js';
import {
  type DecisionTable,
  fact,
  onExisting,
  refuse,
  requireKind,
  requireNoPendingAmendment,
  requireNoPendingCancellation,
  requireNotFinished,
  requireReservationComplete,
} from './guards.js';
import { type Amendment, isWholeCancellationApproved, lineOf, lineTotal, type Order, returnedQuantity } from './state.js';

/**
 * Amendments of a sale's lines by its owner (or an admin): the lines become the given ones (a line left out is
 * quantity 0), never below what shipped or was cancelled. A decrease or price change applies at once
 * (`OrderAmended`); an increase is reserved first (`AmendmentRequested`, then the process applies or refuses it).
 */

function amendOrder(command: AmendOrder, order: Order, context: Context): OrderEvent[] {
  if (context.actor.id !== order.ownerId && !context.actor.roles.includes('admin')) {
    throw new DomainError('forbidden', 'only the clerk who placed the order (or an admin) can amend it', {
      orderId: order.orderId,
      ownerId: order.ownerId,
      actorId: context.actor.id,
    });
  }
  requireKind(order, 'sale', 'amended');
  validateAmendment(command);
  requireNotFinished(order);
  requireReservationComplete(order);
  if (order.status === 'returning' || isWholeCancellationApproved(order)) refuse(order, 'the order is being cancelled');
  requireNoPendingCancellation(order);
  requireNoPendingAmendment(order);
  const before = order.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }));
  const after = amendedLines(order, command.lines);
  after.forEach((line) => requireAbove(order, line));
  if (after.length === before.length && after.every((line, index) => isSameLine(line, before[index]))) return [];
  requireSomethingLeft(order, after);
  const facts: AmendmentFacts = { amendmentNo: order.amendments.length + 1, reason: command.reason.trim(), amendedBy: context.actor.id, before, after };
  const increases = after.some((line) => line.quantity > (lineOf(order, line.sku)?.quantity ?? 0));
  if (increases) return [{ type: 'AmendmentRequested', data: { ...fact(order, context), ...facts } }];
  return [{ type: 'OrderAmended', data: { ...fact(order, context), ...facts } }];
}

function validateAmendment(command: AmendOrder): void {
  const lines: readonly OrderLineInput[] = Array.isArray(command.lines) ? command.lines : [];
  const checks = new FieldChecks()
    .require(isNonEmptyText(command.reason), 'reason', 'is required')
    .require(Array.isArray(command.lines), 'lines', 'must be a list of lines');
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    checks
      .require(isNonEmptyText(line.sku), `lines[${index}].sku`, 'is required')
      .require(!seen.has(line.sku), `lines[${index}].sku`, 'appears on more than one line')
      .require(isNonNegativeInteger(line.quantity), `lines[${index}].quantity`, 'must be a non-negative integer')
      .require(isNonNegativeInteger(line.unitPrice), `lines[${index}].unitPrice`, 'must be a non-negative integer (minor units)');
    seen.add(line.sku);
  });
  checks.throwIfAny();
  const total = lines.reduce((sum, line) => sum + lineTotal(line), 0);
  new FieldChecks().require(Number.isSafeInteger(total), 'lines', 'the order total is too large').throwIfAny();
}

/** Every line of the order (left out: quantity 0 at its price), then the new skus with a quantity. */
function amendedLines(order: Order, given: readonly OrderLineInput[]): OrderLineInput[] {
  const kept = order.lines.map((line) => {
    const amended = given.find((candidate) => candidate.sku === line.sku);
    return amended === undefined ? { sku: line.sku, quantity: 0, unitPrice: line.unitPrice } : { sku: line.sku, quantity: amended.quantity, unitPrice: amended.unitPrice };
  });
  const added = given.filter((line) => lineOf(order, line.sku) === undefined && line.quantity > 0);
  return [...kept, ...added.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice }))];
}

/** Never below what shipped or was cancelled; the price of shipped units stays as it was. */
function requireAbove(order: Order, amended: OrderLineInput): void {
  const line = lineOf(order, amended.sku);
  if (line === undefined) return;
  if (amended.quantity < line.shipped + line.cancelled) {
    throw new DomainError('below_shipped', `${amended.sku} cannot go below what was shipped or cancelled`, {
      orderId: order.orderId,
      sku: amended.sku,
      shipped: line.shipped,
      cancelled: line.cancelled,
      requested: amended.quantity,
    });
  }
  if (amended.unitPrice !== line.unitPrice && line.shipped > 0) {
    refuse(order, `the price of ${amended.sku} cannot change: some of it was shipped`, { sku: amended.sku, unitPrice: line.unitPrice, requested: amended.unitPrice });
  }
}

const isSameLine = (a: OrderLineInput, b: OrderLineInput): boolean => a.sku === b.sku && a.quantity === b.quantity && a.unitPrice === b.unitPrice;

/** An amendment leaves something to sell: ending the whole order is a cancellation (four eyes), not an amendment. */
function requireSomethingLeft(order: Order, after: readonly OrderLineInput[]): void {
  const left = after.reduce((sum, amended) => {
    const line = lineOf(order, amended.sku);
    return sum + amended.quantity - (line === undefined ? 0 : line.cancelled + returnedQuantity(line));
  }, 0);
  new FieldChecks().require(left > 0, 'lines', 'must leave something on the order: request a cancellation instead').throwIfAny();
}

function amendmentOf(order: Order, amendmentNo: number): Amendment {
  const amendment = order.amendments.find((candidate) => candidate.amendmentNo === amendmentNo);
  if (amendment === undefined) refuse(order, `the order has no amendment ${amendmentNo}`, { amendmentNo });
  return amendment;
}

/** Process: every increase is reserved. Applying an amendment already applied or refused changes nothing. */
function applyAmendment(command: ApplyAmendment, order: Order, context: Context): OrderEvent[] {
  const amendment = amendmentOf(order, command.amendmentNo);
  if (amendment.state !== 'pending') return [];
  requireNotFinished(order);
  const { amendmentNo, reason, amendedBy, before, after } = amendment;
  return [{ type: 'OrderAmended', data: { ...fact(order, context), amendmentNo, reason, amendedBy, before, after } }];
}

/** Process: an increase could not be reserved; nothing changes. Refusing an amendment already decided changes nothing. */
function refuseAmendment(command: RefuseAmendment, order: Order, context: Context): OrderEvent[] {
  const amendment = amendmentOf(order, command.amendmentNo);
  if (amendment.state !== 'pending') return [];
  requireNotFinished(order);
  return [{
    type: 'AmendmentRefused',
    data: { ...fact(order, context), amendmentNo: command.amendmentNo, shortLines: command.shortLines.map((line) => ({ ...line })) },
  }];
}

/** The commands this workflow decides. */
export const amendments: DecisionTable<'AmendOrder' | 'ApplyAmendment' | 'RefuseAmendment'> = {
  AmendOrder: onExisting(amendOrder),
  ApplyAmendment: onExisting(applyAmendment),
  RefuseAmendment: onExisting(refuseAmendment),
};
