import { describe, expect, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { partyDecider } from './index.js';

const { given } = deciderSpec(partyDecider, asUser('carol', 'clerk'));
const details = { id: 'cust-1', name: 'Wang Fang', phone: '13800000000', email: 'wang@example.cn', address: null };

describe('customers and suppliers', () => {
  it('registers a customer', () =>
    given().when({ type: 'RegisterCustomer', ...details, name: ' Wang Fang ' }).then({ type: 'CustomerRegistered', data: details }));

  it('registers a supplier', () =>
    given().when({ type: 'RegisterSupplier', ...details, id: 'supp-1' }).thenState((party, events) => {
      expect(events).toEqual([{ type: 'SupplierRegistered', data: { ...details, id: 'supp-1' } }]);
      expect(party).toMatchObject({ kind: 'supplier', id: 'supp-1' });
    }));

  it('registering the same customer again emits nothing', () =>
    given({ type: 'CustomerRegistered', data: details }).when({ type: 'RegisterCustomer', ...details }).thenNothing());

  it('refuses a different customer under an existing id', () =>
    given({ type: 'CustomerRegistered', data: details }).when({ type: 'RegisterCustomer', ...details, name: 'Li Lei' }).thenFails('already_exists'));

  it('refuses a party without a name', () => given().when({ type: 'RegisterCustomer', ...details, name: ' ' }).thenFails('validation_failed'));

  it('refuses a malformed email address', () =>
    given().when({ type: 'RegisterSupplier', ...details, email: 'not an email' }).thenFails('validation_failed', { fields: [{ field: 'email' }] }));

  describe('erasure of a customer', () => {
    const registered = { type: 'CustomerRegistered' as const, data: details };
    const erase = { type: 'EraseCustomer' as const, id: details.id, reason: 'asked by the customer' };

    it('records the erasure with its reason, and the personal fields are gone from the state', () =>
      given(registered).when(erase).thenState((party, events) => {
        expect(events).toEqual([{ type: 'CustomerErased', data: { id: details.id, reason: 'asked by the customer' } }]);
        expect(party).toEqual({ kind: 'customer', id: details.id, name: null, phone: null, email: null, address: null, erased: true });
      }));

    it('erasing again is a repeat', () => given(registered, { type: 'CustomerErased', data: { id: details.id, reason: 'x' } }).when(erase).thenNothing());

    it('refuses an erasure without a reason', () =>
      given(registered).when({ ...erase, reason: ' ' }).thenFails('validation_failed', { fields: [{ field: 'reason' }] }));

    it('refuses to erase a customer that does not exist, or a supplier', () => {
      given().when(erase).thenFails('not_found');
      given({ type: 'SupplierRegistered', data: details }).when(erase).thenFails('not_found');
    });

    it('never registers an erased customer again, even with the same details', () =>
      given(registered, { type: 'CustomerErased', data: { id: details.id, reason: 'x' } }).when({ type: 'RegisterCustomer', ...details }).thenFails('already_exists'));
  });
});
