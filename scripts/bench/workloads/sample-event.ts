import { type EventToAppend } from '../../../src/platform/event-store/event-store.port.js';
import { newId } from '../../../src/platform/ids.js';

/**
 * The event every append workload writes, jxc's and the peer's alike: an order placement with two
 * lines and full metadata (~600 bytes), ids as jxc makes them (UUIDv7). One new stream per order.
 */
export function sampleEvent(orderId: string): EventToAppend {
  return {
    eventId: newId(),
    type: 'OrderPlaced',
    data: {
      orderId,
      number: `SO-${orderId.slice(0, 8)}`,
      kind: 'sale',
      partyId: 'customer-0042',
      warehouseId: 'main',
      currency: 'CNY',
      lines: [
        { sku: 'TEA-LONGJING-250G', quantity: 2, unitPrice: 12800 },
        { sku: 'CUP-CELADON-6', quantity: 1, unitPrice: 4500 },
      ],
    },
    metadata: {
      commandId: newId(),
      correlationId: newId(),
      causationId: newId(),
      actor: { id: 'clerk-7', roles: ['clerk'] },
      occurredAt: new Date().toISOString(),
      schemaVersion: 2,
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    },
  };
}

export { newId as newOrderId };
