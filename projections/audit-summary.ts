import { type OrderLineInput } from '../domain/order/commands.js';
import { type BusinessEvent } from './business-events.js';

/** One line a person reads in an audit trail. Money in minor units of its currency, as stored. */
export function summarise(business: BusinessEvent, actorId: string | null): string {
  const by = actorId === null ? '' : ` by ${actorId}`;
  switch (business.category) {
    case 'order':
      return orderSummaryLine(business.event, by);
    case 'stock':
      return stockSummaryLine(business.event);
    case 'payment':
      return paymentSummaryLine(business.event);
    case 'product': {
      if (business.event.type === 'ProductChanged') return `product ${business.event.data.sku} changed${by}: ${changedFields(business.event.data.changes)}`;
      const { sku, name, price } = business.event.data;
      return `product ${sku} "${name}" registered${by} at price ${price}`;
    }
    case 'customer':
    case 'supplier': {
      // Never the name: personal data stay in the event's data, sealed, where an erasure reaches them.
      const { id } = business.event.data;
      if (business.event.type === 'CustomerErased') return `customer ${id} personal data erased${by}: ${business.event.data.reason}`;
      // The names of the fields changed, never their values (personal data stay sealed in the data).
      if (business.event.type === 'CustomerChanged' || business.event.type === 'SupplierChanged') return `${business.category} ${id} changed${by}: ${Object.keys(business.event.data.changes).join(', ')}`;
      return `${business.category} ${id} registered${by}`;
    }
    case 'warehouse': {
      const { warehouseId, name } = business.event.data;
      return `warehouse ${warehouseId} "${name}" registered${by}`;
    }
    case 'credit': {
      const { event } = business;
      const money = `${event.data.amount} ${event.data.currency}`;
      if (event.type === 'CreditGranted') return `store credit ${event.data.entryId} of ${money} granted to customer ${event.data.customerId}${by} (${event.data.source})`;
      if (event.type === 'CreditSpent') return `store credit of ${money} spent by customer ${event.data.customerId} on payment ${event.data.paymentId} of order ${event.data.orderId}`;
      return `store credit of ${money} of customer ${event.data.customerId} expired (${event.data.grantEntryId})`;
    }
  }
}

/** A product change in a line: `price 1999, active false` (its fields are not personal data). */
const changedFields = (changes: object): string => Object.entries(changes).map(([field, value]) => `${field} ${JSON.stringify(value)}`).join(', ');

type Of<C extends BusinessEvent['category']> = Extract<BusinessEvent, { category: C }>['event'];

const items = (lines: readonly { sku: string; quantity: number; condition?: string }[]): string =>
  lines.map((line) => `${line.sku} ×${line.quantity}${line.condition ? ` ${line.condition}` : ''}`).join(', ');

const shortOf = (lines: readonly { sku: string; requested: number; available: number }[]): string =>
  lines.map((line) => `${line.sku} (requested ${line.requested}, available ${line.available})`).join(', ');

type OrderEventOf<T extends Of<'order'>['type']> = Extract<Of<'order'>, { type: T }>;
// Each function below takes the events the ones before it did not: the last one proves every order event has a line.
type Fulfilment = 'OrderPlaced' | 'OrderReserved' | 'OrderRejected' | 'OrderProcessed' | 'OrderShipped' | 'OrderDelivered' | 'GoodsReceived' | 'OrderCancelled' | 'OrderClosed';
type CancellationDecision = 'CancellationRequested' | 'CancellationApproved' | 'GoodwillCouponIssued' | 'CancellationRejected' | 'CancellationWithdrawn';
type ReturnOrHold = 'ReturnRequested' | 'ReturnReceived' | 'ReturnsClosed' | 'OrderHeld' | 'HoldReleased';
type AmendmentDecision = 'AmendmentRequested' | 'OrderAmended' | 'AmendmentRefused';
type Besides<T extends string> = Exclude<Of<'order'>, { type: T }>;

function orderSummaryLine(event: Of<'order'>, by: string): string {
  const order = `order ${event.data.orderId}`;
  switch (event.type) {
    case 'OrderPlaced': {
      const { kind, partyId, lines, currency } = event.data;
      const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
      return `${kind} ${order} placed${by} for ${partyId}: ${items(lines)}, total ${total} ${currency}`;
    }
    case 'OrderReserved':
      return `${order}: every line reserved`;
    case 'OrderRejected':
      return `${order} rejected, short: ${shortOf(event.data.shortLines)}`;
    case 'OrderProcessed':
      return `${order} processed${by}`;
    case 'OrderShipped':
      return shippedLine(event, order, by);
    case 'OrderDelivered':
      return event.data.shipmentIds === null ? `${order} delivered` : `${order}: shipment ${event.data.shipmentIds.join(', ')} delivered${by}`;
    case 'GoodsReceived':
      return `${order}: goods received ${items(event.data.lines)}`;
    case 'OrderCancelled':
      return `${order} cancelled`;
    case 'OrderClosed':
      return `${order} closed`;
    default:
      return cancellationLine(event, order, by);
  }
}

