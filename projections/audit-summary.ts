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
      const { sku, name, price } = business.event.data;
      return `product ${sku} "${name}" registered${by} at price ${price}`;
    }
    case 'customer':
    case 'supplier': {
      const { id, name } = business.event.data;
      return `${business.category} ${id} "${name}" registered${by}`;
    }
  }
}

type Of<C extends BusinessEvent['category']> = Extract<BusinessEvent, { category: C }>['event'];

const items = (lines: readonly { sku: string; quantity: number; condition?: string }[]): string =>
  lines.map((line) => `${line.sku} ×${line.quantity}${line.condition ? ` ${line.condition}` : ''}`).join(', ');

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
      return `${order} rejected, short: ${event.data.shortLines.map((line) => `${line.sku} (requested ${line.requested}, available ${line.available})`).join(', ')}`;
    case 'OrderProcessed':
      return `${order} processed${by}`;
    case 'OrderShipped': {
      const { carrier, trackingNumber } = event.data;
      const via = [carrier, trackingNumber].filter((part) => part !== null).join(' ');
      return `${order} shipped${by}${via ? ` (${via})` : ''}`;
    }
    case 'OrderDelivered':
      return `${order} delivered`;
    case 'GoodsReceived':
      return `${order}: goods received ${items(event.data.lines)}`;
    case 'CancellationRequested':
      return `cancellation of ${order} requested by ${event.data.requestedBy} (${event.data.initiatedBy}): ${event.data.reason}`;
    case 'CancellationApproved':
      return `cancellation of ${order} approved by ${event.data.approvedBy}: ${event.data.outcome.replaceAll('_', ' ')}`;
    case 'GoodwillCouponIssued':
      return `${order}: goodwill coupon ${event.data.code} of ${event.data.amount} ${event.data.currency} for ${event.data.customerId}`;
    case 'CancellationRejected':
      return `cancellation of ${order} rejected by ${event.data.rejectedBy}: ${event.data.reason}`;
    case 'CancellationWithdrawn':
      return `cancellation of ${order} withdrawn by ${event.data.withdrawnBy}`;
    case 'ReturnReceived':
      return `${order}: returned ${items(event.data.lines)}`;
    case 'OrderCancelled':
      return `${order} cancelled`;
    case 'OrderClosed':
      return `${order} closed (remainder cancelled)`;
    default:
      return `${(event as { type: string }).type} on ${order}`;
  }
}

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
      return `${where}: ${event.data.quantity} reserved for order ${event.data.orderId}`;
    case 'StockReleased':
      return `${where}: ${event.data.quantity} released from order ${event.data.orderId}`;
    case 'StockShipped':
      return `${where}: ${event.data.quantity} shipped for order ${event.data.orderId}`;
    case 'StockReturned':
      return `${where}: ${event.data.quantity} returned to stock from order ${event.data.orderId}`;
    case 'StockAdjusted':
      return `${where}: counted ${event.data.countedQuantity} (variance ${event.data.variance}) by ${event.data.countedBy}: ${event.data.reason}`;
    case 'StockThresholdsSet':
      return `${where}: thresholds min ${event.data.min ?? 'none'}, max ${event.data.max ?? 'none'}`;
    default:
      return `${(event as { type: string }).type} on ${where}`;
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
