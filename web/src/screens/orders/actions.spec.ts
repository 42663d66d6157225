import { describe, expect, it } from '@jest/globals';

import type { Me, Role } from '../../api/types';
import { availableActions, outstanding } from './actions';
import { anOrder, requested } from './order-fixture';

const as = (userId: string, ...roles: Role[]): Me => ({ userId, roles });

describe('the actions an order page offers', () => {
  it('offers the clerk who placed a sale: amend, pay, request cancellation; never warehouse or approver actions', () => {
    expect(availableActions(anOrder(), as('alice', 'clerk'))).toEqual(['amend', 'pay', 'cancel']);
  });

  it('does not offer amending another clerk\'s order', () => {
    expect(availableActions(anOrder(), as('bob', 'clerk'))).not.toContain('amend');
  });

  it('offers the warehouse process, ship and hold on a placed sale, and nothing while it is on hold but release', () => {
    expect(availableActions(anOrder(), as('wang', 'warehouse'))).toEqual(['process', 'ship', 'hold']);
    expect(availableActions(anOrder({ onHold: { reason: 'check address', by: 'wang', at: '2026-12-01T09:00:00Z' } }), as('wang', 'warehouse'))).toEqual(['release']);
  });

  it('offers delivery for a shipment not yet delivered, and receiving goods only on a purchase', () => {
    const shipped = anOrder({ status: 'shipped', shipments: [{ shipmentId: 'S1', lines: [{ sku: 'SKU-1', quantity: 3 }], carrier: null, trackingNumber: null, shippedAt: '2026-12-01T10:00:00Z', deliveredAt: null }] }, [{ reserved: 0, shipped: 3 }]);
    expect(availableActions(shipped, as('wang', 'warehouse'))).toEqual(['deliver', 'hold']);
    expect(availableActions(anOrder({ kind: 'purchase' }, [{ reserved: 0 }]), as('wang', 'warehouse'))).toEqual(['process', 'receive', 'hold']);
  });

  it('while a cancellation is pending: no second request and no amendment; the requester may withdraw, others may not', () => {
    const pending = anOrder({ cancellation: requested({ requestedBy: 'alice' }) });
    expect(availableActions(pending, as('alice', 'clerk'))).toEqual(['pay', 'withdraw']);
    expect(availableActions(pending, as('carol', 'clerk'))).toEqual(['pay']);
  });

  it('offers a customer return only for delivered units not already returned', () => {
    const delivered = anOrder({ status: 'delivered', paid: 3000 }, [{ reserved: 0, shipped: 3, delivered: 3 }]);
    expect(availableActions(delivered, as('alice', 'clerk'))).toEqual(['return']);
    expect(availableActions(anOrder({ status: 'delivered', paid: 3000 }, [{ reserved: 0, shipped: 3, delivered: 3, returned: 2, returnPending: 1 }]), as('alice', 'clerk'))).toEqual([]);
  });

  it('offers nothing on a cancelled order, even to admin', () => {
    expect(availableActions(anOrder({ status: 'cancelled' }, [{ reserved: 0, cancelled: 3 }]), as('admin', 'admin'))).toEqual([]);
  });

  it('counts as outstanding the value not cancelled nor returned, less what was paid net of refunds', () => {
    expect(outstanding(anOrder({ paid: 1000 }))).toBe(2000);
    expect(outstanding(anOrder({ paid: 3000, refunded: 1000 }, [{ cancelled: 1 }]))).toBe(0);
    expect(outstanding(anOrder({ paid: 1000, refunded: 1000 }, [{ cancelled: 1 }]))).toBe(2000);
    expect(outstanding(anOrder({ status: 'cancelled', paid: 1000, refunded: 1000 }))).toBe(0);
  });
});