function shippedLine(event: OrderEventOf<'OrderShipped'>, order: string, by: string): string {
  const { carrier, trackingNumber, shipmentId, lines } = event.data;
  const via = [carrier, trackingNumber].filter((part) => part !== null).join(' ');
  // v1 shipped the whole order in one shipment (`lines: null`).
  const what = lines === null ? '' : `: ${items(lines)}`;
  return `${order} shipment ${shipmentId} shipped${by}${what}${via ? ` (${via})` : ''}`;
}

function cancellationLine(event: Besides<Fulfilment>, order: string, by: string): string {
  switch (event.type) {
    case 'CancellationRequested': {
      const { scope, lines, requestedBy, initiatedBy, reason } = event.data;
      const what = scope === 'lines' ? `cancellation of ${items(lines)} of ${order}` : scope === 'remainder' ? `cancellation of the remainder of ${order}` : `cancellation of ${order}`;
      return `${what} requested by ${requestedBy} (${initiatedBy}): ${reason}`;
    }
    case 'CancellationApproved': {
      const { approvedBy, outcome, cancelledLines, returnLines, returnId } = event.data;
      const cancelled = cancelledLines !== null && cancelledLines.length > 0 ? `; cancelled ${items(cancelledLines)}` : '';
      const returning = returnLines !== null && returnLines.length > 0 ? `; ${returnId === null ? 'return' : `return ${returnId}`} of ${items(returnLines)}` : '';
      return `cancellation of ${order} approved by ${approvedBy}: ${outcome.replaceAll('_', ' ')}${cancelled}${returning}`;
    }
    case 'GoodwillCouponIssued':
      return `${order}: goodwill coupon ${event.data.code} of ${event.data.amount} ${event.data.currency} for ${event.data.customerId}`;
    case 'CancellationRejected':
      return `cancellation of ${order} rejected by ${event.data.rejectedBy}: ${event.data.reason}`;
    case 'CancellationWithdrawn':
      return `cancellation of ${order} withdrawn by ${event.data.withdrawnBy}`;
    default:
      return returnLine(event, order, by);
  }
}

function returnLine(event: Besides<Fulfilment | CancellationDecision>, order: string, by: string): string {
  switch (event.type) {
    case 'ReturnRequested': {
      const { returnId, origin, lines, requestedBy, reason } = event.data;
      const opened = origin === 'customer' ? `requested by ${requestedBy} (customer)` : `opened by the cancellation approved by ${requestedBy}`;
      return `${order}: return ${returnId} of ${items(lines)} ${opened}: ${reason}`;
    }
    case 'ReturnReceived':
      return event.data.returnId === null
        ? `${order}: returned ${items(event.data.lines)}`
        : `${order}: return ${event.data.returnId} received${by}: ${items(event.data.lines)}`;
    case 'ReturnsClosed': {
      const { returnIds, lines, closedBy, reason } = event.data;
      const missing = lines.length === 0 ? 'nothing missing' : `not coming back: ${items(lines)}`;
      return `${order}: return ${returnIds.join(', ')} closed by ${closedBy}, ${missing}: ${reason}`;
    }
    case 'OrderHeld':
      return `${order} put on hold by ${event.data.heldBy}: ${event.data.reason}`;
    case 'HoldReleased':
      return `${order} released from hold by ${event.data.releasedBy}${event.data.note === null ? '' : `: ${event.data.note}`}`;
    default:
      return amendmentLine(event, order);
  }
}

/** What an amendment changes, line by line: `TEA-1 ×2 → ×3`, a new price `@1999 → @1800`, lines added or dropped. */
function amendmentChanges(before: readonly OrderLineInput[], after: readonly OrderLineInput[]): string {
  const skus = [...new Set([...before, ...after].map((line) => line.sku))];
  const changes = skus.flatMap((sku) => {
    const was = before.find((line) => line.sku === sku);
    const is = after.find((line) => line.sku === sku);
    const quantity = `×${was?.quantity ?? 0} → ×${is?.quantity ?? 0}`;
    const price = was !== undefined && is !== undefined && was.unitPrice !== is.unitPrice ? ` @${was.unitPrice} → @${is.unitPrice}` : was === undefined && is !== undefined ? ` @${is.unitPrice}` : '';
    return (was?.quantity ?? 0) === (is?.quantity ?? 0) && price === '' ? [] : [`${sku} ${quantity}${price}`];
  });
  return changes.length === 0 ? 'no change' : changes.join(', ');
}

function amendmentLine(event: Besides<Fulfilment | CancellationDecision | ReturnOrHold>, order: string): string {
  switch (event.type) {
    case 'AmendmentRequested':
    case 'OrderAmended': {
      const { amendmentNo, amendedBy, before, after, reason } = event.data;
      const state = event.type === 'OrderAmended' ? 'applied' : 'requested (increase to reserve)';
      return `${order}: amendment ${amendmentNo} by ${amendedBy} ${state}: ${amendmentChanges(before, after)}: ${reason}`;
    }
    case 'AmendmentRefused':
      return `${order}: amendment ${event.data.amendmentNo} refused, short: ${shortOf(event.data.shortLines)}`;
    default:
      return purchaseReturnLine(event, order);
  }
}

