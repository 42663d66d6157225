// What approving a pending cancellation will do, from the order as the view shows it (API.md "Orders in
// parts", DESIGN.md "Cancellation"): shown to the approver before deciding. The server computes the real
// outcome; this is the plain-language preview of its rules.
import type { Order, OrderLine, RefundMethod, SkuQuantity } from '../../api/types';
import { type RefundPart, refundRoutes } from './refund-routes';

export type Effect =
  | { readonly kind: 'release' | 'returnGoods' | 'stopIncoming'; readonly lines: readonly SkuQuantity[] }
  | { readonly kind: 'refund'; readonly amount: number; readonly paid: number; readonly parts: readonly RefundPart[] }
  | { readonly kind: 'goodwill'; readonly amount: number; readonly expiresAt: string | null }
  | { readonly kind: 'depositDue'; readonly amount: number }
  | { readonly kind: 'noRefund' | 'cancelOrder' | 'closeRemainder' | 'releaseFunds' | 'partlyReceived' | 'penalty' | 'credit' };

export interface ApprovalPreview {
  /** The value of what the request cancels, in the order's minor units. */
  readonly value: number;
  readonly effects: readonly Effect[];
}

/** What the approver has chosen so far in the approval form (the preview follows it). */
export interface ApprovalChoice {
  readonly refundMethod?: RefundMethod;
  /** A goodwill store credit (补偿) for the customer, in minor units; any initiator. */
  readonly goodwill?: { readonly amount: number; readonly expiresAt?: string | null };
}

const unshipped = (line: OrderLine) => Math.max(0, line.quantity - line.cancelled - line.shipped);
const returnable = (line: OrderLine) => Math.max(0, line.shipped - line.returned - line.returnPending);
const notReceived = (line: OrderLine) => Math.max(0, line.quantity - line.received - line.cancelled);
const nonZero = (lines: SkuQuantity[]) => lines.filter((line) => line.quantity > 0);
const valueOf = (order: Order, lines: readonly SkuQuantity[]) =>
  lines.reduce((total, line) => total + line.quantity * (order.lines.find((candidate) => candidate.sku === line.sku)?.unitPrice ?? 0), 0);

/** The units a request takes: released from stock, and (for shipped units) sent back through a return. */
function saleUnits(order: Order): { release: SkuQuantity[]; back: SkuQuantity[] } {
  const request = order.cancellation;
  if (!request || request.scope === 'whole') {
    return { release: nonZero(order.lines.map((line) => ({ sku: line.sku, quantity: unshipped(line) }))), back: nonZero(order.lines.map((line) => ({ sku: line.sku, quantity: returnable(line) }))) };
  }
  if (request.scope === 'remainder') return { release: nonZero(order.lines.map((line) => ({ sku: line.sku, quantity: unshipped(line) }))), back: [] };
  const release: SkuQuantity[] = [];
  const back: SkuQuantity[] = [];
  for (const asked of request.lines) {
    const line = order.lines.find((candidate) => candidate.sku === asked.sku);
    if (!line) continue;
    const released = Math.min(asked.quantity, unshipped(line));
    release.push({ sku: asked.sku, quantity: released });
    back.push({ sku: asked.sku, quantity: Math.min(asked.quantity - released, returnable(line)) });
  }
  return { release: nonZero(release), back: nonZero(back) };
}

function salePreview(order: Order, choice: ApprovalChoice): ApprovalPreview {
  const { release, back } = saleUnits(order);
  const value = valueOf(order, [...release, ...back]);
  const netPaid = Math.max(0, order.paid - order.refunded);
  const effects: Effect[] = [];
  if (release.length > 0) effects.push({ kind: 'release', lines: release });
  if (back.length > 0) effects.push({ kind: 'returnGoods', lines: back });
  const refund = Math.min(value, netPaid);
  effects.push(netPaid > 0 ? { kind: 'refund', amount: refund, paid: netPaid, parts: refundRoutes(refund, choice.refundMethod ?? 'original', order.payments, order.refunds) } : { kind: 'noRefund' });
  const scope = order.cancellation?.scope ?? 'whole';
  if (scope === 'whole') effects.push({ kind: 'cancelOrder' });
  if (scope === 'remainder') effects.push({ kind: 'closeRemainder' });
  // A goodwill store credit may be granted whoever initiated the request.
  effects.push(choice.goodwill && choice.goodwill.amount > 0 ? { kind: 'goodwill', amount: choice.goodwill.amount, expiresAt: choice.goodwill.expiresAt ?? null } : { kind: 'credit' });
  return { value, effects };
}

function purchasePreview(order: Order): ApprovalPreview {
  const remaining = nonZero(order.lines.map((line) => ({ sku: line.sku, quantity: notReceived(line) })));
  const deposits = Math.max(0, order.paid - order.refunded);
  const effects: Effect[] = [];
  if (remaining.length > 0) effects.push({ kind: 'stopIncoming', lines: remaining }, { kind: 'releaseFunds' });
  if (deposits > 0) effects.push({ kind: 'depositDue', amount: deposits });
  effects.push(order.lines.some((line) => line.received > 0) ? { kind: 'partlyReceived' } : { kind: 'cancelOrder' });
  effects.push({ kind: 'penalty' });
  return { value: valueOf(order, remaining), effects };
}

export function approvalPreview(order: Order, choice: ApprovalChoice = {}): ApprovalPreview {
  return order.kind === 'sale' ? salePreview(order, choice) : purchasePreview(order);
}