function purchaseReturnLine(event: Besides<Fulfilment | CancellationDecision | ReturnOrHold | AmendmentDecision>, order: string): string {
  switch (event.type) {
    case 'PurchaseReturnRequested': {
      const { returnId, lines, requestedBy, reason } = event.data;
      return `${order}: purchase return ${returnId} of ${items(lines)} to the supplier requested by ${requestedBy}: ${reason}`;
    }
    case 'PurchaseReturnCompleted':
      return `${order}: purchase return ${event.data.returnId} done: the goods left the stock`;
    case 'PurchaseReturnRefused': {
      const { returnId, shortLines, returnedLines } = event.data;
      const partly = returnedLines.length === 0 ? '' : `; went back before: ${items(returnedLines)}`;
      return `${order}: purchase return ${returnId} refused, not enough unreserved on hand: ${shortOf(shortLines)}${partly}`;
    }
    default: {
      // Every order event has its line above (a new type fails to compile here); a type from a newer writer reads generically.
      const unknown: never = event;
      return `${(unknown as { type: string }).type} on ${order}`;
    }
  }
}

/** The order's requirement version a reservation setpoint was computed for (absent before partial fulfilment). */
const asOf = (version: number | undefined): string => (version === undefined ? '' : ` (requirement ${version})`);

function stockSummaryLine(event: Of<'stock'>): string {
  const where = `${event.data.sku}@${event.data.warehouseId}`;
  switch (event.type) {
    case 'StockReceived':
      return `${where}: ${event.data.quantity} received${event.data.orderId === null ? '' : ` for purchase order ${event.data.orderId}`}${event.data.note ? ` (${event.data.note})` : ''}`;
    case 'StockExpected':
      return `${where}: ${event.data.quantity} expected for purchase order ${event.data.orderId}`;
    case 'StockExpectationCancelled':
      return `${where}: ${event.data.quantity} no longer expected for purchase order ${event.data.orderId}`;
    case 'StockReserved':
      return `${where}: ${event.data.quantity} reserved for order ${event.data.orderId}${asOf(event.data.asOf)}`;
    case 'StockReleased':
      return `${where}: ${event.data.quantity} released from order ${event.data.orderId}${asOf(event.data.asOf)}`;
    case 'StockShipped':
      return `${where}: ${event.data.quantity} shipped for order ${event.data.orderId}`;
    case 'StockReturned':
      return `${where}: ${event.data.quantity} returned to stock from order ${event.data.orderId}`;
    case 'StockReturnedToSupplier':
      return `${where}: ${event.data.quantity} sent back to the supplier of purchase order ${event.data.orderId}`;
    case 'StockAdjusted':
      return `${where}: counted ${event.data.countedQuantity} (variance ${event.data.variance}) by ${event.data.countedBy}: ${event.data.reason}`;
    case 'StockThresholdsSet':
      return `${where}: thresholds min ${event.data.min ?? 'none'}, max ${event.data.max ?? 'none'}`;
    case 'StockIssued':
      return `${where}: ${event.data.quantity} issued by ${event.data.issuedBy}: ${event.data.reason}`;
    case 'StockTransferredOut':
      return `${where}: ${event.data.quantity} sent to ${event.data.to} (transfer ${event.data.transferId})`;
    case 'StockTransferArriving':
      return `${where}: ${event.data.quantity} in transit from ${event.data.from} (transfer ${event.data.transferId})`;
    case 'StockTransferReceived':
      return `${where}: ${event.data.quantity} of transfer ${event.data.transferId} received by ${event.data.receivedBy}`;
    default: {
      const unknown: never = event;
      return `${(unknown as { type: string }).type} on ${where}`;
    }
  }
}

function paymentSummaryLine(event: Of<'payment'>): string {
  const { orderId, amount, currency } = event.data;
  const money = `${amount} ${currency}`;
  switch (event.type) {
    case 'PaymentReceived':
      return `order ${orderId}: payment of ${money} received (${event.data.method})`;
    case 'RefundIssued':
      return `order ${orderId}: ${money} refunded (${event.data.method})`;
    case 'FundsCommitted':
      return `order ${orderId}: ${money} committed`;
    case 'FundsReleased':
      return `order ${orderId}: ${money} of committed funds released`;
    case 'DepositPaid':
      return `order ${orderId}: deposit of ${money} paid to the supplier (${event.data.method})`;
    case 'SupplierRefundDue':
      return `order ${orderId}: supplier owes ${money} more back`;
    case 'SupplierRefundReceived':
      return `order ${orderId}: ${money} received back from the supplier (${event.data.method})`;
    case 'PenaltyRecorded':
      return `order ${orderId}: penalty of ${money} payable by the ${event.data.payer}`;
    default:
      return `${(event as { type: string }).type} on payment of order ${orderId}`;
  }
}
